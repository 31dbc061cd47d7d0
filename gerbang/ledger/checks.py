"""System checks of the public log's keys (run by ``manage.py check``, also at deployment): a
signing key, previous keys or a transition key that cannot be used stops the start, instead of
the sequencer failing in the worker later."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from gerbang.ledger import keys


@register("gerbang")
def ledger_keys_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(
            problem,
            hint="See docs/operations.md, “The public ledger's key”.",
            id="gerbang.E201",
        )
        for problem in keys.configuration_problems()
    ]
