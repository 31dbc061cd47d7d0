"""How a visitor wants pages shown: larger text, high contrast. Chosen from every page's footer
with a plain link (as the language is), kept in a cookie for a year, so the choice persists on
that device, signed in or not; the server writes the page with the classes, so nothing flashes
and nothing needs a script. The public pages' cache keeps one copy per choice."""

from __future__ import annotations

from django.http import HttpRequest

COOKIE = "gerbang_display"
COOKIE_AGE = 365 * 24 * 60 * 60
MODES = ("large", "contrast")


def modes_of(request: HttpRequest) -> tuple[str, ...]:
    """The modes the visitor chose, in a fixed order (whatever the cookie holds besides)."""
    chosen = set(request.COOKIES.get(COOKIE, "").split("."))
    return tuple(mode for mode in MODES if mode in chosen)


def toggled(modes: tuple[str, ...], mode: str) -> tuple[str, ...]:
    if mode not in MODES:
        return modes
    flipped = set(modes) ^ {mode}
    return tuple(m for m in MODES if m in flipped)


def classes(modes: tuple[str, ...]) -> str:
    return " ".join(f"display-{mode}" for mode in modes)
