"""The scopes an app may ask for when a person signs in to it (OAuth 2.1, django-oauth-toolkit).

One small set, each a thing a person understands on the consent screen; every applicant
endpoint of the API names the one it needs (``gerbang.core.api_auth.signed_in``). Kept free
of models so that the settings can read it.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Scope(StrEnum):
    PROFILE = "profile"
    APPLICATIONS_READ = "applications:read"
    APPLICATIONS_WRITE = "applications:write"
    APPOINTMENTS = "appointments"
    PAYMENTS = "payments"
    NOTIFICATIONS = "notifications"
    FEEDBACK = "feedback"
    PARTICIPATION = "participation"


# What each scope lets the app do, as the consent screen and the signed-in devices say it.
SCOPE_TEXTS: dict[str, Promise] = {
    Scope.PROFILE: _("See your name, email address and language; turn on two-factor sign-in"),
    Scope.APPLICATIONS_READ: _("See your applications, their documents and their progress"),
    Scope.APPLICATIONS_WRITE: _("Start, fill in, submit, correct and cancel your applications"),
    Scope.APPOINTMENTS: _("See, book, move and cancel your appointments"),
    Scope.PAYMENTS: _("See your bills and receipts, check a payment and ask for a new bill"),
    Scope.NOTIFICATIONS: _("Read your inbox and choose how the service tells you (email, SMS, this device)"),
    Scope.FEEDBACK: _("Your consultations, reports and ratings of the service"),
    Scope.PARTICIPATION: _("Answer surveys, post in debates and support proposals in your name"),
}

# What an app gets when it asks for no scope: the least.
DEFAULT_SCOPES = [Scope.PROFILE.value]


def scope_texts(scopes: str | list[str]) -> list[str]:
    """The scopes of a grant in words, in the order of the table (unknown ones left out)."""
    given = set(scopes.split() if isinstance(scopes, str) else scopes)
    return [str(text) for scope, text in SCOPE_TEXTS.items() if scope in given]
