"""A year of past cases for the demo, so that the public statistics have something to count.

The live demo (``demo.py``) makes a handful of cases through the services; statistics need
thousands, spread over months. These are written as the records of the past would be: each case
with the state it ended in, its times, and the events its steps left (submitted, paid, decided,
made ready, collected; or withdrawn, or expired unpaid), in bulk. Each office has its own pace
and its own share of late decisions, so that offices compare; one small office has so few cases
that its counts are withheld on the statistics pages. Applicants are a few demo people without a
password. Run once (the first history person marks it done); the numbers are made from a fixed
seed, so every demo shows the same year.

The year runs up to yesterday: a case whose decision would come after now is still open (in
verification or in review, past its due date when it was to be late), so the supervisors'
dashboards have a present to show. Each case is handled by one of its office's demo officers or
supervisors (none where the office has no demo staff), who take its steps and whose decisions
count as theirs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gerbang.accounts.models import Role, User
from gerbang.applications import numbers
from gerbang.applications.formspec import form_for
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office, Service
from gerbang.catalog.seasons import SeasonKind, in_window
from gerbang.catalog.selectors import terms_in_force, working_calendar
from gerbang.core.calendar import WorkingCalendar
from gerbang.core.models import Event

SUBJECT_TYPE = "applications.application"
PEOPLE = 24
SEED = 20261206
REFUSALS = ("data_mismatch", "documents_invalid", "not_eligible", "no_show")


@dataclass(frozen=True)
class Pace:
    per_month: int  # cases submitted in an average month
    late: float  # share of decisions taken after the service standard
    refused: float  # share of decisions that refuse


# Per office: Mesuji is busy and mostly on time; Jayapura is small (its counts are withheld).
PACES = {
    "mesuji": Pace(60, 0.08, 0.07),
    "sijunjung": Pace(45, 0.15, 0.05),
    "bengkulu-selatan": Pace(35, 0.25, 0.10),
    "makassar": Pace(40, 0.12, 0.08),
    "jayapura": Pace(6, 0.20, 0.10),
}
# How demand moves through the year (the seasons of ``catalog.seasons``, which the demand
# forecasts know): passports for Umrah in the weeks before Ramadan, for the year's Hajj pilgrims,
# for family trips before the school holidays; fewer around Idulfitri (mudik); and a mild growth.
SEASON_EFFECTS = {
    SeasonKind.RAMADAN: 0.30,
    SeasonKind.IDULFITRI: -0.45,
    SeasonKind.HAJJ: 0.35,
    SeasonKind.SCHOOL: 0.25,
}
GROWTH_PER_YEAR = 0.08
WORKING_DAYS_PER_MONTH = 21.5


def day_weight(day: date, first: date) -> float:
    """A working day's demand against an average day of the first month."""
    weight = 1 + GROWTH_PER_YEAR * (day - first).days / 365
    for kind, effect in SEASON_EFFECTS.items():
        if in_window(kind, day):
            weight *= 1 + effect
    return weight


def _people() -> list[User]:
    found = list(
        User.objects.filter(email__startswith="riwayat.", email__endswith="@gerbang.test").order_by("pk")
    )
    for n in range(len(found), PEOPLE):
        person = User(
            email=f"riwayat.{n + 1:02d}@gerbang.test",
            full_name=f"Pemohon Riwayat {n + 1}",
            role=Role.APPLICANT,
        )
        person.set_unusable_password()
        person.save()
        found.append(person)
    return found


def _moment(day: date, zone: ZoneInfo, generator: random.Random) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=zone) + timedelta(minutes=generator.randint(0, 7 * 60))


class _Case:
    def __init__(self, application: Application) -> None:
        self.application = application
        self.events: list[tuple[str, datetime, str, str]] = []  # (action, when, from, to)

    def step(self, action: str, when: datetime, source: State, target: State) -> None:
        self.events.append((action, when, source.value, target.value))
        self.application.state = target
        self.application.state_changed_at = when


def _one_case(
    office: Office,
    service: Service,
    day: date,
    pace: Pace,
    calendar: WorkingCalendar,
    person: User,
    now: datetime,
    generator: random.Random,
) -> _Case | None:
    terms = terms_in_force(service, day)
    if terms is None:
        return None
    zone = ZoneInfo(office.time_zone)
    submitted = _moment(day, zone, generator)
    case = _Case(
        Application(
            number=numbers.new_number(office_code=office.code, year=day.year),
            applicant=person,
            office=office,
            service=service,
            form_key=form_for(service.code, service.audience).key,
            state=State.SUBMITTED,
            terms=terms,
            fee=terms.fee,
            submitted_at=submitted,
            declared_at=submitted,
            created_at=submitted - timedelta(minutes=20),
            state_changed_at=submitted,
        )
    )
    case.step("submit", submitted, State.DRAFT, State.SUBMITTED)
    roll = generator.random()
    if roll < 0.05:
        case.step("cancel", submitted + timedelta(minutes=40), State.SUBMITTED, State.CANCELLED)
        return case
    if roll < 0.12:
        lapse = submitted + timedelta(hours=terms.payment_deadline_hours, minutes=5)
        case.step("expire", lapse, State.SUBMITTED, State.EXPIRED)
        return case
    paid = submitted + timedelta(minutes=generator.randint(10, 100))
    case.step("record_payment", paid, State.SUBMITTED, State.PAID)
    case.application.due_date = calendar.add_working_days(day, terms.standard_working_days)
    standard = terms.standard_working_days
    late = generator.random() < pace.late
    taken = standard + generator.randint(1, 6) if late else generator.randint(max(0, standard - 3), standard)
    decided_on = calendar.add_working_days(day, taken)
    decided = _moment(decided_on, zone, generator)
    verifying, reviewing = paid + timedelta(hours=1), decided - timedelta(hours=2)
    if decided >= now:
        # Not decided yet: the office is still at it (past its due date, for the late ones).
        for action, when, source, target in (
            ("start_verification", verifying, State.PAID, State.IN_VERIFICATION),
            ("send_to_review", reviewing, State.IN_VERIFICATION, State.IN_REVIEW),
        ):
            if when < now:
                case.step(action, when, source, target)
        return case
    case.step("start_verification", verifying, State.PAID, State.IN_VERIFICATION)
    case.step("send_to_review", reviewing, State.IN_VERIFICATION, State.IN_REVIEW)
    if generator.random() < pace.refused:
        case.step("reject", decided, State.IN_REVIEW, State.REJECTED)
        case.application.decided_at = decided
        return case
    case.step("approve", decided, State.IN_REVIEW, State.APPROVED)
    case.application.decided_at = decided
    ready = _moment(calendar.add_working_days(decided_on, generator.randint(1, 2)), zone, generator)
    if ready < now:
        case.step("mark_ready", ready, State.APPROVED, State.READY_FOR_PICKUP)
        collected = ready + timedelta(days=generator.randint(1, 12), hours=1)
        while not calendar.is_working_day(collected.astimezone(zone).date()):
            collected += timedelta(days=1)  # the office is closed: collected on its next working day
        if collected < now:
            case.step("mark_collected", collected, State.READY_FOR_PICKUP, State.COLLECTED)
    return case


def load(now: datetime | None = None) -> int:
    """Write the year of past cases once; returns how many cases were written (0 if done)."""
    if User.objects.filter(email="riwayat.01@gerbang.test").exists():
        return 0
    now = now or timezone.now()
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    today = timezone.localdate(now)
    this_month = today.replace(day=1)
    first = this_month
    for _month in range(settings.DEMO_HISTORY_MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
    made: list[_Case] = []
    with transaction.atomic():
        people = _people()
        for office in Office.objects.filter(code__in=PACES).order_by("code"):
            pace = PACES[office.code]
            services = list(office.services.filter(is_active=True).order_by("category", "order", "code"))
            if not services:
                continue
            weights = [5 if "paspor-biasa" in s.code else 3 if "paspor" in s.code else 1 for s in services]
            calendar = working_calendar(office, first, horizon_days=(this_month - first).days + 120)
            month = first
            while month <= this_month:
                following = (month + timedelta(days=32)).replace(day=1)
                days = [month + timedelta(days=n) for n in range((following - month).days)]
                # This month: the days before today (the live demo's cases are today's).
                past = [d for d in days if d < today]
                working = [d for d in past if calendar.is_working_day(d)]
                if not working:
                    month = following
                    continue
                day_weights = [day_weight(d, first) for d in working]
                expected = pace.per_month / WORKING_DAYS_PER_MONTH * sum(day_weights)
                count = round(expected * generator.uniform(0.9, 1.1))
                for _n in range(count):
                    service = generator.choices(services, weights)[0]
                    case = _one_case(
                        office,
                        service,
                        generator.choices(working, day_weights)[0],
                        pace,
                        calendar,
                        generator.choice(people),
                        now,
                        generator,
                    )
                    if case is not None:
                        made.append(case)
                month = following
        # Apart from the cases' own seed, so that the cases stay the same.
        handled_by = handlers(
            [(case.application, [a for a, *_rest in case.events]) for case in made], SEED + 1
        )
        Application.objects.bulk_create([case.application for case in made], batch_size=500)
        Event.objects.bulk_create(
            [
                Event(
                    code=f"application.{action}",
                    actor=handler,
                    subject_type=SUBJECT_TYPE,
                    subject_id=str(case.application.pk),
                    office_id=case.application.office_id,
                    details={
                        "from": source,
                        "to": target,
                        "reason_code": REFUSALS[case.application.pk % len(REFUSALS)]
                        if action == "reject"
                        else "",
                        "public": True,
                        **({} if handler is not None else {"system": "demo"}),
                    },
                    created_at=when,
                )
                for case, handler_of_case in zip(made, handled_by, strict=True)
                for action, when, source, target in case.events
                for handler in [handler_of_case if action in STAFF_STEPS else None]
            ],
            batch_size=1000,
        )
    return len(made)


@dataclass(frozen=True)
class PastCase:
    """One case of the demo's history with the moment of each of its steps (by action), for the
    other apps' histories (the bill it was paid with, its visit, a complaint about it)."""

    application: Application
    steps: dict[str, datetime]


def past_cases() -> list[PastCase]:
    """The history's cases, oldest first, each with its steps."""
    cases = list(
        Application.objects.filter(
            applicant__email__startswith="riwayat.", applicant__email__endswith="@gerbang.test"
        )
        .select_related("office", "service", "terms")
        .order_by("submitted_at", "pk")
    )
    steps: dict[str, dict[str, datetime]] = {str(case.pk): {} for case in cases}
    ids = list(steps)
    for start in range(0, len(ids), 500):
        for subject_id, code, when in Event.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id__in=ids[start : start + 500]
        ).values_list("subject_id", "code", "created_at"):
            steps[subject_id][code.removeprefix("application.")] = when
    return [PastCase(case, steps[str(case.pk)]) for case in cases]


# The steps an officer takes (the rest are the applicant's and the payment system's).
STAFF_STEPS = frozenset(
    {"start_verification", "send_to_review", "approve", "reject", "mark_ready", "mark_collected"}
)


def handlers(cases: list[tuple[Application, list[str]]], seed: int) -> list[User | None]:
    """Who handled each case (a case and the actions of its steps): one of its office's demo
    officers and supervisors (the same for the same seed), who is also the one it is assigned
    to when an officer took a step; nobody where the office has no demo staff."""
    staff: dict[int, list[User]] = {}
    for member in (
        User.objects.filter(role__in=[Role.OFFICER, Role.SUPERVISOR], is_active=True)
        .prefetch_related("office_memberships")
        .order_by("pk")
    ):
        for membership in member.office_memberships.all():
            staff.setdefault(membership.office_id, []).append(member)
    chooser = random.Random(seed)  # noqa: S311 - demo data
    chosen: list[User | None] = []
    for application, actions in cases:
        team = staff.get(application.office_id, [])
        handler = team[chooser.randrange(len(team))] if team else None
        if handler is not None and STAFF_STEPS.intersection(actions):
            application.assigned_to = handler
        chosen.append(handler)
    return chosen
