"""Background work of payments: registering bills with the provider (retried until it answers)
and asking it about bills whose notification may have been lost."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gerbang.payments.providers import ProviderUnavailable


@db_task(retries=8, retry_delay=30)
def register_bill(bill_id: int) -> bool:
    from gerbang.payments.services import bill_register

    try:
        return bill_register(bill_id=bill_id)
    except ProviderUnavailable:
        # Raised again so huey retries; the periodic check below also picks it up.
        raise


@db_periodic_task(crontab(minute="*/5"))
def check_bills_with_provider() -> dict[str, int]:
    """Every five minutes: bills near or just past expiry are asked about, unknown ones registered."""
    from gerbang.payments.services import bills_check_with_provider

    return bills_check_with_provider()


@db_periodic_task(crontab(minute="*/5"))
def remind_expiring_bills() -> int:
    """Every five minutes: tell applicants whose bill expires within the hour (once per bill)."""
    from gerbang.payments.services import bills_expiring_remind

    return bills_expiring_remind()
