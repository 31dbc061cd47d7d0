"""Which offices a user's back-office work covers (``User.office_scope``), for the one
office-scoping helper every app narrows its querysets through (``gerbang.core.scoping``,
re-exported here for the apps above accounts).

An office-bound staff member sees only the rows of the offices they belong to; national roles
(national administrator, auditor) see every office; anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from gerbang.accounts.models import STAFF_ROLES
from gerbang.core.scoping import NO_OFFICE, OfficeScope, scope_to_offices

__all__ = ["can_access_office", "office_ids_of", "office_scope_of", "scope_to_offices"]


def office_ids_of(user: Any) -> list[int]:
    """Ids of the offices a user belongs to (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[int] | None = getattr(user, "_office_ids_cache", None)
    if cached is None:
        cached = list(user.office_memberships.values_list("office_id", flat=True))
        user._office_ids_cache = cached
    return cached


def can_access_office(user: Any, office_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role not in STAFF_ROLES:
        return False
    return bool(user.has_national_scope) or office_id in office_ids_of(user)


def office_scope_of(user: Any) -> OfficeScope:
    """What ``scope_to_offices`` narrows to for a signed-in user (``User.office_scope``)."""
    if user.role not in STAFF_ROLES:
        return NO_OFFICE
    if user.has_national_scope:
        return OfficeScope(every_office=True)
    return OfficeScope(office_ids=tuple(office_ids_of(user)))
