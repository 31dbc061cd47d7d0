"""What payments does when other apps' state changes (subscribed in ``apps.py``)."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import State
from gerbang.payments.models import BillStatus
from gerbang.payments.services import bill_issue, bills_close

# A case that leaves "awaiting payment" this way leaves no bill open, marked why.
CLOSED_AS = {State.CANCELLED: BillStatus.CANCELLED, State.EXPIRED: BillStatus.EXPIRED}


def case_moved(event: CaseMoved) -> None:
    """A case that comes to await payment gets its bill, due when the case says; one that is
    cancelled or expires keeps no bill open."""
    application = event.application
    if event.target == State.AWAITING_PAYMENT:
        if application.payment_due_at is None:
            raise RuntimeError(f"application {application.pk} awaits payment without a deadline")
        bill_issue(application=application, expires_at=application.payment_due_at)
    elif event.target in CLOSED_AS:
        bills_close(application=application, status=CLOSED_AS[event.target])
