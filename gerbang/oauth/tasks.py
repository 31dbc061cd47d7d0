"""Periodic work on apps' sign-ins."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="41"))
def clear_expired_tokens() -> None:
    """Nightly: tokens no longer good for anything go (django-oauth-toolkit's ``cleartokens``):
    access tokens past their expiry, refresh tokens revoked longer ago than a refresh token
    lives, and authorisation codes past theirs. A person's list of signed-in devices then shows
    only sign-ins that still work."""
    from oauth2_provider.models import clear_expired

    clear_expired()
