"""The consultation pages of the asker and of the office, and the API: the same rules, the input
kept on every error."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa, staff
from gerbang.applications.tests import factories as f
from gerbang.applications.tests.factories import photo_bytes
from gerbang.core.models import Event
from gerbang.feedback import drafts, services, threads
from gerbang.feedback.models import Consultation, ConsultationStatus
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def browser(user: object) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if getattr(user, "is_staff_role", False):
        sign_in_with_2fa(client, user)  # type: ignore[arg-type]
    else:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def ask(world: f.World, **overrides: object) -> Consultation:
    values: dict[str, object] = {
        "asker": world.applicant,
        "office": world.office,
        "topic": "payment",
        "subject": "Paying at the post office",
        "body": "Can I pay the billing code at a post office counter?",
        **overrides,
    }
    return services.consultation_open(**values)  # type: ignore[arg-type]


class TestAskerPages:
    def test_ask_about_an_application_from_its_page(self, world: f.World) -> None:
        case = f.submitted(world)
        client = browser(world.applicant)
        page = client.get(reverse("applications:detail", args=[case.pk]))
        link = f"{reverse('feedback:ask')}?application={case.pk}"
        assert link in page.content.decode()
        form = client.get(link)
        assert f'<option value="{case.pk}" selected>' in form.content.decode()
        response = client.post(
            link,
            {
                "application": case.pk,
                "topic": "application",
                "subject": "Photo",
                "body": "May I wear glasses in the photo?",
            },
        )
        consultation = Consultation.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "feedback:detail", args=[consultation.pk]
        )
        assert consultation.application == case and consultation.office == case.office
        thread = client.get(response["Location"]).content.decode()
        assert "May I wear glasses in the photo?" in thread and consultation.reference in thread
        assert "Waiting for the office" in thread
        assert (
            consultation.reference
            in client.get(reverse("applications:detail", args=[case.pk])).content.decode()
        )

    def test_a_handed_over_draft_is_read_from_this_session_only_and_dropped_once_sent(
        self, world: f.World
    ) -> None:
        client = browser(world.applicant)
        session = client.session
        key = drafts.draft_keep(session, "Can my cat travel with me?")
        session.save()
        url = drafts.draft_url(key)
        assert url == f"/consultations/new/?draft={key}"  # a key, never the text
        body = client.get(url).content.decode()
        assert "\nCan my cat travel with me?</textarea>" in body
        # Another browser (someone else's session) has no such draft: an empty form.
        stranger = browser(UserFactory.create())
        assert "my cat" not in stranger.get(url).content.decode()
        response = client.post(
            url,
            {
                "office": world.office.code,
                "topic": "other",
                "subject": "Can my cat travel with me?",
                "body": "Can my cat travel with me?",
            },
        )
        assert response.status_code == 302
        assert drafts.draft_read(client.session, key) == ""

    def test_only_the_latest_drafts_are_kept(self, world: f.World) -> None:
        client = browser(world.applicant)
        session = client.session
        keys = [drafts.draft_keep(session, f"question {n}") for n in range(drafts.KEEP + 2)]
        assert drafts.draft_read(session, keys[0]) == ""
        assert drafts.draft_read(session, keys[-1]) == f"question {drafts.KEEP + 1}"

    def test_bad_input_keeps_what_was_typed(self, world: f.World) -> None:
        client = browser(world.applicant)
        response = client.post(
            reverse("feedback:ask"),
            {"topic": "other", "subject": "Hi", "body": "A long enough question text."},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Choose the office to ask, or one of your applications." in body
        assert "A long enough question text." in body
        response = client.post(
            reverse("feedback:ask"),
            {"office": world.office.code, "topic": "other", "subject": "Hi", "body": "short"},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "at least 3 characters (it has 2)" in body and "at least 10 characters (it has 5)" in body
        assert 'value="Hi"' in body and ">\nshort</textarea>" in body
        assert not Consultation.objects.exists()

    def test_an_empty_message_says_what_to_write(self, world: f.World) -> None:
        consultation = ask(world)
        client = browser(world.applicant)
        url = reverse("feedback:detail", args=[consultation.pk])
        # The answer opens at the form (a long thread above it), where the message is.
        assert 'action="#reply" id="reply"' in client.get(url).content.decode()
        for empty in ("", "   \n  "):
            page = client.post(url, {"body": empty}).content.decode()
            assert "The message is empty: write what you want to ask or answer" in page
            assert "This field is required." not in page
        page = client.post(
            reverse("feedback:ask"), {"office": world.office.code, "topic": "other"}
        ).content.decode()
        assert "This field is required." not in page
        assert "Write a short subject for your question" in page and "The message is empty" in page

    def test_someone_elses_application_cannot_be_chosen(self, world: f.World) -> None:
        case = f.submitted(world)
        stranger = UserFactory.create()
        response = browser(stranger).post(
            reverse("feedback:ask"),
            {
                "application": case.pk,
                "topic": "application",
                "subject": "Hello",
                "body": "Whose case is this one?",
            },
        )
        assert response.status_code == 400 and not Consultation.objects.exists()

    def test_thread_follow_up_and_close(self, world: f.World) -> None:
        consultation = ask(world)
        services.consultation_answer(
            consultation=consultation, body="Yes, at any post office.", actor=world.officer
        )
        client = browser(world.applicant)
        url = reverse("feedback:detail", args=[consultation.pk])
        page = client.get(url).content.decode()
        assert "Yes, at any post office." in page and "Still unclear? Write back" in page
        latest = consultation.messages.order_by("-id")[0]
        assert f'name="seen" value="{latest.pk}"' in page
        response = client.post(url, {"body": "Does the post office charge a fee?", "seen": latest.pk})
        assert response.status_code == 302
        consultation.refresh_from_db()
        assert consultation.status == ConsultationStatus.WAITING
        client.post(reverse("feedback:close", args=[consultation.pk]))
        consultation.refresh_from_db()
        assert consultation.status == ConsultationStatus.CLOSED
        page = client.get(url).content.decode()
        assert "This question is closed." in page and 'name="body"' not in page

    def test_a_message_that_arrived_meanwhile_is_shown_and_the_text_kept(self, world: f.World) -> None:
        consultation = ask(world)
        seen = consultation.messages.get().pk
        services.consultation_answer(
            consultation=consultation, body="The officer's answer.", actor=world.officer
        )
        response = browser(world.applicant).post(
            reverse("feedback:detail", args=[consultation.pk]),
            {"body": "My extra detail here.", "seen": seen},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "A new message arrived while you were writing." in body
        assert "My extra detail here." in body and "The officer&#x27;s answer." in body
        assert consultation.messages.count() == 2

    def test_others_cannot_see_a_question(self, world: f.World) -> None:
        consultation = ask(world)
        client = browser(UserFactory.create())
        assert client.get(reverse("feedback:detail", args=[consultation.pk])).status_code == 404
        assert client.post(reverse("feedback:close", args=[consultation.pk])).status_code == 404
        assert Client().get(reverse("feedback:list")).status_code == 302  # sign in first

    def test_list(self, world: f.World) -> None:
        ask(world)
        page = browser(world.applicant).get(reverse("feedback:list")).content.decode()
        assert "Paying at the post office" in page and "Answer expected by" in page


class TestOfficePages:
    def test_officer_answers_and_the_read_is_logged(self, world: f.World) -> None:
        consultation = ask(world)
        ask(world, office=world.other_office, subject="Elsewhere")
        client = browser(world.officer)
        listing = client.get(reverse("backoffice:consultations")).content.decode()
        assert "Paying at the post office" in listing and "Elsewhere" not in listing
        dashboard = client.get(reverse("backoffice:dashboard")).content.decode()
        assert "1 question waiting for an answer" in dashboard
        url = reverse("backoffice:consultation", args=[consultation.pk])
        page = client.get(url).content.decode()
        assert "Can I pay the billing code at a post office counter?" in page
        assert Event.objects.filter(code="consultation.viewed", actor=world.officer).exists()
        response = client.post(url, {"body": "No", "seen": consultation.messages.get().pk})
        assert response.status_code == 400 and "at least 10 characters" in response.content.decode()
        response = client.post(
            url, {"body": "Yes, at any post office.", "seen": consultation.messages.get().pk}
        )
        assert response.status_code == 302
        assert OutboxMessage.objects.filter(kind="consultation.answered", recipient=world.applicant).exists()
        response = client.post(reverse("backoffice:consultation_close", args=[consultation.pk]))
        consultation.refresh_from_db()
        assert consultation.status == ConsultationStatus.CLOSED

    def test_other_offices_and_auditors(self, world: f.World) -> None:
        consultation = ask(world)
        elsewhere = browser(staff(Role.OFFICER, [world.other_office]))
        assert elsewhere.get(reverse("backoffice:consultation", args=[consultation.pk])).status_code == 404
        auditor = browser(staff(Role.AUDITOR))
        page = auditor.get(reverse("backoffice:consultation", args=[consultation.pk])).content.decode()
        assert "Can I pay" in page and 'name="body"' not in page  # may read, may not answer
        response = auditor.post(
            reverse("backoffice:consultation", args=[consultation.pk]), {"body": "An auditor's answer."}
        )
        assert response.status_code == 400 and consultation.messages.count() == 1

    def test_filters(self, world: f.World) -> None:
        waiting = ask(world, subject="Still waiting")
        answered = ask(world, subject="Already answered")
        services.consultation_answer(consultation=answered, body="This one is answered.", actor=world.officer)
        client = browser(world.supervisor)
        default = client.get(reverse("backoffice:consultations")).content.decode()
        assert waiting.reference in default and answered.reference not in default
        everything = client.get(reverse("backoffice:consultations"), {"status": "all"}).content.decode()
        assert waiting.reference in everything and answered.reference in everything


class TestApi:
    def test_ask_read_follow_up_and_close(self, world: f.World) -> None:
        case = f.submitted(world)
        client = browser(world.applicant)
        response = client.post(
            "/api/v1/consultations",
            json.dumps(
                {
                    "application": case.pk,
                    "topic": "application",
                    "subject": "Pickup",
                    "body": "Can my brother collect it?",
                }
            ),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["office"] == world.office.code and data["application"] == case.number
        assert data["status"] == "waiting" and len(data["messages"]) == 1
        pk = data["id"]
        services.consultation_answer(
            consultation=Consultation.objects.get(pk=pk),
            body="Yes, with a power of attorney.",
            actor=world.officer,
        )
        detail = client.get(f"/api/v1/consultations/{pk}").json()
        assert detail["status"] == "answered" and detail["messages"][-1]["from_office"] is True
        stale = client.post(
            f"/api/v1/consultations/{pk}/messages",
            json.dumps({"body": "Written before reading the answer.", "seen": detail["messages"][0]["id"]}),
            content_type="application/json",
        )
        assert stale.status_code == 409 and stale.json()["code"] == "new_message"
        ok = client.post(
            f"/api/v1/consultations/{pk}/messages",
            json.dumps(
                {"body": "Which form is the power of attorney?", "seen": detail["messages"][-1]["id"]}
            ),
            content_type="application/json",
        )
        assert ok.status_code == 201 and ok.json()["status"] == "waiting"
        assert client.post(f"/api/v1/consultations/{pk}/close").json()["status"] == "closed"
        assert [c["id"] for c in client.get("/api/v1/consultations").json()] == [pk]

    def test_bad_input_names_the_field(self, world: f.World) -> None:
        client = browser(world.applicant)
        bad_office = client.post(
            "/api/v1/consultations",
            json.dumps(
                {"office": "nowhere", "topic": "other", "subject": "Hello", "body": "A question text here."}
            ),
            content_type="application/json",
        )
        assert bad_office.status_code == 400 and bad_office.json()["field"] == "office"
        short = client.post(
            "/api/v1/consultations",
            json.dumps({"office": world.office.code, "topic": "other", "subject": "Hello", "body": "short"}),
            content_type="application/json",
        )
        assert short.status_code == 400 and short.json()["field"] == "body"
        assert Client().get("/api/v1/consultations").status_code == 401
        other = ask(world)
        assert browser(UserFactory.create()).get(f"/api/v1/consultations/{other.pk}").status_code == 404


def _png(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(fmt="PNG"), content_type="image/png")


def _picture(name: str = "receipt.png") -> threads.Upload:
    return threads.Upload(file=io.BytesIO(photo_bytes(fmt="PNG")), name=name)


class TestAttachments:
    ASK = {
        "topic": "payment",
        "subject": "Paid twice",
        "body": "The bank took the fee twice, receipt attached.",
    }

    def test_the_asker_attaches_files_when_asking_and_replying_and_opens_them(self, world: f.World) -> None:
        client = browser(world.applicant)
        sent = client.post(
            reverse("feedback:ask"), {**self.ASK, "office": world.office.code, "attachments": _png()}
        )
        assert sent.status_code == 302
        consultation = Consultation.objects.get()
        first = consultation.attachments.get()
        url = reverse("feedback:file", args=[consultation.pk, first.pk])
        page = client.get(reverse("feedback:detail", args=[consultation.pk])).content.decode()
        assert 'enctype="multipart/form-data"' in page and url in page and "receipt.png" in page
        opened = client.get(url)
        assert opened.status_code == 200 and opened["Content-Type"] == "image/png"
        assert opened["Cache-Control"] == "private, no-store"
        replied = client.post(
            reverse("feedback:detail", args=[consultation.pk]),
            {
                "body": "And the second receipt.",
                "seen": consultation.messages.get().pk,
                "attachments": _png("two.png"),
            },
        )
        assert replied.status_code == 302
        assert [a.name for a in consultation.attachments.order_by("id")] == ["receipt.png", "two.png"]
        assert not Event.objects.filter(code__endswith="_viewed").exists()  # one's own files: no staff read
        # Nobody else opens them; another question's file, or an id no column holds, is not found.
        assert browser(UserFactory.create()).get(url).status_code == 404
        other = ask(world, uploads=[_picture()])
        assert (
            client.get(
                reverse("feedback:file", args=[consultation.pk, other.attachments.get().pk])
            ).status_code
            == 404
        )
        assert client.get(reverse("feedback:file", args=[consultation.pk, 2**63])).status_code == 404
        assert client.get(reverse("feedback:file", args=[2**63, first.pk])).status_code == 404

    def test_a_bad_file_says_what_to_do_and_keeps_the_text(self, world: f.World) -> None:
        client = browser(world.applicant)
        bad = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
        refused = client.post(
            reverse("feedback:ask"), {**self.ASK, "office": world.office.code, "attachments": bad}
        )
        page = refused.content.decode()
        assert refused.status_code == 400 and "is not a PDF, JPEG or PNG (whatever its name says)" in page
        assert "The bank took the fee twice, receipt attached." in page and "Paid twice" in page
        assert "choose them again" in page
        assert not Consultation.objects.exists()
        consultation = ask(world)
        bad = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
        refused = client.post(
            reverse("feedback:detail", args=[consultation.pk]),
            {"body": "The receipt, as asked.", "seen": consultation.messages.get().pk, "attachments": bad},
        )
        page = refused.content.decode()
        assert refused.status_code == 400 and "is not a PDF, JPEG or PNG" in page
        assert "The receipt, as asked." in page and "choose them again" in page
        assert consultation.messages.count() == 1

    def test_staff_of_the_office_open_a_file_and_the_read_is_logged(self, world: f.World) -> None:
        consultation = ask(world, uploads=[_picture()])
        attachment = consultation.attachments.get()
        url = reverse("backoffice:consultation_file", args=[consultation.pk, attachment.pk])
        officer = browser(world.officer)
        page = officer.get(reverse("backoffice:consultation", args=[consultation.pk])).content.decode()
        assert url in page and "receipt.png" in page
        opened = officer.get(url)
        assert opened.status_code == 200 and opened["Content-Type"] == "image/png"
        read = Event.objects.get(code="consultation.attachment_viewed")
        assert read.actor == world.officer and read.office_id == world.office.pk
        assert read.details == {"attachment": attachment.pk}
        # The officer answers with a file; the asker opens it.
        answered = officer.post(
            reverse("backoffice:consultation", args=[consultation.pk]),
            {
                "body": "The refund form is attached.",
                "seen": consultation.messages.get().pk,
                "attachments": _png("form.png"),
            },
        )
        assert answered.status_code == 302
        form = consultation.attachments.get(name="form.png")
        assert form.message is not None and form.message.from_office
        assert (
            browser(world.applicant)
            .get(reverse("feedback:file", args=[consultation.pk, form.pk]))
            .status_code
            == 200
        )

    def test_staff_of_another_office_and_people_without_the_right_do_not(self, world: f.World) -> None:
        consultation = ask(world, uploads=[_picture()])
        url = reverse(
            "backoffice:consultation_file", args=[consultation.pk, consultation.attachments.get().pk]
        )
        elsewhere = browser(staff(Role.OFFICER, [world.other_office]))
        assert elsewhere.get(url).status_code == 404
        assert browser(world.applicant).get(url).status_code == 403
        officer = browser(world.officer)
        assert (
            officer.get(reverse("backoffice:consultation_file", args=[consultation.pk, 2**63])).status_code
            == 404
        )
        assert not Event.objects.filter(code="consultation.attachment_viewed").exists()

    def test_the_api_lists_each_messages_files(self, world: f.World) -> None:
        consultation = ask(world, uploads=[_picture()])
        shown = browser(world.applicant).get(f"/api/v1/consultations/{consultation.pk}").json()
        assert shown["messages"][0]["attachments"] == ["receipt.png"]
