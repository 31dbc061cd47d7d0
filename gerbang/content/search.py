"""What public content gives the site search: FAQ, guides, notices in force, rights and duties,
scam-awareness campaigns."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from gerbang.content.models import Announcement, Faq, Guide, RightsEntry, ScamCampaign
from gerbang.core.bilingual import LANGUAGE_CODES, pick
from gerbang.core.search import Document


def faq_documents(entry: Faq) -> Iterator[Document]:
    url = f"{reverse('content:faq')}#faq-{entry.slug}"
    for language in LANGUAGE_CODES:
        yield Document(
            "faq",
            entry.slug,
            language,
            str(pick(entry, "question", language)),
            str(pick(entry, "answer", language)),
            url,
        )


def guide_documents(guide: Guide) -> Iterator[Document]:
    url = reverse("content:guide_detail", args=[guide.slug])
    for language in LANGUAGE_CODES:
        steps = " ".join(str(pick(step, "text", language)) for step in guide.steps.all())
        yield Document(
            "guide",
            guide.slug,
            language,
            str(pick(guide, "title", language)),
            f"{pick(guide, 'summary', language)} {steps}",
            url,
        )


def notice_documents(notice: Announcement) -> Iterator[Document]:
    url = reverse("content:notices")
    for language in LANGUAGE_CODES:
        yield Document(
            "notice",
            str(notice.pk),
            language,
            str(pick(notice, "title", language)),
            str(pick(notice, "body", language)),
            url,
        )


def rights_documents(entry: RightsEntry) -> Iterator[Document]:
    url = f"{reverse('content:rights')}#rights-{entry.pk}"
    for language in LANGUAGE_CODES:
        yield Document(
            "rights",
            str(entry.pk),
            language,
            str(pick(entry, "title", language)),
            f"{pick(entry, 'body', language)} {pick(entry, 'basis', language)}",
            url,
        )


def campaign_documents(campaign: ScamCampaign) -> Iterator[Document]:
    url = f"{reverse('content:campaigns')}#campaign-{campaign.pk}"
    for language in LANGUAGE_CODES:
        yield Document(
            "campaign",
            str(campaign.pk),
            language,
            str(pick(campaign, "title", language)),
            " ".join(str(pick(campaign, part, language)) for part in ("message", "signs", "actions")),
            url,
        )


def documents() -> Iterator[Document]:
    for entry in Faq.objects.published():
        yield from faq_documents(entry)
    for guide in Guide.objects.published().prefetch_related("steps"):
        yield from guide_documents(guide)
    for notice in Announcement.objects.active():
        yield from notice_documents(notice)
    for right in RightsEntry.objects.published():
        yield from rights_documents(right)
    for campaign in ScamCampaign.objects.published():
        yield from campaign_documents(campaign)
