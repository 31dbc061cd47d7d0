"""Fixtures of the web side's tests (imported by each test module, so the engine's tests keep their own): a stand-in engine (``fake_engine``) that answers what a test says, and
two applicants with cases, bookings, bills and a queue ticket, on Monday 7 December 2026."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments.models import Booking
from gerbang.appointments.tests.factories import NOW, waiting_cases, weekday_hours
from gerbang.assistant import engine
from gerbang.core.actors import SystemActor
from gerbang.payments.models import Bill
from gerbang.queueing import services as queue
from gerbang.queueing.models import Ticket
from gerbang.queueing.tests.factories import booked, floor

FEE_FAQ = engine.Source(
    key="faq:biaya-paspor-hilang",
    kind="faq",
    title="Berapa biaya paspor hilang?",
    url="/faq/#biaya-paspor-hilang",
    facts=("Biaya penggantian paspor hilang Rp1.000.000.",),
)
CLOSE = engine.Source(
    key="service:paspor-biasa", kind="service", title="Paspor biasa", url="/services/paspor-biasa/"
)
OTHER = engine.Source(key="faq:paspor-rusak", kind="faq", title="Paspor rusak", url="/faq/#paspor-rusak")
NOTICE = engine.Source(
    key="notice:7",
    kind="notice",
    title="Kantor tutup",
    url="/notices/",
    facts=("Kantor Mesuji tutup hari ini.",),
)


@dataclass
class FakeEngine:
    """Answers every question with ``reply`` and remembers the questions it was asked."""

    reply: engine.Reply = field(
        default_factory=lambda: engine.Reply(
            kind=engine.ReplyKind.ANSWER,
            language="id",
            answer=FEE_FAQ,
            suggestions=(),
            notices=(),
            personal_topic=None,
            score=0.9,
            retriever="fake",
        )
    )
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    refreshed: int = 0

    def __call__(self, question: str, *, language_hint: str | None = None) -> engine.Reply:
        self.asked.append((question, language_hint))
        return self.reply

    def answer(self, language: str = "id") -> None:
        self.reply = reply(engine.ReplyKind.ANSWER, language, answer=FEE_FAQ, score=0.9)

    def unsure(self, language: str = "en") -> None:
        self.reply = reply(engine.ReplyKind.UNSURE, language, suggestions=(CLOSE, OTHER), score=0.2)

    def decline(self, language: str = "en") -> None:
        self.reply = reply(engine.ReplyKind.DECLINE, language)

    def personal(self, topic: engine.PersonalTopic | None, language: str = "en") -> None:
        self.reply = reply(engine.ReplyKind.PERSONAL, language, personal_topic=topic, score=1.0)


def reply(kind: engine.ReplyKind, language: str, **values: Any) -> engine.Reply:
    base: dict[str, Any] = {
        "answer": None,
        "suggestions": (),
        "notices": (),
        "personal_topic": None,
        "score": 0.0,
        "retriever": "fake",
    }
    base.update(values)
    return engine.Reply(kind=kind, language=language, **base)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()

    def refresh() -> None:
        fake.refreshed += 1

    monkeypatch.setattr(engine, "reply_to", fake)
    monkeypatch.setattr(engine, "refresh", refresh)
    return fake


@dataclass
class Person:
    user: Any
    case: Application
    # What only this person's own answers may show.
    secrets: dict[str, str]


@dataclass
class People:
    world: f.World
    budi: Person
    siti: Person
    ticket: Ticket


@pytest.fixture
def people(db: None) -> Iterator[People]:
    """Budi has a submitted case with a bill to pay; Siti has a paid bill on another case, and a
    booked case checked in today with a queue ticket."""
    with time_machine.travel(NOW, tick=False):
        yield _people()


def _people() -> People:
    world = f.make_world()
    weekday_hours(world.office, capacity=20)
    floor(world.office)
    budi_case = f.submitted(world)
    siti = UserFactory.create(full_name="Siti Rahmawati", email="siti.rahma@example.test")
    siti_paid = f.paid(
        world,
        applicant=siti,
        answers=f.passport_answers(nik=f.NIK_WOMAN, full_name="Siti Rahmawati", sex="F"),
    )
    visit = waiting_cases(world.office, world.service("paspor-biasa"), 1)[0]
    Application.objects.filter(pk=visit.pk).update(applicant=siti)
    visit.refresh_from_db()
    booking: Booking = booked(visit, 9)
    ticket = queue.check_in(actor=SystemActor("tests"), office=world.office, text=booking.code)
    budi_bill = Bill.objects.get(application=budi_case)
    siti_bill = Bill.objects.get(application=siti_paid)
    return People(
        world,
        Person(
            world.applicant, budi_case, {"number": str(budi_case.number), "billing": budi_bill.billing_code}
        ),
        Person(
            siti,
            siti_paid,
            {
                "number": str(siti_paid.number),
                "visit": str(visit.number),
                "booking": booking.code,
                "billing": siti_bill.billing_code,
                "name": "Siti Rahmawati",
                "email": "siti.rahma@example.test",
                "ticket": ticket.token,
            },
        ),
        ticket,
    )


@pytest.fixture
def unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that ask many questions in one session (the limits have tests of their own)."""
    from gerbang.assistant import services
    from gerbang.core.ratelimit import Limit

    monkeypatch.setattr(services, "PER_SESSION", Limit("assistant-session-test", 10_000, 600))
    monkeypatch.setattr(services, "PER_ADDRESS", Limit("assistant-address-test", 10_000, 600))
