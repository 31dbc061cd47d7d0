"""Menus: the entries each app adds to a menu it does not own (the back office's).

An app says, in its own ``menus.py`` (found on first use, as the admin finds ``admin.py``),
which entries it adds: a label, the URL name the entry opens, who sees it (any of the
permissions it names; none named: everyone shown the menu), and which pages it is the current
page of. The menu's template asks ``{% menu_links "backoffice" as links %}`` and draws them in a
stable order (by ``order``, then by URL name), so the menu knows none of the apps that
fill it, and a new app adds its pages without touching it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from gerbang.core.permissions import Perm, has_permission

# The back office's menu (``templates/backoffice/base.html``), in the namespace "backoffice".
BACKOFFICE = "backoffice"


@dataclass(frozen=True)
class Entry:
    menu: str
    label: str | Promise
    # A URL name in the menu's namespace, taking no arguments.
    url_name: str
    # Shown to whoever holds any of these; an empty tuple: to everyone shown the menu.
    permissions: tuple[Perm, ...] = ()
    # The entry is the current page on the URL names that begin with any of these; empty: on
    # ``url_name`` alone.
    current: tuple[str, ...] = ()
    order: int = 100

    def is_current(self, url_name: str | None) -> bool:
        if not url_name:
            return False
        if not self.current:
            return url_name == self.url_name
        return url_name.startswith(self.current)


@dataclass(frozen=True)
class Link:
    """An entry as one request sees it."""

    label: str | Promise
    url: str
    current: bool


_ENTRIES: dict[str, list[Entry]] = {}


def register(*entries: Entry) -> None:
    for entry in entries:
        registered_here = _ENTRIES.setdefault(entry.menu, [])
        if entry not in registered_here:
            registered_here.append(entry)


@cache
def _discover() -> None:
    autodiscover_modules("menus")


def registered(menu: str) -> list[Entry]:
    """The entries of ``menu``, in the order the menu shows them."""
    _discover()
    return sorted(_ENTRIES.get(menu, ()), key=lambda entry: (entry.order, entry.url_name))


def links(menu: str, request: HttpRequest) -> list[Link]:
    """The entries of ``menu`` this request's user may open, each marked when it is the page
    being shown."""
    user: Any = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None and match.namespace == menu else None
    return [
        Link(entry.label, reverse(f"{menu}:{entry.url_name}"), entry.is_current(url_name))
        for entry in registered(menu)
        if not entry.permissions or any(has_permission(user, perm) for perm in entry.permissions)
    ]
