"""The statistics as data: one row per month of the chosen office and service, the same figures
the page and the charts show (withheld ones empty in CSV, null in JSON)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gerbang.transparency.selectors import COUNTS, Month, Percentiles, Summary

# Its version grows when a column is added or changes meaning (docs/transparency.md keeps the
# history): 2 added appointments, waiting, payments and complaints.
DATASET = "gerbang-applications-monthly/2"
COLUMNS = (
    "month",
    "office",
    "service",
    *COUNTS,
    "decided",
    "approval_rate",
    "decisions_within_standard",
    "decision_days_p50",
    "decision_days_p80",
    "decision_days_p95",
    "ready_days_p50",
    "ready_days_p80",
    "ready_days_p95",
    "service_standard_days",
    "appointment_lead_days_p50",
    "appointment_lead_days_p80",
    "appointment_lead_days_p95",
    "wait_minutes_p50",
    "wait_minutes_p80",
    "wait_minutes_p95",
    "bills_paid_within_deadline",
    "hours_to_pay_p50",
    "hours_to_pay_p80",
    "complaints",
    "complaints_within_service_level",
    "month_complete",
)


def min_cell() -> int:
    return int(settings.STATISTICS_MIN_CELL)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _spread(name: str, value: Percentiles | None, shares: tuple[int, ...] = (50, 80, 95)) -> dict[str, Any]:
    return {f"{name}_p{share}": getattr(value, f"p{share}") if value else None for share in shares}


def row(month: Month, summary: Summary, office: Any, service: Any) -> dict[str, Any]:
    return cell_row(
        month, summary.standard_days, office.code if office else "", service.code if service else ""
    )


def cell_row(month: Month, standard_days: int | None, office: str, service: str) -> dict[str, Any]:
    """One row of the files: an office's (or "" for all) and a service's (or "") figures."""
    decision, ready = month.decision_days, month.ready_days
    return {
        "month": month.month.isoformat()[:7],  # ISO 8601 year and month, for machines
        "office": office,
        "service": service,
        **{measure: month.counts[measure] for measure in COUNTS},
        "decided": month.decided,
        "approval_rate": _share(month.approval_rate),
        "decisions_within_standard": _share(month.within),
        "decision_days_p50": decision.p50 if decision else None,
        "decision_days_p80": decision.p80 if decision else None,
        "decision_days_p95": decision.p95 if decision else None,
        "ready_days_p50": ready.p50 if ready else None,
        "ready_days_p80": ready.p80 if ready else None,
        "ready_days_p95": ready.p95 if ready else None,
        "service_standard_days": standard_days,
        **_spread("appointment_lead_days", month.lead_days),
        **_spread("wait_minutes", month.wait_minutes),
        "bills_paid_within_deadline": _share(month.paid_within),
        **_spread("hours_to_pay", month.paid_hours, (50, 80)),
        "complaints": month.complaints,
        "complaints_within_service_level": _share(month.complaint_within),
        "month_complete": not month.partial,
    }


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = COLUMNS) -> str:
    """The rows as CSV: a header, then withheld (None) values as empty cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for each in rows:
        writer.writerow(["" if each[column] is None else each[column] for column in columns])
    return out.getvalue()


def monthly_rows(summary: Summary, office: Any, service: Any) -> list[dict[str, Any]]:
    return [row(month, summary, office, service) for month in summary.every_month]


def as_json(summary: Summary, office: Any, service: Any) -> dict[str, Any]:
    return {
        "dataset": DATASET,
        "office": office.code if office else None,
        "service": service.code if service else None,
        "notes": [
            _(
                "A count of fewer than %(k)d people is withheld (null), with the counts that would "
                "give it away; rates, shares and percentiles are null when what they are made of is."
            )
            % {"k": min_cell()},
            _(
                "Durations are working days at the office, from the payment of the fee (when the service standard starts) to the decision or to ready for pickup."
            ),
            _(
                "Appointment lead time is calendar days from the booking to the first free day the applicant was shown; waiting is whole minutes from the ticket to the first call; hours to pay run from the bill to the payment."
            ),
            _(
                "The present month is not complete (month_complete is false); the period's figures are of the complete months."
            ),
            *(
                [
                    _(
                        "Counting began in %(month)s (counted_from): the months of the period before it have no figures and are not listed."
                    )
                    % {"month": f"{summary.counted_from:%Y-%m}"}
                ]
                if summary.counted_from
                else []
            ),
        ],
        "counted_from": f"{summary.counted_from:%Y-%m}" if summary.counted_from else None,
        "months": monthly_rows(summary, office, service),
        "period": row(summary.period, summary, office, service) | {"month": None},
    }
