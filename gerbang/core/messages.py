"""Kinds of messages to people, registered by the apps whose events they tell of.

Each app says, in its own ``messages.py`` (found on first use, as the admin finds ``admin.py``),
which kinds of message it sends: the group a person's channel choices follow, whether the
message matters legally (then it always goes to email and the inbox), its templates, and the
builder that reads the facts the templates show, fresh when the message is delivered. The
notifications app delivers them and holds no knowledge of any of them.

Templates are ``<template>_subject.txt``, ``.txt``, ``.html`` and ``_sms.txt`` in the owning
app's ``templates/`` folder: files reviewed like code, translated through the catalogues.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.utils.functional import Promise


# The channels, as the notifications app names them (its ``Channel`` choices).
EMAIL, SMS, INBOX, PUSH = "email", "sms", "inbox", "push"
EMAIL_ONLY = frozenset({EMAIL})
EMAIL_AND_SMS = frozenset({EMAIL, SMS})


class StoredMessage(Protocol):
    """What a context builder is given: the stored message (its recipient, kind and facts)."""

    @property
    def recipient(self) -> Any: ...

    @property
    def kind(self) -> str: ...

    @property
    def context(self) -> dict[str, Any]: ...


ContextBuilder = Callable[[StoredMessage], Mapping[str, Any]]
# Made-up facts of the same shape, for the staff's preview of every template.
SampleBuilder = Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class Group:
    """What a person chooses channels for ("Bills and payments")."""

    key: str
    label: str | Promise
    help: str | Promise
    default_channels: frozenset[str]
    # Where it stands among the groups a person chooses channels for.
    order: int = 0


@dataclass(frozen=True)
class Kind:
    code: str
    group: str
    template: str
    # The facts the templates show, read when the message is rendered (a late delivery is right).
    context: ContextBuilder
    sample: SampleBuilder
    legal: bool = False
    # Channels that do not follow the person's choice (account messages go by email only).
    fixed_channels: frozenset[str] | None = None
    # Written in numbers at once by the clock or a broadcast, and nobody is waiting on the
    # page for it: delivered in the backlog lane, behind the messages a person's action caused.
    bulk: bool = False
    # Its links carry a secret made when it is rendered (a password reset, an address check):
    # never rendered again after it was sent (the person's copy of their data names it only).
    secret_links: bool = False


_GROUPS: dict[str, Group] = {}
_KINDS: dict[str, Kind] = {}


def register_group(group: Group) -> None:
    _GROUPS[group.key] = group


def register(*kinds: Kind) -> None:
    for kind in kinds:
        _KINDS[kind.code] = kind


@cache
def _discover() -> None:
    autodiscover_modules("messages")


def groups() -> dict[str, Group]:
    """Every group, in the order people see them."""
    _discover()
    return {g.key: g for g in sorted(_GROUPS.values(), key=lambda g: (g.order, g.key))}


def kinds() -> dict[str, Kind]:
    _discover()
    return dict(_KINDS)


def kind_of(code: str) -> Kind | None:
    _discover()
    return _KINDS.get(code)


def when_shown(compute: Callable[[], Any]) -> Callable[[], Any]:
    """A value that only some templates show (a bill, the timeline: a few queries each), worked
    out when one shows it, and once: Django templates call a callable they are given."""
    return cache(compute)
