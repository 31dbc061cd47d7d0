"""Reading the apps a person signed in to ("signed-in devices")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from gerbang.core.app_scopes import scope_texts


@dataclass(frozen=True)
class SignedInApp:
    application_id: int
    name: str
    # When the person first gave this app access, of the sign-ins still alive.
    granted_at: datetime
    # When the app last used or renewed its access.
    last_used_at: datetime
    scopes: list[str]


def signed_in_apps(user: Any) -> list[SignedInApp]:
    """Every app that can still act for ``user``: a live access token, or a refresh token not
    revoked (which gets a new access token), newest use first."""
    now = timezone.now()
    access = get_access_token_model().objects.filter(user=user, expires__gt=now, application__isnull=False)
    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
    apps: dict[int, dict[str, Any]] = {}
    for row in access.values("application_id", "application__name").annotate(
        first=Min("created"), last=Max("updated")
    ):
        apps[row["application_id"]] = {
            "name": row["application__name"],
            "first": row["first"],
            "last": row["last"],
        }
    for row in refresh.values("application_id", "application__name").annotate(
        first=Min("created"), last=Max("updated")
    ):
        known = apps.setdefault(
            row["application_id"],
            {"name": row["application__name"], "first": row["first"], "last": row["last"]},
        )
        known["first"] = min(known["first"], row["first"])
        known["last"] = max(known["last"], row["last"])
    scopes: dict[int, set[str]] = {app_id: set() for app_id in apps}
    for app_id, scope in access.values_list("application_id", "scope"):
        scopes[app_id].update(scope.split())
    for app_id, scope in refresh.values_list("application_id", "access_token__scope"):
        scopes[app_id].update((scope or "").split())
    found = [
        SignedInApp(app_id, row["name"], row["first"], row["last"], scope_texts(sorted(scopes[app_id])))
        for app_id, row in apps.items()
    ]
    return sorted(found, key=lambda app: app.last_used_at, reverse=True)
