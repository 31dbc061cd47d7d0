"""The one office-scoping helper: every app narrows its back-office querysets through it.

An office-bound staff member sees only the rows of the offices they belong to; national roles
(national administrator, auditor) see every office; anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from gerbang.accounts.models import STAFF_ROLES

M = TypeVar("M", bound=Model)


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


def scope_to_offices(queryset: QuerySet[M], user: Any, *, office_field: str = "office") -> QuerySet[M]:
    """Narrow ``queryset`` to the offices ``user`` may see.

    ``office_field`` is the path from the queryset's model to the office's primary key
    holder: ``"office"`` for a model with an ``office`` foreign key, ``"pk"`` for offices
    themselves, ``"office_memberships__office"`` for users.
    """
    if not getattr(user, "is_authenticated", False) or user.role not in STAFF_ROLES:
        return queryset.none()
    if user.has_national_scope:
        return queryset
    lookup = f"{office_field}__in"
    scoped = queryset.filter(**{lookup: office_ids_of(user)})
    return scoped.distinct() if "__" in office_field else scoped
