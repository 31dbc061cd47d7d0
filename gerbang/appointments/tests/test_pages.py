"""The applicant's appointment pages and the API: choose, hold, confirm, QR, calendar file,
change and cancel; wrong input gets a message and nothing is lost."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import admission, selectors, services, tokens
from gerbang.appointments.middleware import IN_LINE_COOKIE
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.appointments.tests.factories import MONDAY, NOW
from gerbang.core.figures import Figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(case: Application) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(case.applicant)
    return client


def tuesday_slot(world: f.World, hour: int = 8) -> Slot:
    day = MONDAY + dt.timedelta(days=1)
    services.slots_ensure(office=world.office, group="passport", until=day)
    return Slot.objects.get(
        office=world.office, starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=NOW.tzinfo)
    )


def test_case_page_leads_to_booking(browser: Client, case: Application) -> None:
    page = browser.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert reverse("appointments:booking", args=[case.pk]) in page
    assert "Book a time" in page


def test_choose_hold_confirm_and_see_the_booking(browser: Client, world: f.World, case: Application) -> None:
    url = reverse("appointments:booking", args=[case.pk])
    page = browser.get(url).content.decode()
    assert "Tuesday, 8 December 2026" in page
    slot = tuesday_slot(world, 10)
    page = browser.get(f"{url}?day=2026-12-08").content.decode()
    assert f'value="{slot.pk}"' in page
    assert "10:00\N{EN DASH}11:00" in page
    response = browser.post(
        reverse("appointments:hold", args=[case.pk]), {"slot": slot.pk, "day": "2026-12-08"}
    )
    assert response.status_code == 302
    page = browser.get(url).content.decode()
    assert "Confirm your appointment" in page
    browser.post(reverse("appointments:confirm", args=[case.pk]))
    page = browser.get(url).content.decode()
    booking = Booking.objects.get(application=case)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.code in page and "<svg" in page
    assert "Change the time" in page


def test_full_slot_gets_a_message_and_keeps_the_day(
    browser: Client, world: f.World, case: Application
) -> None:
    slot = tuesday_slot(world)
    Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)
    response = browser.post(
        reverse("appointments:hold", args=[case.pk]), {"slot": slot.pk, "day": "2026-12-08"}, follow=True
    )
    page = response.content.decode()
    assert "Somebody else has just taken the last place" in page
    assert response.redirect_chain[-1][0].endswith("?day=2026-12-08")


def test_nonsense_slot_is_refused_with_a_message(browser: Client, case: Application) -> None:
    response = browser.post(reverse("appointments:hold", args=[case.pk]), {"slot": "abc"}, follow=True)
    assert "Choose a time from the list." in response.content.decode()
    response = browser.post(reverse("appointments:hold", args=[case.pk]), {"slot": "999999"}, follow=True)
    assert "does not exist" in response.content.decode()


def test_somebody_elses_case_is_not_found(world: f.World, case: Application) -> None:
    other = Client()
    other.force_login(f.UserFactory.create())
    assert other.get(reverse("appointments:booking", args=[case.pk])).status_code == 404
    assert other.post(reverse("appointments:hold", args=[case.pk]), {"slot": 1}).status_code == 404


def test_reschedule_and_cancel_pages(browser: Client, world: f.World, case: Application) -> None:
    first, second = tuesday_slot(world, 8), tuesday_slot(world, 11)
    hold = services.booking_hold(application=case, slot_id=first.pk, actor=case.applicant)
    services.booking_confirm(booking=hold, actor=case.applicant, now=NOW)
    # Tuesday morning is within a day: too late to change online.
    page = browser.get(reverse("appointments:booking", args=[case.pk])).content.decode()
    assert "can no longer be changed online" in page
    response = browser.post(
        reverse("appointments:reschedule", args=[case.pk]), {"slot": second.pk}, follow=True
    )
    assert "only until 24 hours before" in response.content.decode()
    assert Booking.objects.get(pk=hold.pk).slot_id == first.pk


def test_calendar_file_and_verifiable_qr(browser: Client, world: f.World, case: Application) -> None:
    hold = services.booking_hold(application=case, slot_id=tuesday_slot(world).pk, actor=case.applicant)
    booking = services.booking_confirm(booking=hold, actor=case.applicant)
    response = browser.get(reverse("appointments:calendar", args=[case.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "DTSTART:20261208T010000Z" in body and f"UID:{booking.code}@gerbang" in body
    key = browser.get(reverse("appointments:verification_key")).content
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    public = load_pem_public_key(key)
    content = tokens.verify(selectors.token_for(booking), public)  # type: ignore[arg-type]
    assert content is not None and content.code == booking.code


class TestApi:
    def test_availability_hold_confirm_reschedule_cancel(
        self, browser: Client, world: f.World, case: Application
    ) -> None:
        base = f"/api/v1/applications/{case.pk}/appointment"
        days = browser.get(f"{base}/availability").json()
        tuesday = next(d for d in days if d["day"] == "2026-12-08")
        assert tuesday["status"] == "open" and tuesday["free"] == 16
        slot_id = tuesday["slots"][0]["id"]
        held = browser.post(f"{base}/hold", json.dumps({"slot": slot_id}), content_type="application/json")
        assert held.status_code == 201 and held.json()["status"] == "held"
        again = browser.post(f"{base}/hold", json.dumps({"slot": slot_id}), content_type="application/json")
        assert again.json()["code"] == held.json()["code"]
        confirmed = browser.post(f"{base}/confirm")
        assert confirmed.json()["status"] == "confirmed" and confirmed.json()["qr_token"].startswith("GB1.")
        friday = next(d for d in days if d["day"] == "2026-12-11")["slots"][0]["id"]
        moved = browser.post(
            f"{base}/reschedule", json.dumps({"slot": friday}), content_type="application/json"
        )
        assert moved.status_code == 409 and moved.json()["code"] == "past_cutoff"
        cancelled = browser.post(f"{base}/cancel")
        assert cancelled.status_code == 409

    def test_a_sold_out_answer_reads_little(self, browser: Client, world: f.World, case: Application) -> None:
        """Thousands are told "full" in a rush: one read of the case, and nothing of its
        answers (personal data, decrypted for nothing) or of its office's and service's texts."""
        slot = tuesday_slot(world)
        Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)
        url = f"/api/v1/applications/{case.pk}/appointment/hold"
        with CaptureQueriesContext(connection) as queries:
            full = browser.post(url, json.dumps({"slot": slot.pk}), content_type="application/json")
        assert full.status_code == 409 and full.json()["code"] == "slot_full"
        sql = [query["sql"] for query in queries]
        assert len([each for each in sql if 'FROM "applications_application"' in each]) == 1
        assert all('"answers"' not in each and '"eligibility_id"' not in each for each in sql), sql

    def test_errors_are_json_with_codes(self, browser: Client, world: f.World, case: Application) -> None:
        base = f"/api/v1/applications/{case.pk}/appointment"
        slot = tuesday_slot(world)
        Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)
        full = browser.post(f"{base}/hold", json.dumps({"slot": slot.pk}), content_type="application/json")
        assert full.status_code == 409 and full.json()["code"] == "slot_full"
        assert browser.get(base).status_code == 404
        wrong = browser.post(f"{base}/hold", json.dumps({"slot": "x"}), content_type="application/json")
        assert wrong.status_code == 422


def test_one_account_hammering_is_slowed_down(browser: Client, world: f.World, case: Application) -> None:
    slot = tuesday_slot(world)
    base = f"/api/v1/applications/{case.pk}/appointment"
    codes = [
        browser.post(
            f"{base}/hold", json.dumps({"slot": slot.pk}), content_type="application/json"
        ).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [201] * 20
    assert codes[20] == 429
    refused = browser.post(reverse("appointments:hold", args=[case.pk]), {"slot": slot.pk})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many booking attempts" in refused.content.decode()


def test_waiting_room_lets_people_in_at_the_admission_rate(world: f.World, settings: Any) -> None:
    settings.BOOKING_ADMISSION_RATE = 2
    # Six people (the waiting room counts accounts: one account's second browser gets no
    # second place in line).
    cases = [f.awaiting_appointment(world, applicant=UserFactory.create()) for _ in range(6)]
    browsers = []
    for person in cases:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(person.applicant)
        browsers.append(client)
    pages = [
        b.get(reverse("appointments:booking", args=[c.pk])) for b, c in zip(browsers, cases, strict=True)
    ]
    # A second's worth (two people) beyond the first walk straight in; the others, arriving in
    # the same instant, wait in the order they came.
    assert [p.status_code for p in pages] == [200, 200, 200, 429, 429, 429]
    assert "About 1 person is ahead of you." in pages[4].content.decode()
    assert "About 2 people are ahead of you." in pages[5].content.decode()
    assert pages[5]["Refresh"] == pages[5]["Retry-After"] == "2"
    api = browsers[3].post(
        f"/api/v1/applications/{cases[3].pk}/appointment/hold",
        json.dumps({"slot": 1}),
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "waiting_room"
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        again = [
            b.get(reverse("appointments:booking", args=[c.pk])).status_code
            for b, c in zip(browsers, cases, strict=True)
        ]
    assert again == [200, 200, 200, 200, 200, 429]
    with time_machine.travel(NOW + dt.timedelta(seconds=2), tick=False):
        assert browsers[5].get(reverse("appointments:booking", args=[cases[5].pk])).status_code == 200


def crowd_at_one_slot(
    world: f.World, count: int, *, csrf: bool = False
) -> tuple[list[Application], list[Client], Slot, Callable[..., Any]]:
    """``count`` applicants, each signed in in a browser of their own (checking CSRF tokens if
    ``csrf``), a Tuesday slot, and ``attempt(i)``: the i-th holds it through the API."""
    cases = [f.awaiting_appointment(world, applicant=UserFactory.create()) for _ in range(count)]
    browsers = []
    for person in cases:
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(person.applicant)
        if csrf:
            client.get("/account/")  # a page that sets the CSRF cookie
        browsers.append(client)
    slot = tuesday_slot(world)

    def attempt(index: int, **extra: Any) -> Any:
        if csrf:
            extra.setdefault(
                "HTTP_X_CSRFTOKEN", browsers[index].cookies[django_settings.CSRF_COOKIE_NAME].value
            )
        return browsers[index].post(
            f"/api/v1/applications/{cases[index].pk}/appointment/hold",
            json.dumps({"slot": slot.pk}),
            content_type="application/json",
            **extra,
        )

    return cases, browsers, slot, attempt


def test_a_first_refusal_reads_only_the_session(
    world: f.World, settings: Any, django_assert_num_queries: Any
) -> None:
    """Someone the waiting room does not admit yet is refused right after their session is
    read: no user, no case, no view. Whoever it admits still meets every check after it."""
    settings.BOOKING_ADMISSION_RATE = 1
    cases, browsers, slot, attempt = crowd_at_one_slot(world, 4, csrf=True)

    assert [attempt(0).status_code, attempt(1).status_code] == [201, 201]  # the front, and a second's worth
    with django_assert_num_queries(1):  # the session, and nothing else
        refused = attempt(2, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and refused.json()["code"] == "waiting_room"
    assert refused.json()["detail"].startswith("You are in line: about 0 people are ahead of you.")
    assert refused["Retry-After"] == "1" and refused["Content-Language"] == "en"
    # Admitted (the front moved on), but without the CSRF token: refused by the checks after.
    with time_machine.travel(NOW + dt.timedelta(seconds=5), tick=False):
        forged = browsers[3].post(
            f"/api/v1/applications/{cases[3].pk}/appointment/hold",
            json.dumps({"slot": slot.pk}),
            content_type="application/json",
        )
    assert forged.status_code == 403
    assert not Booking.objects.filter(application=cases[3]).exists()


def test_someone_in_line_is_answered_before_the_session_is_read(
    world: f.World, settings: Any, django_assert_num_queries: Any
) -> None:
    """A second API attempt from a session told to wait costs no database work (the session,
    the user, the case are not read) and gives the same answer; once the front reaches them,
    the full check admits them and the gate steps aside."""
    settings.BOOKING_ADMISSION_RATE = 1
    _cases, browsers, _slot, attempt = crowd_at_one_slot(world, 3)

    assert [attempt(i).status_code for i in range(3)] == [201, 201, 429]  # the third waits
    assert IN_LINE_COOKIE not in browsers[0].cookies  # never told to wait: nothing to look up early
    marked = browsers[2].cookies[IN_LINE_COOKIE]
    assert marked["path"] == "/api/v1/applications/" and marked["httponly"] and marked["samesite"] == "Lax"
    with django_assert_num_queries(0):
        early = attempt(2, HTTP_ACCEPT_LANGUAGE="en")
    assert early.status_code == 429 and early.json()["code"] == "waiting_room"
    assert early.json()["detail"].startswith("You are in line: about 0 people are ahead of you.")
    assert early["Retry-After"] == "1" and early["Content-Language"] == "en"
    assert (
        attempt(2).json()["detail"].startswith("Anda dalam antrean: sekitar 0 orang di depan Anda.")
    )  # Indonesian by default
    # A client that drops the cookie is answered all the same, by the check after the session.
    del browsers[2].cookies[IN_LINE_COOKIE]
    with django_assert_num_queries(1):
        assert attempt(2).json()["code"] == "waiting_room"
    assert IN_LINE_COOKIE in browsers[2].cookies
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        admitted = attempt(2)
        assert admitted.status_code == 201
        # Admitted: the cookie is taken back and the note is gone, so a later attempt goes the
        # full way (the pass admits it).
        assert (
            admitted.cookies[IN_LINE_COOKIE].value == "" and admitted.cookies[IN_LINE_COOKIE]["max-age"] == 0
        )
        assert admission.early_turn(browsers[2].cookies[django_settings.SESSION_COOKIE_NAME].value) is None
    # A session that was never told to wait always goes the full way.
    assert admission.early_turn("no-such-session") is None


def test_the_confirmation_says_before_confirming_whether_the_time_can_change_later(
    browser: Client, world: f.World, case: Application
) -> None:
    url = reverse("appointments:booking", args=[case.pk])
    # Monday 09:00 now; changes close 24 hours before: Tuesday 08:00 is too close, 10:00 is not.
    services.booking_hold(application=case, slot_id=tuesday_slot(world, 8).pk, actor=case.applicant)
    page = browser.get(url).content.decode()
    assert "This time is too close to change later." in page
    assert "cannot be changed or cancelled online" in page
    services.booking_hold(application=case, slot_id=tuesday_slot(world, 10).pk, actor=case.applicant)
    page = browser.get(url).content.decode()
    assert "too close" not in page
    assert "you can cancel it online until" in page and "change the time up to 2 times" in page


def test_the_booking_keeps_the_first_free_day_its_applicant_was_shown(
    browser: Client, world: f.World, case: Application
) -> None:
    slot = tuesday_slot(world, 10)
    # Held without the days ever shown (a client that skipped the list): nothing is guessed.
    browser.post(reverse("appointments:hold", args=[case.pk]), {"slot": slot.pk})
    assert Booking.objects.get(application=case).first_free_day is None
    Booking.objects.filter(application=case).delete()
    Slot.objects.filter(pk=slot.pk).update(booked=0)

    browser.get(reverse("appointments:booking", args=[case.pk]))
    shown = [d.day for d in selectors.availability(world.office, case.service) if d.is_open]
    later = Slot.objects.filter(office=world.office, day__gt=shown[0]).order_by("starts_at").first()
    assert later is not None
    browser.post(reverse("appointments:hold", args=[case.pk]), {"slot": later.pk})
    booking = Booking.objects.get(application=case)
    # The first free day is what the list showed, not the day chosen.
    assert booking.first_free_day == shown[0] != booking.slot.day
    # Counted for the public statistics once confirmed: days from the booking to that day.
    held_on = NOW.date()
    assert selectors.day_figures(world.office, held_on) == []
    browser.post(reverse("appointments:confirm", args=[case.pk]))
    assert selectors.day_figures(world.office, held_on) == [
        Figure(case.service_id, "lead_days", (shown[0] - held_on).days, 1)
    ]


def test_the_api_notes_the_first_free_day_it_listed(
    browser: Client, world: f.World, case: Application
) -> None:
    days = browser.get(f"/api/v1/applications/{case.pk}/appointment/availability").json()
    first_open = next(day for day in days if day["status"] == "open")
    slot_id = first_open["slots"][-1]["id"]
    response = browser.post(
        f"/api/v1/applications/{case.pk}/appointment/hold",
        data=json.dumps({"slot": slot_id}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Booking.objects.get(application=case).first_free_day == dt.date.fromisoformat(first_open["day"])
