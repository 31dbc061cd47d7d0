"""Do the public statistics stay fast at national scale?

Writes a synthetic history of APPLICATIONS applications over 24 months and the present one,
spread over 125 offices (five of the demo's and 120 more, busy and quiet ones, by a Zipf law)
and the demo's services, into a throw-away database, at the level the pages read: the monthly
figures of every office and service (``MonthlyFigure``), each measure drawn as such a history
would leave it (outcomes, working days to a decision against the standard, days to an
appointment, minutes waited, bills paid in time, complaints). It then runs the statistics' own
code over it, timing each step: the national months and which counts are withheld
(``services._national_month_refresh``), and the periods (``services.period_refresh``: the last 6,
12 and 24 months, every quarter and year, with the audit across time).

Then it serves that database with granian as `make run` does, beside a one-read endpoint of the
same server (``/bench/read/<pk>``, one primary-key read behind the same middleware: the anchor),
and loads the statistics page (one office and service; national with the offices compared), its
JSON file and the API for a few seconds each from keep-alive connections: requests per second,
p50 and p99, and the ratio to the anchor. It also times the first answer after the figures
changed (nothing cached) in the process itself.

The pages are loaded as browsers ask for them (``Accept-Encoding: gzip``: the kept page goes out
compressed, from the copy ``CompressionMiddleware`` keeps) and again without compression (as a
program might fetch them); the files and the API plain.

Goal (issue 21): each statistics page at least 0.8 of the anchor, and flat from 100 k to 10 M
applications (judged on the pages as browsers ask for them, the files and the API plain; the
pages' plain figures are printed beside). The raw computation from cases to daily figures is not part of this: it grows with
a day's activity, not with the history (its cost is in the demo's loading and the refresh task).

  .venv/bin/python bench/stats.py [--applications 100000]
  .venv/bin/python bench/stats.py --applications 10000000 \
      --database postgres://postgres@127.0.0.1:5432/gerbang_stats_bench --redis redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import http.client
import io
import logging
import math
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import numpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, percentile, production_env  # noqa: E402
from bench.public_pages import SECONDS, load  # noqa: E402

GOAL = 0.8
OFFICES = 125
MONTHS = 24
SEED = 21
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def _fresh_postgres(url: str) -> None:
    """Drop and create the bench's own database (never an existing one of the project's)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit(f"the database's name must say it is a bench's: {name}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        call_command("createcachetable")
        call_command("collectstatic", interactive=False, verbosity=0)
        from gerbang.catalog import demo as catalog_demo

        catalog_demo.load()


def _offices() -> list[Any]:
    from gerbang.catalog.models import Office

    made = [
        Office(
            code=f"kanim-{n:03d}",
            name_id=f"Kantor Imigrasi Sintetis {n:03d}",
            name_en=f"Synthetic Immigration Office {n:03d}",
            province="Provinsi Sintetis",
            regency=f"Kota {n:03d}",
            address=f"Jalan Contoh {n}",
            time_zone=ZONES[n % len(ZONES)],
        )
        for n in range(OFFICES - Office.objects.count())
    ]
    Office.objects.bulk_create(made)
    return list(Office.objects.order_by("pk"))


def _month_rows(
    generator: numpy.random.Generator, count: int, standard: int, lead: float, wait: float
) -> dict[tuple[str, int], int]:
    """What ``count`` applications of one office, service and month leave in the figures."""
    rows: dict[tuple[str, int], int] = defaultdict(int)
    rows[("submitted", 0)] = count
    approved, rejected, withdrawn, expired = generator.multinomial(count, [0.85, 0.07, 0.04, 0.04])
    for measure, value in (
        ("approved", approved),
        ("rejected", rejected),
        ("withdrawn", withdrawn),
        ("expired", expired),
    ):
        rows[(measure, 0)] = int(value)
    decided = int(approved + rejected)
    days = generator.poisson(max(standard - 1, 1), decided)
    for taken in days:
        rows[("decision_days", int(taken))] += 1
        rows[("decision_within", int(taken <= standard))] += 1
    for taken in generator.poisson(max(standard, 1) + 1, int(approved)):
        rows[("ready_days", int(taken))] += 1
    visits = int(approved)
    for taken in generator.poisson(lead, visits):
        rows[("lead_days", int(taken))] += 1
    for waited in generator.lognormal(math.log(wait), 0.55, visits):
        rows[("wait_minutes", int(waited))] += 1
    paid = count - int(expired) - int(withdrawn)
    rows[("bill_paid_within", 1)] = paid
    rows[("bill_paid_within", 0)] = int(expired)
    for hours in generator.exponential(0.6, paid):
        rows[("paid_hours", int(hours))] += 1
    complaints = int(generator.binomial(count, 0.03))
    rows[("complaints", 0)] = complaints
    late = int(generator.binomial(complaints, 0.15))
    rows[("complaint_within", 1)] = complaints - late
    rows[("complaint_within", 0)] = late
    return {key: value for key, value in rows.items() if value}


def _fill(applications: int, today: date) -> tuple[list[date], int]:
    """The office months of the synthetic history, and how many figure rows they made."""
    from django.db import connection

    from gerbang.catalog.models import Service
    from gerbang.catalog.selectors import terms_in_force
    from gerbang.transparency.models import ALL, MonthlyFigure
    from gerbang.transparency.selectors import months_back

    generator = numpy.random.default_rng(SEED)
    offices = _offices()
    services = list(Service.objects.filter(is_active=True).order_by("pk"))
    standards = {
        s.pk: (terms.standard_working_days if (terms := terms_in_force(s, today)) else 5) for s in services
    }
    months = [*months_back(MONTHS, today), today.replace(day=1)]
    office_share = 1 / numpy.arange(1, len(offices) + 1) ** 0.8
    office_share /= office_share.sum()
    service_share = numpy.array(
        [5.0 if "biasa" in s.code else 3.0 if "paspor" in s.code else 1.0 for s in services]
    )
    service_share /= service_share.sum()
    season = 1 + 0.25 * numpy.sin(numpy.arange(len(months)) / 12 * 2 * math.pi)
    month_share = season / season.sum()
    cells = generator.multinomial(
        applications, numpy.einsum("o,s,m->osm", office_share, service_share, month_share).ravel()
    ).reshape(len(offices), len(services), len(months))
    lead = generator.uniform(1, 12, len(offices))
    wait = generator.uniform(6, 35, len(offices))
    written = 0
    batch: list[MonthlyFigure] = []
    for o, office in enumerate(offices):
        for m, month in enumerate(months):
            office_total: dict[tuple[str, int], int] = defaultdict(int)
            for s, service in enumerate(services):
                count = int(cells[o, s, m])
                if not count:
                    continue
                for (measure, bucket), value in _month_rows(
                    generator, count, standards[service.pk], float(lead[o]), float(wait[o])
                ).items():
                    office_total[(measure, bucket)] += value
                    batch.append(
                        MonthlyFigure(
                            month=month,
                            office_id=office.pk,
                            service_id=service.pk,
                            measure=measure,
                            bucket=bucket,
                            count=value,
                        )
                    )
            batch += [
                MonthlyFigure(
                    month=month,
                    office_id=office.pk,
                    service_id=ALL,
                    measure=measure,
                    bucket=bucket,
                    count=value,
                )
                for (measure, bucket), value in office_total.items()
            ]
            if len(batch) >= 20_000:
                MonthlyFigure.objects.bulk_create(batch, batch_size=5000)
                written += len(batch)
                batch = []
    MonthlyFigure.objects.bulk_create(batch, batch_size=5000)
    written += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return months, written


class _Fallbacks(logging.Handler):
    """Counts the period tables whose withheld counts were too many to solve together."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.sizes: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        size = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        self.sizes.append(size if isinstance(size, int) else 0)


def _timed(label: str, step: Any) -> Any:
    started = time.perf_counter()
    found = step()
    print(f"  {label:58} {time.perf_counter() - started:8.1f} s")
    return found


def _each(step: Any, items: Any) -> None:
    for item in items:
        step(item)


def _cold(office_id: int, service_id: int) -> None:
    """The first answer after a refresh, in the process: nothing cached."""
    from gerbang.transparency import selectors
    from gerbang.transparency.models import ALL

    months = selectors.months_back(12)
    for label, step in (
        (
            "summary, one office and service, 12 months",
            lambda: selectors.summary(office_id, service_id, months),
        ),
        ("summary, national, 12 months", lambda: selectors.summary(ALL, ALL, months)),
        ("offices compared (125 offices), 12 months", lambda: selectors.comparison(ALL, months)),
    ):
        runs = []
        for _ in range(5):
            selectors.figures_changed()
            started = time.perf_counter()
            step()
            runs.append((time.perf_counter() - started) * 1000)
        print(f"  {label:58} {statistics.median(runs):8.1f} ms (p50 of 5, nothing cached)")


# What a browser asks for: the pages compressed (``CompressionMiddleware`` keeps the compressed
# copy of an answer every visitor shares).
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def _warm(port: int, path: str, headers: dict[str, str] | None) -> None:
    """One request first, as the anchor has its warm-up: the page's first answer is made and
    kept (the first after a change, nothing cached, is timed in the process: ``_cold``)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    connection.getresponse().read()
    connection.close()


def _row(port: int, path: str, anchor_rate: float, headers: dict[str, str] | None = None) -> float:
    _warm(port, path, headers)
    count, latencies, statuses = load(port, path, headers)
    rate = count / SECONDS
    ratio = rate / anchor_rate
    label = f"{path} (gzip)" if headers else path
    print(
        f"  {label:70} {rate:8.0f} {statistics.median(latencies):7.1f} {percentile(latencies, 0.99):7.1f} "
        f"{ratio:6.2f}{'' if statuses == {200} else f'  statuses={sorted(statuses)}'}"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL whose database name says bench")
    parser.add_argument("--redis", default="", help="a Redis URL for the cache (as in production)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gerbang-stats-") as var_dir:
        if options.database:
            _fresh_postgres(options.database)
        env = production_env(var_dir, database=options.database or "", redis=options.redis)
        _setup(env)
        from django.utils import timezone

        from gerbang.catalog.models import Office, Service
        from gerbang.transparency import services
        from gerbang.transparency.models import PeriodFigure

        today = timezone.localdate()
        engine = ("PostgreSQL" if options.database else "SQLite") + (" with Redis" if options.redis else "")
        print(
            f"{options.applications:,} applications, {OFFICES} offices, {MONTHS} months and this one ({engine})"
        )
        months, rows = _timed("history written (monthly figures)", lambda: _fill(options.applications, today))
        print(f"  {'':58} {rows:8,} office rows")
        _timed(
            "national months and what is withheld",
            lambda: _each(services._national_month_refresh, months),
        )
        periods = sorted(services.periods_touched(months, today))
        fallbacks = _Fallbacks()
        logging.getLogger("gerbang.transparency.suppression").addHandler(fallbacks)
        logging.getLogger("gerbang.transparency.suppression").setLevel(logging.INFO)
        _timed(
            f"{len(periods)} periods (6/12/24 months, closed quarters and years)",
            lambda: _each(lambda period: services.period_refresh(*period), periods),
        )
        print(
            f"  {'':58} {fallbacks.count:8,} period tables past the audit's limit "
            f"(largest group {max(fallbacks.sizes, default=0):,} withheld counts)"
        )
        print(f"  {'':58} {PeriodFigure.objects.count():8,} period rows")
        busiest = (
            Office.objects.get(code="kanim-000")
            if Office.objects.filter(code="kanim-000").exists()
            else Office.objects.first()
        )
        passport = Service.objects.get(code="paspor-biasa")
        assert busiest is not None
        _cold(busiest.pk, passport.pk)
        with Server(env, "bench.anchor:application") as server:
            port = server.port
            load(port, "/bench/read/1")  # warm up
            anchor_count, anchor_latencies, _statuses = load(port, "/bench/read/1")
            anchor_rate = anchor_count / SECONDS
            print(f"  {'url':70} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}")
            print(
                f"  {'/bench/read/1 (anchor: one primary-key read)':70} {anchor_rate:8.0f} "
                f"{statistics.median(anchor_latencies):7.1f} {percentile(anchor_latencies, 0.99):7.1f} {1.0:6.2f}"
            )
            pages = [
                f"/statistik/?kantor={busiest.code}&layanan={passport.code}&periode=12",
                "/statistik/",
                f"/statistik/data.json?kantor={busiest.code}&layanan={passport.code}",
                f"/api/v1/statistics/applications?office={busiest.code}&service={passport.code}",
            ]
            # The pages as browsers ask for them (compressed), then as a program might (plain);
            # the files and the API as programs ask for them (plain).
            browsers = [_row(port, path, anchor_rate, BROWSER) for path in pages[:2]]
            plain = [_row(port, path, anchor_rate) for path in pages]
        print(
            f"lowest ratio {min(browsers + plain[2:]):.2f} (pages as browsers ask, files and API plain) "
            f"against the goal of {GOAL} ({'met' if min(browsers + plain[2:]) >= GOAL else 'not met'}); "
            f"pages asked without compression: {min(plain[:2]):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
