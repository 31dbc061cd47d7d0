"""Reads of the catalogue, scoped to what the asker may see."""

from __future__ import annotations

from django.db.models import QuerySet

from gerbang.accounts.scoping import scope_to_offices
from gerbang.catalog.models import Office


def offices_visible_to(user: object) -> QuerySet[Office]:
    return scope_to_offices(Office.objects.filter(is_active=True), user, office_field="pk")
