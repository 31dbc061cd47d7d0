"""The public ledger (issue 20): how fast do events get into the log, how big and how fast are
its proofs as it grows, and does its sequencer slow the booking rush down?

Four parts, each on a fresh database with production settings (DEBUG off):

  throughput  events appended to the log per second by one sequencer run (``log_integrate``)
              over EVENTS committed events, against the anchor: the same number of events
              written as services write them (``core.events.record``, one transaction each).
  lag         events written at the booking rush's rate (RATE per second, the SQLite rush of
              docs/performance.md) for SECONDS while the sequencer runs on the worker's
              schedule (every 15 s): the time from an event's commit to its leaf (p50, p99,
              max), and what the writes waited meanwhile (p50, p99 of one ``record``).
  proofs      the log grown to 10^3, 10^4, 10^5 leaves (10^6 and 10^7 with --large): at each
              size, an inclusion proof's hashes and bytes (as the API answers), the time to
              build one from the database (p50, p99 of PROOFS random events) and to verify it
              (signature and audit path), and a consistency proof from half the size.
  rush        the booking rush's "spread" shape (bench/booking_rush.py: granian, thousands of
              accounts booking at once), four rounds of PEOPLE distinct accounts, alternately
              without and with a sequencer process appending to the log every
              --sequencer-every seconds (1 s by default: fifteen times as often as the worker
              does, so that it runs during every round); bookings per second with the sequencer
              against without it (the mean of two rounds each). A hold records no event (its
              confirmation does), so in every round another process writes events at RATE per
              second, as the confirmations would: the sequencer has the rush's events to append.

Goal (issue 20): the rush with the sequencer running at least 0.9 of the rush without it.

  .venv/bin/python bench/ledger.py                    # every part
  .venv/bin/python bench/ledger.py --part proofs --large
  .venv/bin/python bench/ledger.py --part rush --people 2000
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, Server, percentile, production_env  # noqa: E402 - after the path

GOAL_RUSH_RATIO = 0.9
# Bookings per second of the SQLite booking rush (docs/performance.md, issue 16's run).
RUSH_RATE = 157.0
WORKER_EVERY = 15.0  # the worker's schedule (ledger/tasks.py): each minute and at 15, 30, 45 s
SUBJECT_TYPE = "applications.application"


def _setup(var_dir: str) -> None:
    os.environ.update(production_env(var_dir))
    import django

    django.setup()
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)


def _office_id() -> int:
    from gerbang.catalog.tests.factories import OfficeFactory

    return int(OfficeFactory.create(code="bench-office", name_id="Kantor Imigrasi Bench").pk)


def _bulk_events(count: int, office_id: int, first: int = 0) -> None:
    """``count`` committed events the log takes (as a case's workflow writes them)."""
    from gerbang.core.models import Event

    for start in range(0, count, 5000):
        Event.objects.bulk_create(
            [
                Event(
                    code="application.submit",
                    subject_type=SUBJECT_TYPE,
                    subject_id=str(first + n),
                    office_id=office_id,
                    details={"from": "draft", "to": "submitted", "public": True, "n": first + n},
                )
                for n in range(start, min(count, start + 5000))
            ]
        )


def _integrate() -> int:
    from gerbang.core.actors import WORKER
    from gerbang.ledger.services import log_integrate

    return log_integrate(actor=WORKER)


def _subject(n: int) -> Any:
    from gerbang.catalog.models import Office

    return Office(pk=n)  # only its type and id are read by events.record


# --- throughput ------------------------------------------------------------------------------


def part_throughput(events: int) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from django.db import transaction

        from gerbang.core import events as core_events
        from gerbang.core.actors import WORKER
        from gerbang.core.models import Event

        office = _office_id()
        _integrate()  # the first checkpoint, of the empty log
        anchor_count = min(events, 3000)
        subject = _subject(office)
        started = time.perf_counter()
        for n in range(anchor_count):
            with transaction.atomic():
                core_events.record("application.submit", actor=WORKER, subject=subject, details={"n": n})
        anchor_rate = anchor_count / (time.perf_counter() - started)
        Event.objects.all().delete()
        _integrate()
        before = _log_size()
        _bulk_events(events, office)
        started = time.perf_counter()
        appended = _integrate()
        seconds = time.perf_counter() - started
        rate = appended / seconds
        print("== throughput: committed events into the log by one sequencer run")
        print(
            f"appended {appended} events (log {before} -> {_log_size()}) in {seconds:.2f} s: {rate:,.0f} events/s"
        )
        print(
            f"anchor: events written as services write them (one transaction each): {anchor_rate:,.0f} events/s"
        )
        print(
            f"ratio: {rate / anchor_rate:.2f} of the write rate; {rate / RUSH_RATE:,.0f}x the booking rush's "
            f"{RUSH_RATE:.0f} bookings/s"
        )


def _log_size() -> int:
    from gerbang.ledger import selectors

    return selectors.log_size()


# --- lag -------------------------------------------------------------------------------------


def part_lag(rate: float, seconds: float, every: float) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from django.db import connections, transaction

        from gerbang.core import events as core_events
        from gerbang.core.actors import WORKER
        from gerbang.ledger.models import Leaf

        office = _office_id()
        _integrate()
        subject = _subject(office)
        stop = threading.Event()
        waits: list[float] = []
        runs: list[tuple[float, int]] = []
        written: list[int] = []

        def writer() -> None:
            interval = 1.0 / rate
            due = time.perf_counter()
            n = 0
            while not stop.is_set():
                due += interval
                started = time.perf_counter()
                with transaction.atomic():
                    event = core_events.record(
                        "application.submit", actor=WORKER, subject=subject, details={"n": n}
                    )
                waits.append((time.perf_counter() - started) * 1000)
                written.append(event.pk)
                n += 1
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            connections.close_all()

        def sequencer() -> None:
            # The follower's (or the worker's) schedule, starting at a random point of it.
            next_run = time.perf_counter() + random.uniform(0, every)
            while not stop.wait(max(0.0, next_run - time.perf_counter())):
                started = time.perf_counter()
                appended = _integrate()
                runs.append((time.perf_counter() - started, appended))
                next_run = max(next_run + every, time.perf_counter())
            connections.close_all()

        threads = [threading.Thread(target=writer), threading.Thread(target=sequencer)]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        # Only events the scheduled runs integrated (those of the last seconds wait for a run
        # that the end of the part cuts off).
        scheduled = [
            (leaf.integrated_at - leaf.event_created_at).total_seconds()
            for leaf in Leaf.objects.filter(event_id__in=written).only("integrated_at", "event_created_at")
        ]
        achieved = len(written) / seconds
        print(
            f"== lag: events at the booking rush's rate ({rate:.0f}/s asked, {achieved:.0f}/s written) for {seconds:.0f} s,"
        )
        who = "as the worker runs it" if every == WORKER_EVERY else "as ledger_integrate --follow runs it"
        print(f"   the sequencer every {every:g} s {who}")
        print(
            f"sequencer runs: {len(runs)}, each appending {statistics.mean(n for _s, n in runs) if runs else 0:,.0f} events "
            f"in {statistics.mean(s for s, _n in runs) * 1000 if runs else 0:,.0f} ms (max {max((s for s, _n in runs), default=0) * 1000:,.0f} ms)"
        )
        print(
            f"commit -> leaf: p50 {percentile(scheduled, 0.5):.1f} s, p99 {percentile(scheduled, 0.99):.1f} s, "
            f"max {max(scheduled, default=0):.1f} s (bound by the schedule: {every:g} s + one run)"
        )
        print(
            f"one event write (core.events.record in its transaction) meanwhile: p50 {percentile(waits, 0.5):.2f} ms, "
            f"p99 {percentile(waits, 0.99):.2f} ms, max {max(waits, default=0):.1f} ms"
        )


# --- proofs ----------------------------------------------------------------------------------


def part_proofs(sizes: list[int], samples: int) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from gerbang.ledger import keys, selectors
        from gerbang.ledger.models import Leaf
        from gerbang.ledger.tlog.checkpoint import open_checkpoint
        from gerbang.ledger.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion

        office = _office_id()
        print("== proofs as the log grows")
        print(
            f"{'leaves':>10} {'log2 n':>6} {'hashes':>6} {'bytes':>6} {'API bytes':>9} {'build p50':>9} {'p99':>7} "
            f"{'verify p50':>10} {'cons. hashes':>12} {'cons. ms':>8} {'grow events/s':>13}"
        )
        made = 0
        for size in sizes:
            _bulk_events(size - made, office, first=made)
            started = time.perf_counter()
            appended = _integrate()
            grow_rate = appended / (time.perf_counter() - started) if appended else 0.0
            made = size
            assert _log_size() == size, (_log_size(), size)
            seqs = random.sample(range(size), min(samples, size))
            ids = dict(Leaf.objects.filter(seq__in=seqs).values_list("seq", "event_id"))
            builds, verifies, hashes, api_bytes = [], [], [], []
            verifier = keys.verifier()
            for seq in seqs:
                started = time.perf_counter()
                proof = selectors.inclusion_proof_of_event(ids[seq])
                builds.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                body, _note = open_checkpoint(proof.checkpoint, verifier, origin=keys.origin())
                verify_inclusion(
                    proof.leaf_index, proof.tree_size, leaf_hash(proof.leaf), proof.hashes, body.root_hash
                )
                verifies.append((time.perf_counter() - started) * 1000)
                hashes.append(len(proof.hashes))
                api_bytes.append(len(json.dumps(_as_api(proof))))
            started = time.perf_counter()
            consistency = selectors.consistency_proof_between(size // 2, size)
            cons_ms = (time.perf_counter() - started) * 1000
            old, new = selectors.checkpoint_of_size(size // 2), selectors.checkpoint_of_size(size)
            if old is not None and new is not None:
                verify_consistency(size // 2, size, bytes(old.root), bytes(new.root), consistency.hashes)
            print(
                f"{size:>10,} {math.log2(size):>6.1f} {max(hashes):>6} {max(hashes) * 32:>6} {max(api_bytes):>9} "
                f"{percentile(builds, 0.5):>7.2f}ms {percentile(builds, 0.99):>5.2f}ms {percentile(verifies, 0.5):>8.2f}ms "
                f"{len(consistency.hashes):>12} {cons_ms:>8.2f} {grow_rate:>13,.0f}"
            )
        print(
            "(hashes: the most in an audit path, at most ceil(log2 n); build: selectors.inclusion_proof_of_event "
            "from the database; verify: the checkpoint's Ed25519 signature and the audit path; "
            f"{samples} random events per size; cons.: from half the size)"
        )


def _as_api(proof: Any) -> dict[str, Any]:
    import base64

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return {
        "event_id": proof.event_id,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf": b64(proof.leaf),
        "leaf_hash": b64(proof.leaf_hash),
        "hashes": [b64(h) for h in proof.hashes],
        "checkpoint": proof.checkpoint,
    }


# --- the rush, with and without the sequencer ------------------------------------------------


def sequencer_loop(every: float) -> None:
    """Run by the rush part as a process of its own, as the worker is: append to the log every
    ``every`` seconds until stopped; print its runs and events when stopped."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
    import django

    django.setup()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    runs = appended = 0
    while not stopped.is_set():
        appended += _integrate()
        runs += 1
        stopped.wait(every)
    print(json.dumps({"runs": runs, "appended": appended}), flush=True)


def writer_loop(rate: float) -> None:
    """Run by the rush part as a process of its own in every round: the events that the rush's
    bookings lead to (a hold records none; its confirmation records "appointment.booked"),
    written as services write them at ``rate`` per second, so that the sequencer has the rush's
    events to append."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
    import django

    django.setup()
    from django.db import transaction

    from gerbang.core import events as core_events
    from gerbang.core.actors import WORKER

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    subject = _subject(1)
    due, written = time.perf_counter(), 0
    while not stopped.is_set():
        with transaction.atomic():
            core_events.record("appointment.booked", actor=WORKER, subject=subject, details={"n": written})
        written += 1
        due += 1.0 / rate
        stopped.wait(max(0.0, due - time.perf_counter()))
    print(json.dumps({"written": written}), flush=True)


def _start(env: dict[str, str], *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - this script, with fixed arguments
        [str(PYTHON), __file__, *arguments], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def _stop(process: subprocess.Popen[str]) -> dict[str, int]:
    process.send_signal(signal.SIGTERM)
    out, _err = process.communicate(timeout=60)
    return dict(json.loads(out.strip().splitlines()[-1]))


def part_rush(
    people: int, concurrency: int, every: float, rate: float, settle: int | None, batch: int | None
) -> int:
    import asyncio

    from bench import booking_rush as rush

    with tempfile.TemporaryDirectory() as var_dir:
        database = rush.fresh_database("", var_dir)
        env = rush.server_env(var_dir, database, "", admission_rate=1e9)
        if settle is not None:
            env["LEDGER_SETTLE_SECONDS"] = str(settle)
        if batch is not None:
            env["LEDGER_BATCH_SIZE"] = str(batch)
        everyone, spread_slots, _hot = rush.prepare(env, people * 4)
        from django.db import connections

        before = _integrate()  # the prepared cases' history, so that rounds log only what they add
        connections.close_all()
        # Without, with, with, without: a drift of the machine over the rounds weighs on both alike.
        rounds = [(False, 0), (True, 1), (True, 2), (False, 3)]
        outcomes: dict[bool, list[Any]] = {False: [], True: []}
        sequencer_runs: list[dict[str, int]] = []
        print(
            f"== the booking rush (spread), {people} accounts per round, {concurrency} at a time; "
            f"{before:,} prepared events integrated first; the sequencer every {every:g} s"
            + ("" if settle is None else f", LEDGER_SETTLE_SECONDS={settle}")
            + ("" if batch is None else f", LEDGER_BATCH_SIZE={batch}")
        )
        with Server(env, "bench.anchor:application") as server:
            asyncio.run(
                rush.one_reads(everyone[:people], spread_slots[0], server.port, concurrency, 1.0)
            )  # warm up
            for with_sequencer, group in rounds:
                writer = _start(env, "--writer-loop", str(rate))
                sequencer = _start(env, "--sequencer-loop", str(every)) if with_sequencer else None
                time.sleep(3.0)  # both have set Django up and are running
                people_here = everyone[group * people : (group + 1) * people]
                outcome = rush.measured(
                    server,
                    rush.crowd(
                        people_here,
                        lambda: random.choice(spread_slots),
                        server.port,
                        concurrency,
                        retry=False,
                    ),
                )
                written = _stop(writer)["written"]
                if sequencer is not None:
                    sequencer_runs.append(_stop(sequencer))
                outcomes[with_sequencer].append(outcome)
                label = "with" if with_sequencer else "without"
                print(
                    f"round {group + 1} ({label:7} sequencer): {rush.bookings_per_second(outcome):6.1f} bookings/s, "
                    f"p50 {statistics.median(outcome.latencies or [0]):6.1f} ms, "
                    f"p99 {percentile(outcome.latencies, 0.99):6.1f} ms, booked {len(outcome.booked)}, "
                    f"5xx {sum(n for s, n in outcome.statuses.items() if s >= 500)}; events written {written}"
                    + (
                        f"; sequencer: {sequencer_runs[-1]['runs']} runs, {sequencer_runs[-1]['appended']} events"
                        if with_sequencer
                        else ""
                    )
                )
        without = statistics.mean(rush.bookings_per_second(o) for o in outcomes[False])
        with_it = statistics.mean(rush.bookings_per_second(o) for o in outcomes[True])
        problems = rush.violations([b for o in outcomes[False] + outcomes[True] for b in o.booked])
        os.environ.update(env)
        _integrate()
        from gerbang.ledger import selectors

        check = selectors.verify_stored_tree()
        ratio = with_it / without if without else 0.0
        print(
            f"bookings per second: {without:.1f} without the sequencer, {with_it:.1f} with it: "
            f"ratio {ratio:.2f} (goal >= {GOAL_RUSH_RATIO}: {'met' if ratio >= GOAL_RUSH_RATIO else 'NOT met'})"
        )
        print(
            f"violations: {len(problems)} (must be 0); the log afterwards: {check.size:,} leaves, sound: {check.sound}"
        )
        return 0 if not problems and check.sound else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=["all", "throughput", "lag", "proofs", "rush"], default="all")
    parser.add_argument("--events", type=int, default=20000, help="events for the throughput part")
    parser.add_argument("--rate", type=float, default=RUSH_RATE, help="events per second for the lag part")
    parser.add_argument("--seconds", type=float, default=45.0, help="length of the lag part")
    parser.add_argument(
        "--lag-every",
        type=float,
        default=0.5,
        help="seconds between sequencer runs in the lag part (0.5: ledger_integrate --follow; 15: the worker alone)",
    )
    parser.add_argument("--large", action="store_true", help="also 10^6 and 10^7 leaves (long)")
    parser.add_argument("--proofs", type=int, default=200, help="random proofs per size")
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE", "2000")))
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", "64")))
    parser.add_argument("--sequencer-every", type=float, default=1.0)
    parser.add_argument(
        "--settle",
        type=int,
        help="LEDGER_SETTLE_SECONDS for the rush (on SQLite, whose writers commit in id order, 0 is safe)",
    )
    parser.add_argument("--sequencer-loop", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, help="LEDGER_BATCH_SIZE for the rush")
    parser.add_argument("--writer-loop", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sequencer_loop is not None:
        sequencer_loop(args.sequencer_loop)
        return 0
    if args.writer_loop is not None:
        writer_loop(args.writer_loop)
        return 0
    if args.part == "all":
        # Each part in a process of its own: each sets Django up on its own database.
        status = 0
        for part in ("throughput", "lag", "proofs", "rush"):
            command = [str(PYTHON), __file__, *sys.argv[1:], "--part", part]  # the last --part wins
            status |= subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603 - this script
            print(flush=True)
        return status
    if args.part == "throughput":
        part_throughput(args.events)
    elif args.part == "lag":
        part_lag(args.rate, args.seconds, args.lag_every)
    elif args.part == "proofs":
        sizes = [10**3, 10**4, 10**5] + ([10**6, 10**7] if args.large else [])
        part_proofs(sizes, args.proofs)
    else:
        return part_rush(
            args.people, args.concurrency, args.sequencer_every, args.rate, args.settle, args.batch_size
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
