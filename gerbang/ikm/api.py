"""The IKM's published figures as JSON (the same rows as the open data): aggregates per
office, service and period, never a single response."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gerbang.ikm import reports, selectors
from gerbang.ikm.periods import PeriodKind

router = Router(tags=["satisfaction index (IKM)"])


class IkmResultOut(Schema):
    office: str = Field(
        description="The office's code, or 'national' for the national figure (every office and "
        "the national unit together)."
    )
    service: str = Field(description="The service's code, or 'all' for every service together.")
    period_kind: PeriodKind
    period: str = Field(examples=["2026-11", "2026-Q4", "2026"])
    period_start: str = Field(description="The period's first day, ISO 8601.")
    respondents: int
    nrr_u1: float
    nrr_u2: float
    nrr_u3: float
    nrr_u4: float
    nrr_u5: float
    nrr_u6: float
    nrr_u7: float
    nrr_u8: float
    nrr_u9: float
    ikm: float = Field(description="Σ (NRR x weight) x 25, rounded half up to 2 decimals.")
    grade: str = Field(description="A (88.31-100), B (76.61-88.30), C (65.00-76.60), D (25.00-64.99).")
    population: int = Field(description="Occasions served in the period (the survey's population).")
    minimum_sample: int = Field(description="Krejcie-Morgan minimum sample for the population.")
    below_minimum_sample: bool
    weight: str = Field(description="Each element's weight: '0.111', '0.11' or '1/9'.")
    computed_at: str


@router.get("/ikm/results", response=list[IkmResultOut], auth=None)
def ikm_results(request: HttpRequest, office: str | None = None) -> Any:
    """Every published IKM aggregate, optionally of one office (by its code) or of the national
    figure ('national')."""
    return reports.open_data_rows(selectors.open_data(office_code=office))
