"""The one place where permissions are decided.

Each permission names the roles that hold it; office-bound checks also require that the staff
member belongs to the office concerned (see ``scoping``). Views, services and the API ask
``has_permission`` / ``require_permission``; nobody compares roles anywhere else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from gerbang.accounts.models import NATIONAL_ROLES, STAFF_ROLES, Role
from gerbang.accounts.scoping import can_access_office
from gerbang.core.exceptions import PermissionDenied


class Perm(StrEnum):
    BACKOFFICE_ACCESS = "backoffice.access"
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    OFFICE_VIEW = "office.view"
    AUDIT_VIEW = "audit.view"
    # Content for everyone (FAQ, guides, national notices) vs. content of one office.
    CONTENT_NATIONAL = "content.national"
    CONTENT_OFFICE = "content.office"
    # An office's closures and which services it can offer now.
    OFFICE_MANAGE = "office.manage"
    # The national catalogue: fees and service standards, official channels.
    CATALOG_MANAGE = "catalog.manage"
    # Cases: read them (office numbers, the queue), work them, and assign or reverse them.
    CASE_VIEW = "case.view"
    CASE_WORK = "case.work"
    CASE_ASSIGN = "case.assign"
    # Payments: see them per office and day; reconcile, resolve anomalies and record refunds.
    PAYMENTS_VIEW = "payments.view"
    PAYMENTS_MANAGE = "payments.manage"
    # Notification delivery: statistics, dead letters and their retry, template previews.
    NOTIFICATIONS_MANAGE = "notifications.manage"
    # The on-site queue: see it (today's figures), serve at a counter (call, complete, issue
    # walk-in tickets), see the figures per day, and set lanes, counters, rules and kiosks.
    QUEUE_VIEW = "queue.view"
    QUEUE_SERVE = "queue.serve"
    QUEUE_REPORT = "queue.report"
    QUEUE_MANAGE = "queue.manage"
    # Consultations put to an office: read them, and answer or close them.
    CONSULTATION_VIEW = "consultation.view"
    CONSULTATION_ANSWER = "consultation.answer"


RULES: dict[Perm, frozenset[Role]] = {
    Perm.BACKOFFICE_ACCESS: STAFF_ROLES,
    Perm.STAFF_VIEW: STAFF_ROLES,
    Perm.STAFF_MANAGE: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.OFFICE_VIEW: STAFF_ROLES,
    Perm.AUDIT_VIEW: frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.CONTENT_NATIONAL: frozenset({Role.NATIONAL_ADMIN}),
    Perm.CONTENT_OFFICE: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.OFFICE_MANAGE: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.CATALOG_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.CASE_VIEW: frozenset(
        {Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}
    ),
    Perm.CASE_WORK: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Perm.CASE_ASSIGN: frozenset({Role.SUPERVISOR}),
    Perm.PAYMENTS_VIEW: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.PAYMENTS_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.NOTIFICATIONS_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.QUEUE_VIEW: frozenset(
        {Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}
    ),
    Perm.QUEUE_SERVE: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Perm.QUEUE_REPORT: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.QUEUE_MANAGE: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.CONSULTATION_VIEW: frozenset(
        {Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}
    ),
    Perm.CONSULTATION_ANSWER: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN}),
}

# Which roles each administrator may give to the staff they create.
ASSIGNABLE_ROLES: dict[Role, tuple[Role, ...]] = {
    Role.OFFICE_ADMIN: (Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN),
    Role.NATIONAL_ADMIN: (
        Role.OFFICER,
        Role.SUPERVISOR,
        Role.OFFICE_ADMIN,
        Role.NATIONAL_ADMIN,
        Role.AUDITOR,
        Role.PARTNER_API,
    ),
}


def has_permission(user: Any, perm: Perm, *, office_id: int | None = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in RULES[perm]:
        return False
    return office_id is None or can_access_office(user, office_id)


def require_permission(user: Any, perm: Perm, *, office_id: int | None = None) -> None:
    if not has_permission(user, perm, office_id=office_id):
        raise PermissionDenied()


def assignable_roles(user: Any) -> tuple[Role, ...]:
    if not has_permission(user, Perm.STAFF_MANAGE):
        return ()
    return ASSIGNABLE_ROLES.get(Role(user.role), ())


def role_needs_office(role: str) -> bool:
    """Office-bound staff must belong to at least one office; national roles need none."""
    return role in STAFF_ROLES and role not in NATIONAL_ROLES
