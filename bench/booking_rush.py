"""The booking rush: thousands of distinct people press "book" at once. Does Gerbang stay up,
stay fair and never overbook, and how fast does it book?

It serves Gerbang as `make run` does (granian, WSGI, the same workers and threads) but with
production settings (DEBUG off), on a fresh database, and fires booking attempts (the hold that
takes a place) from thousands of distinct accounts, each from its own loopback address, with an
async HTTP client (httpx), in three shapes:

  spread     every account books once, on one of many slots with room for all
  hot        every account tries the same slot, which has few places
  overload   ten times as many at once as in "spread"; the waiting room admits people at the
             rate "spread" measured (BOOKING_ADMISSION_RATE) and the rest retry after the
             Retry-After they are given
  sold out   after "hot", as many others try the hot slot, now full: every answer is "full"
  track      everyone looks up their own case on the public tracking (POST /api/v1/track with
             its number and their birth date), not signed in, from their own address

Afterwards it checks from the database that no slot holds more bookings than its capacity,
that every slot's count equals its active bookings, that no case holds two, and that every
"201 booked" answer is a stored booking; and it prints attempts per second, p50 / p99 latency,
bookings against capacity, violations (must be 0), 5xx and timeouts (must be 0), and the ratio
of booking throughput to the same server's throughput on a one-read endpoint (bench/anchor.py),
measured in the same run: before the booking shapes and after them, the ratios taken against
the mean of both (a shared machine's speed drifts over minutes).

  .venv/bin/python bench/booking_rush.py                     # SQLite (the default set-up)
  .venv/bin/python bench/booking_rush.py --database postgres://postgres@127.0.0.1:5432/gerbang_bench
  .venv/bin/python bench/booking_rush.py --database ... --redis redis://127.0.0.1:6379/14

Targets: 0 violations, 0 5xx; spread booking at least 0.5 of the one-read endpoint; under 10x
overload, accepted bookings per second at least 0.9 of the rate without overload; sold-out
answers at least 0.8 and tracking look-ups at least 0.9 of the one-read endpoint (every sold-out
answer a 409 "slot_full", every look-up a 200 with the person's own number).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import ssl
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, percentile, production_env  # noqa: E402 - after the path

# Django's mark of an account that cannot sign in with a password (these sign in by session).
UNUSABLE = "!"
SPREAD_SLOTS = 400
SPREAD_PLACES = 30
HOT_PLACES = 50


def address(n: int) -> str:
    """A distinct loopback address for the n-th person (all of 127.0.0.0/8 is loopback)."""
    return f"127.{1 + n // 62500 % 250}.{n // 250 % 250}.{1 + n % 250}"


@dataclass
class Person:
    index: int
    session: str
    csrf: str
    case: int
    number: str  # the case's number and the birth date that opens its public tracking
    born: dt.date


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    booked: list[tuple[int, str]] = field(default_factory=list)  # (case, booking code)
    wrong: int = 0  # answers that are not what the person had to be told
    timeouts: int = 0
    elapsed: float = 0.0
    server_cpu: float = 0.0  # seconds of the server's CPU during the shape
    client_cpu: float = 0.0  # seconds of this process's CPU (the crowd) during the shape
    machine_cpu: float = 0.0  # seconds of CPU of every process on the machine during the shape

    @property
    def attempts(self) -> int:
        return sum(self.statuses.values()) + self.timeouts


# --- Setting up: settings, database, people and slots -------------------------------------------


def server_env(var_dir: str, database: str, redis: str, admission_rate: float) -> dict[str, str]:
    return production_env(var_dir, database=database, redis=redis, BOOKING_ADMISSION_RATE=str(admission_rate))


def fresh_database(url: str, var_dir: str) -> str:
    if not url:
        return f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def prepare(env: dict[str, str], people: int) -> tuple[list[Person], list[int], int]:
    """Migrate, load the catalogue, and make the people (each with a case waiting for its
    interview and a signed-in session) and the slots of tomorrow: many roomy ones, one hot."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from gerbang.accounts.models import User
    from gerbang.applications import numbers
    from gerbang.applications.models import Application
    from gerbang.applications.selectors import SUBJECT_TYPE, tracking_key
    from gerbang.applications.workflow import State
    from gerbang.appointments.models import Slot
    from gerbang.catalog import selectors as catalog
    from gerbang.catalog.demo import load as load_catalogue
    from gerbang.catalog.models import Service
    from gerbang.core.models import Event

    call_command("migrate", "-v0")
    call_command("createcachetable")
    offices = load_catalogue()
    office = next(o for o in offices if o.code == "mesuji")
    service = Service.objects.get(code="paspor-biasa")
    users = User.objects.bulk_create(
        [User(email=f"rush-{n}@bench.test", full_name=f"Rush {n}", password=UNUSABLE) for n in range(people)]
    )
    births = [dt.date(1960, 1, 1) + dt.timedelta(days=n * 7 % 15000) for n in range(people)]
    case_numbers = [numbers.new_number(office_code=office.code, year=2026) for _user in users]
    cases = Application.objects.bulk_create(
        [
            Application(
                applicant=user,
                office=office,
                service=service,
                form_key="passport",
                state=State.AWAITING_APPOINTMENT,
                number=number,
                tracking_key=tracking_key(number, born),
                submitted_at=timezone.now(),
            )
            for user, number, born in zip(users, case_numbers, births, strict=True)
        ]
    )
    # Each case's public history, as the workflow writes it: what its tracking shows.
    steps = [
        ("application.submit", "draft", "submitted"),
        ("application.issue_bill", "submitted", "awaiting_payment"),
        ("application.record_payment", "awaiting_payment", "awaiting_appointment"),
    ]
    Event.objects.bulk_create(
        [
            Event(
                code=code,
                actor=case.applicant,
                subject_type=SUBJECT_TYPE,
                subject_id=str(case.pk),
                office_id=office.pk,
                details={"from": source, "to": target, "public": True},
            )
            for case in cases
            for code, source, target in steps
        ]
    )
    store = SessionStore()
    expires = timezone.now() + dt.timedelta(days=1)
    sessions = [
        Session(
            session_key=secrets.token_hex(16),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions)
    tomorrow = catalog.office_today(office) + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=dt.UTC) - dt.timedelta(hours=7)
    slots = Slot.objects.bulk_create(
        [
            Slot(
                office=office,
                group="passport",
                day=tomorrow,
                starts_at=start + dt.timedelta(minutes=n),
                ends_at=start + dt.timedelta(minutes=n + 1),
                capacity=HOT_PLACES if n == SPREAD_SLOTS else SPREAD_PLACES,
            )
            for n in range(SPREAD_SLOTS + 1)
        ]
    )
    connections.close_all()
    folks = [
        Person(
            index=n,
            session=session.session_key,
            csrf=secrets.token_hex(16),
            case=case.pk,
            number=str(case.number),
            born=born,
        )
        for n, (session, case, born) in enumerate(zip(sessions, cases, births, strict=True))
    ]
    return folks, [s.pk for s in slots[:SPREAD_SLOTS]], slots[SPREAD_SLOTS].pk


def violations(booked: list[tuple[int, str]]) -> list[str]:
    """What the database says against the rules (and against what people were told)."""
    from django.db import connections
    from django.db.models import Count, Q

    from gerbang.appointments.models import ACTIVE, Booking, Slot

    problems = []
    for slot in Slot.objects.annotate(active=Count("bookings", filter=Q(bookings__status__in=ACTIVE))):
        if slot.booked > slot.capacity:
            problems.append(f"slot {slot.pk} holds {slot.booked} of {slot.capacity}")
        if slot.booked != slot.active:
            problems.append(f"slot {slot.pk} counts {slot.booked} but has {slot.active} bookings")
    per_case = Counter(Booking.objects.filter(status__in=ACTIVE).values_list("application_id", flat=True))
    problems += [f"case {case} holds {n} bookings" for case, n in per_case.items() if n > 1]
    stored = set(Booking.objects.filter(status__in=ACTIVE).values_list("application_id", "code"))
    problems += [
        f"case {case} was told {code} but it is not stored"
        for case, code in booked
        if (case, code) not in stored
    ]
    connections.close_all()
    return problems


# --- The crowd --------------------------------------------------------------------------------------

TLS = ssl.create_default_context()  # httpx builds one per client otherwise (slow); unused on http


def client_for(person: Person, port: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        transport=httpx.AsyncHTTPTransport(local_address=address(person.index), verify=TLS),
        cookies={"sessionid": person.session, "csrftoken": person.csrf},
        headers={"X-CSRFToken": person.csrf, "Content-Type": "application/json"},
        timeout=httpx.Timeout(30.0),
    )


async def hold(
    client: httpx.AsyncClient, person: Person, slot: int, outcome: Outcome
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.post(
            f"/api/v1/applications/{person.case}/appointment/hold", content=json.dumps({"slot": slot})
        )
    except httpx.TimeoutException:
        outcome.timeouts += 1
        return None
    outcome.latencies.append((time.perf_counter() - started) * 1000)
    outcome.statuses[response.status_code] += 1
    if response.status_code == 201:
        outcome.booked.append((person.case, response.json()["code"]))
    elif response.headers.get("content-type", "").startswith("application/json"):
        outcome.codes[str(response.json().get("code", ""))] += 1
    return response


async def track(people: list[Person], port: int, concurrency: int) -> Outcome:
    """Each person looks up their own case once: not signed in, from their own address."""
    outcome = Outcome()
    gate = asyncio.Semaphore(concurrency)

    async def person_tracks(person: Person) -> None:
        async with (
            gate,
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                transport=httpx.AsyncHTTPTransport(local_address=address(person.index), verify=TLS),
                headers={"Content-Type": "application/json"},
                timeout=httpx.Timeout(30.0),
            ) as client,
        ):
            started = time.perf_counter()
            body = json.dumps({"number": person.number, "date_of_birth": person.born.isoformat()})
            try:
                response = await client.post("/api/v1/track", content=body)
            except httpx.TimeoutException:
                outcome.timeouts += 1
                return
            outcome.latencies.append((time.perf_counter() - started) * 1000)
            outcome.statuses[response.status_code] += 1
            if response.status_code != 200 or response.json().get("number") != person.number:
                outcome.wrong += 1

    started = time.perf_counter()
    await asyncio.gather(*(person_tracks(p) for p in people))
    outcome.elapsed = time.perf_counter() - started
    return outcome


async def crowd(people: list[Person], choose: Any, port: int, concurrency: int, *, retry: bool) -> Outcome:
    """Each person tries to book (a slot from ``choose``); with ``retry``, someone told to wait
    (429) comes back after the Retry-After they were given, until booked or told it is full."""
    outcome = Outcome()
    gate = asyncio.Semaphore(concurrency)

    async def person_tries(person: Person) -> None:
        async with gate, client_for(person, port) as client:
            for _attempt in range(50):
                response = await hold(client, person, choose(), outcome)
                if not retry or response is None or response.status_code != 429:
                    return
                await asyncio.sleep(
                    min(float(response.headers.get("Retry-After", "1")), 2.0) * random.uniform(0.5, 1.0)
                )

    started = time.perf_counter()
    await asyncio.gather(*(person_tries(p) for p in people))
    outcome.elapsed = time.perf_counter() - started
    return outcome


async def one_reads(people: list[Person], slot: int, port: int, concurrency: int, seconds: float) -> Outcome:
    """The anchor: signed-in people reading one row, for ``seconds``, ``concurrency`` at a time."""
    outcome = Outcome()
    deadline = time.perf_counter() + seconds

    async def reader(n: int) -> None:
        person = people[n % len(people)]
        async with client_for(person, port) as client:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(f"/bench/read/{slot}")
                outcome.latencies.append((time.perf_counter() - started) * 1000)
                outcome.statuses[response.status_code] += 1

    started = time.perf_counter()
    await asyncio.gather(*(reader(n) for n in range(concurrency)))
    outcome.elapsed = time.perf_counter() - started
    return outcome


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (not idle, not waiting on disks): /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def measured(server: Server, shape: Any) -> Outcome:
    """Run one shape (a coroutine) and note the CPU time it took: the server's, the crowd's, the machine's."""
    before, mine, everyone = server.cpu_seconds(), time.process_time(), machine_cpu_seconds()
    outcome: Outcome = asyncio.run(shape)
    outcome.server_cpu = server.cpu_seconds() - before
    outcome.client_cpu = time.process_time() - mine
    outcome.machine_cpu = machine_cpu_seconds() - everyone
    return outcome


def rate_of(outcome: Outcome) -> float:
    """Attempts per second over the whole shape."""
    return outcome.attempts / outcome.elapsed if outcome.elapsed else 0.0


def report(name: str, outcome: Outcome, anchor_rate: float, capacity: int | None = None) -> None:
    rate = rate_of(outcome)
    booked = len(outcome.booked)
    fives = sum(n for status, n in outcome.statuses.items() if status >= 500)
    statuses = " ".join(f"{status}:{n}" for status, n in sorted(outcome.statuses.items()))
    codes = " ".join(f"{code}:{n}" for code, n in outcome.codes.most_common(4))
    cores = "".join(
        f" {seconds / outcome.elapsed if outcome.elapsed else 0:5.2f}"
        for seconds in (outcome.server_cpu, outcome.client_cpu, outcome.machine_cpu)
    )
    print(
        f"{name:10} {outcome.attempts:7d} {rate:9.0f} {statistics.median(outcome.latencies or [0]):8.1f} "
        f"{percentile(outcome.latencies, 0.99):8.1f} {booked:7d}{'' if capacity is None else f'/{capacity}':7} "
        f"{rate / anchor_rate if anchor_rate else 1.0:6.2f} {outcome.server_cpu * 1000 / max(1, outcome.attempts):7.1f}"
        f"{cores}  5xx={fives} timeouts={outcome.timeouts}  [{statuses}] {codes}"
    )


def cpu_per_attempt(outcome: Outcome) -> float:
    return outcome.server_cpu / max(1, outcome.attempts)


def bookings_per_second(outcome: Outcome) -> float:
    """Accepted bookings over the whole shape (from the first attempt to the last answer)."""
    return len(outcome.booked) / outcome.elapsed if outcome.elapsed else 0.0


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as var_dir:
        database = fresh_database(args.database, var_dir)
        env = server_env(var_dir, database, args.redis, admission_rate=1e9)
        people = args.people
        everyone, spread_slots, hot_slot = prepare(env, people * 4)
        spread_people = everyone[:people]
        hot_people = everyone[people : 2 * people]
        overload_people = everyone[2 * people : 3 * people]
        sold_out_people = everyone[3 * people :]
        engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
        print(
            f"{engine}{' + Redis' if args.redis else ''}; granian WSGI {os.environ.get('WEB_WORKERS', '1')} worker(s) x "
            f"{os.environ.get('WEB_THREADS', '4')} threads; {people} people per shape, {args.concurrency} at a time "
            f"({args.concurrency * 10} under overload)"
        )
        print(
            f"{'shape':10} {'attempts':>7} {'per s':>9} {'p50 ms':>8} {'p99 ms':>8} {'booked':>14} {'ratio':>6} "
            f"{'cpu ms':>7} {'srv':>5} {'crowd':>5} {'all':>5}  (cpu ms: the server's CPU time per attempt;"
            f" srv, crowd, all: the cores the server, the crowd and the whole machine kept busy, of {os.cpu_count()})"
        )
        with Server(env, "bench.anchor:application") as server:
            asyncio.run(one_reads(spread_people, hot_slot, server.port, args.concurrency, 1.0))  # warm up
            before = measured(
                server, one_reads(spread_people, hot_slot, server.port, args.concurrency, args.seconds)
            )
            spread = measured(
                server,
                crowd(
                    spread_people,
                    lambda: random.choice(spread_slots),
                    server.port,
                    args.concurrency,
                    retry=False,
                ),
            )
            hot = measured(
                server, crowd(hot_people, lambda: hot_slot, server.port, args.concurrency, retry=False)
            )
            sold_out = measured(
                server, crowd(sold_out_people, lambda: hot_slot, server.port, args.concurrency, retry=False)
            )
            sold_out.wrong = sold_out.attempts - sold_out.codes["slot_full"]
            tracked = measured(server, track(spread_people, server.port, args.concurrency))
            # The anchor again: a shared machine's speed drifts over minutes, so the booking
            # shapes are compared with the mean of the anchor before and after them.
            after = measured(
                server, one_reads(spread_people, hot_slot, server.port, args.concurrency, args.seconds)
            )
        calm_rate = bookings_per_second(spread)
        admission = max(1.0, round(calm_rate))
        with Server(
            server_env(var_dir, database, args.redis, admission_rate=admission), "bench.anchor:application"
        ) as server:
            overload = measured(
                server,
                crowd(
                    overload_people,
                    lambda: random.choice(spread_slots),
                    server.port,
                    args.concurrency * 10,
                    retry=True,
                ),
            )
        anchor_rate = (rate_of(before) + rate_of(after)) / 2
        report("read first", before, anchor_rate)
        report("read last", after, anchor_rate)
        print(f"{'':10} (the anchor: the same server, signed-in GET of one row by primary key; ratios")
        print(f"{'':10}  are against the mean of both, {anchor_rate:.0f} per second)")
        report("spread", spread, anchor_rate, SPREAD_SLOTS * SPREAD_PLACES)
        report("hot", hot, anchor_rate, HOT_PLACES)
        report("overload", overload, anchor_rate, SPREAD_SLOTS * SPREAD_PLACES)
        report("sold out", sold_out, anchor_rate, 0)
        report("track", tracked, anchor_rate)
        stormy_rate = bookings_per_second(overload)
        problems = violations(spread.booked + hot.booked + overload.booked + sold_out.booked)
        shapes = (spread, hot, overload, sold_out, tracked)
        fives = sum(n for o in shapes for s, n in o.statuses.items() if s >= 500)
        timeouts = sum(o.timeouts for o in shapes)
        spread_ratio = rate_of(spread) / anchor_rate
        print()
        print(
            f"bookings per second: {calm_rate:.0f} without overload; {stormy_rate:.0f} under 10x overload "
            f"(waiting room admitting {admission:.0f}/s): ratio {stormy_rate / calm_rate if calm_rate else 0:.2f} (target >= 0.9)"
        )
        print(f"spread booking / one read: {spread_ratio:.2f} (target >= 0.5)")
        # What each answer costs the server, against a read: the same ratio, less moved by
        # whatever else the shared machine runs at the time.
        read_cpu = (before.server_cpu + after.server_cpu) / max(1, before.attempts + after.attempts)
        print(
            f"sold-out answers / one read: {rate_of(sold_out) / anchor_rate:.2f} (target >= 0.8; by server CPU "
            f"per answer {read_cpu / cpu_per_attempt(sold_out):.2f}); not 'full': {sold_out.wrong} (must be 0)"
        )
        print(
            f"tracking look-ups / one read: {rate_of(tracked) / anchor_rate:.2f} (target >= 0.9; by server CPU "
            f"per answer {read_cpu / cpu_per_attempt(tracked):.2f}); not their own case: {tracked.wrong} (must be 0)"
        )
        print(f"hot slot: {len(hot.booked)} booked of {HOT_PLACES} places (must be equal)")
        print(f"violations: {len(problems)} (must be 0); 5xx: {fives}; timeouts: {timeouts} (must be 0)")
        for problem in problems[:10]:
            print("  ", problem)
        ok = (
            not problems
            and fives == 0
            and timeouts == 0
            and len(hot.booked) == HOT_PLACES
            and sold_out.wrong == 0
            and tracked.wrong == 0
        )
        return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default="", help="a PostgreSQL URL (its database is dropped and made anew)"
    )
    parser.add_argument("--redis", default="", help="a Redis URL for the cache and the waiting room")
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE", "3000")))
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", "64")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
