"""Reads of public content: notices in force, FAQ, guides, and the scam checker."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from gerbang.catalog.models import Office
from gerbang.content import tutorials
from gerbang.content.channels import Normalized, normalize, site_matches
from gerbang.content.models import (
    Announcement,
    Audience,
    Faq,
    FaqCategory,
    Guide,
    GuideStep,
    Level,
    OfficialChannel,
    RightKind,
    RightsEntry,
    ScamCampaign,
)
from gerbang.core.exceptions import ValidationError
from gerbang.core.validators import normalize_phone


def active_announcements(*, office_ids: list[int] | None = None) -> QuerySet[Announcement]:
    """Notices in force: national ones, and those of the given offices."""
    scope = Q(office__isnull=True)
    if office_ids:
        scope |= Q(office_id__in=office_ids)
    return Announcement.objects.active().filter(scope).select_related("office")


def emergency_banners(*, office_ids: list[int] | None = None) -> list[Announcement]:
    return list(active_announcements(office_ids=office_ids).filter(level=Level.EMERGENCY))


def office_emergencies() -> list[Announcement]:
    """Every office's emergency notice in force (the home page lists them)."""
    return list(
        Announcement.objects.active()
        .filter(level=Level.EMERGENCY, office__isnull=False)
        .select_related("office")
    )


def faq_by_category() -> list[tuple[FaqCategory, list[Faq]]]:
    entries = Faq.objects.published().select_related("category")
    grouped: dict[int, list[Faq]] = {}
    categories: dict[int, FaqCategory] = {}
    for entry in entries:
        grouped.setdefault(entry.category_id, []).append(entry)
        categories[entry.category_id] = entry.category
    return [(categories[key], grouped[key]) for key in sorted(grouped, key=lambda k: categories[k].order)]


def faq_for_service(service: Any) -> QuerySet[Faq]:
    return Faq.objects.published().filter(services=service)


def published_guides(*, tutorial: bool = False) -> QuerySet[Guide]:
    return Guide.objects.published().filter(is_tutorial=tutorial)


def guide_by_slug(slug: str) -> Guide | None:
    return Guide.objects.published().prefetch_related("steps", "services").filter(slug=slug).first()


@dataclass(frozen=True)
class ShownStep:
    """A guide's step as shown: its picture of the real page (a tutorial's, in the reader's
    language when taken in it) or its uploaded image, or neither."""

    step: GuideStep
    picture: str | None  # a tutorial's picture (a static address)
    picture_language: str | None
    example: bool = False  # a picture of another case's page (a shared step)


def guide_steps(guide: Guide) -> list[ShownStep]:
    language = get_language() or settings.LANGUAGE_CODE
    shown = []
    for step in guide.steps.all():
        found = tutorials.picture(step.shot, language) if step.shot else None
        shown.append(
            ShownStep(
                step,
                found[0] if found else None,
                found[1] if found else None,
                bool(step.shot) and tutorials.is_example(step.shot),
            )
        )
    return shown


def tutorial_of(service: Any) -> Guide | None:
    """The service's published step-by-step tutorial."""
    return Guide.objects.published().filter(is_tutorial=True, services=service).first()


@dataclass(frozen=True)
class RightsSection:
    audience: str
    label: str
    rights: list[RightsEntry]
    duties: list[RightsEntry]


def rights_by_audience() -> list[RightsSection]:
    """The published rights and duties, per audience (applicants first), each in its order."""
    entries = list(RightsEntry.objects.published())
    return [
        RightsSection(
            audience=audience.value,
            label=str(audience.label),
            rights=[e for e in entries if e.audience == audience and e.kind == RightKind.RIGHT],
            duties=[e for e in entries if e.audience == audience and e.kind == RightKind.DUTY],
        )
        for audience in Audience
        if any(e.audience == audience for e in entries)
    ]


@dataclass(frozen=True)
class CheckResult:
    official: bool
    normalized: Normalized
    channel: OfficialChannel | None = None
    office: Any = None


def channel_check(raw: str) -> CheckResult:
    """Is this link, number, address or account on the official list? Offices' own phone
    numbers and e-mail addresses count as official too."""
    try:
        normalized = normalize(raw)
    except ValidationError:
        raise ValidationError(field="value") from None
    channels = OfficialChannel.objects.select_related("office")
    exact = channels.filter(normalized=normalized.value).first()
    if exact is not None:
        return CheckResult(True, normalized, exact, exact.office)
    if normalized.kind == "site":
        for channel in channels.filter(normalized__startswith="site:"):
            if site_matches(normalized.key, channel.normalized.removeprefix("site:")):
                return CheckResult(True, normalized, channel, channel.office)
    if normalized.kind in {"phone", "email"}:
        for office in Office.objects.public().exclude(phone="", email=""):
            candidates = set()
            if office.email:
                candidates.add(f"email:{office.email.lower()}")
            if office.phone:
                with contextlib.suppress(ValidationError):
                    candidates.add(f"phone:{normalize_phone(office.phone)}")
            if normalized.value in candidates:
                return CheckResult(True, normalized, None, office)
    return CheckResult(False, normalized)


# --- Scam-awareness campaigns --------------------------------------------------------------------

# The offices a signed-in person deals with (the offices of their applications), registered by
# the apps that know them (applications registers its own); content imports none of them.
PersonOffices = Callable[[Any], Iterable[int]]
_person_offices: list[PersonOffices] = []


def register_person_offices(provider: PersonOffices) -> None:
    if provider not in _person_offices:
        _person_offices.append(provider)


def offices_of_person(user: Any) -> list[int]:
    return sorted({office_id for provider in _person_offices for office_id in provider(user)})


def running_campaigns(*, office_ids: Iterable[int] = (), hidden: Iterable[int] = ()) -> list[ScamCampaign]:
    """Campaigns running now: national ones (no offices), and those of the given offices; not
    the ones this visitor hid."""
    wanted = list(office_ids)
    scope = Q(offices__isnull=True)
    if wanted:
        scope |= Q(offices__in=wanted)
    return list(
        ScamCampaign.objects.running()
        .filter(scope)
        .exclude(pk__in=list(hidden))
        .distinct()
        .prefetch_related("offices")
        .order_by("-starts_at")
    )


def campaigns_listing() -> tuple[list[ScamCampaign], list[ScamCampaign]]:
    """Every published campaign that has started: (running now, ended), newest first."""
    started = list(ScamCampaign.objects.started().prefetch_related("offices").order_by("-starts_at"))
    running = [c for c in started if c.is_running()]
    return running, [c for c in started if not c.is_running()]
