"""Request types for views behind sign-in, so ``request.user`` is typed as our User."""

from __future__ import annotations

from typing import Any

from gerbang.accounts.models import User
from gerbang.core import http


class AuthenticatedRequest(http.AuthenticatedRequest):
    user: User


def second_factor_verified(user: Any) -> bool:
    """Whether this session passed a second factor (django-otp's middleware adds
    ``is_verified`` to the request's user)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False
