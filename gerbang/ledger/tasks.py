"""The sequencer runs every few seconds: each minute, and three more times within it; the
reconciliation, which finds any logged event the sequencer missed over the whole history, every
night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

# Seconds into each minute at which the log is brought up to date again (huey's periodic tasks
# run at most once a minute).
EXTRA_RUNS = (15, 30, 45)


@db_task()
def integrate_ledger() -> None:
    """Append the events committed since the last run to the public log (idempotent). Returns
    nothing: huey would keep a result of every run in its store."""
    from gerbang.core.actors import WORKER
    from gerbang.ledger.services import log_integrate

    log_integrate(actor=WORKER)


@db_periodic_task(crontab(minute="*"))
def integrate_ledger_every_minute() -> int:
    """Every minute, and again 15, 30 and 45 seconds later."""
    from gerbang.core.actors import WORKER
    from gerbang.ledger.services import log_integrate

    for delay in EXTRA_RUNS:
        integrate_ledger.schedule(delay=delay)
    return log_integrate(actor=WORKER)


@db_periodic_task(crontab(hour="20", minute="23"))
def reconcile_ledger() -> None:
    """Nightly (20:23 UTC, 03:23 in Jakarta): append any logged event the sequencer skipped (its
    transaction stayed open longer than LEDGER_SETTLE_SECONDS). Returns nothing: huey would keep
    the result; the run records its counts as an event and a log line."""
    from gerbang.core.actors import WORKER
    from gerbang.ledger.services import log_reconcile

    log_reconcile(actor=WORKER)
