"""A visit to the office, with every screen open at once: the applicant books a time, checks
in at the kiosk with the booking code, and follows the ticket on the phone; an officer at a
counter calls the next visitor; the display board and the phone page both show it within
seconds, through the live relay, and the board says the call aloud. A phone without JavaScript
gets there by refreshing itself."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import Client

from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.applications.tests import factories as f
from gerbang.appointments.models import Booking, BookingStatus
from gerbang.appointments.tests.factories import weekday_hours
from gerbang.queueing.models import KioskDevice, Ticket, TicketStatus
from gerbang.queueing.tests.factories import floor
from gerbang.queueing.views import KIOSK_COOKIE, KIOSK_SALT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_weekday_morning() -> dt.datetime:
    """09:00 in Jakarta on the next weekday: always ahead of the real clock, so the cookies the
    server sets (dated by its clock) are not expired for the browser (which keeps real time)."""
    day = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo("Asia/Jakarta"))


def window(browser: Any, base: str, **options: Any) -> Any:
    """A new browser window (its own cookies) that reads the site in English."""
    context = browser.new_context(**{"viewport": {"width": 390, "height": 800}, "locale": "en-US", **options})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    return context


def signed_in(browser: Any, user: Any, base: str, **options: Any) -> Any:
    """A new browser window (its own cookies) with a session of ``user``."""
    client = Client()
    sign_in_with_2fa(client, user)
    context = browser.new_context(**{"viewport": {"width": 390, "height": 800}, "locale": "en-US", **options})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            },
            {"name": "django_language", "value": "en", "url": base},
        ]
    )
    return context


def test_book_check_in_call_and_see_it_on_the_board_and_the_phone(
    browser_context: Any, live_server: Any, live_relay: str, artifacts: Path, settings: Any
) -> None:
    settings.QUEUE_PAGE_REFRESH_SECONDS = 2
    base = live_server.url
    browser = browser_context.browser
    with time_machine.travel(next_weekday_morning(), tick=True):
        world = f.make_world()
        weekday_hours(world.office, capacity=4, days=range(7))
        floor(world.office)
        case = f.awaiting_appointment(world)
        kiosk = KioskDevice.objects.create(office=world.office, name="Entrance")

        # The applicant books the 10:00 interview on their phone.
        phone = signed_in(browser, case.applicant, base).new_page()
        phone.goto(f"{base}/applications/{case.pk}/")
        phone.get_by_role("link", name="Book a time").click()
        phone.get_by_label(re.compile(r"10:00.11:00")).check()
        phone.get_by_role("button", name="Hold this time").click()
        phone.get_by_role("button", name="Confirm the appointment").click()
        phone.get_by_text("Your appointment is booked.").wait_for()
        booking = Booking.objects.get(application=case, status=BookingStatus.CONFIRMED)

        # At the office: the kiosk, and the display board on the wall.
        kiosk_context = window(browser, base, viewport={"width": 800, "height": 1000})
        kiosk_context.add_cookies(
            [{"name": KIOSK_COOKIE, "value": signing.dumps(kiosk.pk, salt=KIOSK_SALT), "url": base}]
        )
        screen = kiosk_context.new_page()
        screen.goto(f"{base}/offices/{world.office.code}/kiosk/")
        screen.get_by_label("Booking code or QR code").fill(booking.code.replace("-", "").lower())
        screen.get_by_role("button", name="Check in and get my ticket").click()
        screen.locator(".ticket-number").filter(has_text="A-001").wait_for()
        ticket = Ticket.objects.get(booking=booking)
        assert ticket.status == TicketStatus.WAITING
        screen.screenshot(path=str(artifacts / "e2e-queue-ticket.png"), full_page=True)

        board = window(browser, base, viewport={"width": 1280, "height": 720}).new_page()
        # What the board says aloud, heard by the test (headless Chromium has no voice: this
        # board is given an English one).
        board.add_init_script(
            "window.__spoken = []; window.speechSynthesis.speak = (u) => window.__spoken.push([u.text, u.lang]);"
            "window.speechSynthesis.getVoices = () => [{lang: 'en-GB', name: 'English'}];"
        )
        board.goto(f"{base}/offices/{world.office.code}/board/")
        board.get_by_role("heading", name="Now serving").wait_for()
        board.get_by_role("button", name="Sound").click()  # once, by whoever sets the screen up
        # A second board, in Indonesian, on a screen without a voice: it plays its recordings.
        quiet_board_window = window(browser, base, viewport={"width": 1280, "height": 720})
        quiet_board_window.add_cookies([{"name": "django_language", "value": "id", "url": base}])
        quiet_board = quiet_board_window.new_page()
        quiet_board.add_init_script(
            "window.__played = []; window.speechSynthesis.getVoices = () => [];"
            "HTMLMediaElement.prototype.play = function () {"
            "  window.__played.push(new URL(this.src).pathname.split('/').slice(-2).join('/'));"
            "  setTimeout(() => this.dispatchEvent(new Event('ended')), 5);"
            "  return Promise.resolve();"
            "};"
        )
        quiet_board.goto(f"{base}/offices/{world.office.code}/board/")
        quiet_board.get_by_role("button", name="Suara").click()

        # The applicant follows the ticket (the QR code on it opens this page); a second phone
        # without JavaScript follows it too.
        phone.goto(f"{base}/queue/{ticket.token}/")
        phone.locator("[data-ahead]").filter(has_text="0").wait_for()
        plain = window(browser, base, java_script_enabled=False).new_page()
        plain.goto(f"{base}/queue/{ticket.token}/")
        plain.get_by_text("People ahead of you").wait_for()

        # The officer sits at counter 1 and calls the next visitor.
        counter = signed_in(browser, world.officer, base, viewport={"width": 1024, "height": 800}).new_page()
        counter.goto(f"{base}/backoffice/offices/{world.office.code}/queue/counters/1/")
        counter.get_by_role("button", name="Sit at Counter 1").click()
        counter.get_by_role("button", name="Call next").click()
        counter.get_by_text("Calling A-001.").wait_for()

        # Both screens show it, live.
        board.locator(".board-counters li.serving").filter(has_text="A-001").wait_for(timeout=5_000)
        assert "Counter 1" in board.locator(".board-counters li.serving").inner_text()
        board.wait_for_function("() => window.__spoken.length === 2", timeout=5_000)
        spoken = board.evaluate("window.__spoken")
        assert spoken == [["Ticket A 0 0 1, please go to counter 1.", "en-GB"]] * 2
        call = ["id/intro.wav", "id/A.wav", "id/0.wav", "id/0.wav", "id/1.wav", "id/counter.wav", "id/1.wav"]
        quiet_board.wait_for_function("() => window.__played.length === 14", timeout=10_000)
        assert quiet_board.evaluate("window.__played") == call * 2
        phone.get_by_text("It is your turn. Please go to counter 1 now.").wait_for(timeout=5_000)
        plain.get_by_text("It is your turn. Please go to counter 1 now.").wait_for(timeout=10_000)
        board.screenshot(path=str(artifacts / "e2e-queue-board.png"))
        phone.screenshot(path=str(artifacts / "e2e-queue-phone.png"), full_page=True)

        # Served: the booking is done, and the phone says so.
        counter.get_by_role("button", name="Served").click()
        phone.get_by_text("You have been served.").wait_for(timeout=5_000)
        assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DONE
