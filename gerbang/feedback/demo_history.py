"""Complaints about the demo's past cases (``applications.demo_history``), so that the public
statistics count complaints and the share handled within their service level: some applicants
complained a few days after their decision or visit; the office verified, routed, answered and
closed each, most in time, some late (those were escalated, as the nightly task does). How
often people complain and how often an office is late differ by office. Written in bulk, once,
from a fixed seed, each with the events its steps would have left.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gerbang.applications.demo_history import past_cases
from gerbang.core.models import Event
from gerbang.feedback import threads
from gerbang.feedback.models import (
    TIER_DAYS,
    Report,
    ReportKind,
    ReportMessage,
    ReportPrivacy,
    ReportStatus,
    ReportTier,
    ReportTopic,
)

SEED = 20261209
SUBJECT_TYPE = "feedback.report"


@dataclass(frozen=True)
class Habit:
    complaints: float  # share of cases complained about
    late: float  # share of complaints handled late at some step


HABITS = {
    "mesuji": Habit(0.07, 0.10),
    "sijunjung": Habit(0.06, 0.05),
    "bengkulu-selatan": Habit(0.09, 0.30),
    "makassar": Habit(0.10, 0.20),
    "jayapura": Habit(0.08, 0.25),
}
COMPLAINTS = (
    (ReportTopic.SERVICE, "Antrean pengambilan paspor lama", "Saya menunggu lama di loket pengambilan."),
    (ReportTopic.SERVICE, "Keputusan lebih lama dari janji", "Permohonan saya melewati standar layanan."),
    (ReportTopic.ONLINE, "Pembayaran QRIS gagal", "Pembayaran saya gagal dua kali sebelum berhasil."),
    (ReportTopic.FACILITIES, "Ruang tunggu penuh", "Tidak ada tempat duduk untuk orang tua."),
    (ReportTopic.CONDUCT, "Petugas kurang ramah", "Petugas loket tidak menjelaskan kekurangan berkas."),
)


def _event(code: str, report: Report, when: dt.datetime, details: dict[str, Any]) -> Event:
    return Event(
        code=code,
        actor=None,
        subject_type=SUBJECT_TYPE,
        subject_id=str(report.pk),
        office_id=report.office_id,
        details={**details, "system": "demo"},
        created_at=when,
    )


def load() -> int:
    """Write the complaints about the past cases once; returns how many (0 if done)."""
    history = past_cases()
    if (
        not history
        or Report.objects.filter(application__in=[case.application for case in history[:50]]).exists()
    ):
        return 0
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    now = timezone.now()
    made: list[tuple[Report, str, bool, dt.datetime, dt.datetime]] = []
    for case in history:
        application = case.application
        habit = HABITS.get(application.office.code)
        about = case.steps.get("mark_collected") or case.steps.get("approve") or case.steps.get("reject")
        if habit is None or about is None or generator.random() >= habit.complaints:
            continue
        received = about + dt.timedelta(days=generator.randint(1, 5), hours=generator.randint(0, 6))
        if received >= now - dt.timedelta(days=2):
            continue
        topic, subject, body = generator.choice(COMPLAINTS)
        late = generator.random() < habit.late
        office = application.office
        days = TIER_DAYS[ReportTier.NORMATIVE] + (
            generator.randint(2, 6) if late else -generator.randint(0, 3)
        )
        answered_on = threads.due_after(office, received, max(days, 1))
        answered = dt.datetime.combine(answered_on, dt.time(10), tzinfo=received.tzinfo) + dt.timedelta(
            hours=generator.randint(0, 5)
        )
        closed = answered + dt.timedelta(days=generator.randint(1, 4))
        finished = closed < now
        report = Report(
            reference=threads.new_reference("LAPOR", Report),
            kind=ReportKind.COMPLAINT,
            topic=topic,
            reporter=application.applicant,
            privacy=ReportPrivacy.OPEN,
            office=office,
            application=application,
            subject=subject,
            status=ReportStatus.CLOSED if finished else ReportStatus.ANSWERED,
            tier=ReportTier.NORMATIVE,
            verified_at=received + dt.timedelta(hours=20),
            answered_at=min(answered, now),
            first_answered_at=min(answered, now),
            closed_at=closed if finished else None,
            escalation=0,
            escalated_ever=late,
            escalated_at=answered - dt.timedelta(days=2) if late else None,
            created_at=received,
            updated_at=closed if finished else answered,
        )
        made.append((report, body, late, received + dt.timedelta(hours=20), min(answered, now)))
    with transaction.atomic():
        Report.objects.bulk_create([row[0] for row in made], batch_size=500)
        ReportMessage.objects.bulk_create(
            [
                ReportMessage(report=report, author=report.reporter, body=body, created_at=report.created_at)
                for report, body, *_rest in made
            ],
            batch_size=500,
        )
        steps: list[Event] = []
        for report, _body, late, verified, answered_at in made:
            steps.append(
                _event(
                    "report.submitted",
                    report,
                    report.created_at,
                    {"kind": report.kind, "topic": report.topic},
                )
            )
            steps.append(_event("report.verified", report, verified, {"tier": report.tier}))
            if late and report.escalated_at is not None:
                steps.append(_event("report.escalated", report, report.escalated_at, {"level": 1}))
            steps.append(_event("report.answered", report, answered_at, {}))
            if report.closed_at is not None:
                steps.append(_event("report.closed", report, report.closed_at, {"by": "reporter"}))
        Event.objects.bulk_create(steps, batch_size=1000)
    return len(made)
