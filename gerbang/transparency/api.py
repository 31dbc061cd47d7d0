"""The public statistics as JSON in the API: the same figures as the page and its files (one
office or all, one service or all, the complete months of a period and the present one), with
what is withheld as null."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view

from gerbang.catalog.models import Office, Service
from gerbang.core.exceptions import ValidationError
from gerbang.core.http import public_read
from gerbang.transparency import exports, selectors
from gerbang.transparency.models import ALL

router = Router(tags=["public statistics"])


class MonthOut(Schema):
    month: str | None = Field(description="YYYY-MM; null for the period as a whole.")
    office: str = Field(description="The office's code, or '' for all offices.")
    service: str = Field(description="The service's code, or '' for all services.")
    submitted: int | None
    approved: int | None
    rejected: int | None
    withdrawn: int | None
    expired: int | None
    decided: int | None
    approval_rate: float | None = Field(description="approved / (approved + rejected), 0 to 1.")
    decisions_within_standard: float | None = Field(description="Share decided by the due date, 0 to 1.")
    decision_days_p50: int | None = Field(description="Working days from payment to decision, median.")
    decision_days_p80: int | None
    decision_days_p95: int | None
    ready_days_p50: int | None = Field(description="Working days from payment to ready for pickup.")
    ready_days_p80: int | None
    ready_days_p95: int | None
    service_standard_days: int | None
    appointment_lead_days_p50: int | None = Field(
        description="Calendar days from the booking to the first free day the applicant was shown, median."
    )
    appointment_lead_days_p80: int | None
    appointment_lead_days_p95: int | None
    wait_minutes_p50: int | None = Field(description="Minutes from the ticket to the first call, median.")
    wait_minutes_p80: int | None
    wait_minutes_p95: int | None
    bills_paid_within_deadline: float | None = Field(
        description="Bills paid by their deadline / bills paid or lapsed, 0 to 1."
    )
    hours_to_pay_p50: int | None = Field(description="Hours from the bill to its payment, median.")
    hours_to_pay_p80: int | None
    complaints: int | None = Field(description="Complaints received (all services only).")
    complaints_within_service_level: float | None = Field(
        description="Of the complaints closed, the share never overdue at any step, 0 to 1."
    )
    month_complete: bool


class StatisticsOut(Schema):
    dataset: str = Field(examples=[exports.DATASET])
    office: str | None
    service: str | None
    notes: list[str]
    counted_from: str | None = Field(
        description="The first month counted (YYYY-MM), when the period began before it; earlier months are not listed."
    )
    months: list[MonthOut] = Field(description="The complete months, then the present month so far.")
    period: MonthOut = Field(description="The complete months together.")


@router.get("/statistics/applications", response=StatisticsOut, auth=None)
@decorate_view(public_read)
def applications_statistics(
    request: HttpRequest, office: str | None = None, service: str | None = None, months: int = 12
) -> Any:
    """Applications of one office (its code) or all, one service (its code) or all, over the last
    6, 12 or 24 complete months: counts, outcomes and working days to a decision. A count of too
    few people is null, with the counts that would give it away."""
    if months not in selectors.PERIODS:
        raise ValidationError(_("Choose 6, 12 or 24 months."), field="months")
    chosen_office = Office.objects.public().filter(code=office).first() if office else None
    if office and chosen_office is None:
        raise ValidationError(_("There is no office with this code."), field="office")
    chosen_service = Service.objects.filter(code=service, is_active=True).first() if service else None
    if service and chosen_service is None:
        raise ValidationError(_("There is no service with this code."), field="service")
    summary = selectors.summary(
        chosen_office.pk if chosen_office else ALL,
        chosen_service.pk if chosen_service else ALL,
        selectors.months_back(months),
    )
    return exports.as_json(summary, chosen_office, chosen_service)
