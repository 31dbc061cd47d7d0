"""How long does the hourly IKM aggregation take once years of answers have come in?

The task (``ikm.tasks.compute_ikm_results``, every hour) recomputes every period with answers:
each month, quarter and year, per office and service, per office, nationally. Its work grows
with the periods and scopes, not with the answers themselves (sums and the occasions served
are grouped in the database). This loads the demo catalogue into a throw-away database, then
writes MONTHS months of invitations, occasions served (``ikm.Served``, as the subscribers count
them) and answers for every demo office and service (ANSWERS in all, every second person
served answering), and times one full ``results_compute`` (p50 of RUNS runs; it first
reconciles the occasions of the present and the previous month, finding none missing), against
one primary-key read of a result (the anchor). It also times one full ``served_reconcile`` over
every month (``manage.py ikm_reconcile``, run once after installing), with nothing missing.

Goal (issue 19, set here): one full recompute of two years of 100,000 answers in under 10 s on
this 2-core machine, so the hourly task stays a small part of its hour.

  .venv/bin/python bench/ikm_aggregate.py [--answers 100000] [--months 24] [--runs 3]
  .venv/bin/python bench/ikm_aggregate.py --database postgres://postgres@127.0.0.1:5432/gerbang_bench
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 10.0


def _setup(var_dir: str, database: str | None) -> None:
    os.environ["GERBANG_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database or f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        from gerbang.catalog import demo as catalog_demo

        catalog_demo.load()


def _fill(answers: int, months: int, today: date) -> None:
    from django.utils import timezone

    from gerbang.catalog.models import Office, Service
    from gerbang.ikm.models import Response, Served
    from gerbang.satisfaction.models import Invitation, Occasion

    offices = list(Office.objects.all())
    services = list(Service.objects.all())
    pick = random.Random(19)
    first = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    invitations, responses, served_rows = [], [], []
    for n in range(answers * 2):
        office, service = pick.choice(offices), pick.choice(services)
        served = datetime.combine(
            first + timedelta(days=pick.randrange(31 * months - 31)), datetime.min.time()
        )
        served = timezone.make_aware(served)
        invitations.append(
            Invitation(
                token=f"bench{n}",
                occasion=Occasion.VISIT,
                occasion_id=n,
                office=office,
                service=service,
                served_at=served,
            )
        )
        served_rows.append(
            Served(
                occasion=Occasion.VISIT,
                occasion_id=n,
                office=office,
                service=service,
                served_month=timezone.localtime(served).date().replace(day=1),
            )
        )
        if n % 2 == 0:
            responses.append(
                Response(
                    key=f"bench{n}",
                    office=office,
                    service=service,
                    served_month=served.date().replace(day=1),
                    **{f"u{i}": pick.randint(1, 4) for i in range(1, 10)},
                    age_band="30",
                    sex="F",
                    education="s1",
                    occupation=pick.choice(["pns", "private", "self"]),
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=5000)
    Served.objects.bulk_create(served_rows, batch_size=5000)
    Response.objects.bulk_create(responses, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gerbang-ikm-") as var_dir:
        _setup(var_dir, options.database)
        from django.utils import timezone

        from gerbang.core.actors import WORKER
        from gerbang.ikm import services
        from gerbang.ikm.models import Result

        today = timezone.localdate()
        started = time.perf_counter()
        _fill(options.answers, options.months, today)
        print(
            f"{options.answers} answers and {options.answers * 2} people served over {options.months} months "
            f"written in {time.perf_counter() - started:.1f} s"
        )
        times, rows = [], 0
        for _ in range(options.runs):
            started = time.perf_counter()
            rows = services.results_compute(actor=WORKER, today=today)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        added = services.served_reconcile(actor=WORKER)
        reconcile = time.perf_counter() - started
        first = Result.objects.first()
        reads = []
        for _ in range(200):
            started = time.perf_counter()
            Result.objects.get(pk=first.pk) if first else None
            reads.append(time.perf_counter() - started)
        anchor = statistics.median(reads)
        p50 = statistics.median(times)
        print(f"results stored per run: {rows}")
        print(
            f"full recompute: p50 {p50:.2f} s, max {max(times):.2f} s over {options.runs} runs "
            f"({p50 / anchor:,.0f}x the anchor, one primary-key read of a result: {anchor * 1000:.2f} ms)"
        )
        print(
            f"full reconciliation of every month (once, after installing): {reconcile:.2f} s, {added} added"
        )
        print(
            f"goal: under {GOAL_SECONDS:.0f} s: {'met' if p50 < GOAL_SECONDS else 'NOT met'} "
            f"(ratio {p50 / GOAL_SECONDS:.2f} of the goal)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
