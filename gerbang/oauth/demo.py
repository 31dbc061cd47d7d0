"""Demo data for sign-in for apps: the mobile app as a registered public client, and the demo
applicant signed in to it on a phone (so the signed-in devices page shows one)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from gerbang.accounts.demo import DEMO_ACCOUNTS
from gerbang.accounts.models import User
from gerbang.core import demo
from gerbang.core.app_scopes import Scope
from gerbang.oauth import services

# The mobile app: a public client (it keeps no secret), redirected to a loopback address on
# any port (RFC 8252 §7.3), as scripts/example_client.py listens.
MOBILE_CLIENT_ID = "gerbang-mobile"
MOBILE_NAME = "Gerbang (aplikasi seluler)"
MOBILE_REDIRECT_URIS = "http://127.0.0.1/callback"
MOBILE_SCOPES = [
    Scope.PROFILE,
    Scope.APPLICATIONS_READ,
    Scope.APPLICATIONS_WRITE,
    Scope.APPOINTMENTS,
    Scope.PAYMENTS,
    Scope.NOTIFICATIONS,
]


def mobile_app() -> Any:
    """The mobile app's client, registered once (running the loader again changes nothing)."""
    model = get_application_model()
    app, _ = model.objects.update_or_create(
        client_id=MOBILE_CLIENT_ID,
        defaults={
            "name": MOBILE_NAME,
            "client_type": model.CLIENT_PUBLIC,
            "authorization_grant_type": model.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": MOBILE_REDIRECT_URIS,
            "client_secret": "",
            "hash_client_secret": False,
            "skip_authorization": False,
            "algorithm": "",
        },
    )
    return app


def load() -> dict[str, Any]:
    app = mobile_app()
    applicant = User.objects.get(email=str(DEMO_ACCOUNTS[0]["email"]))
    signed_in = get_access_token_model().objects.filter(user=applicant, application=app).exists()
    if not signed_in:
        services.app_sign_in_issue(
            user=applicant,
            application=app,
            scopes=[str(scope) for scope in MOBILE_SCOPES],
            now=timezone.now() - timedelta(days=3),
        )
    return {"client_id": app.client_id}


demo.register("oauth", load, after=["accounts"], summary=lambda loaded: f"mobile app {loaded['client_id']}")
