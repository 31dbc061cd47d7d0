"""The installable app offline (360 px, Indonesian): the applicant opens her case and her
appointment page, the connection drops, and both still show, each saying when it was fetched; a
page never opened shows the offline page; back online, signing out leaves nothing of hers on
the device. A question written offline waits on the device, is sent once when the connection
returns (however often it is sent), and signing out deletes what still waits, after a warning.
Then larger text and high contrast, chosen from the footer, kept on the device, passing axe at
360 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gerbang.applications import services
from gerbang.applications.models import Document
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import weekday_hours
from gerbang.feedback.models import Consultation, ConsultationMessage
from tests.e2e.test_accessibility import audit
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _kept_pages(page: Any) -> list[str]:
    return page.evaluate(
        """async () => {
            const cache = await caches.open("gerbang-pages");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )


def signed_in_with_the_worker(browser_context: Any, base: str, email: str) -> Any:
    """A page of the applicant's (the browser's language English), signed in, once the service
    worker has taken charge of it: from then on the pages opened are kept for reading offline."""
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, email)
    page.goto(f"{base}/account/")
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000
    )
    return page


def test_read_the_case_offline_then_sign_out_and_leave_nothing(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    world = f.make_world()
    world.applicant.language = "id"
    world.applicant.save(update_fields=["language"])
    case = f.submitted(world)
    base = live_server.url
    # Her account's language, Indonesian, follows her in.
    page = signed_in_with_the_worker(browser_context, base, world.applicant.email)
    page.goto(f"{base}/applications/{case.pk}/")
    number = case.number
    assert number in page.locator("main").inner_text()
    assert page.locator("[data-offline-note]").is_hidden()
    page.wait_for_function(
        f"""async () => {{
            const cache = await caches.open("gerbang-pages");
            return (await cache.keys()).some((r) => r.url.endsWith("/applications/{case.pk}/"));
        }}"""
    )

    browser_context.set_offline(True)
    page.reload()
    note = page.locator("[data-offline-note]")
    assert note.is_visible()
    assert "tidak terhubung" in note.inner_text()
    assert number in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "e2e-offline-case-id.png"), full_page=True)
    # A page not opened before: the offline page, with the way to what was kept.
    page.goto(f"{base}/applications/{case.pk}/documents/")
    assert page.locator("main h1").inner_text() == "Anda sedang tidak terhubung"
    assert page.locator('main a[href="/account/"]').count() == 1

    browser_context.set_offline(False)
    page.goto(f"{base}/applications/{case.pk}/")
    assert page.locator("[data-offline-note]").is_hidden()
    assert f"/applications/{case.pk}/" in _kept_pages(page)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert _kept_pages(page) == []
    assert audit(page, axe_source, f"{base}/offline/") == []


# What the outbox keeps (the service worker's IndexedDB store), with its text fields.
OUTBOX = """() => new Promise((resolve, reject) => {
    const opening = indexedDB.open("gerbang-outbox", 1);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
        const db = opening.result;
        const asked = db.transaction("items").objectStore("items").getAll();
        asked.onsuccess = () => {
            db.close();
            resolve(asked.result.filter((item) => item.fields).map((item) => ({
                state: item.state, label: item.label, action: item.action,
                fields: item.fields.filter((field) => typeof field[1] === "string"),
            })));
        };
    };
})"""

# The same form data sent again from the page, as a second tab or a reload during the send would.
SEND_AGAIN = """async ([action, fields]) => {
    const body = new FormData();
    fields.forEach(([name, value]) => body.append(name, value));
    const response = await fetch(action, {method: "POST", body: body, credentials: "same-origin"});
    return [response.status, new URL(response.url).pathname];
}"""


def _ask_offline(page: Any, subject: str) -> None:
    page.locator('[name="subject"]').fill(subject)
    page.locator('[name="body"]').fill("Must the photo for my interview have a white background?")
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_load_state()


def test_a_question_written_offline_waits_then_is_sent_once(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = f.make_world()
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])
    weekday_hours(world.office, capacity=4, days=range(7))
    case = f.awaiting_appointment(world)
    base = live_server.url
    page = signed_in_with_the_worker(browser_context, base, world.applicant.email)
    case_page = f"/applications/{case.pk}/"
    appointment = f"/applications/{case.pk}/appointment/"
    ask = f"/consultations/new/?application={case.pk}"
    for path in (case_page, appointment, ask):
        page.goto(base + path)
    page.wait_for_function(
        """async () => {
            const cache = await caches.open("gerbang-pages");
            return (await cache.keys()).length >= 3;
        }"""
    )

    # Offline: the case and the appointment from the device, then a question written and sent.
    browser_context.set_offline(True)
    for path in (case_page, appointment):
        page.goto(base + path)
        assert page.locator("[data-offline-note]").is_visible()
        assert case.number in page.locator("main").inner_text()
    # A booking needs the connection: not kept, and said so.
    page.locator('input[type="radio"]').first.check()
    page.get_by_role("button", name="Hold this time").click()
    page.wait_for_load_state()
    refused = page.locator("[data-not-sent]")
    assert refused.is_visible()
    assert "appointment bookings and signing in need a connection" in refused.inner_text()
    assert page.evaluate(OUTBOX) == []
    page.goto(base + ask)
    _ask_offline(page, "Photo for the interview")
    outbox = page.locator("#outbox")
    outbox.wait_for()
    assert page.url == base + ask  # back on the form, shown as kept
    assert "“Photo for the interview”: waiting for the connection." in outbox.inner_text()
    note = page.locator("p[data-kept]")  # at the form
    assert note.inner_text() == "Saved on this device; it will be sent when you are back online."
    assert note.evaluate("(element) => element.nextElementSibling.id") == "ask-form"
    assert Consultation.objects.count() == 0
    page.screenshot(path=str(artifacts / "e2e-outbox-waiting-en.png"), full_page=True)
    (kept,) = page.evaluate(OUTBOX)
    assert kept["state"] == "waiting"
    fields = kept["fields"]
    # The form shown again carries another key: a second question would be another one.
    assert page.input_value('[name="idempotency_key"]') != dict(fields)["idempotency_key"]

    # Back online: sent, and said; a reload during the send sends it again, taken once.
    browser_context.set_offline(False)
    page.reload()
    outbox.get_by_text("Sent: “Photo for the interview”.").wait_for(timeout=20_000)
    page.screenshot(path=str(artifacts / "e2e-outbox-sent-en.png"), full_page=True)
    consultation = Consultation.objects.get()
    assert consultation.subject == "Photo for the interview" and consultation.application_id == case.pk
    assert outbox.get_by_role("link", name="See it").get_attribute("href") == (
        f"{base}/consultations/{consultation.pk}/"
    )
    status, where = page.evaluate(SEND_AGAIN, [kept["action"], fields])
    assert (status, where) == (200, f"/consultations/{consultation.pk}/")
    assert Consultation.objects.count() == 1
    assert ConsultationMessage.objects.count() == 1
    page.wait_for_function(
        "() => document.getElementById('outbox').hidden || !document.querySelector('#outbox li')"
    )
    assert page.evaluate(OUTBOX) == []

    # Something waits, and is discarded; something else waits, and signing out warns, then deletes it.
    browser_context.set_offline(True)
    page.goto(base + ask)
    _ask_offline(page, "Changed my mind")
    outbox.get_by_role("button", name="Discard").click()
    page.wait_for_function("() => !document.querySelector('#outbox li')")
    assert page.evaluate(OUTBOX) == []
    _ask_offline(page, "Left on the phone")
    outbox.locator("li").wait_for()
    page.get_by_role("button", name="Sign out").click()
    warning = outbox.locator("[data-warning]")
    warning.wait_for()
    assert "Signing out deletes it" in warning.inner_text()
    assert page.url == base + ask  # not signed out yet
    page.get_by_role("button", name="Sign out").click()
    browser_context.set_offline(False)
    page.goto(f"{base}/account/")
    assert page.evaluate(OUTBOX) == []
    assert _kept_pages(page) == [] or f"/applications/{case.pk}/" not in _kept_pages(page)
    assert Consultation.objects.count() == 1


def test_a_document_chosen_offline_is_uploaded_once_back_online(
    browser_context: Any, live_server: Any, tmp_path: Path
) -> None:
    """The officer asked for a new scan; the applicant chooses it offline: the file itself waits
    on the device (a Blob), and is stored once when the connection returns."""
    world = f.make_world()
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])
    case = f.in_verification(world)
    slot = document_slots(case)[0]
    services.corrections_request(
        application=case,
        items=[services.CorrectionItem("document", slot.key, "The scan is blurred.")],
        actor=world.officer,
        expected_version=case.version,
    )
    before = set(Document.objects.filter(application=case, slot=slot.key).values_list("pk", flat=True))
    scan = tmp_path / "sharper.pdf"
    scan.write_bytes(f.pdf_bytes(pages=2))
    base = live_server.url
    page = signed_in_with_the_worker(browser_context, base, world.applicant.email)
    documents = f"{base}/applications/{case.pk}/documents/"
    page.goto(documents)

    browser_context.set_offline(True)
    form = page.locator(f"#slot-{slot.key} form")
    form.locator('input[type="file"]').set_input_files(str(scan))
    form.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    outbox = page.locator("#outbox")
    assert "“sharper.pdf”: waiting for the connection." in outbox.inner_text()
    assert page.locator(f"#slot-{slot.key} p[data-kept]").count() == 1  # at its own slot's form only
    assert page.locator("p[data-kept]").count() == 1

    browser_context.set_offline(False)
    page.reload()
    outbox.get_by_text("Sent: “sharper.pdf”.").wait_for(timeout=20_000)
    added = Document.objects.filter(application=case, slot=slot.key).exclude(pk__in=before)
    assert added.count() == 1
    assert added.get().size > 0 and added.get().is_current


def test_larger_text_and_high_contrast_persist_pass_axe_and_fit_a_phone(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    f.make_world()
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    page.goto(f"{base}/services/")
    page.get_by_role("link", name="Larger text").click()
    page.get_by_role("link", name="High contrast").click()
    assert page.url == f"{base}/services/"
    assert page.evaluate("document.documentElement.className") == "display-large display-contrast"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.screenshot(path=str(artifacts / "e2e-display-large-contrast-en.png"))
    # Kept on this device: a later visit, to another page, is shown the same way.
    for path in ("/", "/offices/", "/account/login/"):
        assert audit(page, axe_source, base + path) == []
        assert "display-contrast" in page.evaluate("document.documentElement.className")
    page.get_by_role("link", name="Normal text size").click()
    assert page.evaluate("document.documentElement.className") == "display-contrast"


def test_a_question_refused_on_its_way_says_why(browser_context: Any, live_server: Any) -> None:
    """Written offline with a subject too short, it is refused once sent: the outbox says the
    form's own reason, not an empty one."""
    world = f.make_world()
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])
    base = live_server.url
    page = signed_in_with_the_worker(browser_context, base, world.applicant.email)
    ask = "/consultations/new/"
    page.goto(base + ask)
    page.wait_for_function(
        """async () => (await (await caches.open("gerbang-pages")).keys())
            .some((r) => r.url.endsWith("/consultations/new/"))"""
    )
    browser_context.set_offline(True)
    page.goto(base + ask)
    _ask_offline(page, "Hi")
    outbox = page.locator("#outbox")
    outbox.wait_for()
    browser_context.set_offline(False)
    page.reload()
    outbox.get_by_text("“Hi”").wait_for(timeout=20_000)
    outbox.get_by_text("Write a subject of at least 3 characters (it has 2).", exact=False).wait_for(
        timeout=20_000
    )
    # Every problem is said, and what was written is still on the device.
    assert "Choose the office to ask, or one of your applications." in outbox.inner_text()
    (refused,) = page.evaluate(OUTBOX)
    assert refused["state"] == "problem" and dict(refused["fields"])["subject"] == "Hi"
    assert Consultation.objects.count() == 0
