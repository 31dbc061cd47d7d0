"""Rotating the field encryption key under load (issue 20): "key rotation runs under load with
no failed read".

It builds a throw-away database (SQLite, or a scratch PostgreSQL database with --database) of
PEOPLE accounts, each with an encrypted phone number and NIK, and for three in four of them
(--case-share) a passport application whose answers (phone, NIK, address...) are encrypted too,
all under key version 1; then it follows the procedure of docs/operations.md ("Rotating the
field encryption key") with Gerbang served as `make run` serves it (granian, production
settings) and a crowd of CONCURRENCY signed-in clients reading, each read as a different person:

  A before  keys "1:<old>": the load for SECONDS.
  B during  the server restarted with "2:<new>,1:<old>" (the new key first in the ring), the same
            load, and `rotate_keys` (its default batch size unless --batch-size) run in a
            process of its own while the load runs; the load lasts SECONDS and at least until
            the rotation is done.
  C after   `manage.py rotate_keys --check` must count nothing under key 1; then the server
            restarted with "2:<new>" alone (the old key removed) and the load for
            --after-seconds: what was left behind under key 1 would fail to decrypt.

A read is one person's own page: their profile (/account/profile/, whose form shows their
decrypted phone and NIK) or the review page of their application (/applications/<pk>/review/,
which shows the answers decrypted: the case's main page shows none of them, so it could not
tell a right value from a wrong one). A read is good when the answer is 200 and shows that
person's own phone number and NIK; anything else (an error, a timeout, a redirect, someone
else's value, an undecryptable one) is a failed read. Every person's values are distinct.

The rotation process sets Django up and runs the system checks (what `manage.py` does before a
command) before the load begins; the time measured is `rotate_keys` itself, and "during
rotation" is the reads finished between its start and its end.

It prints, for each phase, good reads per second, p50 / p95 latency, failed reads and the cores
the server and the crowd kept busy; the ratio of reads per second during rotation to phase A of
the same run (the anchor); how long the rotation took and the values it re-encrypted per second
(a value is one encrypted column of one row: an account holds two, an application one). It
exits non-zero if any read failed or --check found anything under key 1.

  .venv/bin/python bench/key_rotation.py                                  # SQLite, 2,000 people, 20 s
  .venv/bin/python bench/key_rotation.py --people 50 --seconds 3          # a smoke test
  .venv/bin/python bench/key_rotation.py --database postgres://postgres@127.0.0.1:5432/gerbang_keys_bench

The PostgreSQL database named must be a scratch one whose name says "bench": it is dropped and
made anew, and dropped again at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import itertools
import json
import os
import random
import re
import secrets
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, Server, manage, percentile, production_env  # noqa: E402 - after the path

# Django's mark of an account that cannot sign in with a password (these sign in by session).
UNUSABLE = "!"
WARM_UP_SECONDS = 1.0
# Names of PostgreSQL databases the bench never drops, whatever --database says.
PROTECTED_DATABASES = frozenset({"test", "postgres", "template0", "template1"})
TLS = ssl.create_default_context()  # httpx builds one per client otherwise (slow); unused on http


# --- The database -----------------------------------------------------------------------------


def scratch_database(url: str, var_dir: str) -> str:
    """SQLite in ``var_dir``, or the PostgreSQL database of ``url`` dropped and made anew."""
    if not url:
        return f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    base, _slash, name = url.rpartition("/")
    if not url.startswith(("postgres://", "postgresql://")) or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"--database: {url!r} is not postgres://user@host:port/name")
    if name in PROTECTED_DATABASES or "bench" not in name:
        raise SystemExit(
            f"--database: {name!r} is not a scratch database. The bench drops the database it is "
            "given; name one whose name says bench, e.g. .../gerbang_keys_bench."
        )
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Read:
    """One person's own page, and what it must show: their values, decrypted."""

    person: int
    path: str
    session: str
    shows: tuple[str, ...]


def _nik(n: int, born: dt.date, sex: str) -> str:
    """A valid NIK (Jakarta Selatan, 31.71.01), distinct for each n: the birth date (40 added
    to the day for women) and a serial number."""
    day = born.day + (40 if sex == "F" else 0)
    return f"317101{day:02d}{born:%m%y}{n % 9999 + 1:04d}"


@dataclass(frozen=True)
class Seeded:
    reads: list[Read]
    cases: int
    set_up: float  # seconds to migrate and collect the static files (at the same time)
    seeding: float  # seconds to make the people, their applications and sessions


def seed(env: dict[str, str], people: int, case_share: float) -> Seeded:
    """Migrate, collect the static files (the pages name their hashed copies), load the
    catalogue, and make the people (encrypted phone and NIK, a signed-in session each) and, for
    ``case_share`` of them, an application whose answers are complete and waiting to be
    submitted. Every value is encrypted by its field as it is written, under the ring of
    ``env``."""
    started = time.perf_counter()
    # Compressing the static files takes longest, and needs no database: in a process of its own.
    collect = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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
    from gerbang.applications.formspec import form_for
    from gerbang.applications.models import Application
    from gerbang.applications.tests.factories import passport_answers
    from gerbang.applications.workflow import State
    from gerbang.catalog.demo import load as load_catalogue
    from gerbang.catalog.models import Service
    from gerbang.core import crypto

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        call_command("createcachetable")
    migrated = time.perf_counter()
    office = next(o for o in load_catalogue() if o.code == "mesuji")
    service = Service.objects.get(code="paspor-biasa")
    spec = form_for(service.code, service.audience)
    now = timezone.now()
    borns = [dt.date(1960, 1, 1) + dt.timedelta(days=n * 7 % 15000) for n in range(people)]
    sexes = ["F" if n % 2 else "M" for n in range(people)]
    niks = [_nik(n, born, sex) for n, (born, sex) in enumerate(zip(borns, sexes, strict=True))]
    phones = [f"+62812{n:08d}" for n in range(people)]
    users = User.objects.bulk_create(
        [
            User(
                email=f"keys-{n}@bench.test",
                full_name=f"Warga Bench {n}",
                password=UNUSABLE,
                date_of_birth=borns[n],
                sex=sexes[n],
                nationality="ID",
                phone=phones[n],
                nik=niks[n],
                nik_index=crypto.blind_index(niks[n], purpose="nik"),
                email_verified_at=now,
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    # The application's phone as the person typed it (another number than the profile's).
    typed_phones = [f"0813 {n // 10000:04d} {n % 10000:04d}" for n in range(people)]
    with_case = sorted(random.Random(20).sample(range(people), round(people * case_share)))
    cases = Application.objects.bulk_create(
        [
            Application(
                applicant=users[n],
                office=office,
                service=service,
                form_key=spec.key,
                state=State.DRAFT,
                current_step=spec.steps[-1].slug,
                answers=passport_answers(
                    full_name=users[n].full_name,
                    sex=sexes[n],
                    date_of_birth=f"{borns[n]:%d/%m/%Y}",
                    nik=niks[n],
                    phone=typed_phones[n],
                    address=f"Jl. Merdeka No. {n + 1}, RT 01/RW 02, Mesuji",
                ),
            )
            for n in with_case
        ],
        batch_size=1000,
    )
    store = SessionStore()
    expires = now + dt.timedelta(days=1)
    sessions = Session.objects.bulk_create(
        [
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
        ],
        batch_size=1000,
    )
    connections.close_all()
    reads = [
        Read(n, "/account/profile/", sessions[n].session_key, (f'value="{phones[n]}"', f'value="{niks[n]}"'))
        for n in range(people)
    ]
    reads += [
        Read(
            n,
            f"/applications/{case.pk}/review/",
            sessions[n].session_key,
            (f'<span class="answer">{typed_phones[n]}</span>', f'<span class="answer">{niks[n]}</span>'),
        )
        for n, case in zip(with_case, cases, strict=True)
    ]
    random.Random(7).shuffle(reads)  # one after the other, the reads are of different people
    seeded = time.perf_counter()
    _out, problem = collect.communicate()
    if collect.returncode:
        raise RuntimeError(f"collectstatic failed:\n{problem}")
    return Seeded(reads, len(cases), time.perf_counter() - started - (seeded - migrated), seeded - migrated)


# --- The load ---------------------------------------------------------------------------------


@dataclass
class Load:
    good: list[tuple[float, float]] = field(default_factory=list)  # (finished at, latency ms)
    failed: list[tuple[float, str]] = field(default_factory=list)  # (finished at, what went wrong)
    people: set[int] = field(default_factory=set)  # whose pages were read right
    started: float = 0.0
    ended: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    warm_up_failed: list[str] = field(default_factory=list)


def _wrong(response: httpx.Response, read: Read) -> str:
    """What is wrong with the answer to ``read`` ("" if nothing)."""
    if response.status_code != 200:
        where = response.headers.get("location", "")
        return f"HTTP {response.status_code}" + (f" to {where}" if where else "")
    text = response.text
    missing = sum(1 for value in read.shows if value not in text)
    return f"{missing} of the person's {len(read.shows)} values not shown" if missing else ""


async def _reader(
    url: str, reads: list[Read], cursor: itertools.count[int], going: Callable[[], bool], load: Load
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(30.0), verify=TLS) as client:
        while going():
            read = reads[next(cursor) % len(reads)]
            started = time.perf_counter()
            try:
                response = await client.get(read.path, headers={"Cookie": f"sessionid={read.session}"})
                wrong = _wrong(response, read)
            except httpx.HTTPError as exc:
                wrong = f"{type(exc).__name__}: {exc}"
            finished = time.perf_counter()
            client.cookies.clear()  # each read is of its own person: keep no cookie of another
            if wrong:
                load.failed.append((finished, f"{read.path} (person {read.person}): {wrong}"))
            else:
                load.good.append((finished, (finished - started) * 1000))
                load.people.add(read.person)


async def _crowd(
    url: str, reads: list[Read], concurrency: int, going: Callable[[], bool], load: Load
) -> None:
    cursor = itertools.count()
    load.started = time.perf_counter()
    await asyncio.gather(*(_reader(url, reads, cursor, going, load) for _ in range(concurrency)))
    load.ended = time.perf_counter()


def _for(seconds: float) -> Callable[[], bool]:
    deadline = time.perf_counter() + seconds
    return lambda: time.perf_counter() < deadline


async def _warm_up(url: str, reads: list[Read], concurrency: int) -> list[str]:
    """A second of the same load on a new server (its processes, templates and caches); what
    failed there counts with its phase."""
    warm = Load()
    await _crowd(url, reads[::-1], concurrency, _for(WARM_UP_SECONDS), warm)
    return [what for _at, what in warm.failed]


def steady(server: Server, reads: list[Read], concurrency: int, seconds: float) -> Load:
    """The load alone for ``seconds``."""

    async def run() -> Load:
        load = Load(warm_up_failed=await _warm_up(server.url, reads, concurrency))
        cpu, mine = server.cpu_seconds(), time.process_time()
        await _crowd(server.url, reads, concurrency, _for(seconds), load)
        load.server_cpu, load.client_cpu = server.cpu_seconds() - cpu, time.process_time() - mine
        return load

    return asyncio.run(run())


@dataclass
class Rotation:
    started: float = 0.0  # on this process's clock: from the go to the answer
    ended: float = 0.0
    seconds: float = 0.0  # as the rotation process measured rotate_keys itself
    cpu: float = 0.0  # seconds of CPU the rotation process used meanwhile (not the database's)
    output: str = ""
    error: str = ""

    @property
    def values(self) -> int:
        match = re.search(r"^Done: re-encrypted (\d+) values", self.output, re.MULTILINE)
        return int(match[1]) if match else 0


def during(
    server: Server,
    env: dict[str, str],
    reads: list[Read],
    concurrency: int,
    seconds: float,
    batch_size: int | None,
) -> tuple[Load, Rotation]:
    """The load for ``seconds`` (and until the rotation is done), ``rotate_keys`` running in a
    process of its own from a moment after the load began."""

    async def run() -> tuple[Load, Rotation]:
        rotation = Rotation()
        command = [str(PYTHON), __file__, "--rotator"] + (
            [f"--batch-size={batch_size}"] if batch_size else []
        )
        rotator = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, limit=2**26
        )
        assert rotator.stdin is not None and rotator.stdout is not None
        ready = await rotator.stdout.readline()
        if ready.strip() != b"ready":
            await rotator.wait()
            raise RuntimeError(f"the rotation process did not start (exit {rotator.returncode}); see above")
        load = Load(warm_up_failed=await _warm_up(server.url, reads, concurrency))
        cpu, mine = server.cpu_seconds(), time.process_time()
        deadline = time.perf_counter() + seconds
        done = asyncio.Event()
        crowd = asyncio.create_task(
            _crowd(
                server.url,
                reads,
                concurrency,
                lambda: not done.is_set() or time.perf_counter() < deadline,
                load,
            )
        )
        await asyncio.sleep(min(2.0, seconds / 5))  # the load is under way first
        rotation.started = time.perf_counter()
        rotator.stdin.write(b"go\n")
        await rotator.stdin.drain()
        answer = json.loads(await rotator.stdout.readline() or b'{"error": "the rotation process died"}')
        rotation.ended = time.perf_counter()
        done.set()
        await crowd
        await rotator.wait()
        load.server_cpu, load.client_cpu = server.cpu_seconds() - cpu, time.process_time() - mine
        rotation.seconds = float(answer.get("seconds", rotation.ended - rotation.started))
        rotation.cpu = float(answer.get("cpu", 0.0))
        rotation.output, rotation.error = answer.get("output", ""), answer.get("error", "")
        return load, rotation

    return asyncio.run(run())


def rotator(batch_size: int | None) -> int:
    """The rotation process: Django set up and the system checks run (as `manage.py` runs them
    before a command), then ``rotate_keys`` once the bench says go; its time and output as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("check", stdout=io.StringIO())
    print("ready", flush=True)
    sys.stdin.readline()
    output = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        call_command("rotate_keys", stdout=output, **({"batch_size": batch_size} if batch_size else {}))
    except Exception as exc:  # told to the bench, which fails with it
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}", "output": output.getvalue()}), flush=True)
        return 1
    done = {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "output": output.getvalue(),
    }
    print(json.dumps(done), flush=True)
    return 0


# --- The figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    seconds: float
    reads: int
    p50: float
    p95: float
    failed: int

    @property
    def rate(self) -> float:
        return self.reads / self.seconds if self.seconds > 0 else 0.0


def figures(load: Load, start: float | None = None, end: float | None = None) -> Figures:
    """The load's good reads finished between ``start`` and ``end`` (all of them by default)."""
    start = load.started if start is None else start
    end = load.ended if end is None else end
    latencies = [ms for at, ms in load.good if start <= at <= end]
    failed = sum(1 for at, _what in load.failed if start <= at <= end)
    if start == load.started and end == load.ended:
        failed += len(load.warm_up_failed)
    return Figures(
        end - start, len(latencies), percentile(latencies, 0.5), percentile(latencies, 0.95), failed
    )


def row(name: str, keys: str, shown: Figures, load: Load | None) -> str:
    cores = ""
    if load is not None and load.ended > load.started:
        elapsed = load.ended - load.started
        cores = f"{load.server_cpu / elapsed:5.2f} {load.client_cpu / elapsed:6.2f}"
    return (
        f"{name:24} {keys:6} {shown.seconds:7.2f} {shown.reads:7} {shown.rate:8.1f} "
        f"{shown.p50:7.1f} {shown.p95:7.1f} {shown.failed:6}   {cores}"
    )


def left_under_old(check: str) -> int | None:
    """Values --check counts under version 1 or under no version (None if it did not say)."""
    under_one = re.search(r"^\s+version 1: (\d+) values", check, re.MULTILINE)
    unversioned = re.search(
        r"^\s+unversioned \(written before key versions\): (\d+) values", check, re.MULTILINE
    )
    if under_one is None and unversioned is None:
        return None
    return sum(int(match[1]) for match in (under_one, unversioned) if match)


def failures(load: Load) -> list[str]:
    return load.warm_up_failed + [what for _at, what in load.failed]


def server_errors(server: Server) -> str:
    """The last error the server logged (LOG_LEVEL=ERROR, one JSON object a line): its message
    and the end of its traceback."""
    server.log.seek(0)
    lines = server.log.read().decode(errors="replace").strip().splitlines()
    for line in reversed(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            trace = str(entry.get("exception", "")).splitlines()[-3:]
            return "\n".join([str(entry.get("message", "")), *trace])
    return "\n".join(lines[-10:])


# --- The run ----------------------------------------------------------------------------------


def measure(args: argparse.Namespace, var_dir: str, database: str) -> int:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    rings = {"A": f"1:{old}", "B": f"2:{new},1:{old}", "C": f"2:{new}"}
    envs = {
        phase: production_env(var_dir, database=database, FIELD_ENCRYPTION_KEYS=ring)
        for phase, ring in rings.items()
    }
    seeded = seed(envs["A"], args.people, args.case_share)
    reads, cases = seeded.reads, seeded.cases
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(
        f"== key rotation under load ({engine}): {args.people:,} people, {cases:,} with an application "
        f"({2 * args.people + cases:,} encrypted values under key 1), seeded in {seeded.seeding:.1f} s "
        f"(migrations and static files {seeded.set_up:.1f} s); "
        f"{args.concurrency} clients, {len(reads):,} distinct reads (profiles and applications' review pages)",
        flush=True,
    )
    problems: list[str] = []

    with Server(envs["A"]) as server:
        before = steady(server, reads, args.concurrency, args.seconds)
        logged_a = server_errors(server) if failures(before) else ""
    print(
        f"A before: served with keys 1; {len(before.people):,} of {args.people:,} people read right",
        flush=True,
    )

    with Server(envs["B"]) as server:
        load_b, rotation = during(server, envs["B"], reads, args.concurrency, args.seconds, args.batch_size)
        logged_b = server_errors(server) if failures(load_b) else ""
    if rotation.error:
        problems.append(f"rotate_keys failed: {rotation.error}")
    print(
        f"B during: served with keys 2,1; rotate_keys took {rotation.seconds:.2f} s "
        f"({rotation.cpu:.2f} s of CPU in its process), "
        f"{rotation.started - load_b.started:.1f} s into a {load_b.ended - load_b.started:.1f} s load",
        flush=True,
    )
    totals = re.findall(r"^(\S+): re-encrypted (\d+) values in all\.$", rotation.output, re.MULTILINE)
    for column, count in totals:
        if int(count):
            print(f"  {column}: {int(count):,} values re-encrypted")
    print(f"  {sum(1 for _column, count in totals if not int(count))} other encrypted columns: empty")

    try:
        check = manage(envs["B"], "rotate_keys", "--check")
    except subprocess.CalledProcessError as exc:
        check = f"{exc.stdout}{exc.stderr}"
    left = left_under_old(check)
    if left != 0:
        problems.append(
            f"rotate_keys --check: {left if left is not None else 'no count'} values left under key 1"
        )
    print(f"C: rotate_keys --check counts {left} values under key 1 (or under none)", flush=True)

    with Server(envs["C"]) as server:
        after = steady(server, reads, args.concurrency, args.after_seconds)
        logged_c = server_errors(server) if failures(after) else ""
    print(f"C after: served with keys 2 alone; {len(after.people):,} of {args.people:,} people read right")

    a, b_window, b_all, c = (
        figures(before),
        figures(load_b, rotation.started, rotation.ended),
        figures(load_b),
        figures(after),
    )
    print()
    print(
        f"{'phase':24} {'keys':6} {'seconds':>7} {'reads':>7} {'reads/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'failed':>6}   cores: server client"
    )
    print(row("A before", "1", a, before))
    print(row("B during rotation", "2,1", b_window, None))
    print(row("B whole phase", "2,1", b_all, load_b))
    print(row("C after (old key gone)", "2", c, after))
    ratio = b_window.rate / a.rate if a.rate else 0.0
    print(f"ratio during/before (reads/s during rotation / phase A): {ratio:.2f}")
    values = rotation.values
    print(
        f"rotation: {values:,} values re-encrypted in {rotation.seconds:.2f} s: "
        f"{values / rotation.seconds if rotation.seconds > 0 else 0.0:,.0f} values/s "
        f"(batch size {args.batch_size or 'default'}; a value is one encrypted column of one row)"
    )
    failed = {"A": failures(before), "B": failures(load_b), "C": failures(after)}
    for phase, logged in (("A", logged_a), ("B", logged_b), ("C", logged_c)):
        if failed[phase]:
            problems.append(f"phase {phase}: {len(failed[phase])} failed reads")
            print(f"\nphase {phase}, failed reads (the first five):")
            for what in failed[phase][:5]:
                print(f"  {what}")
            if logged:
                print(f"the server's log, its end:\n{logged}")
    total = sum(len(f) for f in failed.values())
    print(f"failed reads: {total} (must be 0): goal {'met' if not problems else 'NOT met'}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE", "2000")))
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="length of the load before and during rotation"
    )
    parser.add_argument(
        "--after-seconds", type=float, default=5.0, help="length of the load after the old key is gone"
    )
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", "8")))
    parser.add_argument(
        "--case-share", type=float, default=0.75, help="share of the people with an application"
    )
    parser.add_argument("--batch-size", type=int, help="rotate_keys --batch-size (its default otherwise)")
    parser.add_argument(
        "--database",
        default="",
        help="a PostgreSQL URL of a scratch database whose name says bench (dropped, made anew, dropped at the end)",
    )
    parser.add_argument("--rotator", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rotator:
        return rotator(args.batch_size)
    if args.people < 1 or args.concurrency < 1 or args.seconds <= 0 or args.after_seconds <= 0:
        parser.error("--people and --concurrency must be at least 1, --seconds and --after-seconds above 0")
    if not 0 <= args.case_share <= 1:
        parser.error("--case-share is a share, from 0 to 1")
    with tempfile.TemporaryDirectory(prefix="gerbang-keys-") as var_dir:
        database = scratch_database(args.database, var_dir)
        try:
            return measure(args, var_dir, database)
        finally:
            if args.database:
                from django.conf import settings

                if settings.configured:  # this process's connections, if it got so far
                    from django.db import connections

                    connections.close_all()
                drop_database(database)


if __name__ == "__main__":
    sys.exit(main())
