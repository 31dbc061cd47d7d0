"""What the exchange does when a case moves (subscribed in ``apps.py``)."""

from __future__ import annotations

from django.utils import timezone

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import Action, State
from gerbang.core.crypto import blind_index
from gerbang.integrations import checks
from gerbang.integrations.models import CancelledPassport
from gerbang.integrations.selectors import PASSPORT_PURPOSE, passport_key

# Services whose submission reports the previous passport lost, and those whose collected new
# passport replaces it.
LOST_SERVICES = frozenset({"paspor-hilang"})
REPLACING_SERVICES = frozenset({"paspor-penggantian", "paspor-rusak"})


def _cancel_passport(event: CaseMoved, reason: str) -> None:
    application = event.application
    number = str(application.answers.get("old_passport_number", "") or "").strip()
    born = checks.born_on(application)
    if not number or born is None:
        return
    CancelledPassport.objects.get_or_create(
        application=application,
        reason=reason,
        defaults={
            "passport_index": blind_index(passport_key(number, born), purpose=PASSPORT_PURPOSE),
            "at": timezone.now(),
        },
    )


def case_moved(event: CaseMoved) -> None:
    """In the case's transaction: a paid case's checks start (it then waits for them); a lost
    passport reported, or a replaced one collected, is known as cancelled. Never for the
    training office's synthetic cases: nothing about them goes to a partner agency."""
    if event.application.office.is_training:
        return
    code = event.application.service.code
    if event.transition.action == Action.RECORD_PAYMENT:
        checks.checks_start(event.application)
    elif event.transition.action == Action.SUBMIT and code in LOST_SERVICES:
        _cancel_passport(event, CancelledPassport.Reason.LOST)
    elif event.target == State.COLLECTED and code in REPLACING_SERVICES:
        _cancel_passport(event, CancelledPassport.Reason.REPLACED)


def case_moved_committed(event: CaseMoved) -> None:
    """After the commit: the checks of a case that now waits are asked at once, by the worker."""
    if event.target == State.AWAITING_EXTERNAL_CHECK:
        from gerbang.integrations.tasks import checks_run_for

        checks_run_for(event.application.pk)
