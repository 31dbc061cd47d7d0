"""Writes to public content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.content.channels import normalize
from gerbang.content.models import Announcement, Faq, FaqCategory, Guide, GuideStep, OfficialChannel, Status
from gerbang.content.search import faq_documents, guide_documents, notice_documents
from gerbang.core import events, search
from gerbang.core.exceptions import ValidationError


@transaction.atomic
def official_channel_upsert(
    *, kind: str, value: str, label_id: str, label_en: str = "", office: Any = None
) -> OfficialChannel:
    normalized = normalize(value).value
    channel, _created = OfficialChannel.objects.update_or_create(
        normalized=normalized,
        defaults={"kind": kind, "value": value, "label_id": label_id, "label_en": label_en, "office": office},
    )
    return channel


@transaction.atomic
def faq_category_upsert(*, slug: str, name_id: str, name_en: str = "", order: int = 0) -> FaqCategory:
    category, _created = FaqCategory.objects.update_or_create(
        slug=slug, defaults={"name_id": name_id, "name_en": name_en, "order": order}
    )
    return category


@transaction.atomic
def faq_upsert(
    *,
    slug: str,
    category: FaqCategory,
    question_id: str,
    question_en: str,
    answer_id: str,
    answer_en: str,
    services: Iterable[Any] = (),
    order: int = 0,
    status: str = Status.PUBLISHED,
    actor: Any = None,
) -> Faq:
    entry, created = Faq.objects.update_or_create(
        slug=slug,
        defaults={
            "category": category,
            "question_id": question_id,
            "question_en": question_en,
            "answer_id": answer_id,
            "answer_en": answer_en,
            "order": order,
            "status": status,
        },
    )
    entry.services.set(list(services))
    search.replace("faq", entry.slug, faq_documents(entry) if status == Status.PUBLISHED else [])
    if created:
        events.record("content.faq_created", actor=actor, subject=entry, details={"status": status})
    return entry


@transaction.atomic
def guide_upsert(
    *,
    slug: str,
    title_id: str,
    title_en: str,
    summary_id: str,
    summary_en: str,
    steps: Iterable[Mapping[str, str]],
    services: Iterable[Any] = (),
    status: str = Status.PUBLISHED,
) -> Guide:
    guide, _created = Guide.objects.update_or_create(
        slug=slug,
        defaults={
            "title_id": title_id,
            "title_en": title_en,
            "summary_id": summary_id,
            "summary_en": summary_en,
            "status": status,
        },
    )
    GuideStep.objects.filter(guide=guide).delete()
    GuideStep.objects.bulk_create(
        [GuideStep(guide=guide, order=i, **dict(step)) for i, step in enumerate(steps)]
    )
    guide.services.set(list(services))
    search.replace("guide", guide.slug, guide_documents(guide) if status == Status.PUBLISHED else [])
    return guide


@transaction.atomic
def announcement_create(
    *,
    title_id: str,
    body_id: str,
    level: str,
    title_en: str = "",
    body_en: str = "",
    office: Any = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    status: str = Status.PUBLISHED,
    actor: Any = None,
) -> Announcement:
    start = starts_at or timezone.now()
    if ends_at is not None and ends_at <= start:
        raise ValidationError(_("The notice must end after it starts."), field="ends_at")
    if not title_id.strip() and not title_en.strip():
        raise ValidationError(_("Give the notice a title."), field="title_id")
    notice = Announcement.objects.create(
        title_id=title_id,
        title_en=title_en,
        body_id=body_id,
        body_en=body_en,
        level=level,
        office=office,
        starts_at=start,
        ends_at=ends_at,
        status=status,
    )
    if status == Status.PUBLISHED and start <= timezone.now():
        search.replace("notice", str(notice.pk), notice_documents(notice))
    events.record(
        "content.announcement_created",
        actor=actor,
        subject=notice,
        office_id=getattr(office, "pk", None),
        details={"level": level, "status": status},
    )
    return notice
