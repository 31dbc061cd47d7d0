"""Every address of the site, and people to call them as, for tests that sweep them all: the
addresses come from the URL configuration, so a new page or endpoint is swept without being
listed anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gerbang.accounts.models import User

# Values for the parts of an address that are not ids, so that what a test varies is what the
# view gets to judge.
PLAIN = {"code": "mesuji", "slug": "paspor-biasa", "service_code": "paspor-biasa", "step": "identity"}


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def address(route: str, id_value: int | None) -> str | None:
    """The route with its id parts set to ``id_value`` and its other parts to plain values;
    None when ``id_value`` is given and the route takes no id."""
    found = False

    def part(match: re.Match[str]) -> str:
        nonlocal found
        converter, name = match.group(1), match.group(2)
        if converter == "int" or (route.startswith("api/") and name in {"pk", "number"}):
            found = True
            return str(id_value if id_value is not None else 1)
        return PLAIN.get(name, "x")

    made = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", part, route.lstrip("^").rstrip("$"))
    return made if found or id_value is None else None


def addresses(id_value: int | None = None) -> list[str]:
    """Every address (with ``id_value``: every one that takes an id), each once."""
    return sorted({a for a in (address(r, id_value) for r in routes()) if a})


def people(staff_client: Any) -> dict[str, Client]:
    """The public, the demo applicant and a demo officer (signed in with a second factor)."""
    applicant = Client()
    applicant.force_login(User.objects.get(email="pemohon@gerbang.test"))
    return {
        "public": Client(),
        "applicant": applicant,
        "officer": staff_client(User.objects.get(email="petugas.mesuji@gerbang.test")),
    }
