"""Reports (SP4N-LAPOR!): the life cycle table walked exhaustively, through the services; tiers
and due dates in working days over weekends, a national holiday and cuti bersama; escalation and
the silence close by the clock; anonymity, confidentiality and whistle-blowing kept from the
office everywhere; attachments checked like documents; each step's event and message."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import translation

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.tests.factories import photo_bytes
from gerbang.core.actors import WORKER
from gerbang.core.exceptions import Conflict, PermissionDenied, RateLimited, ValidationError
from gerbang.core.models import Event
from gerbang.feedback import lifecycle, report_selectors, report_services, tasks
from gerbang.feedback.events import ReportChanged
from gerbang.feedback.lifecycle import TABLE, Action, Who
from gerbang.feedback.models import Report, ReportKind, ReportPrivacy, ReportStatus, ReportTier
from gerbang.feedback.report_services import Upload
from gerbang.feedback.tests.conftest import MONDAY, Desk
from gerbang.notifications import services as notifications
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

ANSWER = "Thank you. We looked into it and changed the counter roster."
MORE = "Here is what else happened: the counter was closed at 10:00."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def deliver_all() -> None:
    for message in OutboxMessage.objects.all():
        for delivery_id in notifications.fan_out(message.pk):
            notifications.delivery_attempt(delivery_id)


def put(report: Report, status: str, **fields: Any) -> Report:
    Report.objects.filter(pk=report.pk).update(status=status, tier=ReportTier.NORMATIVE, **fields)
    report.refresh_from_db()
    return report


# --- The table ------------------------------------------------------------------------------------


def test_every_status_has_a_row_and_every_target_is_a_status() -> None:
    assert set(TABLE) == set(ReportStatus)
    for actions in TABLE.values():
        for found in actions.values():
            assert found.to is None or found.to in ReportStatus
    assert not any(TABLE[s] for s in lifecycle.FINAL)


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", list(Who))
def test_the_table_answers_every_status_action_and_actor(
    status: ReportStatus, action: Action, who: Who
) -> None:
    found = TABLE[status].get(action)
    if found is None:
        with pytest.raises(Conflict):
            lifecycle.step(status, action, who)
    elif found.who != who:
        with pytest.raises(PermissionDenied):
            lifecycle.step(status, action, who)
    else:
        assert lifecycle.step(status, action, who) == (found.to or status)


def _services(desk: Desk) -> dict[Action, tuple[Who, Callable[[Report], object]]]:
    return {
        Action.VERIFY: (
            Who.HANDLER,
            lambda r: report_services.report_verify(report=r, actor=desk.officer, outcome="verify"),
        ),
        Action.POSTPONE: (
            Who.HANDLER,
            lambda r: report_services.report_verify(
                report=r, actor=desk.officer, outcome="postpone", note=MORE
            ),
        ),
        Action.REFER: (
            Who.HANDLER,
            lambda r: report_services.report_verify(
                report=r, actor=desk.officer, outcome="refer", note="Please go to the Ombudsman of Lampung."
            ),
        ),
        Action.ARCHIVE: (
            Who.HANDLER,
            lambda r: report_services.report_verify(report=r, actor=desk.officer, outcome="archive"),
        ),
        Action.ROUTE: (
            Who.HANDLER,
            lambda r: report_services.report_route(report=r, actor=desk.national, office=desk.other_office),
        ),
        Action.ANSWER: (
            Who.HANDLER,
            lambda r: report_services.report_answer(report=r, actor=desk.officer, body=ANSWER),
        ),
        Action.CLOSE: (Who.HANDLER, lambda r: report_services.report_close(report=r, actor=desk.officer)),
        Action.CONFIRM: (
            Who.REPORTER,
            lambda r: report_services.report_confirm(report=r, actor=desk.reporter),
        ),
        Action.AUTO_CLOSE: (
            Who.SYSTEM,
            lambda r: report_services.report_auto_close(
                report=r, actor=WORKER, now=MONDAY + dt.timedelta(days=60)
            ),
        ),
        Action.ESCALATE: (
            Who.SYSTEM,
            lambda r: report_services.report_escalate(
                report=r, actor=WORKER, now=MONDAY + dt.timedelta(days=60)
            ),
        ),
    }


@pytest.mark.parametrize("status", list(ReportStatus))
def test_the_services_follow_the_table_in_every_status(
    desk: Desk, status: ReportStatus, settings: Any
) -> None:
    """Each service, tried in each status: it moves the report where the table says, or is
    refused (the clock's steps do nothing where the table has none)."""
    settings.REPORTS_PER_DAY = 100
    for action, (who, call) in _services(desk).items():
        with time_machine.travel(MONDAY, tick=False):
            report = put(
                desk.report(subject=f"{status} {action}"), status, answered_at=MONDAY, due=MONDAY.date()
            )
        found = TABLE[status].get(action)
        if found is None or found.who != who:
            if who == Who.SYSTEM:
                call(report)
                report.refresh_from_db()
                assert report.status == status and report.escalation == 0, action
            else:
                with pytest.raises((Conflict, PermissionDenied)):
                    call(report)
            continue
        call(report)
        report.refresh_from_db()
        assert report.status == (found.to or status), action


@pytest.mark.parametrize("status", list(ReportStatus))
def test_the_reporter_writes_only_where_the_table_lets_them(desk: Desk, status: ReportStatus) -> None:
    report = put(desk.report(), status)
    reporter_actions = set(lifecycle.allowed(status, Who.REPORTER)) - {Action.CONFIRM}
    if not reporter_actions:
        with pytest.raises(Conflict):
            report_services.report_reply(report=report, actor=desk.reporter, body=MORE)
        return
    report_services.report_reply(report=report, actor=desk.reporter, body=MORE)
    report.refresh_from_db()
    expected = {
        ReportStatus.NEEDS_INFO: ReportStatus.SUBMITTED,
        ReportStatus.ANSWERED: ReportStatus.FOLLOWED_UP,
    }.get(status, status)
    assert report.status == expected


def test_another_offices_officer_cannot_take_a_report_by_routing_it_to_themselves(desk: Desk) -> None:
    report = desk.report()
    with pytest.raises(PermissionDenied):
        report_services.report_verify(
            report=report, actor=desk.other_officer, outcome="verify", office=desk.other_office
        )
    routed = report_services.report_verify(report=report, actor=desk.officer, outcome="verify")
    with pytest.raises(PermissionDenied):
        report_services.report_route(report=routed, actor=desk.other_officer, office=desk.other_office)
    moved = report_services.report_route(report=routed, actor=desk.officer, office=desk.other_office)
    assert moved.office == desk.other_office
    assert report_selectors.report_for_staff(desk.officer, report.pk) is None
    assert report_selectors.report_for_staff(desk.other_officer, report.pk) == moved


def test_nobody_else_takes_a_step(desk: Desk) -> None:
    report = desk.report()
    stranger = UserFactory.create()
    for actor in (desk.other_officer, stranger):
        with pytest.raises(PermissionDenied):
            report_services.report_verify(report=report, actor=actor, outcome="verify")
    with pytest.raises(PermissionDenied):
        report_services.report_reply(report=report, actor=stranger, body=MORE)
    with pytest.raises(PermissionDenied):
        report_services.report_reply(report=report, actor=stranger, body=MORE, code="AAAA-BBBB-CCCC-DDDD")


# --- Filing -----------------------------------------------------------------------------------------


def test_filing_stores_it_encrypted_due_for_verification_in_three_working_days(desk: Desk) -> None:
    with time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False):  # a Friday
        report = desk.report()
    assert report.reference.startswith("LAPOR-") and report.status == ReportStatus.SUBMITTED
    assert report.due == dt.date(2026, 12, 16)  # Mon, Tue, Wed after the weekend
    event = Event.objects.get(code="report.submitted")
    assert event.actor_id == desk.reporter.pk and event.office_id == desk.office.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM feedback_report")
        assert "counter" not in cursor.fetchone()[0]
        cursor.execute("SELECT body FROM feedback_reportmessage")
        assert "appointment" not in cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", ""), ("body", "short"), ("kind", "gossip"), ("privacy", "loud")],
)
def test_bad_input_names_the_field(desk: Desk, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.file(**{field: value})
    assert caught.value.field == field
    assert not Report.objects.exists()


def test_anonymous_gets_a_code_shown_once_and_stored_only_as_a_hash(desk: Desk) -> None:
    from django.contrib.auth.models import AnonymousUser

    filed = desk.file(privacy="anonymous", actor=AnonymousUser(), client="203.0.113.9")
    report = filed.report
    assert report.reporter is None and len(filed.code) == 19
    assert filed.code.replace("-", "") not in report.code_hash and filed.code not in report.code_hash
    assert report_selectors.report_by_code(filed.code.lower()) == report
    assert report_selectors.report_by_code("AAAA-BBBB-CCCC-DDDD") is None
    assert Event.objects.get(code="report.submitted").actor_id is None
    assert not OutboxMessage.objects.exists()  # nobody to tell: the code is the way to follow it
    report_services.report_answer(report=put(report, ReportStatus.ROUTED), actor=desk.officer, body=ANSWER)
    report_services.report_reply(report=report, actor=AnonymousUser(), body=MORE, code=filed.code)
    report.refresh_from_db()
    assert report.status == ReportStatus.FOLLOWED_UP


def test_signing_in_is_needed_unless_anonymous_and_staff_do_not_file(desk: Desk) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationError) as caught:
        desk.file(privacy="confidential", actor=AnonymousUser())
    assert caught.value.field == "privacy"
    with pytest.raises(PermissionDenied):
        desk.file(actor=desk.officer)


def test_reports_per_day_are_limited(desk: Desk, settings: Any) -> None:
    settings.REPORTS_PER_DAY = 1
    desk.report()
    with pytest.raises(RateLimited):
        desk.report()


def test_attachments_are_checked_like_documents(desk: Desk) -> None:
    picture = Upload(file=io.BytesIO(photo_bytes(fmt="PNG")), name="counter.png")
    report = desk.report(uploads=[picture])
    attachment = report.attachments.get()
    assert attachment.content_type == "image/png" and attachment.message is not None
    assert "counter" not in (attachment.file.name or "")  # a random name
    with pytest.raises(ValidationError) as caught:
        desk.report(uploads=[Upload(file=io.BytesIO(b"MZ\x90\x00 not a picture"), name="photo.jpg")])
    assert caught.value.field == "attachments"
    assert Report.objects.count() == 1


def test_a_case_link_is_only_to_ones_own_case(desk: Desk) -> None:
    from gerbang.applications.tests import factories as f

    world = f.make_world()
    case = f.submitted(world)
    with pytest.raises(ValidationError):
        desk.file(application=case)  # not the reporter's
    report = desk.report(actor=world.applicant, application=case, office=None)
    assert report.application == case and report.office == case.office


# --- Verification, tiers and timers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "due"),
    [
        (ReportTier.LIGHT, dt.date(2026, 12, 9)),
        (ReportTier.NORMATIVE, dt.date(2026, 12, 14)),
        (ReportTier.CROSS_UNIT, dt.date(2026, 12, 29)),  # over cuti bersama and Christmas
        (ReportTier.INVESTIGATION, dt.date(2027, 3, 3)),
    ],
)
def test_verification_sets_the_tier_and_its_due_date_in_working_days(
    desk: Desk, tier: str, due: dt.date
) -> None:
    report = desk.report()
    with time_machine.travel(MONDAY, tick=False):
        report = report_services.report_verify(report=report, actor=desk.officer, outcome="verify", tier=tier)
    assert report.status == ReportStatus.ROUTED and report.tier == tier and report.due == due


def test_a_light_report_verified_before_christmas_is_due_after_the_holidays(desk: Desk) -> None:
    wednesday = dt.datetime(2026, 12, 23, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(wednesday, tick=False):
        report = report_services.report_verify(
            report=desk.report(), actor=desk.officer, outcome="verify", tier=ReportTier.LIGHT
        )
    # 24 cuti bersama, 25 Christmas, 26-27 the weekend: Monday 28 and Tuesday 29.
    assert report.due == dt.date(2026, 12, 29)
    timer = report_selectors.timer(report, wednesday)
    assert timer.left == 2 and timer.overdue == 0
    late = report_selectors.timer(report, dt.datetime(2027, 1, 4, 2, 0, tzinfo=dt.UTC))
    assert late.left == 0 and late.overdue == 4  # Wed 30, Thu 31, Fri 1 (no holiday in this test), Mon 4


def test_the_default_tier_follows_the_kind(desk: Desk) -> None:
    info = report_services.report_verify(
        report=desk.report(kind="information"), actor=desk.officer, outcome="verify"
    )
    complaint = report_services.report_verify(report=desk.report(), actor=desk.officer, outcome="verify")
    assert info.tier == ReportTier.LIGHT and complaint.tier == ReportTier.NORMATIVE


def test_postponed_the_reporter_answers_and_it_waits_for_verification_again(desk: Desk) -> None:
    report = desk.report()
    report = report_services.report_verify(report=report, actor=desk.officer, outcome="postpone", note=MORE)
    assert report.status == ReportStatus.NEEDS_INFO and report.due is None
    with time_machine.travel(MONDAY, tick=False):
        report_services.report_reply(report=report, actor=desk.reporter, body="The counter was number 3.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.due == dt.date(2026, 12, 10)


def test_not_our_authority_refers_with_the_text_and_says_so(desk: Desk) -> None:
    report = report_services.report_verify(
        report=desk.report(), actor=desk.officer, outcome="refer", note="This is for the Dukcapil office."
    )
    assert report.status == ReportStatus.REFERRED and "Dukcapil" in report.referral
    with pytest.raises(ValidationError):
        report_services.report_verify(report=desk.report(), actor=desk.officer, outcome="refer", note="")


def test_every_step_writes_its_event_and_tells_the_reporter(desk: Desk, published: Any) -> None:
    changed = published(ReportChanged)
    report = desk.report()
    report = report_services.report_verify(report=report, actor=desk.officer, outcome="verify")
    report_services.report_answer(report=report, actor=desk.officer, body=ANSWER)
    report.refresh_from_db()
    report_services.report_reply(report=report, actor=desk.reporter, body=MORE)
    report.refresh_from_db()
    report_services.report_answer(report=report, actor=desk.officer, body=ANSWER + " Again.")
    report.refresh_from_db()
    report_services.report_confirm(report=report, actor=desk.reporter)
    codes = list(
        Event.objects.filter(subject_id=str(report.pk)).order_by("id").values_list("code", flat=True)
    )
    assert codes == [
        "report.submitted",
        "report.verified",
        "report.answered",
        "report.not_resolved",
        "report.answered",
        "report.closed",
    ]
    # The receipt and the office's steps are told to the reporter (not the reporter's own).
    told = list(
        OutboxMessage.objects.filter(kind="report.updated")
        .order_by("id")
        .values_list("context__code", flat=True)
    )
    assert told == ["report.submitted", "report.verified", "report.answered", "report.answered"]
    # Every step is told to the other apps, the reporter's own too (the message is not).
    assert [(e.code, e.tell) for e in changed][-2:] == [("report.answered", True), ("report.closed", False)]
    assert set(OutboxMessage.objects.values_list("recipient_id", flat=True)) == {desk.reporter.pk}
    deliver_all()
    assert any(ANSWER in m.body and m.to == [desk.reporter.email] for m in mail.outbox)


# --- Who sees what ----------------------------------------------------------------------------------


def test_office_staff_see_their_offices_reports_only_and_never_whistle_blowing(desk: Desk) -> None:
    mine = desk.report()
    elsewhere = desk.report(office=desk.other_office)
    about_staff = desk.report(about_staff=True)
    assert about_staff.office is None
    assert set(report_selectors.reports_for_staff(desk.officer)) == {mine}
    assert set(report_selectors.reports_for_staff(desk.other_officer)) == {elsewhere}
    assert set(report_selectors.reports_for_staff(desk.national)) == {mine, elsewhere, about_staff}
    with pytest.raises(PermissionDenied):
        report_services.report_verify(report=about_staff, actor=desk.supervisor, outcome="verify")
    with pytest.raises(ValidationError):
        report_services.report_route(report=about_staff, actor=desk.national, office=desk.office)


def test_a_confidential_reporter_is_named_only_to_the_national_unit(desk: Desk) -> None:
    report = desk.report(privacy="confidential")
    assert report_selectors.reporter_name(desk.officer, report) == "Confidential reporter"
    assert report_selectors.reporter_name(desk.supervisor, report) == "Confidential reporter"
    assert "Rahasia Wibowo" in str(report_selectors.reporter_name(desk.national, report))
    # The log of what happened does not name them either.
    assert not Event.objects.filter(actor_id=desk.reporter.pk).exists()
    open_report = desk.report()
    assert "Rahasia Wibowo" in report_selectors.reporter_name(desk.officer, open_report)


# --- The clock --------------------------------------------------------------------------------------


def test_overdue_reports_escalate_to_supervisors_then_the_national_unit_once_each(desk: Desk) -> None:
    with time_machine.travel(MONDAY, tick=False):
        report = desk.report(privacy="confidential")  # due Thursday 10 December
    thursday = MONDAY + dt.timedelta(days=3)
    assert tasks.escalate_overdue_reports.call_local() == 0
    with time_machine.travel(thursday, tick=False):
        assert report_services.escalate_overdue() == 0  # due today: not late yet
    friday = MONDAY + dt.timedelta(days=4)
    with time_machine.travel(friday, tick=False):
        assert report_services.escalate_overdue() == 1
        assert report_services.escalate_overdue() == 0  # idempotent
    report.refresh_from_db()
    assert report.escalation == 1 and report.escalated_ever
    assert OutboxMessage.objects.filter(kind="report.escalated", recipient=desk.supervisor).count() == 1
    # Two more working days (Mon 14, Tue 15) later, still overdue: the national unit.
    with time_machine.travel(MONDAY + dt.timedelta(days=8), tick=False):
        assert report_services.escalate_overdue() == 0
    with time_machine.travel(MONDAY + dt.timedelta(days=9), tick=False):
        assert report_services.escalate_overdue() == 1
        assert report_services.escalate_overdue() == 0
    report.refresh_from_db()
    assert report.escalation == 2
    assert OutboxMessage.objects.filter(kind="report.escalated", recipient=desk.national).count() == 1
    assert list(
        Event.objects.filter(code="report.escalated").order_by("id").values_list("details__level", flat=True)
    ) == [
        1,
        2,
    ]
    deliver_all()
    staff_mail = [m for m in mail.outbox if m.to != [desk.reporter.email]]
    assert staff_mail
    for email in staff_mail:
        text = str(email.body) + str(email.alternatives[0][0])  # type: ignore[attr-defined]
        assert "Rahasia" not in text and "rahasia.wibowo" not in text and "four hours" not in text


def test_a_national_report_escalates_straight_to_the_national_unit(desk: Desk) -> None:
    with time_machine.travel(MONDAY, tick=False):
        report = desk.report(office=None)
    with time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False):
        report_services.escalate_overdue()
    report.refresh_from_db()
    assert report.escalation == 2
    assert not OutboxMessage.objects.filter(kind="report.escalated", recipient=desk.supervisor).exists()


def test_an_answer_stops_the_clock_and_silence_closes_it_after_ten_working_days(desk: Desk) -> None:
    report = report_services.report_verify(report=desk.report(), actor=desk.officer, outcome="verify")
    with time_machine.travel(MONDAY, tick=False):
        report_services.report_answer(report=report, actor=desk.officer, body=ANSWER)
    # Ten working days after Monday 7: Monday 21 December; closed from the next day on.
    with time_machine.travel(dt.datetime(2026, 12, 21, 10, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.close_silent_reports.call_local() == 0
    with time_machine.travel(dt.datetime(2026, 12, 22, 2, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.close_silent_reports.call_local() == 1
        assert report_services.close_silent() == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert Event.objects.get(code="report.closed").details["by"] == "silence"


def test_a_confidential_reporter_is_told_of_the_offices_steps_not_their_own(desk: Desk) -> None:
    report = desk.report(privacy="confidential")
    assert report.privacy == ReportPrivacy.CONFIDENTIAL
    report_services.report_reply(report=report, actor=desk.reporter, body=MORE)
    report_services.report_verify(report=report, actor=desk.officer, outcome="verify")
    codes = list(OutboxMessage.objects.order_by("id").values_list("context__code", flat=True))
    assert codes == ["report.submitted", "report.verified"]


def test_counts_per_office_and_kind_open_overdue_and_all_for_who_may_see_them(desk: Desk) -> None:
    with time_machine.travel(MONDAY, tick=False):  # each due for verification on Thursday 10
        desk.report()
        desk.report()
        info = desk.report(kind="information")
        desk.report(office=desk.other_office)
        desk.report(about_staff=True, privacy="confidential", topic="conduct")
        report_services.report_verify(report=info, actor=desk.officer, outcome="archive")
    complaint, information = str(ReportKind.COMPLAINT.label), str(ReportKind.INFORMATION.label)
    national_unit = "National complaints unit"  # (in English: this module's fixture)

    def rows(user: Any, *, today: dt.date, since: dt.date | None = None) -> set[tuple[Any, ...]]:
        found = report_selectors.counts(user, since=since, today=today)
        return {(r.office, r.kind, r.open, r.overdue, r.total) for r in found}

    thursday, friday = dt.date(2026, 12, 10), dt.date(2026, 12, 11)
    assert rows(desk.national, today=thursday) == {
        ("Kantor Imigrasi Mesuji", complaint, 2, 0, 2),
        ("Kantor Imigrasi Mesuji", information, 0, 0, 1),
        ("Kantor Imigrasi Makassar", complaint, 1, 0, 1),
        (national_unit, complaint, 1, 0, 1),
    }
    assert rows(desk.national, today=friday) == {
        ("Kantor Imigrasi Mesuji", complaint, 2, 2, 2),
        ("Kantor Imigrasi Mesuji", information, 0, 0, 1),
        ("Kantor Imigrasi Makassar", complaint, 1, 1, 1),
        (national_unit, complaint, 1, 1, 1),
    }
    # An office's supervisor: their office only, never the report about staff.
    assert rows(desk.supervisor, today=friday) == {
        ("Kantor Imigrasi Mesuji", complaint, 2, 2, 2),
        ("Kantor Imigrasi Mesuji", information, 0, 0, 1),
    }
    assert rows(desk.national, today=friday, since=dt.date(2026, 12, 8)) == set()  # filed before
