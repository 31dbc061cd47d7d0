"""How risk flags hear that a case was submitted (subscribed in ``analytics/apps.py``)."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.applications.workflow import Action

# A case is scanned when it reaches the office, and again when corrections come back (the
# answers and documents may have changed).
SCANNED_ON = frozenset({Action.SUBMIT, Action.RESUBMIT})


def case_moved(event: CaseMoved) -> None:
    """After the commit: the scan is queued for the worker, never run in the applicant's request."""
    if event.transition.action not in SCANNED_ON:
        return
    from gerbang.analytics.risk.tasks import scan_case

    scan_case(event.application.pk)
