"""Consents people give, and what withdrawing one stops (UU PDP Pasal 20(2)a, 22 and 40).

Most of what the service does with personal data rests on the law, not on consent (see the
processing register, ``core.data_subjects``). Where it does rest on consent, the app that does the
processing registers a ``Purpose`` here, with the exact text the person agrees to and its version,
and what to stop when it is withdrawn. When the person agrees, the app publishes ``ConsentGiven``
in the same transaction; ``gerbang.privacy`` keeps the record (purpose, text version, time, how)
and serves withdrawal, which must stop the processing within 3 x 24 hours (Pasal 40): here it
stops at once, through ``Purpose.on_withdraw``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from gerbang.core.events import DomainEvent


@dataclass(frozen=True)
class Purpose:
    key: str  # "notifications.push"
    title: Promise
    # What the person agrees to, word for word as shown; a new wording is a new version.
    text: Promise
    version: str
    # What to stop when the person withdraws (given the person): returns how many things stopped.
    # None: the consent cannot be withdrawn on its own (say why in ``not_withdrawable``).
    on_withdraw: Callable[[Any], int] | None = None
    not_withdrawable: Promise | str = ""

    @property
    def withdrawable(self) -> bool:
        """For templates, which would call ``on_withdraw`` (with no person) if asked of it."""
        return self.on_withdraw is not None


_PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> None:
    _PURPOSES[purpose.key] = purpose


@cache
def _discover() -> None:
    autodiscover_modules("consents")


def purposes() -> dict[str, Purpose]:
    _discover()
    return dict(sorted(_PURPOSES.items()))


def purpose(key: str) -> Purpose | None:
    return purposes().get(key)


@dataclass(frozen=True, kw_only=True)
class ConsentGiven(DomainEvent):
    """A person agreed to ``purpose`` (its current version) just now; ``via`` says where
    ("web", "app", "counter")."""

    person: Any
    purpose: str
    via: str = "web"
