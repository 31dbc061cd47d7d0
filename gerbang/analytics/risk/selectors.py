"""Reading risk flags for officers: the flags of the cases of their offices, each with its
reasons in words, the other cases it names (linked only when the reader may open them), and
the decision taken on it with the officer's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.analytics.models import FlagStatus, RiskFlag, RiskKind
from gerbang.analytics.risk import texts
from gerbang.applications.models import Application
from gerbang.applications.selectors import cases_visible_to
from gerbang.core.events import note_of
from gerbang.core.models import Event

STATUS_FILTERS = ("open", "decided", "withdrawn", "all")
DECIDED = (FlagStatus.CLEARED, FlagStatus.CONFIRMED)


def may_review(user: Any, application: Application | None = None) -> bool:
    if application is None:
        return has_permission(user, Perm.RISK_REVIEW)
    return has_permission(user, Perm.RISK_REVIEW, office_id=application.office_id)


def flags_visible_to(
    user: Any, *, kind: str = "", status: str = "open", office_id: int | None = None
) -> QuerySet[RiskFlag]:
    """The flags on the cases of the reader's offices, newest first, filtered."""
    if not may_review(user):
        return RiskFlag.objects.none()
    flags = scope_to_offices(RiskFlag.objects.all(), user, office_field="application__office")
    if kind in RiskKind.values:
        flags = flags.filter(kind=kind)
    if status == "open":
        flags = flags.filter(status=FlagStatus.OPEN)
    elif status == "decided":
        flags = flags.filter(status__in=DECIDED)
    elif status == "withdrawn":
        flags = flags.filter(status=FlagStatus.WITHDRAWN)
    if office_id is not None:
        flags = flags.filter(application__office_id=office_id)
    return flags.select_related("application", "application__office").order_by("-raised_at", "-id")


def open_count(user: Any) -> int:
    return flags_visible_to(user, status="open").count()


@dataclass(frozen=True)
class LinkedCase:
    pk: int
    number: str


@dataclass
class ReasonView:
    text: str
    cases: list[LinkedCase] = field(default_factory=list)
    # Cases named that the reader may not open (another office's): only their count is shown.
    hidden: int = 0


@dataclass
class Decision:
    status: str
    label: str
    by: str
    at: Any
    note: str | None  # None: the reason was erased with the case's personal data


@dataclass
class FlagView:
    flag: RiskFlag
    reasons: list[ReasonView]
    decision: Decision | None
    anchor: str

    @property
    def kind_label(self) -> str:
        return str(RiskKind(self.flag.kind).label)

    @property
    def status_label(self) -> str:
        return str(FlagStatus(self.flag.status).label)


def _decisions(flags: list[RiskFlag]) -> dict[int, Decision]:
    rows = (
        Event.objects.filter(
            code="risk.flag_decided",
            subject_type=RiskFlag._meta.label_lower,
            subject_id__in=[str(flag.pk) for flag in flags],
        )
        .select_related("note", "actor")
        .order_by("created_at", "id")
    )
    found: dict[int, Decision] = {}
    for event in rows:
        status = str(event.details.get("decision", ""))
        found[int(event.subject_id)] = Decision(
            status=status,
            label=str(FlagStatus(status).label) if status in FlagStatus.values else status,
            by=str(event.actor) if event.actor else "",
            at=event.created_at,
            note=note_of(event),
        )
    return found


def flag_views(flags: list[RiskFlag], user: Any) -> list[FlagView]:
    """The flags with their reasons in the active language and the cases they name."""
    named = {case for flag in flags for case in flag.related_case_ids}
    visible = (
        dict(cases_visible_to(user).filter(pk__in=sorted(named)).values_list("pk", "number")) if named else {}
    )
    decisions = _decisions([flag for flag in flags if flag.decided_at is not None])
    views = []
    for flag in flags:
        reasons = []
        for reason in flag.reasons:
            ids = [int(case) for case in reason.get("cases", ())]
            reasons.append(
                ReasonView(
                    text=texts.describe(reason),
                    cases=[LinkedCase(case, visible[case] or "") for case in ids if case in visible],
                    hidden=sum(1 for case in ids if case not in visible),
                )
            )
        views.append(FlagView(flag, reasons, decisions.get(flag.pk), f"risk-{flag.pk}"))
    return views


def flags_of_case(application: Application, user: Any) -> list[FlagView]:
    """The case's flags, the open ones first, then by kind."""
    order = {kind.value: index for index, kind in enumerate(RiskKind)}
    flags = sorted(
        application.risk_flags.all(),
        key=lambda flag: (
            flag.status != FlagStatus.OPEN,
            flag.status == FlagStatus.WITHDRAWN,
            order[flag.kind],
        ),
    )
    return flag_views(flags, user)
