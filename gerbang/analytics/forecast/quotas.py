"""The arithmetic of a suggested daily quota (docs/analytics.md, "Suggested daily quotas").

For each service, over the weeks people can book now (the group's days bookable ahead):

1. a week's visits = the forecast's upper bound (eight weeks in ten stay below it) x the visits
   each application books (``VISITS_PER_APPLICATION``: interview and biometrics, then
   collecting the passport; both count against the service's quota);
2. a day's visits = the week's visits / the days the group receives visitors that week
   (working days with visiting hours: weekends, holidays and closures out);
3. the service's quota = the busiest week's day, rounded up.

Then for each service group: if the services' quotas together exceed what one day can take
(``capacity.GroupCapacity.per_day``: appointment places, or fewer when the counters cannot serve
them), each is scaled down in proportion (rounded down, at least 1), and the page says the
demand exceeds the capacity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

VISITS_PER_APPLICATION = 2


class Reason:
    """Why a service gets no suggestion."""

    NO_FORECAST = "no_forecast"
    NO_VISIT = "no_visit"
    NO_HOURS = "no_hours"
    NO_DAYS = "no_days"


@dataclass(frozen=True)
class WeekDemand:
    week: date
    expected: float
    upper: float
    visiting_days: int

    def per_day(self, visits: int) -> float:
        return self.upper * visits / self.visiting_days


@dataclass(frozen=True)
class ServiceDemand:
    key: str  # the service's code
    visits: int  # visits each application books (0: the service needs no visit)
    weeks: tuple[WeekDemand, ...]  # empty: no forecast


@dataclass(frozen=True)
class Quota:
    key: str
    visits: int
    peak: WeekDemand | None = None
    per_day: float | None = None
    from_demand: int | None = None
    quota: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class GroupQuotas:
    capacity: int
    demand: int  # the quotas from demand, added up
    capped: bool
    quotas: list[Quota] = field(default_factory=list)


def service_quota(demand: ServiceDemand) -> Quota:
    """Steps 1-3 for one service."""
    if not demand.weeks:
        return Quota(demand.key, demand.visits, reason=Reason.NO_FORECAST)
    if demand.visits == 0:
        return Quota(demand.key, 0, reason=Reason.NO_VISIT)
    open_weeks = [week for week in demand.weeks if week.visiting_days > 0]
    if not open_weeks:
        return Quota(demand.key, demand.visits, reason=Reason.NO_DAYS)
    peak = max(open_weeks, key=lambda week: (week.per_day(demand.visits), -week.week.toordinal()))
    per_day = peak.per_day(demand.visits)
    # At least one: a quota of 0 would close the service to bookings.
    from_demand = max(1, math.ceil(round(per_day, 6)))
    return Quota(demand.key, demand.visits, peak, per_day, from_demand, from_demand)


def group_quotas(demands: Sequence[ServiceDemand], capacity: int) -> GroupQuotas:
    """Every service of one group, capped together by what one day can take."""
    if capacity <= 0:
        quotas = [
            replace(quota, quota=None, reason=quota.reason or Reason.NO_HOURS)
            for quota in map(service_quota, demands)
        ]
        return GroupQuotas(0, 0, False, quotas)
    quotas = [service_quota(demand) for demand in demands]
    total = sum(quota.from_demand or 0 for quota in quotas)
    if total <= capacity:
        return GroupQuotas(capacity, total, False, quotas)
    scaled = [
        replace(quota, quota=max(1, quota.from_demand * capacity // total))
        if quota.from_demand is not None
        else quota
        for quota in quotas
    ]
    return GroupQuotas(capacity, total, True, scaled)
