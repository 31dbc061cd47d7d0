"""How fast do notifications arrive? GOV.UK Notify's goal: 95 % of messages delivered within
10 seconds of their creation. This measures Gerbang's against it, through the real worker.

It serves Gerbang as `make run` does (granian, WSGI, with the simulated SMS gateways and push
service mounted, as in development) and starts the huey consumer as `make run` starts it
(`manage.py run_huey`, the workers and settings of `make run`; emails go to the console
backend, as in development). This process then writes messages through the outbox, in
transactions as the services do:

  quiet    QUIET messages, each after IDLE seconds of silence (an idle worker: how soon does it
           notice a message?)
  steady   RATE messages a second for SECONDS seconds, one transaction each (an application
           submitted: what a person waits for), and at the same time
  burst    BURST messages in one transaction, BURST_AT seconds into the steady stream (what an
           office closure or a notice to every booking writes)

Each person has an email address, a phone number and a subscribed browser, and chose email,
SMS and browser notifications, so every message goes to the inbox, email, SMS and push. When
every delivery is done (or the wait runs out) it prints, per stream and channel, the time from
the message's creation to its delivery (p50 / p95 / max) and the share delivered within 10 s,
and that share's ratio against the goal of 95 % (the target is a ratio of at least 1.00 for the
steady stream, while the burst drains); how long the burst took to drain, and the worker's CPU
per message.

  .venv/bin/python bench/notifications.py                     # SQLite (the default set-up)
  .venv/bin/python bench/notifications.py --database postgres://postgres@127.0.0.1:5432/gerbang_bench
  .venv/bin/python bench/notifications.py --redis redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, Server, percentile, production_env  # noqa: E402 - after the path

GOAL_SECONDS = 10.0
GOAL_SHARE = 0.95
CHANNELS = ("inbox", "email", "sms", "push")


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


def vapid_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def bench_env(var_dir: str, database: str, redis: str) -> dict[str, str]:
    """Production settings with the simulators of development: the SMS gateways and the push
    service on the server itself, emails to the worker's console."""
    return production_env(
        var_dir,
        database=database,
        redis=redis,
        SIMULATORS="1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        SMS_GATEWAY_A_KEY=secrets.token_hex(16),
        SMS_GATEWAY_B_KEY=secrets.token_hex(16),
        VAPID_PRIVATE_KEY=vapid_pem(),
    )


def prepare(env: dict[str, str], people: int) -> list[tuple[int, int]]:
    """Migrate, load the catalogue, and make ``people`` people, each with an application, a
    phone, a subscribed browser and the choice of email, SMS and push. Returns (user, case)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from gerbang.accounts.models import User
    from gerbang.applications import numbers
    from gerbang.applications.formspec import PASSPORT_NEW
    from gerbang.applications.models import Application
    from gerbang.applications.workflow import State
    from gerbang.catalog.demo import load as load_catalogue
    from gerbang.catalog.models import Service
    from gerbang.notifications.models import ChannelPreference, PushSubscription

    call_command("migrate", "-v0")
    call_command("createcachetable")
    offices = load_catalogue()
    office = next(o for o in offices if o.code == "mesuji")
    service = Service.objects.get(code="paspor-biasa")
    users = User.objects.bulk_create(
        [
            User(
                email=f"notify-{n}@bench.test",
                full_name=f"Notify {n}",
                password="!",  # noqa: S106 - Django's mark of an unusable password
                phone=f"+62812{n:07d}",
                language="id" if n % 2 else "en",
            )
            for n in range(people)
        ]
    )
    cases = Application.objects.bulk_create(
        [
            Application(
                applicant=user,
                office=office,
                service=service,
                form_key=PASSPORT_NEW.key,
                state=State.SUBMITTED,
                number=numbers.new_number(office_code=office.code, year=2026),
            )
            for user in users
        ]
    )
    ChannelPreference.objects.bulk_create(
        [
            ChannelPreference(user=user, group="application", channels=["email", "push", "sms"])
            for user in users
        ]
    )
    # One browser key for everyone: the push service simulator keeps the bodies, it does not read them.
    browser = ec.generate_private_key(ec.SECP256R1()).public_key()
    p256dh = base64.urlsafe_b64encode(
        browser.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    ).decode()
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                user=user,
                endpoint=f"{env['SITE_URL']}/simulator/push/bench-{user.pk}/",
                p256dh=p256dh.rstrip("="),
                auth=base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("="),
            )
            for user in users
        ]
    )
    connections.close_all()
    return [(user.pk, case.pk) for user, case in zip(users, cases, strict=True)]


def write(people: list[tuple[int, int]], kind: str, tag: str) -> float:
    """One transaction writing a message to each of ``people``, as a service does. Returns
    the moment it committed."""
    from django.db import connections, transaction

    from gerbang.accounts.models import User
    from gerbang.notifications.services import outbox_add

    users = User.objects.in_bulk([user for user, _case in people])
    with transaction.atomic():
        for user, case in people:
            outbox_add(
                recipient=users[user],
                kind=kind,
                dedup_key=f"bench:{tag}:{user}:{kind}",
                context={"application_id": case},
            )
    committed = time.monotonic()
    connections.close_all()
    return committed


def steady_stream(people: list[tuple[int, int]], rate: float, errors: list[str]) -> None:
    """One message every 1/rate seconds, each in its own transaction, on the clock (a late
    one does not push the others back)."""
    start = time.monotonic()
    for n, person in enumerate(people):
        pause = start + n / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        try:
            write([person], "application.submit", "steady")
        except Exception as error:
            errors.append(f"steady {n}: {type(error).__name__}: {error}")


def wait_until_done(deadline: float) -> int:
    """Wait until every message is fanned out and every delivery is delivered or failed for
    good; returns how many deliveries are still open at the deadline."""
    from django.db import connections

    from gerbang.notifications.models import Delivery, DeliveryStatus, OutboxMessage

    open_states = [DeliveryStatus.CREATED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE]
    while True:
        waiting = Delivery.objects.filter(status__in=open_states).count()
        unsent = OutboxMessage.objects.filter(fanned_out_at__isnull=True).count()
        connections.close_all()
        if (waiting == 0 and unsent == 0) or time.monotonic() > deadline:
            return waiting + unsent
        time.sleep(0.5)


def figures() -> dict[str, dict[str, list[float]]]:
    """Seconds from each message's creation to each delivery, per stream and channel; a
    delivery that never arrived counts as infinitely late."""
    from gerbang.notifications.models import Delivery, DeliveryStatus

    seconds: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = Delivery.objects.filter(message__dedup_key__startswith="bench:").values_list(
        "message__dedup_key", "channel", "status", "message__created_at", "delivered_at"
    )
    for key, channel, status, created, delivered in rows:
        stream = key.split(":")[1]
        late = (
            (delivered - created).total_seconds()
            if status == DeliveryStatus.DELIVERED and delivered
            else float("inf")
        )
        seconds[stream][channel].append(late)
        seconds[stream]["all"].append(late)
    return seconds


def burst_drain(committed_at: float) -> tuple[float, int]:
    """Seconds from the burst's commit (a wall-clock time) to its last delivery, and how many
    deliveries it had."""
    from django.db.models import Max

    from gerbang.notifications.models import Delivery

    burst = Delivery.objects.filter(message__dedup_key__startswith="bench:burst:")
    last = burst.aggregate(last=Max("delivered_at"))["last"]
    return ((last.timestamp() - committed_at) if last else float("nan")), burst.count()


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (Linux /proc): the worker's cost."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def failures() -> list[tuple[str, str, int]]:
    """Deliveries that did not arrive: (channel, error, count)."""
    from django.db.models import Count

    from gerbang.notifications.models import Delivery, DeliveryStatus

    return list(
        Delivery.objects.exclude(status=DeliveryStatus.DELIVERED)
        .values_list("channel", "last_error")
        .annotate(n=Count("id"))
        .order_by("-n")[:5]
    )


def show(seconds: dict[str, dict[str, list[float]]]) -> float:
    """Print the table; returns the steady stream's share within 10 s (every channel)."""
    print(
        f"{'stream':8} {'channel':8} {'deliveries':>10} {'p50 s':>8} {'p95 s':>8} {'max s':>8} "
        f"{'<= 10 s':>8} {'ratio':>6}"
    )
    steady_share = 0.0
    for stream in ("quiet", "steady", "burst"):
        for channel in (*CHANNELS, "all"):
            values = seconds[stream].get(channel, [])
            if not values:
                continue
            share = sum(1 for v in values if v <= GOAL_SECONDS) / len(values)
            if stream == "steady" and channel == "all":
                steady_share = share
            print(
                f"{stream:8} {channel:8} {len(values):10d} {percentile(values, 0.5):8.2f} "
                f"{percentile(values, 0.95):8.2f} {max(values):8.2f} {100 * share:7.1f}% {share / GOAL_SHARE:6.2f}"
            )
    return steady_share


def run(args: argparse.Namespace) -> int:
    steady_count = round(args.rate * args.seconds)
    with tempfile.TemporaryDirectory() as var_dir:
        database = fresh_database(args.database, var_dir)
        env = bench_env(var_dir, database, args.redis)
        server = Server(env)
        env["SITE_URL"] = server.url  # the SMS gateways and the push service are on it
        people = prepare(env, 20 + args.quiet + steady_count + args.burst)
        warm, quiet = people[:20], people[20 : 20 + args.quiet]
        steady = people[20 + args.quiet : 20 + args.quiet + steady_count]
        burst = people[20 + args.quiet + steady_count :]
        engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
        print(
            f"{engine}{' + Redis (huey on Redis)' if args.redis else ' (huey on SQLite)'}; worker: run_huey "
            f"--workers {os.environ.get('HUEY_WORKERS', '2')} (as make run); steady {args.rate:g} messages/s "
            f"for {args.seconds:g} s, a burst of {args.burst} messages in one transaction at {args.burst_at:g} s; "
            f"every message to the inbox, email, SMS and push"
        )
        with tempfile.TemporaryFile() as worker_log, server:
            # As scripts/run.sh starts it; its system checks would refuse the simulators with
            # DEBUG off, which only this bench combines.
            command = [
                "manage.py",
                "run_huey",
                "--workers",
                os.environ.get("HUEY_WORKERS", "2"),
                "--skip-checks",
            ]
            worker = subprocess.Popen(  # noqa: S603 - our own manage.py
                [str(PYTHON), *command],
                cwd=ROOT,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
            try:
                # Warm up: the worker starts, imports and renders once.
                for person in warm:
                    write([person], "application.submit", "warm")
                if wait_until_done(time.monotonic() + 120):
                    worker_log.seek(0)
                    printed = worker_log.read().decode(errors="replace")
                    raise RuntimeError(f"the worker did not deliver the warm-up messages:\n{printed[-3000:]}")
                # Quiet hours: one message after each IDLE seconds of silence, the worker idle.
                for person in quiet:
                    time.sleep(args.idle)
                    write([person], "application.submit", "quiet")
                    wait_until_done(time.monotonic() + 60)
                errors: list[str] = []
                stream = threading.Thread(target=steady_stream, args=(steady, args.rate, errors))
                started, worker_cpu = time.monotonic(), cpu_seconds(worker.pid)
                stream.start()
                time.sleep(args.burst_at)
                burst_started = time.monotonic()
                burst_write = write(burst, "application.mark_ready", "burst") - burst_started
                burst_committed_at = time.time()
                stream.join()
                stream_end = time.monotonic()
                still_open = wait_until_done(time.monotonic() + args.wait)
                finished, worker_cpu = time.monotonic(), cpu_seconds(worker.pid) - worker_cpu
            finally:
                worker.terminate()
                worker.wait(timeout=30)
            seconds = figures()
            drain, burst_deliveries = burst_drain(burst_committed_at)
            undelivered = failures()
            if worker.returncode not in (0, -15):
                worker_log.seek(0)
                print(worker_log.read().decode(errors="replace")[-3000:])
        print()
        steady_share = show(seconds)
        print()
        print(
            f"burst: {args.burst} messages written in {burst_write:.1f} s; its {burst_deliveries} deliveries drained "
            f"{drain:.1f} s after its commit ({burst_deliveries / drain if drain > 0 else 0:.0f} deliveries/s); "
            f"the steady stream ran {stream_end - started:.0f} s, everything done {finished - started:.0f} s after its start"
        )
        messages = steady_count + args.burst
        print(
            f"worker: {worker_cpu:.1f} s of CPU for {messages} messages, {1000 * worker_cpu / messages:.1f} ms each "
            f"({1000 * worker_cpu / max(1, sum(len(v) for k, v in seconds['steady'].items() if k != 'all') + burst_deliveries):.1f} ms per delivery)"
        )
        print(
            f"steady stream delivered within {GOAL_SECONDS:g} s: {100 * steady_share:.1f}% "
            f"(goal {100 * GOAL_SHARE:g}%: ratio {steady_share / GOAL_SHARE:.2f}, target >= 1.00)"
        )
        for channel, error, count in undelivered:
            print(f"not delivered: {count} by {channel}: {error or '(no error)'}")
        if still_open or errors:
            print(f"not done: {still_open} deliveries still open; {len(errors)} errors writing messages")
            for error in errors[:5]:
                print("  ", error)
        return 0 if steady_share >= GOAL_SHARE and not still_open and not errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default="", help="a PostgreSQL URL (its database is dropped and made anew)"
    )
    parser.add_argument("--redis", default="", help="a Redis URL: the cache and the task queue (RedisHuey)")
    parser.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_RATE", "2")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "60")))
    parser.add_argument("--burst", type=int, default=int(os.environ.get("BENCH_BURST", "1000")))
    parser.add_argument("--burst-at", type=float, default=float(os.environ.get("BENCH_BURST_AT", "10")))
    parser.add_argument("--quiet", type=int, default=int(os.environ.get("BENCH_QUIET", "3")))
    parser.add_argument(
        "--idle",
        type=float,
        default=float(os.environ.get("BENCH_IDLE", "30")),
        help="seconds of silence before each quiet message",
    )
    parser.add_argument("--wait", type=float, default=float(os.environ.get("BENCH_WAIT", "600")))
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
