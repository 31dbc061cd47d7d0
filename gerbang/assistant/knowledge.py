"""The assistant's knowledge base: what it may answer from, read from the catalogue and content.

Two reads with different lifetimes:

``entries()``       one ``Entry`` per FAQ entry, service, office, published guide and notice in
                    force, with the text the retriever indexes (both languages). The index is
                    built from these, once per knowledge-base version (``content_hash``).
``source_for()``    the ``Source`` an answer shows, read at the moment of the answer: the fee and
                    standard in force today (``catalog.selectors.terms_in_force``), the
                    requirements, the office's hours and closures, the notice's text. A fee
                    changed in the catalogue is in the next answer.

No figure is made up: a FAQ answer is a text typed by staff, so every rupiah amount and every
working-day count in it is checked against the catalogue's terms in force for the services it
concerns (``checked_faq_facts``); a sentence whose figure the catalogue does not hold is left
out and the catalogue's own fee and standard are shown instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerbang.catalog.models import Office, Service, ServiceTerms
from gerbang.catalog.selectors import opening_hours_text, opening_periods, terms_in_force, upcoming_closures
from gerbang.content.models import Announcement, Faq, Guide
from gerbang.core.bilingual import LANGUAGE_CODES, pick
from gerbang.core.formatting import rupiah

KINDS = ("faq", "service", "office", "guide", "notice")


@dataclass(frozen=True)
class Entry:
    """One thing the assistant can answer with, as the retriever sees it."""

    key: str  # "faq:<slug>", "service:<code>", "office:<code>", "guide:<slug>", "notice:<pk>"
    kind: str
    title_id: str
    title_en: str
    # What is indexed besides the title, in both languages.
    body_id: str
    body_en: str
    url: str
    # The services it concerns (a service: itself), for facts, figures and notices.
    services: tuple[str, ...] = ()
    # The office it concerns (an office, or a notice of one office).
    office: str = ""
    # Service categories a notice stops at its office.
    suspends: tuple[str, ...] = ()
    # The categories of the services it concerns (a notice stopping one concerns it).
    categories: tuple[str, ...] = ()
    # Words the index adds for what the entry is about (kind-specific, both languages).
    extra: str = ""

    @property
    def ident(self) -> str:
        return self.key.split(":", 1)[1]

    def title(self, language: str) -> str:
        wanted = self.title_en if language == "en" else self.title_id
        return wanted or self.title_id or self.title_en

    def index_text(self) -> str:
        # The title twice: what an entry is called says more than its body.
        return " \n".join(
            [
                self.title_id,
                self.title_id,
                self.title_en,
                self.title_en,
                self.body_id,
                self.body_en,
                self.extra,
            ]
        )


@dataclass(frozen=True)
class Source:
    """One knowledge-base entry as the answer shows it."""

    key: str
    kind: str
    title: str
    url: str
    facts: tuple[str, ...] = field(default=())


def _faq_url(slug: str) -> str:
    return f"{reverse('content:faq')}#faq-{slug}"


# --- Entries (what is indexed) ---------------------------------------------------------------


def _faq_entries() -> Iterator[Entry]:
    for faq in Faq.objects.published().select_related("category").prefetch_related("services"):
        yield Entry(
            key=f"faq:{faq.slug}",
            kind="faq",
            title_id=faq.question_id,
            title_en=faq.question_en,
            body_id=faq.answer_id,
            body_en=faq.answer_en,
            url=_faq_url(faq.slug),
            services=tuple(s.code for s in faq.services.all()),
            categories=tuple(sorted({s.category for s in faq.services.all()})),
        )


def _service_entries() -> Iterator[Entry]:
    for service in Service.objects.filter(is_active=True).prefetch_related("requirements"):
        requirements_id = " ".join(r.name_id for r in service.requirements.all())
        requirements_en = " ".join(r.name_en for r in service.requirements.all())
        yield Entry(
            key=f"service:{service.code}",
            kind="service",
            title_id=service.name_id,
            title_en=service.name_en,
            body_id=f"{service.summary_id} {service.eligibility_id} {requirements_id}",
            body_en=f"{service.summary_en} {service.eligibility_en} {requirements_en}",
            url=reverse("catalog:service_detail", args=[service.code]),
            services=(service.code,),
            categories=(service.category,),
            # A service's answer states its fee: it answers "how much" questions too.
            extra=f"layanan service biaya {service.category}",
        )


def _office_entries() -> Iterator[Entry]:
    for office in Office.objects.public():
        place = f"{office.regency} {office.province} {office.address}"
        yield Entry(
            key=f"office:{office.code}",
            kind="office",
            title_id=office.name_id,
            title_en=office.name_en,
            body_id=place,
            body_en=place,
            url=reverse("catalog:office_detail", args=[office.code]),
            office=office.code,
            extra=f"{office.code} alamat address jam buka opening hours",
        )


def _guide_entries() -> Iterator[Entry]:
    # Not the services' tutorials: the same generic steps for every service, told with pictures;
    # the service's own entry answers "how do I apply for it", and its page links its tutorial.
    for guide in Guide.objects.published().filter(is_tutorial=False).prefetch_related("steps", "services"):
        steps = list(guide.steps.all())
        yield Entry(
            key=f"guide:{guide.slug}",
            kind="guide",
            title_id=guide.title_id,
            title_en=guide.title_en,
            body_id=" ".join([guide.summary_id, *(s.text_id for s in steps)]),
            body_en=" ".join([guide.summary_en, *(s.text_en for s in steps)]),
            url=reverse("content:guide_detail", args=[guide.slug]),
            services=tuple(s.code for s in guide.services.all()),
            categories=tuple(sorted({s.category for s in guide.services.all()})),
        )


def _notice_entries() -> Iterator[Entry]:
    for notice in Announcement.objects.active().select_related("office"):
        yield Entry(
            key=f"notice:{notice.pk}",
            kind="notice",
            title_id=notice.title_id,
            title_en=notice.title_en,
            body_id=notice.body_id,
            body_en=notice.body_en,
            url=reverse("content:notices"),
            office=notice.office.code if notice.office else "",
            suspends=tuple(str(category) for category in notice.suspends or ()),
            extra=" ".join(
                filter(
                    None, [notice.office.name_id if notice.office else "", "pengumuman notice", notice.level]
                )
            ),
        )


def entries() -> list[Entry]:
    """Everything the assistant may answer from, as it stands now."""
    return [*_faq_entries(), *_service_entries(), *_office_entries(), *_guide_entries(), *_notice_entries()]


def content_hash(found: Iterable[Entry], synonyms: dict[str, str]) -> str:
    """A fingerprint of the indexed text: the index and the document vectors are rebuilt when
    it changes, and only then."""
    digest = hashlib.sha256()
    for entry in found:
        digest.update(f"{entry.key}\x1f{entry.index_text()}\x1e".encode())
    for variant, meaning in sorted(synonyms.items()):
        digest.update(f"{variant}\x1f{meaning}\x1e".encode())
    return digest.hexdigest()[:20]


# --- Sources (what an answer shows, read now) ------------------------------------------------


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_AMOUNT = re.compile(r"Rp\.?\s?(\d{1,3}(?:[.,]\d{3})+|\d+)", re.IGNORECASE)
_WORKING_DAYS = re.compile(r"(\d+)\s*(?:hari kerja|working days?)", re.IGNORECASE)


def amounts_in(text: str) -> list[int]:
    return [int(re.sub(r"[.,]", "", found)) for found in _AMOUNT.findall(text)]


def working_days_in(text: str) -> list[int]:
    return [int(found) for found in _WORKING_DAYS.findall(text)]


@dataclass(frozen=True)
class Figures:
    """The figures the catalogue holds today for some services: every fee and part of a fee,
    and every service standard."""

    amounts: frozenset[int]
    working_days: frozenset[int]

    def holds(self, text: str) -> bool:
        return all(a in self.amounts for a in amounts_in(text)) and all(
            d in self.working_days for d in working_days_in(text)
        )


def figures_in_force(services: Iterable[Service], today: date) -> Figures:
    amounts: set[int] = set()
    days: set[int] = set()
    for service in services:
        terms = terms_in_force(service, today)
        if terms is None:
            continue
        amounts.add(terms.fee)
        amounts.update(
            int(part.get("amount", 0)) for part in terms.fee_breakdown or () if isinstance(part, dict)
        )
        days.add(terms.standard_working_days)
    return Figures(frozenset(amounts), frozenset(days))


def _services(codes: Iterable[str] | None = None) -> list[Service]:
    found = Service.objects.filter(is_active=True).prefetch_related(
        Prefetch("terms", queryset=ServiceTerms.objects.order_by("effective_from")), "requirements"
    )
    if codes is not None:
        found = found.filter(code__in=list(codes))
    return list(found)


def fee_fact(service: Service, terms: ServiceTerms, language: str) -> str:
    parts = [
        f"{pick_label(part, language)} {rupiah(int(part.get('amount', 0)))}"
        for part in terms.fee_breakdown or ()
        if isinstance(part, dict)
    ]
    fee = _("Fee: %(amount)s") % {"amount": rupiah(terms.fee)}
    if parts:
        fee = f"{fee} ({' + '.join(parts)})"
    return fee


def pick_label(part: dict[str, object], language: str) -> str:
    label = part.get(f"label_{language}") or part.get("label_id") or part.get("label_en") or ""
    return str(label)


def standard_fact(terms: ServiceTerms) -> str:
    days = terms.standard_working_days
    if days == 0:
        return _("Service standard: ready on the same day")
    return ngettext(
        "Service standard: %(days)d working day",
        "Service standard: %(days)d working days",
        days,
    ) % {"days": days}


def service_facts(service: Service, language: str, today: date) -> list[str]:
    facts = [str(pick(service, "summary", language))]
    terms = terms_in_force(service, today)
    if terms is not None:
        facts.append(fee_fact(service, terms, language))
        facts.append(standard_fact(terms))
    requirements = [str(pick(r, "name", language)) for r in service.requirements.all()]
    if requirements:
        facts.append(_("Documents: %(documents)s") % {"documents": "; ".join(requirements)})
    return facts


def checked_faq_facts(
    answer: str, services: list[Service], language: str, today: date
) -> tuple[list[str], bool]:
    """The FAQ answer's sentences whose figures the catalogue holds today, plus, when one was
    left out, the catalogue's own fee and standard of the services concerned. Also says whether
    a sentence was left out."""
    figures = figures_in_force(services or _services(), today)
    kept, dropped = [], False
    for sentence in _SENTENCE_END.split(answer.strip()):
        if not sentence:
            continue
        if figures.holds(sentence):
            kept.append(sentence)
        else:
            dropped = True
    # The catalogue's fee and standard are added when a sentence was left out, and to an
    # answer about one service that names no fee itself ("my passport is lost: what do I do?"
    # is answered with what it costs as well).
    names_no_fee = len(services) == 1 and not any("Rp" in sentence for sentence in kept)
    if dropped or names_no_fee:
        for service in services:
            terms = terms_in_force(service, today)
            if terms is not None:
                name = str(pick(service, "name", language))
                kept.append(f"{name}: {fee_fact(service, terms, language)}; {standard_fact(terms)}")
    return kept, dropped


def _weekday_groups(office: Office) -> list[str]:
    periods = opening_periods(office)
    groups: list[tuple[int, int, str]] = []
    for day in range(7):
        text = opening_hours_text(periods.get(day, []))
        if groups and groups[-1][2] == text and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    out = []
    for first, last, text in groups:
        days = (
            str(WEEKDAYS_ABBR[first])
            if first == last
            else f"{WEEKDAYS_ABBR[first]}\u2013{WEEKDAYS_ABBR[last]}"
        )
        out.append(f"{days} {text}")
    return out


def office_facts(office: Office, language: str, today: date) -> list[str]:
    facts = [_("Address: %(address)s") % {"address": office.address}]
    if office.phone:
        facts.append(_("Phone: %(phone)s") % {"phone": office.phone})
    facts.append(_("Opening hours: %(hours)s") % {"hours": "; ".join(_weekday_groups(office))})
    for closure in upcoming_closures(office, today):
        facts.append(
            _("Closed from %(start)s to %(end)s: %(reason)s")
            % {
                "start": closure.start_date.isoformat(),
                "end": closure.end_date.isoformat(),
                "reason": pick(closure, "reason", language),
            }
        )
    return facts


def source_for(entry: Entry, language: str, *, today: date | None = None) -> Source | None:
    """The entry as an answer shows it, its facts read now; None if it is gone meanwhile."""
    language = language if language in LANGUAGE_CODES else "id"
    day = today or timezone.localdate()
    with translation.override(language):
        facts = _facts(entry, language, day)
    if facts is None:
        return None
    return Source(entry.key, entry.kind, entry.title(language), entry.url, tuple(f for f in facts if f))


def _facts(entry: Entry, language: str, today: date) -> list[str] | None:
    ident = entry.ident
    if entry.kind == "faq":
        faq = Faq.objects.published().filter(slug=ident).first()
        if faq is None:
            return None
        return checked_faq_facts(
            str(pick(faq, "answer", language)), _services(entry.services), language, today
        )[0]
    if entry.kind == "service":
        found = _services([ident])
        return service_facts(found[0], language, today) if found else None
    if entry.kind == "office":
        office = Office.objects.public().filter(code=ident).prefetch_related("opening_hours").first()
        return office_facts(office, language, today) if office else None
    if entry.kind == "guide":
        guide = Guide.objects.published().filter(slug=ident).prefetch_related("steps").first()
        if guide is None:
            return None
        return [
            str(pick(guide, "summary", language)),
            *(str(pick(s, "text", language)) for s in guide.steps.all()),
        ]
    if entry.kind == "notice":
        notice = Announcement.objects.active().select_related("office").filter(pk=int(ident)).first()
        if notice is None:
            return None
        where = (
            _("Only at %(office)s.") % {"office": notice.office.name}
            if notice.office
            else _("At every office.")
        )
        return [where, str(pick(notice, "body", language))]
    return None


def all_figures_in_force(today: date | None = None) -> Figures:
    return figures_in_force(_services(), today or timezone.localdate())


def invented_figures(source: Source, figures: Figures | None = None) -> list[str]:
    """Facts of ``source`` that state a fee or a working-day count that the catalogue does not
    hold today (``figures``: ``all_figures_in_force()``, read once for many sources). The
    evaluation counts these; the goal is none."""
    held = figures or all_figures_in_force()
    return [fact for fact in source.facts if not held.holds(fact)]
