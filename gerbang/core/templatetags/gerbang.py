"""Template filters shared by every app's templates."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gerbang.core import bilingual, formatting, menus, panels

register = template.Library()


@register.simple_tag
def language_name(code: str) -> str:
    """A language's name in a sentence of the active language: 'English' / 'bahasa Inggris'."""
    return bilingual.language_name(code)


@register.simple_tag
def other_language_note(text: Any, covered: bool = False) -> str:
    """A short visible note after a staff-written text shown in the other language (a
    ``core.bilingual.BilingualText`` that fell back): '(in Indonesian)'. Nothing for a text in the
    page's language, for text that is not bilingual (what citizens write), or when ``covered``:
    the page already says, once, that all of it is in the other language. Put it outside the
    element that carries the text's ``lang``."""
    return bilingual.other_language_note(text, covered=covered)


@register.filter
def rupiah(amount: int | None) -> str:
    return formatting.rupiah(amount)


# Moments and days, one filter per kind, written as ``gerbang.core.formatting`` writes them.
# Human text only: a ``datetime`` attribute or an address takes ``|date:"c"`` / ``|date:"Y-m-d"``.


@register.filter
def office_time(value: datetime | None, office: Any = None) -> str:
    """A moment in the office's own time zone (the site's without an office), with the zone:
    '3 Desember 2026, 14.30 WITA'."""
    return formatting.moment(value, office)


@register.filter
def office_clock(value: datetime | time | None, office: Any = None) -> str:
    """Only the time of day at the office: '08.30' (where a heading names the zone)."""
    return formatting.clock(value, office)


@register.filter
def day(value: date | None, office: Any = None) -> str:
    """A calendar day: '3 Desember 2026' (of a moment: its day at the office)."""
    return formatting.day(value, office)


@register.filter
def weekday(value: date | None, office: Any = None) -> str:
    """A calendar day with its weekday: 'Kamis, 3 Desember 2026'."""
    return formatting.weekday(value, office)


@register.filter
def month(value: date | None) -> str:
    """A calendar month: 'Desember 2026'."""
    return formatting.month(value)


@register.filter
def zone_abbreviation(zone_name: str) -> str:
    return formatting.zone_abbreviation(zone_name)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def duration_minutes(seconds: float | None) -> str:
    """A duration in seconds as whole minutes: '12 min' ('' when unknown)."""
    if seconds is None:
        return ""
    if seconds < 60:
        return _("under 1 min")
    return _("%(minutes)s min") % {"minutes": round(seconds / 60)}


@register.filter
def percent(share: float | None) -> str:
    """A share between 0 and 1 as a whole percentage: '25%'."""
    if share is None:
        return ""
    return f"{round(share * 100)}%"


@register.filter
def decimal(value: float | None, places: int = 1) -> str:
    """A number with ``places`` decimals as the reader writes it: '3,6' / '3.6'."""
    return formatting.number(value, int(places))


# An http(s) address in text that is already escaped: it stops at a space or an escaped quote
# or angle bracket.
_ADDRESS = re.compile(r"https?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s<>\"'])+")
# Punctuation that ends a sentence rather than the address.
_TRAILING = ".,;:!?)"


def _is_ours(address: str) -> bool:
    ours = urlsplit(settings.SITE_URL)
    theirs = urlsplit(address.replace("&amp;", "&"))
    return (theirs.scheme, theirs.netloc.lower()) == (ours.scheme, ours.netloc.lower())


def _link(match: re.Match[str]) -> str:
    address = match.group(0)
    tail = ""
    while address and address[-1] in _TRAILING:
        address, tail = address[:-1], address[-1] + tail
    if not _is_ours(address):
        return match.group(0)
    # ``address`` comes from escaped text: it is safe inside the attribute and as the text.
    return f'<a href="{address}">{address}</a>{tail}'


@register.filter(is_safe=True)
def message_text(text: str | None) -> SafeString:
    """A plain-text message (inbox, consultation) for a page: escaped first, then the site's own
    http(s) addresses made links (an address elsewhere stays text, so a message cannot carry a
    link to a look-alike site); blank lines part paragraphs, other line breaks are kept. Long
    addresses wrap (CSS ``.message-text``)."""
    escaped = str(escape((text or "").replace("\r\n", "\n").strip()))
    linked = _ADDRESS.sub(_link, escaped)
    paragraphs = [part.strip("\n") for part in re.split(r"\n[ \t]*\n\s*", linked) if part.strip()]
    return mark_safe("".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs))  # noqa: S308


@register.filter
def sentence(text: object) -> str:
    """Text that ends as a sentence (a full stop added when it ends without punctuation), so a
    reason typed as a title does not run into the next sentence."""
    value = str(text or "").strip()
    return value if not value or value[-1] in ".!?…:;)" else f"{value}."


class PanelNode(template.Node):
    def __init__(self, shown: template.base.FilterExpression) -> None:
        self.shown = shown

    def render(self, context: template.Context) -> str:
        shown = self.shown.resolve(context)
        if context.template is None:  # set while a template renders
            raise template.TemplateSyntaxError("{% panel %} renders only inside a template.")
        fragment = context.template.engine.get_template(shown.template)
        with context.push(shown.context):
            return fragment.render(context)


@register.tag
def panel(parser: template.base.Parser, token: template.base.Token) -> PanelNode:
    """``{% panel shown %}``: one of the panels ``core.panels.shown`` gave the page, rendered
    with the page's context and the panel's own (as ``{% include %}`` does)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% panel %} takes one argument: a shown panel.")
    return PanelNode(parser.compile_filter(bits[1]))


@register.simple_tag(takes_context=True)
def shown_in(context: template.Context, slot: str) -> list[panels.Shown]:
    """``{% shown_in "slot" as shown %}``: the panels of ``slot`` for this request, for a
    template that is no view's own (``base.html``); empty without a request."""
    request = context.get("request")
    return panels.shown(slot, request) if request is not None else []


@register.simple_tag(takes_context=True)
def menu_links(context: template.Context, menu: str) -> list[menus.Link]:
    """``{% menu_links "backoffice" as links %}``: the entries the apps added to ``menu`` that
    this request's user may open (``core.menus``); empty without a request."""
    request = context.get("request")
    return menus.links(menu, request) if request is not None else []


@register.simple_tag
def fetched_at() -> str:
    """Now, as a moment of the site's zone: when the page was made (its "as of", offline)."""
    return formatting.moment(timezone.now())


@register.simple_tag(takes_context=True)
def idempotency_field(context: template.Context) -> SafeString:
    """A form's idempotency key (core.idempotency): a fresh UUID each time the form is shown, so
    the same form sent twice (queued offline, then sent; a reload during the send) is taken once.
    With it, the outbox's tag of the person (core.pwa): a form kept offline is sent only while
    they are signed in."""
    from gerbang.core import idempotency, pwa

    request = context.get("request")
    owner = pwa.outbox_owner(getattr(request, "user", None))
    return format_html(
        '<input type="hidden" name="{}" value="{}"><input type="hidden" name="outbox_owner" value="{}">',
        idempotency.FORM_FIELD,
        idempotency.new_key(),
        owner,
    )


@register.simple_tag(takes_context=True)
def outbox_owner(context: template.Context) -> str:
    """The outbox's tag of the signed-in person (core.pwa), for ``pwa.js``."""
    from gerbang.core import pwa

    request = context.get("request")
    return pwa.outbox_owner(getattr(request, "user", None))
