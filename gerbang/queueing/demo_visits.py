"""Three weeks of past visits for the demo, so that the queue's figures per day and the
supervisors' dashboards have waits and missed appointments to show.

Written as the records of those days would be, in bulk: each working day, at each demo office,
appointments to collect a document or for an interview (on slots of that day), the visitors who
checked in and were served at a counter after their wait, a few walk-ins, the odd visitor gone when
called, and appointments nobody came to (their cases still wait: ready for pickup). The cases are
those of the year of past cases (``applications.demo_history``); today is left to the live demo.
Run once (a ticket of these weeks marks it done); made from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.appointments.demo_history import RECENT_DAYS, PastSlots
from gerbang.appointments.models import Booking, BookingStatus, Purpose, Slot
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import office_today, working_calendar
from gerbang.queueing.demo_history import past_ticket
from gerbang.queueing.models import Counter, Lane, LaneDay, Ticket

DAYS = RECENT_DAYS  # the weeks the appointments' history leaves to this one
SEED = 20261207
SLOT_MINUTES = 30
FIRST_SLOT, LAST_SLOT = dt.time(8, 0), dt.time(11, 30)


def _wait_seconds(generator: random.Random) -> int:
    """Most wait a quarter of an hour or less; some much longer (over the service level)."""
    return max(30, int(generator.gammavariate(2.0, 7.0) * 60))


class _Day:
    """One office's day: its slots and bookings (in ``past``, shared by every day), and its
    tickets, numbered per lane."""

    def __init__(
        self,
        office: Office,
        day: dt.date,
        lanes: dict[str, Lane],
        counters: list[tuple[Counter, set[int]]],
        past: PastSlots,
    ) -> None:
        self.office, self.day, self.lanes, self.counters, self.past = office, day, lanes, counters, past
        self.zone = ZoneInfo(office.time_zone)
        self.numbers: dict[str, int] = {}
        self.booked = 0
        self.tickets: list[tuple[Ticket, Booking | None]] = []

    def slot(self, group: str, starts: dt.time) -> Slot:
        moment = dt.datetime.combine(self.day, starts, tzinfo=self.zone)
        return self.past.slot(self.office.pk, group, self.day, moment, capacity=6)

    def book(self, case: Application, times: list[dt.time], purpose: str, status: str) -> Booking:
        """A booking in the first of ``times`` whose slot has room."""
        slot = next(
            (
                each
                for each in (self.slot(case.service.category, t) for t in times)
                if each.booked < each.capacity
            ),
            self.slot(case.service.category, times[0]),
        )
        self.booked += 1
        return self.past.book(
            slot,
            case,
            purpose=purpose,
            status=status,
            created_at=slot.starts_at - dt.timedelta(days=5),
            confirmed_at=slot.starts_at - dt.timedelta(days=5),
            # Booked five days ahead: the first free day shown was a few days out, at the latest
            # the day chosen (the statistics' lead time).
            first_free_day=min(
                self.day, self.day - dt.timedelta(days=5) + dt.timedelta(days=2 + (self.booked - 1) % 3)
            ),
        )

    def ticket(
        self,
        letter: str,
        arrived: dt.datetime,
        waited: int,
        served: int,
        *,
        booking: Booking | None = None,
        came: bool = True,
    ) -> Ticket:
        lane = self.lanes[letter]
        self.numbers[letter] = self.numbers.get(letter, 0) + 1
        counter = next((c for c, lanes in self.counters if lane.pk in lanes), self.counters[0][0])
        ticket = past_ticket(
            lane,
            self.day,
            self.numbers[letter],
            arrived,
            waited,
            served if came else None,
            booking=booking,
            counter=counter,
        )
        self.tickets.append((ticket, booking))
        return ticket


def _counters(office: Office) -> list[tuple[Counter, set[int]]]:
    """The office's counters, each with the ids of the lanes it serves."""
    counters = office.counters.prefetch_related("lanes").order_by("number")
    return [(counter, {lane.pk for lane in counter.lanes.all()}) for counter in counters]


def _office_days(office: Office, now: dt.datetime, generator: random.Random, past: PastSlots) -> list[_Day]:
    lanes = {lane.letter: lane for lane in office.lanes.filter(is_active=True)}
    counters = _counters(office)
    if not {"A", "C", "D"} <= set(lanes) or not counters:
        return []
    today = office_today(office, now)
    first = today - dt.timedelta(days=DAYS)
    calendar = working_calendar(office, first, horizon_days=DAYS + 1)
    cases = Application.objects.filter(office=office).select_related("service").order_by("pk")
    served = list(cases.filter(state=State.COLLECTED))
    waiting = list(cases.filter(state=State.READY_FOR_PICKUP, bookings__isnull=True))
    if not served:
        return []
    # Days that have slots already (made ahead when they were to come) are left as they are.
    taken = set(Slot.objects.filter(office=office, day__gte=first).values_list("day", flat=True))
    made = []
    day = first
    while day < today:
        if calendar.is_working_day(day) and day not in taken:
            visits = _Day(office, day, lanes, counters, past)
            times = [
                (dt.datetime.combine(day, FIRST_SLOT) + dt.timedelta(minutes=SLOT_MINUTES * n)).time()
                for n in range(8)
            ]
            for _n in range(generator.randint(6, 14)):
                case = generator.choice(served)
                pickup = generator.random() < 0.6
                booking = visits.book(
                    case,
                    generator.sample(times, len(times)),
                    Purpose.PICKUP if pickup else Purpose.INTERVIEW,
                    BookingStatus.DONE,
                )
                arrived = booking.slot.starts_at - dt.timedelta(minutes=generator.randint(0, 20))
                came = generator.random() > 0.05
                visits.ticket(
                    "C" if pickup else "A",
                    arrived,
                    _wait_seconds(generator),
                    generator.randint(240, 900),
                    booking=booking,
                    came=came,
                )
                if not came:
                    booking.status = BookingStatus.NO_SHOW
            for _n in range(generator.randint(2, 6)):
                arrived = dt.datetime.combine(day, generator.choice(times), tzinfo=visits.zone)
                visits.ticket("D", arrived, _wait_seconds(generator), generator.randint(180, 600))
            # Appointments nobody came to: the case still waits to be collected.
            for _n in range(generator.choice((0, 0, 1, 1, 2))):
                if waiting:
                    visits.book(
                        waiting.pop(),
                        generator.sample(times, len(times)),
                        Purpose.PICKUP,
                        BookingStatus.CONFIRMED,
                    )
            made.append(visits)
        day += dt.timedelta(days=1)
    return made


@transaction.atomic
def load(now: dt.datetime | None = None) -> int:
    """Write the past weeks' visits once; returns how many tickets were written (0 if done)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Done once a ticket of these weeks is there (the older days' tickets are the year of past
    # cases', ``queueing.demo_history``, written just before).
    if Ticket.objects.filter(day__gte=today - dt.timedelta(days=DAYS), day__lt=today).exists():
        return 0
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    past = PastSlots(SLOT_MINUTES)
    days = [
        visits
        for office in Office.objects.public().order_by("code")
        for visits in _office_days(office, now, generator, past)
    ]
    past.save()
    bookings = past.bookings
    tickets = []
    for visits in days:
        for ticket, booked in visits.tickets:
            if booked is not None:
                ticket.booking_id = booked.pk
                ticket.application_id = booked.application_id
                booked.ended_at = ticket.ended_at
            tickets.append(ticket)
    Ticket.objects.bulk_create(tickets, batch_size=500)
    Booking.objects.bulk_update([b for b in bookings if b.ended_at], ["ended_at"], batch_size=500)
    for visits in days:
        for letter, last in visits.numbers.items():
            LaneDay.objects.update_or_create(
                lane=visits.lanes[letter], day=visits.day, defaults={"last_number": last}
            )
    return len(tickets)
