"""Report pages: filing anonymously (the code shown once, followed on the public page, guessing
limited), signed in and confidential; the staff queue, verification, answer and close; counts
and the CSV; and the office never seeing a confidential reporter, or a report about staff."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gerbang.applications.tests.factories import photo_bytes
from gerbang.core.formatting import day
from gerbang.core.models import Event
from gerbang.feedback import report_services, threads
from gerbang.feedback.models import Report, ReportStatus
from gerbang.feedback.report_selectors import timeline
from gerbang.feedback.tests.conftest import Desk

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Rahasia Wibowo", "rahasia.wibowo@example.test"
FORM = {
    "kind": "complaint",
    "topic": "conduct",
    "office": "mesuji",
    "subject": "Rude treatment at counter 3",
    "body": "On Monday the officer at counter 3 shouted at an elderly applicant.",
    "privacy": "anonymous",
}


def english(user: Any = None, staff_client: Any = None) -> Client:
    client = staff_client(user) if staff_client and user else Client()
    if user is not None and staff_client is None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_an_anonymous_report_gives_its_code_once_and_opens_with_it(client: Client, desk: Desk) -> None:
    page = client.get(reverse("feedback:report_new"))
    assert page.status_code == 200 and b"follow it with a secret code" in page.content
    sent = client.post(reverse("feedback:report_new"), FORM)
    assert sent.status_code == 302 and sent["Location"] == reverse("feedback:report_filed")
    shown = client.get(reverse("feedback:report_filed"))
    code = shown.context["code"]
    report = Report.objects.get()
    assert report.reporter is None and code.encode() in shown.content
    assert client.get(reverse("feedback:report_filed")).status_code == 302  # shown only once
    # A new browser: the code opens it.
    other = Client()
    other.cookies["django_language"] = "en"
    wrong = other.post(reverse("feedback:report_follow"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400 and b"No report has this code" in wrong.content
    opened = other.post(reverse("feedback:report_follow"), {"code": code.lower()}, follow=True)
    assert opened.status_code == 200 and report.reference.encode() in opened.content
    assert b"Waiting for verification" in opened.content and b"working days left" in opened.content
    # The reporter adds to it from there.
    added = other.post(
        reverse("feedback:report_followed"),
        {"body": "The officer's name tag said B. I have a photo.", "seen": report.messages.get().pk},
    )
    assert added.status_code == 302
    assert report.messages.count() == 2


def test_guessing_codes_is_limited(client: Client, desk: Desk) -> None:
    for _attempt in range(10):
        assert (
            client.post(reverse("feedback:report_follow"), {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 400
        )
    refused = client.post(reverse("feedback:report_follow"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert refused.status_code == 429 and b"Too many codes" in refused.content


def test_bad_input_says_what_to_fix_keeps_the_text_and_asks_for_the_files_again(
    client: Client, desk: Desk
) -> None:
    picture = SimpleUploadedFile("p.png", photo_bytes(fmt="PNG"), content_type="image/png")
    refused = client.post(reverse("feedback:report_new"), {**FORM, "subject": "", "attachments": picture})
    assert refused.status_code == 400
    assert b"Write a short subject for your report" in refused.content
    assert b"shouted at an elderly applicant" in refused.content
    assert b"choose them again" in refused.content
    assert not Report.objects.exists()


def test_a_bad_attachment_is_refused_with_what_to_do(client: Client, desk: Desk) -> None:
    bad = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    refused = client.post(reverse("feedback:report_new"), {**FORM, "attachments": bad})
    assert refused.status_code == 400 and b"Rude treatment at counter 3" in refused.content
    assert b"is not a PDF, JPEG or PNG (whatever its name says)" in refused.content
    assert b"choose them again" in refused.content
    assert not Report.objects.exists()


def test_signed_in_reporter_files_confidentially_and_follows_it(desk: Desk) -> None:
    client = english(desk.reporter)
    picture = SimpleUploadedFile("counter.png", photo_bytes(fmt="PNG"), content_type="image/png")
    sent = client.post(
        reverse("feedback:report_new"), {**FORM, "privacy": "confidential", "attachments": picture}
    )
    assert sent.status_code == 302, sent.content.decode()[-3000:]
    report = Report.objects.get()
    assert sent["Location"] == reverse("feedback:report", args=[report.pk])
    assert report.reporter == desk.reporter and report.attachments.count() == 1
    listed = client.get(reverse("feedback:reports"))
    assert report.reference.encode() in listed.content
    page = client.get(reverse("feedback:report", args=[report.pk]))
    assert page.status_code == 200 and b"Report received" in page.content
    file = report.attachments.get()
    assert client.get(reverse("feedback:report_file", args=[report.pk, file.pk])).status_code == 200
    assert Client().get(reverse("feedback:report", args=[report.pk])).status_code == 302  # sign in first


def _confidential(desk: Desk) -> Report:
    return desk.report(
        privacy="confidential",
        topic="conduct",
        subject="Counter 3",
        body="The officer at counter 3 shouted at me.",
    )


def test_the_office_never_sees_a_confidential_reporter(desk: Desk, staff_client: Any) -> None:
    report = _confidential(desk)
    for person in (desk.officer, desk.supervisor):
        client = english(person, staff_client)
        for url in (
            reverse("backoffice:reports"),
            reverse("backoffice:reports") + "?status=all",
            reverse("backoffice:report", args=[report.pk]),
        ):
            page = client.get(url)
            assert page.status_code == 200
            assert NAME.encode() not in page.content and EMAIL.encode() not in page.content
        assert b"Confidential reporter" in client.get(reverse("backoffice:report", args=[report.pk])).content
    national = english(desk.national, staff_client)
    assert NAME.encode() in national.get(reverse("backoffice:report", args=[report.pk])).content
    # The audit of staff reads names the reader, never the reporter.
    for event in Event.objects.filter(code="report.viewed"):
        assert event.actor_id != desk.reporter.pk and NAME not in str(event.details)


def test_the_csv_export_has_the_coordinators_columns_and_no_identity(desk: Desk, staff_client: Any) -> None:
    report = _confidential(desk)
    desk.report()  # an open one: the reporter's name is still not exported
    client = english(desk.supervisor, staff_client)
    today = threads.today_at(report.office, report.created_at)  # the office's date, as the export counts
    answer = client.get(
        reverse("backoffice:report_export"), {"since": today.isoformat(), "until": today.isoformat()}
    )
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    raw = answer.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert NAME not in text and EMAIL not in text and "shouted" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["tracking_id", "date_received", "channel"] and rows[0][-1] == "escalated"
    assert {row[0] for row in rows[1:]} == {r.reference for r in Report.objects.all()}
    header = rows[0]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    confidential = by_reference[report.reference]
    assert confidential["office_unit"] == "mesuji" and confidential["escalated"] == "no"
    assert confidential["category"] == "conduct" and confidential["about_staff"] == "no"
    counts = client.get(reverse("backoffice:report_counts"))
    assert counts.status_code == 200 and b"Kantor Imigrasi Mesuji" in counts.content
    assert english(desk.officer, staff_client).get(reverse("backoffice:report_counts")).status_code == 403


def test_whistle_blowing_about_staff_is_not_shown_to_the_office(desk: Desk, staff_client: Any) -> None:
    report = desk.report(about_staff=True, privacy="confidential")
    for person in (desk.officer, desk.supervisor):
        client = english(person, staff_client)
        assert client.get(reverse("backoffice:report", args=[report.pk])).status_code == 404
        assert (
            report.reference.encode() not in client.get(reverse("backoffice:reports") + "?status=all").content
        )
        today = threads.today_at(report.office, report.created_at).isoformat()  # the office's date
        export = client.get(reverse("backoffice:report_export"), {"since": today, "until": today})
        assert report.reference.encode() not in export.content
    national = english(desk.national, staff_client)
    assert report.reference.encode() in national.get(reverse("backoffice:reports")).content


def test_staff_verify_answer_and_the_reporter_confirms(desk: Desk, staff_client: Any) -> None:
    report = desk.report()
    officer = english(desk.officer, staff_client)
    page = officer.get(reverse("backoffice:report", args=[report.pk]))
    assert b"Record the verification" in page.content and NAME.encode() in page.content  # an open report
    refused = officer.post(
        reverse("backoffice:report_verify", args=[report.pk]), {"outcome": "refer", "note": ""}
    )
    assert refused.status_code == 400 and b"where to go instead" in refused.content
    done = officer.post(
        reverse("backoffice:report_verify", args=[report.pk]),
        {"outcome": "verify", "tier": "light", "route_to": ""},
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ROUTED and report.tier == "light"
    # The tier and the date the answer is due, shown to both sides.
    with translation.override("en"):
        due = day(report.due).encode()
    reporters = english(desk.reporter).get(reverse("feedback:report", args=[report.pk]))
    offices = officer.get(reverse("backoffice:report", args=[report.pk]))
    for side in (reporters, offices):
        assert b"Light (2 working days)" in side.content and due in side.content
    assert b"Next step due by" in reporters.content
    seen = report.messages.last().pk  # type: ignore[union-attr]
    answered = officer.post(
        reverse("backoffice:report", args=[report.pk]),
        {"body": "We spoke with the officer and changed the roster.", "seen": seen},
    )
    assert answered.status_code == 302
    reporter = english(desk.reporter)
    page = reporter.get(reverse("feedback:report", args=[report.pk]))
    assert b"changed the roster" in page.content and b"Resolved: close my report" in page.content
    reporter.post(reverse("feedback:report_confirm", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED


def test_the_queue_marks_overdue_and_filters(desk: Desk, staff_client: Any) -> None:
    import datetime as dt

    import time_machine

    from gerbang.feedback.tests.conftest import MONDAY

    with time_machine.travel(MONDAY, tick=False):
        late = desk.report(subject="Late one")
        desk.report(kind="information", subject="Info one")
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        client = english(desk.officer, staff_client)
        page = client.get(reverse("backoffice:reports"))
        assert b'class="overdue"' in page.content and late.reference.encode() in page.content
        assert b"working days overdue" in page.content
        info = client.get(reverse("backoffice:reports"), {"kind": "information"})
        assert b"Info one" in info.content and b"Late one" not in info.content
        brokers = client.get(reverse("backoffice:reports"), {"topic": "brokers"})
        assert b"Info one" not in brokers.content and b"Late one" not in brokers.content
        service = client.get(reverse("backoffice:reports"), {"topic": "service"})
        assert b"Info one" in service.content and b"Late one" in service.content


def test_staff_home_shows_the_reports_owed(desk: Desk, staff_client: Any) -> None:
    desk.report()
    page = english(desk.officer, staff_client).get(reverse("backoffice:dashboard"))
    assert b"1 report the office owes a step on" in page.content


def _about_a_case(privacy: str, staff_client: Any) -> tuple[Any, Any]:
    """A report about the reporter's own case, and the case's officer's view of it."""
    from gerbang.applications.tests import factories as f

    world = f.make_world()
    case = f.submitted(world)
    report = report_services.report_submit(
        kind="complaint",
        topic="service",
        office=None,
        application=case,
        subject="My passport is late",
        body="My passport application is past its standard.",
        privacy=privacy,
        actor=world.applicant,
    ).report
    page = english(world.officer, staff_client).get(reverse("backoffice:report", args=[report.pk]))
    assert page.status_code == 200
    return case, page


def test_a_case_link_is_shown_to_staff_who_may_see_the_case(desk: Desk, staff_client: Any) -> None:
    case, page = _about_a_case("open", staff_client)
    assert reverse("backoffice:case_detail", args=[case.pk]).encode() in page.content


def test_a_confidential_reporters_case_is_not_shown_to_the_office(desk: Desk, staff_client: Any) -> None:
    case, page = _about_a_case("confidential", staff_client)
    assert (case.number or "").encode() not in page.content
    assert case.applicant.full_name.encode() not in page.content


def test_attachments_open_for_the_reporter_by_code_and_the_office_only(desk: Desk, staff_client: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    picture = report_services.Upload(file=io.BytesIO(photo_bytes(fmt="PNG")), name="entrance.png")
    filed = desk.file(privacy="anonymous", actor=AnonymousUser(), uploads=[picture])
    file = filed.report.attachments.get()
    officer = english(desk.officer, staff_client)
    shown = officer.get(reverse("backoffice:report_file", args=[filed.report.pk, file.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Cache-Control"] == "private, no-store"
    # The staff read of the file is logged (as a document's is), and is no step of the report.
    read = Event.objects.get(code="report.attachment_viewed")
    assert read.actor == desk.officer and read.details == {"attachment": file.pk}
    with translation.override("en"):
        steps = " ".join(str(step["text"]) for step in timeline(filed.report))
    assert "Report received" in steps and "opened by staff" not in steps
    other = english(desk.other_officer, staff_client)
    assert other.get(reverse("backoffice:report_file", args=[filed.report.pk, file.pk])).status_code == 404
    assert officer.get(reverse("backoffice:report_file", args=[filed.report.pk, 2**63])).status_code == 404
    assert Event.objects.filter(code="report.attachment_viewed").count() == 1
    browser = Client()
    assert browser.get(reverse("feedback:report_followed_file", args=[file.pk])).status_code == 404
    browser.post(reverse("feedback:report_follow"), {"code": filed.code})
    assert browser.get(reverse("feedback:report_followed_file", args=[file.pk])).status_code == 200


def test_a_complaint_about_ones_case_from_its_page(desk: Desk) -> None:
    from gerbang.applications.tests import factories as f

    world = f.make_world()
    case = f.submitted(world)
    client = english(world.applicant)
    case_page = client.get(reverse("applications:detail", args=[case.pk]))
    link = f"{reverse('feedback:report_new')}?application={case.pk}"
    assert link.encode() in case_page.content
    form = client.get(link)
    assert form.context["form"].initial["application"] == case.pk
    sent = client.post(
        reverse("feedback:report_new"),
        {**FORM, "office": "", "application": case.pk, "privacy": "open"},
    )
    assert sent.status_code == 302
    report = Report.objects.get()
    assert report.application == case and report.office == case.office
    office_page = client.get(reverse("catalog:office_detail", args=[case.office.code]))
    assert f"{reverse('feedback:report_new')}?office={case.office.code}".encode() in office_page.content
