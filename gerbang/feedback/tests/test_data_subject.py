"""Feedback's answer to the data-protection rights (UU PDP): questions and named reports exported
(with files, staff by role only), open ones blocking erasure, closed ones kept for their
retention period and then stripped of their texts and files."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa
from gerbang.applications.tests.factories import photo_bytes
from gerbang.core import data_subjects
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.feedback import data_subject, report_services, services
from gerbang.feedback.models import Consultation, Report, ReportAttachment, ReportMessage
from gerbang.feedback.report_services import Upload
from gerbang.feedback.tests.conftest import MONDAY, Desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def ask(desk: Desk, person: Any, subject: str, body: str) -> Consultation:
    return services.consultation_open(
        asker=person, office=desk.office, topic="requirements", subject=subject, body=body, now=MONDAY
    )


@pytest.fixture
def other(desk: Desk) -> Any:
    return UserFactory.create(full_name="Agus Setiawan", email="agus.setiawan@example.test")


@pytest.fixture
def threads(desk: Desk, other: Any) -> dict[str, Any]:
    """Each person has a question and a report with a picture, answered by the office."""
    made: dict[str, Any] = {}
    for who, person in (("siti", desk.reporter), ("agus", other)):
        question = ask(desk, person, f"Passport of {who}", f"My passport number is B{who}12345, is it valid?")
        services.consultation_answer(
            consultation=question, body="Yes, it is valid until next year.", actor=desk.officer, now=MONDAY
        )
        report = desk.report(
            actor=person,
            subject=f"Waited long, {who}",
            body=f"Queue number {who} waited four hours.",
            privacy="confidential" if who == "siti" else "open",
            uploads=[Upload(file=io.BytesIO(photo_bytes(fmt="PNG")), name=f"{who}.png")],
            now=MONDAY,
        )
        report_services.report_verify(report=report, actor=desk.officer, outcome="verify", now=MONDAY)
        report_services.report_answer(
            report=report, actor=desk.officer, body="We added a counter on Mondays.", now=MONDAY
        )
        made[who] = (question, report)
    return made


def close_all(desk: Desk, person: Any, made: tuple[Consultation, Report]) -> None:
    question, report = made
    services.consultation_close(consultation=question, actor=person, now=MONDAY)
    report_services.report_confirm(report=report, actor=person, now=MONDAY)


def test_the_export_holds_the_person_s_threads_and_files_and_no_one_else_s(
    desk: Desk, threads: dict[str, Any]
) -> None:
    sections = {s.key: s for s in data_subject.export(desk.reporter)}
    text = json.dumps([s.rows for s in sections.values()])
    for mine in ("Passport of siti", "Bsiti12345", "Waited long, siti", "Queue number siti", "siti.png"):
        assert mine in text
    for theirs in ("agus", "Agus", "agus.setiawan@example.test"):
        assert theirs not in text
    # The office's answers are there, by office and role, never by the writer's name.
    assert "Yes, it is valid until next year." in text and "We added a counter on Mondays." in text
    assert "Petugas Satu" not in text and "petugas@example.test" not in text
    assert '"writer_role": "Officer"' in text
    # A confidential report is its reporter's own: exported, with its picture.
    report = sections["reports"].rows[0]
    assert report["privacy"] == "confidential"
    files = sections["reports"].files
    assert [f.name for f in files] == [report["attachments"][0]["file"]]
    with files[0].open() as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"


def test_open_threads_block_erasure_and_say_where_to_end_them(desk: Desk, threads: dict[str, Any]) -> None:
    question, report = threads["siti"]
    blockers = data_subject.blockers(desk.reporter)
    assert [b.url for b in blockers] == [f"/consultations/{question.pk}/", f"/lapor/{report.pk}/"]
    assert question.reference in str(blockers[0].text) and report.reference in str(blockers[1].text)
    outcomes = {o.key: o for o in data_subject.erase(desk.reporter, MONDAY, True)}
    assert outcomes["feedback.reports"].kept == 1 and outcomes["feedback.reports"].kept_until is None
    close_all(desk, desk.reporter, threads["siti"])
    assert data_subject.blockers(desk.reporter) == []


def test_closed_threads_are_kept_for_their_period(desk: Desk, threads: dict[str, Any]) -> None:
    close_all(desk, desk.reporter, threads["siti"])
    events = Event.objects.count()
    a_year_later = MONDAY + dt.timedelta(days=365)
    for dry_run in (True, False):
        outcomes = {o.key: o for o in data_subject.erase(desk.reporter, a_year_later, dry_run)}
        for key in ("feedback.consultations", "feedback.reports"):
            assert (outcomes[key].kept, outcomes[key].erased) == (1, 0)
            # Closed on Monday 7 December 2026, kept five years.
            assert outcomes[key].kept_until == dt.date(2031, 12, 7)
            assert outcomes[key].reason
    assert Event.objects.count() == events
    question, report = threads["siti"]
    assert Consultation.objects.get(pk=question.pk).subject == "Passport of siti"
    assert Report.objects.get(pk=report.pk).reporter_id == desk.reporter.pk


def test_after_the_period_the_texts_and_files_go(
    desk: Desk, threads: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    close_all(desk, desk.reporter, threads["siti"])
    question, report = threads["siti"]
    later = MONDAY + dt.timedelta(days=365 * 5 + 2)
    planned = {o.key: o for o in data_subject.erase(desk.reporter, later, True)}
    assert planned["feedback.reports"].erased == 1
    assert Report.objects.get(pk=report.pk).subject == "Waited long, siti"
    stored = ReportAttachment.objects.get(report=report).file
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {o.key: o for o in data_subject.erase(desk.reporter, later, False)}
    assert outcomes["feedback.consultations"].erased == outcomes["feedback.reports"].erased == 1
    assert outcomes["feedback.reports"].kept == 0
    fresh = Consultation.objects.get(pk=question.pk)
    assert fresh.subject == "" and set(fresh.messages.values_list("body", flat=True)) == {""}
    gone = Report.objects.get(pk=report.pk)
    assert (gone.subject, gone.reporter_id, gone.referral) == ("", None, "")
    assert not ReportAttachment.objects.filter(report=report).exists()
    assert not stored.storage.exists(str(stored.name))
    assert not ReportMessage.objects.filter(report=report, author=desk.reporter).exists()
    # The other person's threads are untouched.
    other_question, other_report = threads["agus"]
    assert Consultation.objects.get(pk=other_question.pk).subject == "Passport of agus"
    assert ReportAttachment.objects.filter(report=other_report).exists()
    assert Event.objects.filter(code="report.texts_erased", subject_id=str(report.pk)).exists()


def test_the_sweep_takes_only_threads_past_their_period(
    desk: Desk, threads: dict[str, Any], other: Any
) -> None:
    close_all(desk, desk.reporter, threads["siti"])
    late = MONDAY + dt.timedelta(days=200)
    services.consultation_close(consultation=threads["agus"][0], actor=other, now=late)
    report_services.report_confirm(report=threads["agus"][1], actor=other, now=late)
    sweep_at = MONDAY + dt.timedelta(days=365 * 5 + 2)
    assert [o.erased for o in data_subject.expire(sweep_at, True)] == [1, 1]
    assert [o.erased for o in data_subject.expire(sweep_at, False)] == [1, 1]
    assert Consultation.objects.get(pk=threads["agus"][0].pk).subject == "Passport of agus"
    assert Report.objects.get(pk=threads["agus"][1].pk).reporter_id == other.pk
    # Done once: the next sweep finds nothing more until the other threads' period ends.
    assert [o.erased for o in data_subject.expire(sweep_at, False)] == [0, 0]
    # Five years after 25 June 2027 (two leap days in between) is 1827 days: not a day earlier.
    assert [o.erased for o in data_subject.expire(late + dt.timedelta(days=365 * 5 + 1), False)] == [0, 0]
    assert [o.erased for o in data_subject.expire(late + dt.timedelta(days=365 * 5 + 3), False)] == [1, 1]


def test_an_erased_person_s_thread_still_opens_for_staff(desk: Desk, threads: dict[str, Any]) -> None:
    from django.urls import reverse

    from gerbang.accounts import services as accounts

    close_all(desk, desk.reporter, threads["siti"])
    accounts.account_erase(user=desk.reporter, actor=WORKER)
    question, report = threads["siti"]
    staff = Client()
    sign_in_with_2fa(staff, desk.officer)
    page = staff.get(reverse("backoffice:consultation", args=[question.pk]))
    assert page.status_code == 200 and b"Passport of siti" in page.content
    national = Client()
    sign_in_with_2fa(national, desk.national)
    assert national.get(reverse("backoffice:report", args=[report.pk])).status_code == 200


def test_owners_of_threads(desk: Desk, threads: dict[str, Any], other: Any) -> None:
    question, report = threads["siti"]
    anonymous = desk.report(privacy="anonymous", actor=None, client="10.0.0.1")
    assert data_subjects.owners_of("feedback.consultation", [str(question.pk), str(2**63), "x"]) == {
        str(question.pk): desk.reporter.pk
    }
    owners = data_subjects.owners_of(
        "feedback.report", [str(report.pk), str(threads["agus"][1].pk), str(anonymous.pk), str(2**64)]
    )
    assert owners == {str(report.pk): desk.reporter.pk, str(threads["agus"][1].pk): other.pk}
