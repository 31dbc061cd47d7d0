"""System checks of the key configuration (run by `manage.py check`, also at deployment)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from gerbang.core import crypto


@register("gerbang")
def field_encryption_keys_readable(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A ring that cannot be read stops here, not at the first page that decrypts a field."""
    try:
        crypto.parse_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="See docs/operations.md, 'Keys'.", id="gerbang.E001")]
    return []
