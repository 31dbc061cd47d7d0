"""django-oauth-toolkit's validator with Gerbang's rules on top."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from oauth2_provider.oauth2_validators import OAuth2Validator


def is_loopback(uri: str) -> bool:
    """A redirect to this device itself (RFC 8252 §7.3): 127.0.0.1 or [::1], any port."""
    host = urlsplit(uri).hostname or ""
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class GerbangValidator(OAuth2Validator):  # type: ignore[misc]  # the toolkit is untyped
    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """Plain http only to a loopback address (a native app listening on this device);
        anywhere else the code must travel over https."""
        if urlsplit(redirect_uri).scheme == "http" and not is_loopback(redirect_uri):
            return False
        return bool(super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs))
