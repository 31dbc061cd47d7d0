"""Public content pages: FAQ, guides, notices, official channels and the scam checker."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerbang.content import campaigns, forms, selectors, tutorials
from gerbang.content.models import Announcement, GuideStep, OfficialChannel, ScamCampaign, Status
from gerbang.core.exceptions import ValidationError
from gerbang.core.http import public_page, safe_next


@public_page
def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "content/faq.html", {"categories": selectors.faq_by_category()})


@public_page
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "content/guide_list.html",
        {"guides": selectors.published_guides(), "tutorials": selectors.published_guides(tutorial=True)},
    )


@public_page
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_by_slug(slug)
    if guide is None:
        raise Http404
    return render(
        request,
        "content/guide_detail.html",
        {"guide": guide, "steps": selectors.guide_steps(guide), "taken_at": tutorials.taken_at()},
    )


def guide_step_image(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A published guide's picture, from storage (guide pictures are public)."""
    step = GuideStep.objects.filter(pk=pk, guide__slug=slug, guide__status=Status.PUBLISHED).first()
    if step is None or not step.image:
        raise Http404
    response = FileResponse(
        step.image.open("rb"),
        content_type="image/png" if str(step.image.name).endswith(".png") else "image/jpeg",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public_page
def notices(request: HttpRequest) -> HttpResponse:
    active = Announcement.objects.active().select_related("office")
    return render(request, "content/notices.html", {"notices": active})


@public_page
def official_channels(request: HttpRequest) -> HttpResponse:
    """The official list, and the checker: paste a link, number or account name."""
    form = forms.ChannelCheckForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        try:
            result = selectors.channel_check(form.cleaned_data["value"])
        except ValidationError:
            form.add_error("value", "")
    channels = OfficialChannel.objects.filter(office__isnull=True)
    return render(
        request,
        "content/official_channels.html",
        {"form": form, "result": result, "channels": channels},
        status=400 if request.GET and form.errors else 200,
    )


@public_page
def rights(request: HttpRequest) -> HttpResponse:
    """Rights and duties of applicants and of foreigners in Indonesia, with their legal basis."""
    return render(request, "content/rights.html", {"sections": selectors.rights_by_audience()})


@public_page
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Scam-awareness campaigns: those running now, then the past ones."""
    running, past = selectors.campaigns_listing()
    return render(request, "content/campaigns.html", {"running": running, "past": past})


@csrf_exempt  # the banner's form is on cached public pages, which carry no token; see below
@require_POST
def campaign_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide one warning for this browser (a cookie), then go back to the page it was on.

    Without a CSRF token, another site's form must not be able to hide the warnings (a scam
    site would like that): a request a browser marks as coming from another site is refused."""
    origin = request.headers.get("Origin")
    if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
        origin and origin.split("://", 1)[-1] != request.get_host()
    ):
        return HttpResponse(status=403)
    if not ScamCampaign.objects.published().filter(pk=pk).exists():
        raise Http404
    response = redirect(safe_next(request, reverse("content:campaigns")))
    campaigns.hide(request, response, pk)
    return response
