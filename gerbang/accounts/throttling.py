"""Throttling of failed sign-ins per IP address (core limit; per account: ``lockout``), and of
the emails account forms send."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from gerbang.core.ratelimit import Limit


def ip_failure_limit() -> Limit:
    return Limit("login-fail-ip", settings.LOGIN_FAILURES_PER_IP, 15 * 60)


# Account emails (verification, notices, password resets) are capped per address, so the forms
# that send them cannot be used to flood someone's inbox, and per client address.
EMAILS_PER_ADDRESS = Limit("account-mail-to", 5, 60 * 60)
EMAIL_REQUESTS_PER_IP = Limit("account-mail-ip", 30, 60 * 60)


def email_budget_left(address: str) -> bool:
    """Count one account email to ``address``; False once its hourly budget is spent.
    Callers then skip sending silently, so the answer still reveals nothing."""
    return EMAILS_PER_ADDRESS.hit(address.lower()) <= EMAILS_PER_ADDRESS.count


def client_ip(request: HttpRequest) -> str:
    """The client address as the WSGI server saw it. Behind a proxy, the proxy must set
    REMOTE_ADDR (granian does not trust X-Forwarded-For on its own)."""
    return str(request.META.get("REMOTE_ADDR", ""))
