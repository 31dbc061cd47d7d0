"""Writing what apps may do for a person: consent recorded, a device signed out, a sign-in issued."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
    set_token_value,
)
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import generate_token

from gerbang.core import events
from gerbang.core.exceptions import NotFound, PermissionDenied
from gerbang.oauth.events import AppEvent


@transaction.atomic
def app_authorised(*, user: Any, application: Any, scopes: list[str]) -> None:
    """The person gave ``application`` access with ``scopes`` on the consent screen."""
    events.record(
        AppEvent.APP_AUTHORISED,
        actor=user,
        subject=user,
        details={"app": application.name, "client_id": application.client_id, "scopes": sorted(scopes)},
    )


@transaction.atomic
def app_sign_out(*, user: Any, application_id: int) -> int:
    """Sign ``user`` out of one app on every device: its refresh tokens revoked, its access
    tokens and unused codes deleted, so it can do nothing more until the person signs in to it
    again. Returns how many tokens were ended."""
    application = get_application_model().objects.filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    refresh = get_refresh_token_model().objects.filter(
        user=user, application=application, revoked__isnull=True
    )
    access = get_access_token_model().objects.filter(user=user, application=application)
    ended = refresh.count() + access.count()
    if not ended:
        raise NotFound()
    for token in refresh:
        token.revoke()
    access.delete()
    get_grant_model().objects.filter(user=user, application=application).delete()
    events.record(
        AppEvent.APP_SIGNED_OUT,
        actor=user,
        subject=user,
        details={"app": application.name, "client_id": application.client_id},
    )
    return int(ended)


@transaction.atomic
def app_sign_in_issue(
    *, user: Any, application: Any, scopes: list[str], now: datetime | None = None
) -> tuple[str, str]:
    """A sign-in as the token endpoint gives one (an access and a refresh token), issued
    directly: for the demo's phone and for tests. Returns the two tokens."""
    if not getattr(user, "may_use_app_tokens", False):
        raise PermissionDenied()
    now = now or timezone.now()
    lifetime = timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)
    access_value, refresh_value = generate_token(), generate_token()
    access = get_access_token_model()(
        user=user, application=application, scope=" ".join(scopes), expires=now + lifetime
    )
    set_token_value(access, access_value)
    access.save()
    refresh = get_refresh_token_model()(
        user=user, application=application, access_token=access, token_family=uuid.uuid4()
    )
    set_token_value(refresh, refresh_value)
    refresh.save()
    if now < timezone.now():  # backdated (the demo's phone signed in earlier)
        type(access).objects.filter(pk=access.pk).update(created=now, updated=now)
        type(refresh).objects.filter(pk=refresh.pk).update(created=now, updated=now)
    return access_value, refresh_value


@transaction.atomic
def apps_sign_out_everywhere(*, user: Any, dry_run: bool = False) -> int:
    """Every app signed out of ``user``'s account (erasure of the account): how many apps."""
    application_ids = sorted(
        set(get_refresh_token_model().objects.filter(user=user).values_list("application_id", flat=True))
        | set(get_access_token_model().objects.filter(user=user).values_list("application_id", flat=True))
    )
    if dry_run:
        return len(application_ids)
    for application_id in application_ids:
        get_refresh_token_model().objects.filter(user=user, application_id=application_id).delete()
        get_access_token_model().objects.filter(user=user, application_id=application_id).delete()
    get_grant_model().objects.filter(user=user).delete()
    return len(application_ids)
