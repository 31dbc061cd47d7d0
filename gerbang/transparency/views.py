"""The public statistics: the page, its charts and its data files (no sign-in)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gerbang.core.formatting import month
from gerbang.core.http import csp_allow, public_page
from gerbang.core.pdf import render_pdf
from gerbang.ikm.periods import Period
from gerbang.transparency import catalogue as open_data
from gerbang.transparency import charts, exports, reports, selectors
from gerbang.transparency import dictionary as data_dictionary
from gerbang.transparency import releases as published_releases
from gerbang.transparency.forms import StatisticsFilter
from gerbang.transparency.models import ALL, Release

CACHE = "public, max-age=600"


def _choice(request: HttpRequest) -> tuple[StatisticsFilter, Any, Any, list[date]]:
    form = StatisticsFilter(request.GET or None)
    office, service, period = form.choice()
    return form, office, service, selectors.months_back(period)


def _wrong_filters(form: StatisticsFilter, as_json: bool) -> HttpResponse | None:
    """A file asked for with a wrong office, service or period: what was wrong, never the
    national figures in their place (a program would take them for what it asked)."""
    if not (form.is_bound and form.errors):
        return None
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    if as_json:
        body = json.dumps({"errors": errors}, ensure_ascii=False).encode("utf-8")
        return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
    text = "".join(f"{name}: {' '.join(messages)}\n" for name, messages in errors.items())
    return HttpResponse(text.encode("utf-8"), status=400, content_type="text/plain; charset=utf-8")


def _public(body: bytes, content_type: str) -> HttpResponse:
    """A public answer that caches may keep for ten minutes (the figures change once a minute
    at most, and a cached page is what a crowd gets fast)."""
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = CACHE
    return response


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _json(body: dict[str, Any], content_type: str = "application/json; charset=utf-8") -> HttpResponse:
    return _public(json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"), content_type)


def _summary(office: Any, service: Any, months: list[date]) -> selectors.Summary:
    return selectors.summary(office.pk if office else ALL, service.pk if service else ALL, months)


@require_GET
@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    form, office, service, months = _choice(request)
    summary = _summary(office, service, months)
    query = request.GET.urlencode()
    # The chart's words are in the page's language: its address names it, so that a browser
    # never shows a chart it kept from before the language was switched.
    chart_query = f"{query}{'&' if query else ''}bahasa={get_language()}"
    return render(
        request,
        "transparency/statistics.html",
        {
            "form": form,
            "office": office,
            "service": service,
            "summary": summary,
            "first": month(months[0]),
            "last": month(months[-1]),
            "comparison": selectors.comparison(service.pk if service else ALL, months),
            "ikm": selectors.satisfaction(office),
            "charts": [
                {
                    "key": key,
                    "title": chart.title,
                    "url": f"{reverse('transparency:chart', args=[key])}?{chart_query}",
                    # Drawn at a phone's size, so that its words stay readable there.
                    "narrow_url": f"{reverse('transparency:chart', args=[key])}?{chart_query}&ukuran=kecil",
                }
                for key, chart in charts.CHARTS.items()
            ],
            "query": query,
            "min_cell": exports.min_cell(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
# The SVG carries its own style sheet (pygal's); shown as an image, it runs no script.
@csp_allow({"style-src": ["'unsafe-inline'"]})
def chart(request: HttpRequest, key: str) -> HttpResponse:
    found = charts.CHARTS.get(key)
    if found is None:
        raise Http404
    _form, office, service, months = _choice(request)
    summary = _summary(office, service, months)
    where = office.name if office else _("all offices")
    what = service.name if service else _("all services")
    narrow = request.GET.get("ukuran") == "kecil"
    # On a phone the chart's own title would be most of it: the page's heading says it.
    title = str(found.title) if narrow else f"{found.title} — {where}, {what}"
    return _public(found.draw(summary, title, narrow), "image/svg+xml")


@require_GET
@public_page
def data_csv(request: HttpRequest) -> HttpResponse:
    form, office, service, months = _choice(request)
    if (wrong := _wrong_filters(form, as_json=False)) is not None:
        return wrong
    rows = exports.monthly_rows(_summary(office, service, months), office, service)
    response = _public(exports.csv_text(rows).encode("utf-8"), "text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="statistik-permohonan.csv"'
    return response


@require_GET
@public_page
def data_json(request: HttpRequest) -> HttpResponse:
    form, office, service, months = _choice(request)
    if (wrong := _wrong_filters(form, as_json=True)) is not None:
        return wrong
    return _json(exports.as_json(_summary(office, service, months), office, service))


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The open-data catalogue (DCAT, JSON-LD) of the statistics."""
    return _json(open_data.catalogue(_site(request), timezone.localdate()), "application/ld+json")


@require_GET
@public_page
def dictionary(request: HttpRequest) -> HttpResponse:
    """What every column of the files means: its type, unit, how it is computed."""
    return render(
        request,
        "transparency/dictionary.html",
        {
            "columns": [data_dictionary.described(column) for column in data_dictionary.COLUMNS],
            "dataset": exports.DATASET,
            "min_cell": exports.min_cell(),
            "statistics_url": reverse("transparency:statistics"),
            "package_url": reverse("transparency:data_package"),
            "sdi_url": reverse("transparency:sdi_metadata"),
            "releases_url": reverse("transparency:releases"),
        },
    )


@require_GET
@public_page
def data_package(request: HttpRequest) -> HttpResponse:
    """The CSV's Frictionless Data Package (its Table Schema), in the reader's language."""
    site = _site(request)
    latest = [
        site + reverse("transparency:release_csv", args=[each.period.slug, each.versions[0].version])
        for each in published_releases.published()
    ]
    return _json(data_dictionary.data_package(site, exports.DATASET, exports.min_cell(), latest))


@require_GET
@public_page
def sdi_metadata(request: HttpRequest) -> HttpResponse:
    """The figures' statistical indicator metadata (MS-Ind) for Satu Data Indonesia."""
    response = _json(data_dictionary.sdi_metadata(_site(request), exports.DATASET, exports.min_cell()))
    response["Content-Language"] = "id"  # written in Indonesian whatever the reader's language
    return response


@require_GET
@public_page
def releases(request: HttpRequest) -> HttpResponse:
    """Every closed period's frozen figures, each version with its digest and what it revised."""
    return render(
        request,
        "transparency/releases.html",
        {
            "periods": published_releases.published(),
            "settle_days": published_releases.SETTLE_DAYS,
            "statistics_url": reverse("transparency:statistics"),
            "dictionary_url": reverse("transparency:dictionary"),
        },
    )


@require_GET
def release_csv(request: HttpRequest, period: str, version: int) -> HttpResponse:
    """One release's CSV, byte for byte the file its digest was taken of."""
    found = Period.from_slug(period)
    if found is None or version > 1_000_000:
        raise Http404
    release = Release.objects.filter(kind=found.kind, first=found.start, version=version).first()
    if release is None:
        raise Http404
    body = published_releases.release_csv(release.columns, release.rows).encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400, immutable"  # a release never changes
    response["Content-Disposition"] = f'attachment; filename="gerbang-statistik-{period}-v{version}.csv"'
    return response


def _report(request: HttpRequest, period: str) -> dict[str, Any]:
    """A quarter's or a year's report (``?versi=`` for an earlier version), or 404."""
    found = Period.from_slug(period)
    version = request.GET.get("versi")
    if version is not None and (not version.isdigit() or len(version) > 6):
        raise Http404
    context = reports.report_context(found, int(version) if version else None) if found else None
    if context is None:
        raise Http404
    release = context["release"]
    return context | {
        "site": _site(request),
        "csv_url": reverse("transparency:release_csv", args=[period, release.version]),
        "dictionary_url": reverse("transparency:dictionary"),
        "releases_url": reverse("transparency:releases"),
        "pdf_url": reverse("transparency:report_pdf", args=[period])
        + (f"?versi={release.version}" if version else ""),
    }


@require_GET
@public_page
def report(request: HttpRequest, period: str) -> HttpResponse:
    return render(request, "transparency/report.html", _report(request, period))


@require_GET
def report_pdf(request: HttpRequest, period: str) -> HttpResponse:
    context = _report(request, period)
    response = _public(render_pdf("transparency/report_pdf.html", context), "application/pdf")
    name = f"gerbang-laporan-statistik-{period}-v{context['release'].version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
