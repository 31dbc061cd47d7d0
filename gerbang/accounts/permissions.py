"""The one place where permissions are decided.

Each permission names the roles that hold it; office-bound checks also require that the staff
member belongs to the office concerned (see ``scoping``). Views, services and the API ask
``has_permission`` / ``require_permission`` (``gerbang.core.permissions``, which asks the user:
``User.has_permission`` answers from this table); nobody compares roles anywhere else. The names
are re-exported here for the apps above accounts.
"""

from __future__ import annotations

from typing import Any

from gerbang.accounts.models import NATIONAL_ROLES, STAFF_ROLES, Role
from gerbang.accounts.scoping import can_access_office
from gerbang.core.permissions import Perm, has_permission, require_permission

__all__ = [
    "ASSIGNABLE_ROLES",
    "RULES",
    "Perm",
    "assignable_roles",
    "has_permission",
    "require_permission",
    "role_needs_office",
    "user_holds",
]


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
    Perm.CASE_ASSIST: frozenset({Role.OFFICER, Role.SUPERVISOR}),
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
    Perm.REPORT_VIEW: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.REPORT_HANDLE: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.NATIONAL_ADMIN}),
    Perm.REPORT_OVERSEE: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.REPORT_NATIONAL: frozenset({Role.NATIONAL_ADMIN}),
    Perm.RATING_MODERATE: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.RATING_REPLY: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN}),
    Perm.IKM_VIEW: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.FORECAST_VIEW: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.DASHBOARD_VIEW: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.DASHBOARD_NATIONAL: frozenset({Role.NATIONAL_ADMIN}),
    Perm.PARTICIPATION_VIEW: STAFF_ROLES,
    Perm.PARTICIPATION_MANAGE: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.PARTICIPATION_MODERATE: frozenset({Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
    Perm.LEDGER_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.PRIVACY_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.RISK_REVIEW: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Perm.EXCHANGE_VIEW: frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR}),
    Perm.EXCHANGE_MANAGE: frozenset({Role.NATIONAL_ADMIN}),
    Perm.BIOMETRICS_VERIFY: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Perm.TRAINING_RESET: frozenset({Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN}),
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


def user_holds(user: Any, perm: str, *, office_id: int | None = None) -> bool:
    """The table's answer for a signed-in user (``User.has_permission``)."""
    if not user.is_active:
        return False
    if user.role not in RULES[Perm(perm)]:
        return False
    return office_id is None or can_access_office(user, office_id)


def assignable_roles(user: Any) -> tuple[Role, ...]:
    if not has_permission(user, Perm.STAFF_MANAGE):
        return ()
    return ASSIGNABLE_ROLES.get(Role(user.role), ())


def role_needs_office(role: str) -> bool:
    """Office-bound staff must belong to at least one office; national roles need none."""
    return role in STAFF_ROLES and role not in NATIONAL_ROLES
