"""Which offices' rows a person may see: every app narrows its back-office querysets here.

The user object says (the project's user model, in ``accounts``): ``user.office_scope()`` gives
an ``OfficeScope`` (every office for national roles, else the offices one belongs to, nothing for
people outside the back office) and ``user.office_ids()`` the offices one belongs to. Whoever is
not signed in, and any object that cannot say, sees nothing (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class OfficeScope:
    every_office: bool = False
    # The offices whose rows one sees, when not every office.
    office_ids: tuple[int, ...] = ()


NO_OFFICE = OfficeScope()


def office_scope(user: Any) -> OfficeScope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_OFFICE
    scope = getattr(user, "office_scope", None)
    answer = scope() if callable(scope) else None
    return answer if isinstance(answer, OfficeScope) else NO_OFFICE


def office_ids_of(user: Any) -> list[int]:
    """Ids of the offices a user belongs to (none for anyone not signed in)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    office_ids = getattr(user, "office_ids", None)
    return list(office_ids()) if callable(office_ids) else []


def scope_to_offices(queryset: QuerySet[M], user: Any, *, office_field: str = "office") -> QuerySet[M]:
    """Narrow ``queryset`` to the offices ``user`` may see.

    ``office_field`` is the path from the queryset's model to the office's primary key
    holder: ``"office"`` for a model with an ``office`` foreign key, ``"pk"`` for offices
    themselves, ``"office_memberships__office"`` for users.
    """
    scope = office_scope(user)
    if scope.every_office:
        return queryset
    if not scope.office_ids:
        return queryset.none()
    lookup = f"{office_field}__in"
    scoped = queryset.filter(**{lookup: scope.office_ids})
    return scoped.distinct() if "__" in office_field else scoped
