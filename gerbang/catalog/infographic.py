"""Printable infographics of a service: how to apply and what it costs (docs/education.md).

``sheet_for`` gathers what an infographic says from the catalogue as it stands today, in the
active language: the service's name, its steps, the fee in force and what it is made of, the
service time, whether an office visit is needed, the documents, how to pay safely, and where
the latest version is. The SVG and the PDF both show that one sheet, so the two cannot differ
and neither can go stale. ``drawing`` lays the sheet out for the SVG: SVG has no text flow,
so each text is wrapped into lines here, measured with the widths of DejaVu Sans, the font the
SVG names first (Verdana, next, is about as wide, the others narrower: a viewer without it gets
text that fits too), and the picture grows with the number of steps and documents. The PDF is
laid out by its template; ``print_scale`` picks its type size so that it stays on one page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerbang.catalog import selectors
from gerbang.catalog.models import RequirementCase, Service, ServiceTerms
from gerbang.core.bilingual import active_language
from gerbang.core.formatting import day, rupiah

# The site's colours (core/static/gerbang/gerbang.css); all of them keep their contrast in grey.
BRAND = "#0b4f6c"
BRAND_DARK = "#073246"
ACCENT = "#b3541e"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
SOFT = "#f3f6f8"
LINE = "#c9d3da"
PAPER = "#ffffff"
ON_BRAND = "#e3eef3"  # quieter text on the brand colour (contrast 7.5:1)

FONT_FAMILY = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif"


# --- What an infographic says -----------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    key: str  # "fee", "time", "payment", "visit": how each is drawn


@dataclass(frozen=True)
class FeePart:
    label: str
    amount: str


@dataclass(frozen=True)
class DocumentGroup:
    label: str  # "" when every document is for everyone
    documents: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """An infographic's content, every text in the reader's language (a catalogue text
    missing in it is in the other one: ``*_lang`` then names that language, else "")."""

    code: str
    language: str
    kicker: str
    name: str
    name_lang: str
    subtitle: str
    audience: str
    summary: str
    summary_lang: str
    facts: tuple[Fact, ...]
    fee_parts_heading: str
    fee_parts: tuple[FeePart, ...]
    fee_change: str
    steps_heading: str
    steps: tuple[str, ...]
    steps_lang: str
    documents_heading: str
    documents: tuple[DocumentGroup, ...]
    safety_heading: str
    safety: tuple[str, ...]
    as_of: str
    latest: str
    legal_basis: str
    page_url: str
    qr_title: str

    @property
    def title(self) -> str:
        return f"{self.name}: {self.subtitle}"

    @property
    def description(self) -> str:
        """The whole sheet as one text: what a screen reader reads for the picture."""
        parts = [f"{self.name}.", f"{self.audience}.", self.summary]
        parts += [f"{fact.label}: {fact.value}." for fact in self.facts]
        parts += [f"{part.label}: {part.amount}." for part in self.fee_parts]
        if self.fee_change:
            parts.append(self.fee_change)
        parts.append(f"{self.steps_heading}:")
        parts += [f"{number}. {step}" for number, step in enumerate(self.steps, start=1)]
        parts.append(f"{self.documents_heading}:")
        for group in self.documents:
            listed = "; ".join(group.documents)
            parts.append(f"{group.label}: {listed}." if group.label else f"{listed}.")
        parts.append(f"{self.safety_heading}.")
        parts += list(self.safety)
        parts += [self.as_of, self.latest]
        return " ".join(part for part in parts if part)

    @property
    def qr(self) -> str:
        """A QR code of the service's page, as inline SVG (the latest version is there)."""
        svg: str = _qr(self.page_url).svg_inline(scale=QR_SCALE, title=self.qr_title)
        return svg


# Characters XML 1.0 does not allow (a catalogue text pasted from elsewhere may hold one):
# one of them would make the whole SVG unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", str(text)).strip()


def _lang(text: object) -> str:
    """The language a catalogue text is in, when it is not the reader's (it fell back)."""
    return str(getattr(text, "language", "")) if getattr(text, "is_fallback", False) else ""


def standard_text(days: int) -> str:
    """The service time as the service page says it."""
    if days == 0:
        return _("same day")
    return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}


def _fee_parts(terms: ServiceTerms | None, language: str) -> tuple[FeePart, ...]:
    if terms is None:
        return ()
    parts = []
    for part in terms.fee_breakdown or []:
        label = part.get(f"label_{language}") or part.get("label_id") or part.get("label_en") or ""
        parts.append(FeePart(clean(label), rupiah(int(part.get("amount", 0)))))
    return tuple(parts)


def _documents(service: Service) -> tuple[DocumentGroup, ...]:
    """The documents, those everyone brings first, then those of each case in the catalogue's
    order; a sheet whose documents are all for everyone names no group."""
    grouped: dict[str, list[str]] = {RequirementCase.ALWAYS.value: []}
    for requirement in service.requirements.all():
        grouped.setdefault(requirement.applies_to, []).append(clean(requirement.name))
    everyone_only = len(grouped) == 1
    return tuple(
        DocumentGroup("" if everyone_only else str(RequirementCase(case).label), tuple(names))
        for case, names in grouped.items()
        if names
    )


def _address(url: str) -> str:
    """An address as people copy it from paper: without ``https://``."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}" if parts.netloc else url


def build(service: Service, on: date) -> Sheet:
    """The sheet of a service as the catalogue says it on a day (its requirements and terms
    prefetched, as ``selectors.service_by_code`` gives it)."""
    language = active_language()
    terms = selectors.terms_in_force(service, on)
    coming = selectors.terms_coming(service, on)
    page_url = settings.SITE_URL + reverse("catalog:service_detail", args=[service.code])
    channels = _address(settings.SITE_URL + reverse("content:official_channels"))
    not_set = _("not set")
    facts = (
        Fact(_("Fee"), rupiah(terms.fee) if terms else not_set, "fee"),
        Fact(_("Service time"), standard_text(terms.standard_working_days) if terms else not_set, "time"),
        Fact(
            _("Pay within"),
            ngettext(
                "%(hours)s hour after the bill is issued",
                "%(hours)s hours after the bill is issued",
                terms.payment_deadline_hours,
            )
            % {"hours": terms.payment_deadline_hours}
            if terms
            else not_set,
            "payment",
        ),
        Fact(
            _("Office visit"),
            _("Needed: interview, photo and fingerprints")
            if service.office_visit_required
            else _("Not needed: fully online"),
            "visit",
        ),
    )
    fee_change = ""
    if coming is not None:
        fee_change = _(
            "From %(day)s the fee will be %(fee)s and the service time %(days)s working days."
            " Applications submitted before then keep today's fee."
        ) % {
            "day": day(coming.effective_from),
            "fee": rupiah(coming.fee),
            "days": coming.standard_working_days,
        }
    return Sheet(
        code=service.code,
        language=language,
        kicker=_("Gerbang — online immigration services."),
        name=clean(service.name),
        name_lang=_lang(service.name),
        subtitle=_("How to apply and what it costs"),
        audience=_("For: %(audience)s") % {"audience": service.get_audience_display()},
        summary=clean(service.summary),
        summary_lang=_lang(service.summary),
        facts=facts,
        fee_parts_heading=_("What the fee is made of"),
        fee_parts=_fee_parts(terms, language),
        fee_change=fee_change,
        steps_heading=_("Steps"),
        steps=tuple(clean(step) for step in service.step_list),
        steps_lang=_lang(service.steps),
        documents_heading=_("Documents you need"),
        documents=_documents(service),
        safety_heading=_("Pay only the official fee"),
        safety=(
            _("There are no fees other than those shown here."),
            _(
                "Pay only with the billing code or QRIS shown in your application. Officers never ask"
                " for payment into a personal account."
            ),
            _("Is it official? Check a link, number or account: %(address)s") % {"address": channels},
        ),
        as_of=_("Information in force on %(day)s.") % {"day": day(on)},
        latest=_("The latest version: %(address)s") % {"address": _address(page_url)},
        legal_basis=(
            f"{_('Legal basis of the fee:')} {clean(terms.legal_basis)}"
            if terms and terms.legal_basis
            else ""
        ),
        page_url=page_url,
        qr_title=_("QR code of this service's page"),
    )


def sheet_for(code: str, on: date) -> Sheet | None:
    """The sheet of a public service (active) by its code, or None: the one read both the SVG
    and the PDF make. Offices are not on it, so the training office cannot be either."""
    service = selectors.service_by_code(code)
    return None if service is None else build(service, on)


# --- Measuring and wrapping text ----------------------------------------------------------------

# Advance widths of DejaVu Sans and DejaVu Sans Bold, in thousandths of an em, for the
# printable ASCII characters from the space (32) to the tilde (126).
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 "
    "636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 "
    "603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 "
    "634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 "
    "696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 "
    "733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 "
    "712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
_WIDTHS = {
    False: {chr(32 + index): int(width) for index, width in enumerate(_REGULAR.split())},
    True: {chr(32 + index): int(width) for index, width in enumerate(_BOLD.split())},
}


def _char_width(char: str, bold: bool) -> int:
    widths = _WIDTHS[bold]
    if char == "\xa0":
        return widths[" "]
    if char in widths:
        return widths[char]
    if unicodedata.east_asian_width(char) in {"W", "F"}:
        return 1000
    base = unicodedata.normalize("NFD", char)[:1]  # é is as wide as e
    return widths.get(base, widths["M"])  # anything else: as wide as a wide letter


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of a line of text at a font size (in the same unit as the size)."""
    return sum(_char_width(char, bold) for char in text) * size / 1000


# Lines break at spaces (not at no-break spaces), and an amount stays on one line with its
# currency ("Rp 350.000").
_WORD = re.compile(r"Rp[ \t]+\d[\d.,]*[^ \t\r\n]*|[^ \t\r\n]+")


def _words(text: str) -> list[str]:
    return [re.sub(r"[ \t]+", " ", word) for word in _WORD.findall(text)]


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """The text broken into lines no wider than ``width``, between words; a word wider than a
    line (a long address) is broken where it must."""
    lines: list[str] = []
    current = ""
    for word in _words(text):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold=bold) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold=bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


# --- The SVG's layout ------------------------------------------------------------------------------

WIDTH = 800
MARGIN = 40
CONTENT = WIDTH - 2 * MARGIN
LEADING = 1.4
QR_SCALE = 3


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    fill: str
    stroke: str = "none"
    stroke_width: int = 0
    radius: int = 0


@dataclass(frozen=True)
class Circle:
    cx: int
    cy: int
    r: int
    fill: str


@dataclass(frozen=True)
class Shape:
    d: str
    fill: str


@dataclass(frozen=True)
class Line:
    y: int
    text: str


@dataclass(frozen=True)
class Text:
    x: int
    size: int
    fill: str
    lines: tuple[Line, ...]
    bold: bool = False
    anchor: str = "start"
    lang: str = ""


@dataclass
class Drawing:
    """Every shape of the SVG in drawing order (boxes under circles under text); sizes in
    pixels, whole numbers."""

    width: int = WIDTH
    height: int = 0
    font_family: str = FONT_FAMILY
    boxes: list[Box] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    qr_x: int = 0
    qr_y: int = 0

    def text(
        self,
        text: str,
        *,
        x: int,
        top: int,
        size: int,
        width: int,
        fill: str = INK,
        bold: bool = False,
        anchor: str = "start",
        lang: str = "",
    ) -> int:
        """Wrap a text into lines at (x, top) and return where it ends."""
        leading = round(size * LEADING)
        lines = wrap(text, size, width, bold=bold) or [""]
        first = top + round(leading * 0.72)
        self.texts.append(
            Text(
                x=x,
                size=size,
                fill=fill,
                bold=bold,
                anchor=anchor,
                lang=lang,
                lines=tuple(Line(first + index * leading, line) for index, line in enumerate(lines)),
            )
        )
        return top + leading * len(lines)


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def _header(picture: Drawing, sheet: Sheet) -> int:
    y = picture.text(sheet.kicker, x=MARGIN, top=30, size=15, width=CONTENT, fill=ON_BRAND, bold=True)
    y = picture.text(
        sheet.name, x=MARGIN, top=y + 8, size=32, width=CONTENT, fill=PAPER, bold=True, lang=sheet.name_lang
    )
    y = picture.text(sheet.subtitle, x=MARGIN, top=y + 4, size=21, width=CONTENT, fill=PAPER)
    y = picture.text(sheet.audience, x=MARGIN, top=y + 6, size=16, width=CONTENT, fill=ON_BRAND)
    y += 26
    picture.boxes.insert(0, Box(0, 0, WIDTH, y, BRAND))
    picture.boxes.insert(1, Box(0, y, WIDTH, 6, ACCENT))
    return y + 6


def _facts(picture: Drawing, sheet: Sheet, top: int) -> int:
    gap, padding = 16, 18
    width = (CONTENT - gap) // 2
    y = top
    for row in range(0, len(sheet.facts), 2):
        bottom = y
        cards = []
        for column, fact in enumerate(sheet.facts[row : row + 2]):
            x = MARGIN + column * (width + gap)
            end = picture.text(
                fact.label,
                x=x + padding,
                top=y + 14,
                size=15,
                width=width - 2 * padding,
                fill=MUTED,
                bold=True,
            )
            big = fact.key == "fee"
            end = picture.text(
                fact.value,
                x=x + padding,
                top=end + 2,
                size=30 if big else 18,
                width=width - 2 * padding,
                fill=BRAND_DARK if big else INK,
                bold=True,
            )
            cards.append((x, fact))
            bottom = max(bottom, end + 16)
        for x, fact in cards:
            if fact.key == "fee":
                picture.boxes.append(Box(x, y, width, bottom - y, SOFT, BRAND, 3, 8))
            else:
                picture.boxes.append(Box(x, y, width, bottom - y, SOFT, LINE, 1, 8))
        y = bottom + gap
    return y - gap


def _fees(picture: Drawing, sheet: Sheet, top: int) -> int:
    y = top
    if sheet.fee_parts:
        y = picture.text(sheet.fee_parts_heading, x=MARGIN, top=y + 18, size=16, width=CONTENT, bold=True)
        amount_width = 180
        for part in sheet.fee_parts:
            line_top = y + 6
            end = picture.text(part.label, x=MARGIN, top=line_top, size=16, width=CONTENT - amount_width)
            picture.text(
                part.amount,
                x=MARGIN + CONTENT,
                top=line_top,
                size=16,
                width=amount_width,
                bold=True,
                anchor="end",
            )
            picture.boxes.append(Box(MARGIN, end + 4, CONTENT, 1, LINE))
            y = end + 4
    if sheet.fee_change:
        box_top = y + 18
        end = picture.text(sheet.fee_change, x=MARGIN + 22, top=box_top + 12, size=16, width=CONTENT - 40)
        picture.boxes.append(Box(MARGIN, box_top, CONTENT, end + 12 - box_top, SOFT, radius=4))
        picture.boxes.append(Box(MARGIN, box_top, 6, end + 12 - box_top, ACCENT, radius=3))
        y = end + 12
    return y


def _heading(picture: Drawing, text: str, top: int) -> int:
    return picture.text(text, x=MARGIN, top=top, size=24, width=CONTENT, fill=BRAND_DARK, bold=True)


def _steps(picture: Drawing, sheet: Sheet, top: int) -> int:
    y = _heading(picture, sheet.steps_heading, top) + 10
    radius, padding, arrow, size = 20, 18, 38, 18
    centre = MARGIN + 16 + radius
    text_x = centre + radius + 18
    text_width_ = MARGIN + CONTENT - 18 - text_x
    for number, step in enumerate(sheet.steps, start=1):
        if number > 1:
            y = _arrow(picture, centre, y, y + arrow)
        text_height = len(wrap(step, size, text_width_)) * round(size * LEADING)
        height = max(text_height + 2 * padding, 2 * radius + 2 * 14)
        picture.boxes.append(Box(MARGIN, y, CONTENT, height, PAPER, BRAND, 2, 10))
        picture.text(
            step,
            x=text_x,
            top=y + (height - text_height) // 2,
            size=size,
            width=text_width_,
            lang=sheet.steps_lang,
        )
        middle = y + height // 2
        picture.circles.append(Circle(centre, middle, radius, BRAND))
        picture.texts.append(
            Text(
                x=centre,
                size=20,
                fill=PAPER,
                bold=True,
                anchor="middle",
                lines=(Line(middle + 7, str(number)),),
            )
        )
        y += height
    return y


def _arrow(picture: Drawing, x: int, start: int, end: int) -> int:
    """A downward arrow from one step's box to the next one's; returns where the next starts."""
    shaft, head, head_length = 3, 10, 12
    tip = end - 4
    picture.shapes.append(
        Shape(
            f"M{x - shaft} {start} H{x + shaft} V{tip - head_length} H{x + head} L{x} {tip} "
            f"L{x - head} {tip - head_length} H{x - shaft} Z",
            BRAND,
        )
    )
    return end


def _document_list(picture: Drawing, sheet: Sheet, top: int) -> int:
    y = _heading(picture, sheet.documents_heading, top) + 4
    square = 16
    for group in sheet.documents:
        if group.label:
            y = picture.text(group.label, x=MARGIN, top=y + 10, size=16, width=CONTENT, fill=MUTED, bold=True)
        for document in group.documents:
            line_top = y + 8
            leading = round(17 * LEADING)
            picture.boxes.append(
                Box(MARGIN + 2, line_top + (leading - square) // 2, square, square, PAPER, INK, 2, 2)
            )
            y = picture.text(document, x=MARGIN + 32, top=line_top, size=17, width=CONTENT - 32)
    return y


def _safety(picture: Drawing, sheet: Sheet, top: int) -> int:
    padding = 22
    y = picture.text(
        sheet.safety_heading,
        x=MARGIN + padding + 6,
        top=top + 18,
        size=20,
        width=CONTENT - 60,
        fill=BRAND_DARK,
        bold=True,
    )
    for line in sheet.safety:
        y = picture.text(line, x=MARGIN + padding + 6, top=y + 8, size=16, width=CONTENT - 2 * padding - 6)
    bottom = y + 18
    picture.boxes.append(Box(MARGIN, top, CONTENT, bottom - top, SOFT, ACCENT, 2, 4))
    picture.boxes.append(Box(MARGIN, top, 8, bottom - top, ACCENT, radius=4))
    return bottom


def _footer(picture: Drawing, sheet: Sheet, top: int) -> int:
    size = int(_qr(sheet.page_url).symbol_size(scale=QR_SCALE)[0])
    picture.boxes.append(Box(MARGIN, top, CONTENT, 2, LINE))
    text_width_ = CONTENT - size - 24
    y = picture.text(sheet.as_of, x=MARGIN, top=top + 16, size=15, width=text_width_, bold=True)
    y = picture.text(sheet.latest, x=MARGIN, top=y + 4, size=15, width=text_width_, fill=BRAND)
    if sheet.legal_basis:
        y = picture.text(sheet.legal_basis, x=MARGIN, top=y + 8, size=13, width=text_width_, fill=MUTED)
    picture.qr_x, picture.qr_y = MARGIN + CONTENT - size, top + 10
    return max(y, top + 10 + size)


def drawing(sheet: Sheet) -> Drawing:
    """The SVG's shapes for a sheet: as tall as its content."""
    picture = Drawing()
    y = _header(picture, sheet)
    if sheet.summary:
        y = picture.text(sheet.summary, x=MARGIN, top=y + 24, size=17, width=CONTENT, lang=sheet.summary_lang)
    y = _facts(picture, sheet, y + 24)
    y = _fees(picture, sheet, y)
    y = _steps(picture, sheet, y + 32)
    if sheet.documents:
        y = _document_list(picture, sheet, y + 32)
    y = _safety(picture, sheet, y + 36)
    y = _footer(picture, sheet, y + 32)
    picture.height = y + MARGIN
    return picture


# --- The PDF's type size ------------------------------------------------------------------------
# The PDF is one A4 page laid out by its template (catalog/infographic_pdf.html); a long sheet
# gets smaller type so that it stays on that page, a short one larger type to read from afar. The sizes below mirror the template's, in
# millimetres and points, and estimate the height of its text at each type size.

MM_PER_PT = 0.3528
# The template's class for each type size (in points), largest first.
PRINT_SCALES = (("large", 12.5), ("medium", 11.5), ("", 10.5), ("compact", 9.5), ("tight", 8.5))
_PAGE_TEXT_WIDTH = 182.0  # A4 less the sheet's side padding (14 mm each)
_FLOW_HEIGHT = 297.0 - 40.0 - 2.0  # the page less its bottom margin (the footer), and a gap


def _lines(text: str, size: float, width_mm: float, *, bold: bool = False) -> int:
    return max(1, len(wrap(text, size, width_mm / MM_PER_PT, bold=bold))) if text else 0


def _height(text: str, size: float, width_mm: float, *, bold: bool = False, leading: float = 1.35) -> float:
    return _lines(text, size, width_mm, bold=bold) * size * leading * MM_PER_PT


def _printed_height(sheet: Sheet, base: float) -> float:
    """An estimate of how tall the PDF's text runs (footer apart), in millimetres."""
    width = _PAGE_TEXT_WIDTH
    band = 9 + 6 + 2 + 3 + 1.5
    band += _height(sheet.kicker, 0.9 * base, width, bold=True)
    band += _height(sheet.name, 1.9 * base, width, bold=True, leading=1.15)
    band += _height(sheet.subtitle, 1.25 * base, width) + _height(sheet.audience, base, width)
    summary = _height(sheet.summary, base, width) + 4 if sheet.summary else 0
    shares = {"fee": 1.45, "time": 1.0, "payment": 1.0, "visit": 1.3}
    unit = (width - 9) / sum(shares.values())
    cards = []
    for fact in sheet.facts:
        inner = shares.get(fact.key, 1.0) * unit - 6.6
        label = _height(fact.label, 0.86 * base, inner, bold=True)
        if fact.key == "fee":
            cards.append(5.6 + label + 1 + 1.5 * base * 1.2 * MM_PER_PT)
        else:
            cards.append(5.6 + label + 1 + _height(fact.value, base, inner, bold=True))
    facts = max(cards, default=0.0)
    steps_width = (width - 8) * 1.25 / 2.25
    side_width = (width - 8) / 2.25

    def heading(text: str, column: float) -> float:
        return _height(text, 1.33 * base, column, bold=True) + 3

    tight = base <= PRINT_SCALES[-1][1]  # closer boxes (the template's html.tight)
    box, gap = (5.0, 4.0) if tight else (7.0, 5.0)
    steps = heading(sheet.steps_heading, steps_width) + sum(
        box + _height(step, 1.05 * base, steps_width - 17) + gap for step in sheet.steps
    )
    side = 0.0
    if sheet.fee_parts:
        side += _height(sheet.fee_parts_heading, base, side_width, bold=True) + 1 + 4
        for part in sheet.fee_parts:
            amount = text_width(part.amount, base, bold=True) * MM_PER_PT + 3
            side += 2.3 + _height(part.label, base, side_width - amount)
    if sheet.fee_change:
        side += _height(sheet.fee_change, base, side_width - 7.5) + 8
    if sheet.documents:
        side += heading(sheet.documents_heading, side_width)
        for group in sheet.documents:
            if group.label:
                side += 4.5 + _height(group.label, base, side_width, bold=True)
            side += sum(_height(document, base, side_width - 7) + 2 for document in group.documents)
    safety_width = width - 13.5
    safety = (4 if tight else 6) + 8 + heading(sheet.safety_heading, safety_width) - 1
    safety += sum(_height(line, base, safety_width) + 1.2 for line in sheet.safety)
    return band + 5 + summary + facts + (4 if tight else 5) + max(steps, side) + safety


def print_scale(sheet: Sheet) -> str:
    """The PDF's type size for a sheet (the template's class): the largest that keeps it on
    one A4 page; the smallest when none would (a very long sheet then runs onto a second)."""
    for name, base in PRINT_SCALES:
        if _printed_height(sheet, base) <= _FLOW_HEIGHT:
            return name
    return PRINT_SCALES[-1][0]
