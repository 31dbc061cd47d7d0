"""Offices for the apps that must not import the catalogue (accounts: who belongs to which
office, by a foreign key to "catalog.Office" named as a string).

The catalogue owns offices and says, in its ``ready``, where the offices people can be given
are (``register``); accounts asks here when an administrator chooses a new staff member's
offices. Nothing else is promised about an office than what its model has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from gerbang.core.scoping import scope_to_offices

_active_offices: Callable[[], QuerySet[Any]] | None = None


def register(active_offices: Callable[[], QuerySet[Any]]) -> None:
    """Where the offices are that people can be given (the catalogue's active offices)."""
    global _active_offices
    _active_offices = active_offices


def active_offices() -> QuerySet[Any]:
    if _active_offices is None:
        raise ImproperlyConfigured("No app provides offices (gerbang.catalog registers them in its ready()).")
    return _active_offices()


def offices_visible_to(user: Any) -> QuerySet[Any]:
    """The active offices ``user`` may see (and give to the staff they create)."""
    return scope_to_offices(active_offices(), user, office_field="pk")
