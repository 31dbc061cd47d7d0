"""Web push per kind and per device (English, 360 px): the applicant chooses browser
notifications for decisions, names her phone and keeps it to decisions only; the officer
approves her case; the push service receives one message for that phone, encrypted for it and
signed with our key; handed to the browser, the app's service worker shows it.

Headless Chromium has no push service of its own (it would be Google's), so the browser's
subscription is made with a key pair the test holds, pointing at the local push simulator; the
message the simulator received is decrypted as the browser would and delivered to the real
service worker through the DevTools protocol (``ServiceWorker.deliverPushMessage``)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.tests.factories import current_code
from gerbang.applications import services as case_services
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.notifications.models import PushSubscription
from gerbang.notifications.tests.test_push import Browser
from gerbang.simulators.models import PushedMessage
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pushed(channel: str, timeout: float = 15.0) -> list[PushedMessage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(PushedMessage.objects.filter(channel=channel).order_by("pk"))
        if found:
            return found
        time.sleep(0.2)
    return []


def test_a_decision_reaches_the_chosen_device_only(
    browser_context: Any, live_server: Any, artifacts: Path
) -> None:
    world = f.make_world()
    world.applicant.language = "en"
    world.applicant.save(update_fields=["language"])
    case = f.awaiting_appointment(world)
    case = case_services.application_transition(
        application=case, action="complete_interview", actor=world.officer, expected_version=case.version
    )
    assert case.state == "in_review"
    base = live_server.url
    browser_context.grant_permissions(["notifications"], origin=base)
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, world.applicant.email)
    page.goto(f"{base}/account/notifications/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)

    # The browser signs up (what push.js does once the push service has given a subscription,
    # with the token the page's forms carry).
    phone = Browser("phone")
    status = page.evaluate(
        """async (subscription) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch("/account/notifications/push/subscribe/", {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(subscription)});
            return response.status;
        }""",
        phone.subscription(),
    )
    assert status == 201
    page.reload()
    devices = page.locator("section.push-devices")
    assert "Chrome, Linux" in devices.inner_text()

    # Decisions by browser notification too; this device shows decisions only, under her name.
    decisions = page.get_by_role("group", name="Decisions")
    decisions.get_by_label("Browser notification").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Your choices were saved.").wait_for()
    device = PushSubscription.objects.get()
    form = page.locator(f"form[action$='/devices/{device.pk}/']")
    form.get_by_label("Progress of my applications").uncheck()
    form.get_by_label("Device name").fill("My phone")
    form.get_by_role("button", name="Save for this device").click()
    page.get_by_text("The device's choices were saved.").wait_for()
    assert page.locator("section.push-devices h3").first.inner_text().startswith("My phone")
    page.screenshot(path=str(artifacts / "e2e-push-devices.png"), full_page=True)

    # The officer approves.
    officer = browser_context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    officer.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    officer_page = officer.new_page()
    sign_in(officer_page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    officer_page.goto(f"{base}/backoffice/cases/{case.pk}/")
    officer_page.get_by_role("button", name="Approve", exact=True).click()
    officer_page.locator(".messages").get_by_text("Done. The application is now “Approved”.").wait_for()
    officer.close()
    assert Application.objects.get(pk=case.pk).state == "approved"

    # One push, for the decision, encrypted for this device and signed by us.
    pushed = _pushed("phone")
    assert len(pushed) == 1, [p.headers for p in pushed]
    assert pushed[0].headers["Authorization"].startswith("vapid t=")
    shown = phone.read(bytes(pushed[0].body))
    assert str(case.number) in shown["body"] + shown["title"]

    # Handed to the browser, the app's service worker shows it.
    cdp = browser_context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"] == base + "/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base, "registrationId": registration["registrationId"], "data": json.dumps(shown)},
    )
    page.wait_for_function(
        """(title) => navigator.serviceWorker.ready
            .then((r) => r.getNotifications())
            .then((list) => list.some((n) => n.title === title))""",
        arg=shown["title"],
        timeout=10_000,
    )
    page.reload()
    assert "Last message sent" in page.locator("section.push-devices").inner_text()
