"""System checks of the payment configuration (run by `manage.py check`, also at deployment)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register("gerbang")
def payment_provider_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.SIMULATORS and not settings.PAYMENT_PROVIDER_URL:
        return [
            Error(
                "PAYMENT_PROVIDER_URL is not set and the simulators are off: bills could not be paid.",
                hint="Set PAYMENT_PROVIDER_URL to the provider's API, or SIMULATORS=1 for local use.",
                id="gerbang.E101",
            )
        ]
    if settings.SIMULATORS and not settings.DEBUG and not settings.TESTING:
        return [
            Error(
                "SIMULATORS is on while DEBUG is off: the simulated payment provider must never run in production.",
                id="gerbang.E102",
            )
        ]
    return []
