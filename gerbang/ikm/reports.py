"""What the IKM pages, the report (PDF, spreadsheet) and the open data show of the stored
figures: one place, so the page, the documents and the data never disagree."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.catalog.models import Office, Service
from gerbang.core import formatting, xlsx
from gerbang.core.pdf import render_pdf
from gerbang.ikm import computation, selectors
from gerbang.ikm.forms import ALL_SERVICES, PeriodForm
from gerbang.ikm.models import GRADE_LABELS, Result
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.questionnaire import ELEMENTS

NO_SUCH_CHOICE = "There are no figures for this choice; choose one from the list."


def element_rows(result: Result) -> list[dict[str, Any]]:
    """Per element: its code and name, NRR (3 decimals), weighted NRR, the bar's length (NRR as
    a share of 4, in whole percent) and whether it is the lowest."""
    outcome = result.outcome
    each = computation.weight(result.weight_decimals)
    lowest = outcome.lowest_element
    return [
        {
            "code": element.code,
            "name": element.name,
            "sum": outcome.sums[position],
            "nrr": computation.rounded(outcome.nrr[position], 3),
            "weighted": computation.rounded(outcome.nrr[position] * each, 3),
            "percent": int(computation.rounded(outcome.nrr[position] / 4 * 100, 0)),
            "lowest": position == lowest,
        }
        for position, element in enumerate(ELEMENTS)
    ]


def weight_text(decimals: int | None) -> str:
    """The weight for machines (open data): '0.111', '0.11' or '1/9'."""
    return "1/9" if decimals is None else str(computation.rounded(computation.weight(decimals), decimals))


def weight_label(decimals: int | None) -> str:
    """The weight for people, in their language: '0,111' in Indonesian, '0.111' in English."""
    if decimals is None:
        return "1/9"
    return formatting.number(computation.rounded(computation.weight(decimals), decimals), decimals)


def weight_number(decimals: int | None) -> Decimal:
    """The weight as a number (a spreadsheet's cell): 0.111, 0.11, or 1/9 to 10 decimals."""
    return computation.rounded(computation.weight(decimals), 10 if decimals is None else decimals)


def office_figures(office: Office | None, query: Any) -> dict[str, Any]:
    """What an office's IKM page (``office`` None: the national figure's) shows for the period
    and service asked (the newest quarter, all services, when nothing is asked). A choice with
    no figures is named in the form."""
    periods = selectors.periods_of(office)
    period = next((p for p in periods if p.kind == PeriodKind.QUARTER), periods[0] if periods else None)
    problem: str | None = None
    if query.get("period"):
        asked = Period.from_slug(str(query["period"]))
        if asked is None or asked not in periods:
            problem = "period"
        else:
            period = asked
    service_rows = selectors.services_of(office, period) if period else []
    service: Service | None = None
    code = str(query.get("service") or ALL_SERVICES)
    if code != ALL_SERVICES and problem is None:
        service = next(
            (row.service for row in service_rows if row.service and row.service.code == code), None
        )
        if service is None:
            problem = "service"
    form = PeriodForm(
        {"period": str(query.get("period") or (period.slug if period else "")), "service": code},
        periods=periods,
        services=[(row.service.code, str(row.service.name)) for row in service_rows if row.service],
    )
    form.is_valid()
    if problem is not None and problem not in form.errors:
        form.add_error(problem, _(NO_SUCH_CHOICE))
    service_id = service.pk if service else None
    result = selectors.result_of(office, period, service_id=service_id) if period else None
    trend = selectors.trend_of(office, period.kind, service_id=service_id) if period else []
    return {
        "office": office,
        # The office's code in the open data's addresses, or the national figure's.
        "data_code": office.code if office else selectors.NATIONAL,
        "period": period,
        "service": service,
        "form": form,
        "invalid": problem is not None,
        "result": result,
        "rows": element_rows(result) if result else [],
        "trend": trend,
        "service_rows": service_rows if service is None else [],
        "weight": weight_label(result.weight_decimals if result else settings.IKM_WEIGHT_DECIMALS),
    }


PROFILE_LABELS = {
    "age_band": gettext_lazy("Age"),
    "sex": gettext_lazy("Sex"),
    "education": gettext_lazy("Education"),
    "occupation": gettext_lazy("Occupation"),
}

OPEN_DATA_COLUMNS = (
    "office",
    "service",
    "period_kind",
    "period",
    "period_start",
    "respondents",
    *(f"nrr_{element.field}" for element in ELEMENTS),
    "ikm",
    "grade",
    "population",
    "minimum_sample",
    "below_minimum_sample",
    "weight",
    "computed_at",
)


def open_data_rows(results: Any) -> list[dict[str, Any]]:
    """The aggregates as plain values (numbers as numbers, days and moments in ISO 8601)."""
    rows = []
    for result in results:
        nrr = {
            f"nrr_{element.field}": float(Decimal(value))
            for element, value in zip(ELEMENTS, result.nrr, strict=True)
        }
        rows.append(
            {
                "office": result.office.code if result.office else selectors.NATIONAL,
                "service": result.service.code if result.service else "all",
                "period_kind": result.period_kind,
                "period": result.period.slug,
                "period_start": result.period_start.isoformat(),
                "respondents": result.respondents,
                **nrr,
                "ikm": float(result.ikm),
                "grade": result.grade,
                "population": result.population,
                "minimum_sample": result.minimum_sample,
                "below_minimum_sample": result.below_sample,
                "weight": weight_text(result.weight_decimals),
                "computed_at": result.computed_at.isoformat(),
            }
        )
    return rows


def report_context(office: Office, period: Period) -> dict[str, Any]:
    """The report an office submits for ``period``: the whole office, then each service."""
    result = selectors.result_of(office, period)
    return {
        "office": office,
        "period": period,
        "result": result,
        "rows": element_rows(result) if result else [],
        "service_rows": selectors.services_of(office, period),
        "trend": selectors.trend_of(office, period.kind),
        "weight": weight_label(result.weight_decimals if result else settings.IKM_WEIGHT_DECIMALS),
        # Stored with the figures: the same respondents as the result's, never counted anew.
        "profile": [(PROFILE_LABELS[field], counts) for field, counts in selectors.profile_table(result)]
        if result
        else [],
        # The last day of the period (its end is the first day after it).
        "last_day": period.end - timedelta(days=1),
        "made_at": timezone.now(),
        "grade_labels": GRADE_LABELS,
    }


def report_pdf(office: Office, period: Period) -> bytes:
    return render_pdf("ikm/report_pdf.html", report_context(office, period))


def report_xlsx(office: Office, period: Period) -> bytes:
    context = report_context(office, period)
    result: Result | None = context["result"]
    summary = xlsx.Sheet(_("IKM"))
    summary.append([_("Satisfaction index (IKM)"), str(office.name)])
    summary.append([_("Period"), period.label, period.slug])
    summary.append([_("Legal basis"), "PermenPANRB No. 14 Tahun 2017"])
    if result is not None:
        summary.append([_("Respondents"), result.respondents])
        summary.append([_("Population (people served)"), result.population])
        summary.append([_("Minimum sample (Krejcie-Morgan)"), result.minimum_sample])
        summary.append([_("IKM"), result.ikm])
        summary.append([_("Grade"), result.grade, result.grade_label])
        summary.append([_("Weight of each element"), weight_number(result.weight_decimals)])
    summary.append([])
    summary.append([_("Element"), _("Name"), _("Sum of scores"), _("NRR"), _("Weighted NRR")])
    for row in context["rows"]:
        summary.append([row["code"], str(row["name"]), row["sum"], row["nrr"], row["weighted"]])
    per_service = xlsx.Sheet(_("Services"))
    per_service.append([_("Service"), _("Respondents"), *(e.code for e in ELEMENTS), _("IKM"), _("Grade")])
    for each in context["service_rows"]:
        per_service.append(
            [str(each.service.name), each.respondents, *(Decimal(v) for v in each.nrr), each.ikm, each.grade]
        )
    profile = xlsx.Sheet(_("Respondents"))
    for label, counts in context["profile"]:
        profile.append([str(label)])
        for name, count in counts:
            profile.append(["", name, count])
    trend = xlsx.Sheet(_("Trend"))
    trend.append([_("Period"), _("Respondents"), _("IKM"), _("Grade")])
    for each in context["trend"]:
        trend.append([each.period.slug, each.respondents, each.ikm, each.grade])
    return xlsx.workbook([summary, per_service, profile, trend])
