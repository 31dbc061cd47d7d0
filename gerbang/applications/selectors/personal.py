"""What the applications hold about one person, and how long each case is kept (UU PDP): read
by the app's data-protection provider (``applications/data_subject.py``) and by the erasure
services, which check the same rules again under their locks.

A case is kept while it is being worked on, and for ``DATA_RETENTION_YEARS["cases"]`` after it
ended (refused, collected, withdrawn or expired: the moment it reached that state). A draft that
was never submitted is kept for nobody's sake but the person's: it goes at their request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.applications.workflow import FINAL_STATES, OPEN_STATES, State
from gerbang.core.calendar import years_later

# States a case never submitted can be in: a draft, or a draft its applicant cancelled.
UNSUBMITTED_STATES = frozenset({State.DRAFT, State.CANCELLED})


def retention_years() -> int:
    return int(settings.DATA_RETENTION_YEARS["cases"])


def retention_cutoff(now: datetime) -> datetime:
    """Cases that ended before this moment are past their retention period at ``now``."""
    return years_later(now, -retention_years())


def never_submitted() -> Q:
    return Q(submitted_at__isnull=True, state__in=UNSUBMITTED_STATES)


def ended() -> Q:
    """Submitted cases that reached a final state; ``state_changed_at`` is when they ended."""
    return Q(submitted_at__isnull=False, state__in=FINAL_STATES)


def kept_until(application: Application) -> date | None:
    """The last day an ended case is kept with its personal data (office-local), or None
    while it has not ended."""
    if application.submitted_at is None or application.state not in FINAL_STATES:
        return None
    end = years_later(application.state_changed_at, retention_years())
    return timezone.localtime(end).date()


@dataclass
class ErasurePlan:
    """What erasing a person's applications at ``now`` would do."""

    drafts: list[int] = field(default_factory=list)  # deleted, with their documents
    past_retention: list[int] = field(default_factory=list)  # their personal fields emptied
    kept: list[Application] = field(default_factory=list)  # ended, inside their period
    open_cases: list[Application] = field(default_factory=list)  # still being worked on
    draft_documents: int = 0
    past_documents: int = 0
    documents_kept: int = 0

    @property
    def latest_kept_until(self) -> date | None:
        days = [day for day in (kept_until(a) for a in self.kept) if day is not None]
        return max(days) if days else None


def erasure_plan(person: User, now: datetime) -> ErasurePlan:
    plan = ErasurePlan()
    cutoff = retention_cutoff(now)
    cases = (
        Application.objects.filter(applicant=person, personal_data_erased_at__isnull=True)
        .defer("answers")
        .order_by("pk")
    )
    for application in cases:
        documents = application.documents.exclude(file="").count()
        if application.submitted_at is None and application.state in UNSUBMITTED_STATES:
            plan.drafts.append(application.pk)
            plan.draft_documents += documents
        elif application.state in OPEN_STATES:
            plan.open_cases.append(application)
            plan.documents_kept += documents
        elif application.state_changed_at < cutoff:
            plan.past_retention.append(application.pk)
            plan.past_documents += documents
        else:
            plan.kept.append(application)
            plan.documents_kept += documents
    return plan


def open_cases_of(person: User) -> QuerySet[Application]:
    return Application.objects.filter(applicant=person, state__in=OPEN_STATES).order_by("created_at", "pk")


def cases_past_retention(now: datetime) -> QuerySet[Application]:
    """Ended cases whose period is over and whose personal fields are still there (the sweep's
    work; none once it has run, so running it again does nothing)."""
    return Application.objects.filter(
        ended(), personal_data_erased_at__isnull=True, state_changed_at__lt=retention_cutoff(now)
    )


def drafts_abandoned(now: datetime) -> QuerySet[Application]:
    """Drafts nobody touched for as long as an ended case is kept: the sweep deletes them."""
    return Application.objects.filter(never_submitted(), updated_at__lt=retention_cutoff(now))


def owners_of_cases(ids: Sequence[int]) -> dict[str, int]:
    owners: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        rows = Application.objects.filter(pk__in=ids[start : start + 500]).values_list("pk", "applicant_id")
        owners.update({str(pk): applicant for pk, applicant in rows})
    return owners
