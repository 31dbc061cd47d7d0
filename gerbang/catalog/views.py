"""Public pages of the catalogue: services and offices."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from gerbang.catalog import forms, guide, infographic, selectors
from gerbang.catalog.models import RequirementCase, ServiceCategory
from gerbang.core import panels
from gerbang.core.http import public_page
from gerbang.core.pdf import render_pdf


@public_page
def service_list(request: HttpRequest) -> HttpResponse:
    grouped = selectors.services_by_category()
    today = timezone.localdate()
    categories = [
        (
            category,
            [
                (service, selectors.terms_in_force(service, today))
                for service in grouped.get(category.value, [])
            ],
        )
        for category in ServiceCategory
    ]
    return render(request, "catalog/service_list.html", {"categories": categories})


@public_page
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_by_code(code)
    if service is None:
        raise Http404
    today = timezone.localdate()
    requirements_by_case: dict[str, list[object]] = {}
    for requirement in service.requirements.all():
        requirements_by_case.setdefault(requirement.applies_to, []).append(requirement)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "terms": selectors.terms_in_force(service, today),
            "coming": selectors.terms_coming(service, today),
            "requirement_groups": [
                (RequirementCase(case).label, items) for case, items in requirements_by_case.items()
            ],
            "office_links": selectors.offices_offering(service),
            "panels": panels.shown(panels.SERVICE_PAGE, request, service=service),
        },
    )


def _infographic(code: str) -> infographic.Sheet:
    sheet = infographic.sheet_for(code, timezone.localdate())
    if sheet is None:
        raise Http404
    return sheet


def _in_named_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An infographic's address names its language (``?bahasa=en``, as the service page links
    it): a shared link opens in the language it was shared in, whatever the opener's own."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        named = request.GET.get("bahasa", "")
        if named not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(named):
            return view(request, *args, **kwargs)

    return wrapped


@require_safe
@_in_named_language
@public_page
def service_infographic_svg(request: HttpRequest, code: str) -> HttpResponse:
    """The service's infographic as an SVG picture, to view and share (docs/education.md)."""
    sheet = _infographic(code)
    body = render_to_string(
        "catalog/infographic.svg", {"sheet": sheet, "drawing": infographic.drawing(sheet)}
    )
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="infografis-{sheet.code}-{sheet.language}.svg"'
    return response


@require_safe
@_in_named_language
@public_page
def service_infographic_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The same infographic as one A4 page, to print and pin up."""
    sheet = _infographic(code)
    response = HttpResponse(
        render_pdf("catalog/infographic_pdf.html", {"sheet": sheet, "scale": infographic.print_scale(sheet)}),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="infografis-{sheet.code}-{sheet.language}.pdf"'
    return response


@public_page
def office_list(request: HttpRequest) -> HttpResponse:
    form = forms.OfficeSearchForm(request.GET or None)
    form.is_valid()
    # A bad position (hidden fields) must not throw away the typed search: use what is valid.
    # (An unbound form, the page without a query, has no cleaned data at all.)
    cleaned = getattr(form, "cleaned_data", {})
    query = cleaned.get("q") or ""
    lat, lng = cleaned.get("lat"), cleaned.get("lng")
    offices = selectors.office_search(query)
    if lat is not None and lng is not None:
        results = selectors.offices_nearest_first(offices, lat, lng)
    else:
        results = [selectors.OfficeDistance(office, None) for office in offices]
    return render(
        request,
        "catalog/office_list.html",
        {"form": form, "results": results, "query": query, "by_distance": lat is not None},
    )


@public_page
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = selectors.office_by_code(code)
    if office is None:
        raise Http404
    today = selectors.office_today(office)
    return render(
        request,
        "catalog/office_detail.html",
        {
            "office": office,
            "today": today,
            "panels": panels.shown(panels.OFFICE_PAGE, request, office=office),
            "hours": forms.hours_by_weekday(office),
            "closures": selectors.upcoming_closures(office, today),
            "holidays": selectors.upcoming_holidays(today),
            "office_services": sorted(
                office.office_services.all(), key=lambda link: (link.service.category, link.service.order)
            ),
        },
    )


def _guide_state(request: HttpRequest) -> tuple[guide.Question | guide.Result, dict[str, Any]]:
    """The guide's next step for the answers in the address, and what pages need to show it."""
    answers, invalid = guide.clean(request.GET.dict())
    step = guide.next_step(answers)
    summary = []
    so_far: dict[str, str] = {}
    for key, value in answers.items():
        question = guide.question_for(key, so_far)
        if question is not None:
            label = dict(question.options)[value]
            summary.append({"question": question.text, "answer": label, "change": urlencode(so_far)})
        so_far[key] = value
    context: dict[str, Any] = {"summary": summary, "answers": answers, "invalid": invalid}
    if isinstance(step, guide.Result):
        service = selectors.service_by_code(step.service)
        if service is None:
            raise Http404
        today = timezone.localdate()
        context.update(
            {
                "service": service,
                "checklist": selectors.requirements_for(service, set(step.cases)),
                "terms": selectors.terms_in_force(service, today),
                "addons": [
                    (addon, selectors.terms_in_force(addon, today))
                    for addon in (selectors.service_by_code(code) for code in step.addons)
                    if addon is not None
                ],
                "office_links": selectors.offices_offering(service),
                "today": today,
                "query": urlencode(answers),
            }
        )
    return step, context


@public_page
def guide_view(request: HttpRequest) -> HttpResponse:
    """One question per page; the answers so far travel in the address (works without
    JavaScript, can be bookmarked or shared)."""
    step, context = _guide_state(request)
    if isinstance(step, guide.Result):
        return render(request, "catalog/guide_result.html", context)
    context["question"] = step
    return render(request, "catalog/guide_question.html", context, status=400 if context["invalid"] else 200)


def guide_pdf(request: HttpRequest) -> HttpResponse:
    """The checklist of a finished guide as a PDF, to keep on the phone or print."""
    step, context = _guide_state(request)
    if not isinstance(step, guide.Result):
        return redirect(f"{reverse('catalog:guide')}?{urlencode(context['answers'])}")
    pdf = render_pdf("catalog/guide_checklist_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="checklist-{context["service"].code}.pdf"'
    return response
