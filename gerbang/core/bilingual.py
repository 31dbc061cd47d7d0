"""Text kept in both languages as two fields (``name_id``, ``name_en``), read in the active one.

``Bilingual("name")`` on a model gives ``obj.name``: the text in the active language, or, when
that version is missing, the other one, marked so that a page can say it is showing the other
language (``obj.name.is_fallback``, ``obj.name.language`` for the lang attribute).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

LANGUAGE_CODES = ("id", "en")


class BilingualText(str):
    language: str
    is_fallback: bool

    def __new__(cls, value: str, language: str, is_fallback: bool) -> BilingualText:
        text = super().__new__(cls, value)
        text.language = language
        text.is_fallback = is_fallback
        return text

    def __reduce__(self) -> tuple[type[BilingualText], tuple[str, str, bool]]:
        # Kept in a cache (pickled) and read back whole.
        return (BilingualText, (str(self), self.language, self.is_fallback))


def language_name(code: str) -> str:
    """The language's name as a sentence of the active language names it: 'Indonesian', 'English'
    ('bahasa Indonesia', 'bahasa Inggris')."""
    if code[:2] == "en":
        return pgettext("language name in a sentence", "English")
    return pgettext("language name in a sentence", "Indonesian")


def other_language_note(text: Any, *, covered: bool = False) -> str:
    """The short visible note put after a staff-written text shown in the other language (a
    ``BilingualText`` that fell back): '(in Indonesian)' / '(dalam bahasa Inggris)', as HTML.
    Nothing for a text in the page's language, for text that is not bilingual (what citizens
    write), or when ``covered``: the page already says, once, that it is all in the other
    language. It goes outside the element that carries the text's ``lang``."""
    if covered or not getattr(text, "is_fallback", False) or not str(text):
        return ""
    note = gettext("(in %(language)s)") % {"language": language_name(text.language)}
    return format_html('<span class="other-language muted small">{}</span>', note)


def active_language() -> str:
    language = (translation.get_language() or "id")[:2]
    return language if language in LANGUAGE_CODES else "id"


def pick(obj: Any, base: str, language: str | None = None) -> BilingualText:
    wanted = language or active_language()
    value = getattr(obj, f"{base}_{wanted}", "") or ""
    if value:
        return BilingualText(value, wanted, False)
    other = "en" if wanted == "id" else "id"
    return BilingualText(getattr(obj, f"{base}_{other}", "") or "", other, True)


class Bilingual:
    """Descriptor: ``name = Bilingual("name")`` next to ``name_id`` and ``name_en`` fields."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return pick(obj, self.base)
