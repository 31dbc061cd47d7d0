"""Writes to public content."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gerbang.content import tutorials
from gerbang.content.channels import normalize
from gerbang.content.events import NoticePublished, NoticeWithdrawn
from gerbang.content.models import (
    Announcement,
    Faq,
    FaqCategory,
    Guide,
    GuideStep,
    Level,
    OfficialChannel,
    RightKind,
    RightsEntry,
    ScamCampaign,
    Status,
)
from gerbang.content.search import (
    campaign_documents,
    faq_documents,
    guide_documents,
    notice_documents,
    rights_documents,
)
from gerbang.core import events, search
from gerbang.core.actors import Actor, SystemActor
from gerbang.core.exceptions import ValidationError
from gerbang.core.images import clean_image
from gerbang.core.permissions import Perm, require_permission, require_permission_unless_system


@transaction.atomic
def official_channel_upsert(
    *, kind: str, value: str, label_id: str, label_en: str = "", office: Any = None, actor: Actor
) -> OfficialChannel:
    """Add (or relabel) an official channel; the system (``SystemActor``) loads demo data."""
    require_permission_unless_system(actor, Perm.CATALOG_MANAGE)
    if not label_id.strip() and not label_en.strip():
        raise ValidationError(_("Say what this channel is."), field="label_id")
    try:
        normalized = normalize(value).value
    except ValidationError:
        raise ValidationError(
            _("Enter a link, phone number, e-mail address or account name."), field="value"
        ) from None
    if normalized.startswith("text:"):
        raise ValidationError(
            _(
                "This is not a link, phone number, e-mail address or @account; write it the way people see it."
            ),
            field="value",
        )
    channel, _created = OfficialChannel.objects.update_or_create(
        normalized=normalized,
        defaults={"kind": kind, "value": value, "label_id": label_id, "label_en": label_en, "office": office},
    )
    if not isinstance(actor, SystemActor):
        events.record(
            "content.channel_saved",
            actor=actor,
            subject=channel,
            details={"value": value, "normalized": normalized},
        )
    return channel


@transaction.atomic
def official_channel_remove(*, channel: OfficialChannel, actor: Actor) -> None:
    require_permission(actor, Perm.CATALOG_MANAGE)
    events.record("content.channel_removed", actor=actor, subject=channel, details={"value": channel.value})
    channel.delete()


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
    actor: Actor,
) -> Faq:
    """Load an FAQ entry (demo data, imports): the system, or a national administrator."""
    require_permission_unless_system(actor, Perm.CONTENT_NATIONAL)
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
    is_tutorial: bool = False,
) -> Guide:
    """Make or update a guide (demo data and imports; the tutorials). Steps are mappings of
    ``text_id``, ``text_en`` and, optionally, ``image_alt_id``, ``image_alt_en`` and ``shot``."""
    guide, _created = Guide.objects.update_or_create(
        slug=slug,
        defaults={
            "title_id": title_id,
            "title_en": title_en,
            "summary_id": summary_id,
            "summary_en": summary_en,
            "status": status,
            "is_tutorial": is_tutorial,
        },
    )
    wanted = [dict(step) for step in steps]
    # What the steps say, and their pictures of the page (an uploaded picture and its
    # description stay unless a step names its own).
    fields = {"text_id", "text_en", "shot"}.union(*wanted)
    current = [{name: getattr(s, name) for name in fields} for s in guide.steps.all()]
    if current != [{name: w.get(name, "") for name in fields} for w in wanted]:
        GuideStep.objects.filter(guide=guide).delete()
        GuideStep.objects.bulk_create(
            [GuideStep(guide=guide, order=i, **step) for i, step in enumerate(wanted)]
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
    suspends: Iterable[str] = (),
    actor: Actor,
) -> Announcement:
    """Load a notice (demo data): the system, or whoever may publish it (the back office
    edits through ``announcement_save``)."""
    if office is None:
        require_permission_unless_system(actor, Perm.CONTENT_NATIONAL)
    else:
        require_permission_unless_system(actor, Perm.CONTENT_OFFICE, office_id=office.pk)
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
        suspends=sorted(set(suspends)),
    )
    if status == Status.PUBLISHED:
        events.publish(NoticePublished(announcement=notice, actor=actor))
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


# --- Editing in the back office ------------------------------------------------------------------

ANNOUNCEMENT_FIELDS = (
    "office",
    "level",
    "title_id",
    "title_en",
    "body_id",
    "body_en",
    "starts_at",
    "ends_at",
    "suspends",
)
FAQ_FIELDS = ("category", "question_id", "question_en", "answer_id", "answer_en")


def _diff(obj: Any, data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, list[str]]:
    """What an edit changes, field by field ([before, after]); public content, so values are kept."""
    changed = {}
    for field in fields:
        before = getattr(obj, field, None) if obj is not None and obj.pk else None
        after = data.get(field)
        if before != after and str(before or "") != str(after or ""):
            changed[field] = [str(before or ""), str(after or "")]
    return changed


def _require_both_or_one(data: Mapping[str, Any], base: str, label: str) -> None:
    if not str(data.get(f"{base}_id") or "").strip() and not str(data.get(f"{base}_en") or "").strip():
        raise ValidationError(
            _("Write the %(what)s in at least one language.") % {"what": label}, field=f"{base}_id"
        )


@transaction.atomic
def announcement_save(
    *, actor: Actor, announcement: Announcement | None, data: Mapping[str, Any], publish: bool
) -> Announcement:
    """Save a notice as a draft or publish it. National notices need a national administrator;
    an office's notices its office administrators. Every change is recorded with what changed."""
    office = data.get("office")
    if office is None:
        require_permission(actor, Perm.CONTENT_NATIONAL)
    else:
        require_permission(actor, Perm.CONTENT_OFFICE, office_id=office.pk)
    if announcement is not None and announcement.pk:
        # Moving a notice needs the right over the office it leaves too.
        if announcement.office_id is None:
            require_permission(actor, Perm.CONTENT_NATIONAL)
        else:
            require_permission(actor, Perm.CONTENT_OFFICE, office_id=announcement.office_id)
    _require_both_or_one(data, "title", _("title"))
    _require_both_or_one(data, "body", _("text"))
    starts_at, ends_at = data.get("starts_at") or timezone.now(), data.get("ends_at")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The notice must end after it starts."), field="ends_at")
    # The stored row, not the caller's object: a bound ModelForm has already copied the new
    # values onto its instance, and the record must say what changed.
    notice = (
        Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement is not None and announcement.pk
        else Announcement()
    )
    changed = _diff(notice, {**data, "starts_at": starts_at}, ANNOUNCEMENT_FIELDS)
    was_published = notice.status == Status.PUBLISHED
    if data.get("suspends") and office is None:
        raise ValidationError(_("Only a notice of one office can stop services there."), field="suspends")
    for field in ANNOUNCEMENT_FIELDS:
        setattr(notice, field, data.get(field))
    notice.suspends = sorted(set(data.get("suspends") or []))
    notice.starts_at = starts_at
    notice.status = Status.PUBLISHED if publish else Status.DRAFT
    notice.save()
    events.record(
        "content.announcement_published" if publish else "content.announcement_saved",
        actor=actor,
        subject=notice,
        office_id=notice.office_id,
        details={"changed": changed, "was_published": was_published},
    )
    live = publish and notice.starts_at <= timezone.now()
    search.replace("notice", str(notice.pk), notice_documents(notice) if live else [])
    # A published notice of one office that stops services stops them for its time (offered
    # nowhere, its appointments moved or cancelled, people told); withdrawn or changed, it lifts
    # them. The apps that do so subscribe to these events and say how many people they told.
    event: NoticePublished | NoticeWithdrawn | None = None
    if publish:
        event = NoticePublished(
            announcement=notice,
            actor=actor,
            tell_booked=bool(
                live and data.get("notify_bookings") and notice.level == Level.EMERGENCY and notice.office_id
            ),
        )
    elif was_published:
        event = NoticeWithdrawn(announcement=notice, actor=actor)
    if event is not None:
        events.publish(event)
    # How many people with an appointment the notice was sent to (0 when not asked for).
    notice.notified_bookings = event.told.count if event is not None else 0
    return notice


@transaction.atomic
def faq_save(*, actor: Actor, entry: Faq | None, data: Mapping[str, Any], publish: bool) -> Faq:
    """Save an FAQ entry as a draft or publish it (national content)."""
    require_permission(actor, Perm.CONTENT_NATIONAL)
    _require_both_or_one(data, "question", _("question"))
    _require_both_or_one(data, "answer", _("answer"))
    faq = (
        Faq.objects.select_for_update().get(pk=entry.pk)
        if entry is not None and entry.pk
        else Faq(slug=_unique_slug(str(data.get("question_id") or data.get("question_en"))))
    )
    changed = _diff(faq, data, FAQ_FIELDS)
    for field in FAQ_FIELDS:
        setattr(faq, field, data.get(field))
    faq.status = Status.PUBLISHED if publish else Status.DRAFT
    faq.save()
    if "services" in data:
        before = sorted(s.code for s in faq.services.all())
        faq.services.set(data["services"])
        after = sorted(s.code for s in faq.services.all())
        if before != after:
            changed["services"] = [", ".join(before), ", ".join(after)]
    events.record(
        "content.faq_published" if publish else "content.faq_saved",
        actor=actor,
        subject=faq,
        details={"changed": changed},
    )
    search.replace("faq", faq.slug, faq_documents(faq) if publish else [])
    return faq


def _unique_slug(text: str) -> str:
    base = slugify(text)[:70] or "faq"
    slug, n = base, 2
    while Faq.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


GUIDE_FIELDS = ("title_id", "title_en", "summary_id", "summary_en")


@transaction.atomic
def guide_save(
    *,
    actor: Actor,
    guide: Guide | None,
    data: Mapping[str, Any],
    steps: Sequence[Mapping[str, Any]],
    publish: bool,
) -> Guide:
    """Save a guide and its steps (in order) as a draft or publish it (national content).

    A step keeps its current picture unless a new one is uploaded; uploads are checked and
    re-encoded (core.images). Pictures no longer used are deleted after the commit.
    """
    require_permission(actor, Perm.CONTENT_NATIONAL)
    _require_both_or_one(data, "title", _("title"))
    _require_both_or_one(data, "summary", _("summary"))
    if not steps:
        raise ValidationError(_("A guide needs at least one step."), field="steps")
    stored = (
        Guide.objects.select_for_update().get(pk=guide.pk)
        if guide is not None and guide.pk
        else Guide(slug=_unique_guide_slug(str(data.get("title_id") or data.get("title_en"))))
    )
    changed = _diff(stored, data, GUIDE_FIELDS)
    old_steps = list(stored.steps.all()) if stored.pk else []
    for field in GUIDE_FIELDS:
        setattr(stored, field, data.get(field) or "")
    stored.status = Status.PUBLISHED if publish else Status.DRAFT
    stored.save()
    if "services" in data:
        stored.services.set(data["services"])
    new_steps = []
    for order, step in enumerate(steps):
        upload = step.get("image")
        image = clean_image(upload, field="image") if upload else (step.get("existing_image") or "")
        new_steps.append(
            GuideStep(
                guide=stored,
                order=order,
                text_id=step.get("text_id") or "",
                text_en=step.get("text_en") or "",
                image=image,
                image_alt_id=step.get("image_alt_id") or "",
                image_alt_en=step.get("image_alt_en") or "",
                shot=step.get("shot") or "",
            )
        )
    before = [(s.text_id, s.text_en, s.image.name) for s in old_steps]
    GuideStep.objects.filter(guide=stored).delete()
    for new_step in new_steps:
        new_step.save()  # one by one: a FileField saves its upload through the storage
    after = [(s.text_id, s.text_en, s.image.name) for s in new_steps]
    if before != after:
        changed["steps"] = [str(len(before)), str(len(after))]
    unused = {name for _t, _e, name in before if name} - {name for _t, _e, name in after if name}
    if unused:
        transaction.on_commit(lambda: _delete_files(unused))
    events.record(
        "content.guide_published" if publish else "content.guide_saved",
        actor=actor,
        subject=stored,
        details={"changed": changed},
    )
    search.replace("guide", stored.slug, guide_documents(stored) if publish else [])
    return stored


def _delete_files(names: Iterable[str]) -> None:
    storage = GuideStep().image.storage
    for name in names:
        storage.delete(name)


def _unique_guide_slug(text: str) -> str:
    base = slugify(text)[:70] or "guide"
    slug, n = base, 2
    while Guide.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def guide_step_picture_set(*, step: GuideStep, picture: bytes, alt_id: str, alt_en: str) -> GuideStep:
    """Give a step a picture (checked and re-encoded like any upload) with its description."""
    if not alt_id.strip() and not alt_en.strip():
        raise ValidationError(_("Describe the picture for people who cannot see it."), field="image_alt_id")
    cleaned = clean_image(io.BytesIO(picture))
    step.image.save(str(cleaned.name), cleaned, save=False)
    step.image_alt_id, step.image_alt_en = alt_id, alt_en
    step.save()
    return step


# --- Rights and duties ---------------------------------------------------------------------------

RIGHTS_FIELDS = (
    "audience",
    "kind",
    "order",
    "title_id",
    "title_en",
    "body_id",
    "body_en",
    "basis_id",
    "basis_en",
)


def _rights_check(data: Mapping[str, Any]) -> None:
    _require_both_or_one(data, "title", _("title"))
    _require_both_or_one(data, "body", _("text"))
    if data.get("kind") not in RightKind.values:
        raise ValidationError(_("Choose whether this is a right or a duty."), field="kind")


@transaction.atomic
def rights_entry_upsert(
    *, key: tuple[str, str, int], data: Mapping[str, Any], status: str = Status.PUBLISHED, actor: Actor
) -> RightsEntry:
    """Load one right or duty (demo data, imports), found again by (audience, kind, order) so
    that loading twice changes nothing; the back office edits through ``rights_entry_save``."""
    require_permission_unless_system(actor, Perm.CONTENT_NATIONAL)
    audience, kind, order = key
    _rights_check({**data, "kind": kind})
    entry, _created = RightsEntry.objects.update_or_create(
        audience=audience,
        kind=kind,
        order=order,
        defaults={**{f: data.get(f, "") for f in RIGHTS_FIELDS[3:]}, "status": status},
    )
    search.replace("rights", str(entry.pk), rights_documents(entry) if status == Status.PUBLISHED else [])
    return entry


@transaction.atomic
def rights_entry_save(
    *, actor: Actor, entry: RightsEntry | None, data: Mapping[str, Any], publish: bool
) -> RightsEntry:
    """Save a right or duty as a draft or publish it (national content); every change is
    recorded with what changed."""
    require_permission(actor, Perm.CONTENT_NATIONAL)
    _rights_check(data)
    stored = (
        RightsEntry.objects.select_for_update().get(pk=entry.pk)
        if entry is not None and entry.pk
        else RightsEntry()
    )
    changed = _diff(stored, data, RIGHTS_FIELDS)
    for field in RIGHTS_FIELDS:
        value = data.get(field)
        setattr(stored, field, value if value is not None else ("" if field != "order" else 0))
    stored.status = Status.PUBLISHED if publish else Status.DRAFT
    stored.save()
    events.record(
        "content.rights_published" if publish else "content.rights_saved",
        actor=actor,
        subject=stored,
        details={"changed": changed},
    )
    search.replace("rights", str(stored.pk), rights_documents(stored) if publish else [])
    return stored


# --- Scam-awareness campaigns --------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "title_id",
    "title_en",
    "message_id",
    "message_en",
    "signs_id",
    "signs_en",
    "actions_id",
    "actions_en",
    "starts_at",
    "ends_at",
)


def _require_campaign_rights(actor: Actor, offices: Sequence[Any], *, system_allowed: bool) -> None:
    """A national campaign needs a national administrator; one for offices, the right over each."""
    check = require_permission_unless_system if system_allowed else require_permission
    if not offices:
        check(actor, Perm.CONTENT_NATIONAL)
    for office in offices:
        check(actor, Perm.CONTENT_OFFICE, office_id=office.pk)


def _campaign_check(data: Mapping[str, Any]) -> tuple[datetime, datetime | None]:
    _require_both_or_one(data, "title", _("title"))
    _require_both_or_one(data, "message", _("message"))
    _require_both_or_one(data, "signs", _("tell-tale signs"))
    _require_both_or_one(data, "actions", _("what to do"))
    starts_at, ends_at = data.get("starts_at") or timezone.now(), data.get("ends_at")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The campaign must end after it starts."), field="ends_at")
    return starts_at, ends_at


@transaction.atomic
def campaign_save(
    *, actor: Actor, campaign: ScamCampaign | None, data: Mapping[str, Any], publish: bool
) -> ScamCampaign:
    """Save a scam-awareness campaign as a draft or publish it. A national campaign (no offices)
    needs a national administrator; one for offices, an administrator of each of them (and of
    the offices it leaves). Every change is recorded with what changed."""
    offices = list(data.get("offices") or [])
    _require_campaign_rights(actor, offices, system_allowed=False)
    stored = (
        ScamCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign is not None and campaign.pk
        else ScamCampaign()
    )
    if stored.pk:
        _require_campaign_rights(actor, list(stored.offices.all()), system_allowed=False)
    starts_at, _ends_at = _campaign_check(data)
    changed = _diff(stored, {**data, "starts_at": starts_at}, CAMPAIGN_FIELDS)
    before = sorted(o.code for o in stored.offices.all()) if stored.pk else []
    for field in CAMPAIGN_FIELDS:
        value = data.get(field)
        setattr(stored, field, value if value is not None or field == "ends_at" else "")
    stored.starts_at = starts_at
    stored.status = Status.PUBLISHED if publish else Status.DRAFT
    stored.save()
    stored.offices.set(offices)
    after = sorted(o.code for o in offices)
    if before != after:
        changed["offices"] = [", ".join(before), ", ".join(after)]
    events.record(
        "content.campaign_published" if publish else "content.campaign_saved",
        actor=actor,
        subject=stored,
        office_id=offices[0].pk if len(offices) == 1 else None,
        details={"changed": changed, "offices": after},
    )
    search.replace("campaign", str(stored.pk), campaign_documents(stored) if publish else [])
    return stored


@transaction.atomic
def campaign_create(
    *, data: Mapping[str, Any], offices: Sequence[Any] = (), status: str = Status.PUBLISHED, actor: Actor
) -> ScamCampaign:
    """Load a campaign (demo data, imports): the system, or whoever may publish it."""
    _require_campaign_rights(actor, offices, system_allowed=True)
    starts_at, ends_at = _campaign_check(data)
    campaign = ScamCampaign.objects.create(
        **{
            field: data.get(field) or "" for field in CAMPAIGN_FIELDS if field not in {"starts_at", "ends_at"}
        },
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
    )
    campaign.offices.set(offices)
    search.replace(
        "campaign", str(campaign.pk), campaign_documents(campaign) if status == Status.PUBLISHED else []
    )
    return campaign


def tutorials_refresh(services: Iterable[Any]) -> list[Guide]:
    """Each service's step-by-step tutorial (``content.tutorials``), made or brought in line
    with the steps it shows; one of a service that has none (``tutorials.applies_to``) is kept
    as a draft, out of sight."""
    made = []
    for service in services:
        name_id, name_en = service.name_id, service.name_en or service.name_id
        steps = []
        for step in tutorials.steps_for(service):
            text_id, text_en = tutorials.text_of(step, service)
            steps.append(
                {
                    "text_id": text_id.format(service=name_id),
                    "text_en": text_en.format(service=name_en),
                    "image_alt_id": step.alt_id.format(service=name_id),
                    "image_alt_en": step.alt_en.format(service=name_en),
                    "shot": tutorials.shot(step, service.code),
                }
            )
        made.append(
            guide_upsert(
                slug=tutorials.slug(service.code),
                title_id=f"Cara mengajukan {service.name_id} secara daring",
                title_en=f"How to apply online: {service.name_en or service.name_id}",
                summary_id=f"Langkah demi langkah dengan gambar halaman Gerbang yang sebenarnya: {service.name_id}.",
                summary_en="Step by step, with pictures of Gerbang's real pages: "
                f"{service.name_en or service.name_id}.",
                steps=steps,
                services=[service],
                status=Status.PUBLISHED if tutorials.applies_to(service) else Status.DRAFT,
                is_tutorial=True,
            )
        )
    return made
