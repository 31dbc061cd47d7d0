"""The one way a case changes state: ``_move`` takes one transition of the table (``workflow``)
on a row ``_locked`` for the transaction, records its timeline event and publishes ``CaseMoved``;
and the services that are only such a move (a staff action of the table, the fee paid)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.applications.events import CaseMoved
from gerbang.applications.models import Application
from gerbang.applications.selectors.case import actor_of, on_behalf
from gerbang.applications.workflow import (
    BY_ACTION,
    REASON_CODE_MISSING,
    REASON_MISSING,
    Action,
    Actor,
    RejectionReason,
    State,
)
from gerbang.catalog import selectors as catalog
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationError


def _locked(application: Application, expected_version: int | None) -> Application:
    """The current row, locked for this transaction; Conflict if it changed since it was read."""
    fresh = Application.objects.select_for_update().select_related("office", "service").get(pk=application.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _(
                "Somebody else changed this application a moment ago (it is now “%(state)s”). "
                "Nothing was changed; check the current state below and try again if still needed."
            )
            % {"state": fresh.state_label},
            code=ErrorCode.STALE_VERSION,
        )
    return fresh


def _touch(application: Application, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(application, name, value)
    application.version += 1
    application.save()


def _move(
    application: Application,
    action: Action,
    *,
    actor: User | SystemActor,
    reason_code: str = "",
    reason: str = "",
    details: Mapping[str, Any] | None = None,
    **changes: Any,
) -> Application:
    """Take one transition of the table on a locked row: its state and timeline event, and
    ``CaseMoved`` for the apps that act on it (``workflow`` says which), in one transaction."""
    transition = BY_ACTION[action]
    role = actor_of(application, actor)
    if role is None or role not in transition.actors:
        raise PermissionDenied(_("You may not do this on this application."))
    if application.state not in transition.sources:
        raise Conflict(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.state_label},
            code=ErrorCode.WRONG_STATE,
        )
    if transition.needs_reason_code and reason_code not in RejectionReason.values:
        raise ValidationError(REASON_CODE_MISSING, field="reason_code")
    if transition.needs_reason and not reason.strip():
        raise ValidationError(REASON_MISSING, field="reason")
    if transition.guard is not None:
        problem = transition.guard(application)
        if problem:
            raise ValidationError(problem, code=ErrorCode.GUARD)
    previous = application.state
    # An officer taking the applicant's step of an assisted case (its submission) is named so.
    behalf = on_behalf(application, actor)
    now = timezone.now()
    _touch(application, state=transition.target, state_changed_at=now, **changes)
    events.record(
        f"application.{action}",
        actor=actor,
        subject=application,
        office_id=application.office_id,
        details={
            "from": previous,
            "to": transition.target.value,
            "reason_code": reason_code,
            "public": True,
            **behalf,
            **(details or {}),
        },
        # The officer's explanation is about a person: an event note, erased with the case.
        note=reason,
    )
    events.publish(
        CaseMoved(
            application=application,
            transition=transition,
            previous=State(previous),
            actor=actor,
            at=now,
            reason_code=reason_code,
        )
    )
    return application


# The system itself, moving a case as part of what a person did (the bill issued on submission).
WORKFLOW = SystemActor("workflow")


def _owned(application: Application, user: User) -> None:
    if actor_of(application, user) != Actor.APPLICANT:
        raise NotFound()


def _staff(application: Application, user: User) -> None:
    require_permission(user, Perm.CASE_WORK, office_id=application.office_id)


def application_lock(*, application: Application, expected_version: int | None) -> Application:
    """The case's current row, locked for the caller's transaction (the first lock of the lock
    order); Conflict when it changed since ``expected_version`` was read."""
    return _locked(application, expected_version)


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: Action | str,
    actor: User,
    expected_version: int,
    reason_code: str = "",
    reason: str = "",
) -> Application:
    """A staff action that is only a move in the table (verification start, interview, decision…)."""
    _staff(application, actor)
    application = _locked(application, expected_version)
    action = Action(action)
    changes: dict[str, Any] = {}
    if action in {Action.REJECT, Action.APPROVE}:
        changes["decided_at"] = timezone.now()
    elif action == Action.REVERSE_DECISION:
        changes["decided_at"] = None
    elif action == Action.START_VERIFICATION and application.assigned_to_id is None:
        changes["assigned_to"] = actor
    if BY_ACTION[action].own_service:
        raise PermissionDenied(_("You may not do this on this application."))
    return _move(application, action, actor=actor, reason_code=reason_code, reason=reason, **changes)


def _due_after_payment(application: Application, paid_at: datetime) -> date:
    """The decision is due the service standard's working days after the fee was paid."""
    return catalog.due_date(
        office=application.office,
        standard_working_days=application.terms.standard_working_days if application.terms else 0,
        received_at=paid_at,
    )


@transaction.atomic
def application_paid(
    *, application: Application, paid_at: datetime, details: dict[str, Any], actor: User | SystemActor
) -> Application:
    """The fee was paid (payments recorded it: the provider confirmed it, or staff recorded a
    bank-counter receipt, then ``actor`` is that officer): the case moves on, its decision due
    the service standard's working days after ``paid_at``."""
    if not isinstance(actor, SystemActor):
        _staff(application, actor)
    application = _locked(application, None)
    return _move(
        application,
        Action.RECORD_PAYMENT,
        actor=actor,
        due_date=_due_after_payment(application, paid_at),
        details=details,
    )


@transaction.atomic
def application_checks_awaited(
    *, application: Application, actor: SystemActor, details: dict[str, Any]
) -> Application:
    """The paid case waits for checks with partner agencies (``integrations`` asks them)."""
    application = _locked(application, None)
    return _move(application, Action.AWAIT_CHECKS, actor=actor, details=details)


@transaction.atomic
def application_checks_done(
    *, application: Application, actor: SystemActor, details: dict[str, Any]
) -> Application:
    """Every check with a partner agency is answered, or verified by an officer by other means
    when a partner stayed down: the case goes on to its officer, as a paid case does."""
    application = _locked(application, None)
    return _move(application, Action.CHECKS_DONE, actor=actor, details=details)
