"""Back-office editing of public content: notices (national or per office) and the FAQ.

Draft, preview (nothing saved) and publish; the Indonesian and English versions side by side.
The services decide who may save what and record every change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gerbang.content import forms, services
from gerbang.content.models import Announcement, Faq, Guide, OfficialChannel, RightsEntry, ScamCampaign
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.http import AuthenticatedRequest
from gerbang.core.permissions import Perm, has_permission, require_permission
from gerbang.core.scoping import scope_to_offices

BILINGUAL_NOTICE = [("title_id", "title_en"), ("body_id", "body_en")]
BILINGUAL_FAQ = [("question_id", "question_en"), ("answer_id", "answer_en")]
BILINGUAL_CAMPAIGN = [
    ("title_id", "title_en"),
    ("message_id", "message_en"),
    ("signs_id", "signs_en"),
    ("actions_id", "actions_en"),
]
BILINGUAL_RIGHTS = [("title_id", "title_en"), ("body_id", "body_en"), ("basis_id", "basis_en")]


def _editor_context(form: BaseForm, pairs: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "pairs": [(form[a], form[b]) for a, b in pairs],
        "singles": [form[name] for name in form.fields if not any(name in pair for pair in pairs)],
        **extra,
    }


def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_OFFICE)
    notices: QuerySet[Announcement] = Announcement.objects.select_related("office")
    if not has_permission(user, Perm.CONTENT_NATIONAL):
        notices = scope_to_offices(notices, user, office_field="office")
    return render(request, "backoffice/notice_list.html", {"notices": notices.order_by("-starts_at")[:200]})


def notice_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_OFFICE)
    notice = get_object_or_404(Announcement, pk=pk) if pk is not None else None
    form = forms.AnnouncementForm(user, request.POST or None, instance=notice)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        if action == "preview":
            preview = Announcement(**{k: v for k, v in form.cleaned_data.items() if k != "notify_bookings"})
        else:
            try:
                saved = services.announcement_save(
                    actor=user, announcement=notice, data=form.cleaned_data, publish=action == "publish"
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Saved as a draft."))
                if saved.notified_bookings:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)s person with an appointment is being told.",
                            "%(count)s people with an appointment are being told.",
                            saved.notified_bookings,
                        )
                        % {"count": saved.notified_bookings},
                    )
                return redirect("backoffice:notice_edit", pk=saved.pk)
    return render(
        request,
        "backoffice/content_form.html",
        _editor_context(form, BILINGUAL_NOTICE, item=notice, preview=preview, kind="notice"),
        status=400 if form.errors else 200,
    )


def faq_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CONTENT_NATIONAL)
    return render(
        request,
        "backoffice/faq_list.html",
        {"entries": Faq.objects.select_related("category").order_by("category__order", "order")},
    )


def faq_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    entry = get_object_or_404(Faq, pk=pk) if pk is not None else None
    form = forms.FaqForm(request.POST or None, instance=entry)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        data = dict(form.cleaned_data)
        if action == "preview":
            preview = Faq(**{k: v for k, v in data.items() if k != "services"})
        else:
            try:
                saved = services.faq_save(actor=user, entry=entry, data=data, publish=action == "publish")
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Saved as a draft."))
                return redirect("backoffice:faq_edit", pk=saved.pk)
    return render(
        request,
        "backoffice/content_form.html",
        _editor_context(form, BILINGUAL_FAQ, item=entry, preview=preview, kind="faq"),
        status=400 if form.errors else 200,
    )


def _kept_steps(steps: forms.StepFormSet) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    """The steps to save, in order: filled in and not marked for removal (blank extras skipped)."""
    kept = []
    for step in steps.forms:  # type: ignore[attr-defined]
        data = step.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if any(data.get(key) for key in ("text_id", "text_en", "image", "existing_image")):
            kept.append(data)
    return kept


def guide_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CONTENT_NATIONAL)
    return render(request, "backoffice/guide_list.html", {"guides": Guide.objects.order_by("title_id")})


def guide_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """A guide and its steps (each with an optional picture), both languages side by side."""
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    guide = get_object_or_404(Guide, pk=pk) if pk is not None else None
    initial_steps = [
        {
            "text_id": s.text_id,
            "text_en": s.text_en,
            "image_alt_id": s.image_alt_id,
            "image_alt_en": s.image_alt_en,
            "existing_image": s.image.name,
            "shot": s.shot,
        }
        for s in (guide.steps.all() if guide else [])
    ]
    posted = request.method == "POST"
    form = forms.GuideForm(request.POST if posted else None, instance=guide)
    steps = forms.StepFormSet(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial_steps,
        prefix="steps",
    )
    preview = None
    if posted and form.is_valid() and steps.is_valid():
        kept = _kept_steps(steps)
        action = request.POST.get("action", "draft")
        if action == "preview":
            preview = {"data": form.cleaned_data, "steps": kept}
        else:
            try:
                saved = services.guide_save(
                    actor=user, guide=guide, data=form.cleaned_data, steps=kept, publish=action == "publish"
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Saved as a draft."))
                return redirect("backoffice:guide_edit", pk=saved.pk)
    context = _editor_context(
        form,
        [("title_id", "title_en"), ("summary_id", "summary_en")],
        item=guide,
        preview=preview,
        steps=steps,
    )
    return render(
        request,
        "backoffice/guide_form.html",
        context,
        status=400 if form.errors or steps.total_error_count() else 200,
    )


def channel_list(request: AuthenticatedRequest) -> HttpResponse:
    """The official list the scam checker compares with: add and remove entries."""
    require_permission(request.user, Perm.CATALOG_MANAGE)
    form = forms.ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_channel_upsert(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Added to the official list."))
            return redirect("backoffice:channel_list")
    return render(
        request,
        "backoffice/channel_list.html",
        {"form": form, "channels": OfficialChannel.objects.select_related("office")},
        status=400 if form.errors else 200,
    )


@require_POST
def channel_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    services.official_channel_remove(channel=get_object_or_404(OfficialChannel, pk=pk), actor=request.user)
    messages.success(request, _("Removed from the official list."))
    return redirect("backoffice:channel_list")


def rights_list(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CONTENT_NATIONAL)
    return render(request, "backoffice/rights_list.html", {"entries": RightsEntry.objects.all()})


def rights_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """A right or duty of the public "rights and duties" page, both languages side by side."""
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    entry = get_object_or_404(RightsEntry, pk=pk) if pk is not None else None
    form = forms.RightsEntryForm(request.POST or None, instance=entry)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        if action == "preview":
            preview = RightsEntry(**form.cleaned_data)
        else:
            try:
                saved = services.rights_entry_save(
                    actor=user, entry=entry, data=form.cleaned_data, publish=action == "publish"
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Saved as a draft."))
                return redirect("backoffice:rights_edit", pk=saved.pk)
    return render(
        request,
        "backoffice/content_form.html",
        _editor_context(form, BILINGUAL_RIGHTS, item=entry, preview=preview, kind="rights"),
        status=400 if form.errors else 200,
    )


def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    """Scam-awareness campaigns: national ones for national administrators, an office's for
    its administrators."""
    user = request.user
    require_permission(user, Perm.CONTENT_OFFICE)
    campaigns: QuerySet[ScamCampaign] = ScamCampaign.objects.prefetch_related("offices")
    if not has_permission(user, Perm.CONTENT_NATIONAL):
        campaigns = scope_to_offices(campaigns, user, office_field="offices").distinct()
    return render(
        request, "backoffice/campaign_list.html", {"campaigns": campaigns.order_by("-starts_at")[:200]}
    )


def campaign_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_OFFICE)
    campaign = get_object_or_404(ScamCampaign, pk=pk) if pk is not None else None
    form = forms.CampaignForm(user, request.POST or None, instance=campaign)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        if action == "preview":
            preview = ScamCampaign(**{k: v for k, v in form.cleaned_data.items() if k != "offices"})
        else:
            try:
                saved = services.campaign_save(
                    actor=user, campaign=campaign, data=form.cleaned_data, publish=action == "publish"
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Saved as a draft."))
                return redirect("backoffice:campaign_edit", pk=saved.pk)
    return render(
        request,
        "backoffice/content_form.html",
        _editor_context(form, BILINGUAL_CAMPAIGN, item=campaign, preview=preview, kind="campaign"),
        status=400 if form.errors else 200,
    )
