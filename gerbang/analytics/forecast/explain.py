"""The forecast page's sentences: what the method is, how well it did, what it does not know,
and the arithmetic of each suggested quota, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gerbang.analytics.forecast import model, quotas
from gerbang.analytics.forecast.selectors import Group, Row
from gerbang.analytics.models import ForecastBaseline, ForecastMethod, ForecastRun, ForecastSeries
from gerbang.appointments.models import Weekday
from gerbang.core.formatting import day, number, percent

SEASON_LABELS = {
    "ramadan": gettext_lazy("Umrah before and in Ramadan"),
    "idulfitri": gettext_lazy("Idulfitri (mudik)"),
    "hajj": gettext_lazy("Hajj pilgrims' passports"),
    "school": gettext_lazy("school holidays"),
}


def _seasons(kinds: list[str]) -> str:
    return ", ".join(str(SEASON_LABELS.get(kind, kind)) for kind in kinds)


def method(series: ForecastSeries) -> str:
    weeks = series.history_weeks
    if series.method == ForecastMethod.NONE:
        return ngettext(
            "Not enough history to forecast: %(weeks)s complete week of figures, at least %(least)s needed.",
            "Not enough history to forecast: %(weeks)s complete weeks of figures, at least %(least)s needed.",
            weeks,
        ) % {"weeks": weeks, "least": model.MIN_WEEKS}
    if series.method == ForecastMethod.SMOOTHING:
        return _(
            "Short history (%(weeks)s weeks, fewer than %(least)s): the forecast is the recent applications per "
            "working day, smoothed (exponential smoothing, ETS), times each coming week's working days. "
            "Holidays count; seasons do not yet."
        ) % {"weeks": weeks, "least": model.MIN_REGRESSION_WEEKS}
    text = _(
        "A regression of the weekly applications on the calendar with AR(1) errors (SARIMAX), from %(weeks)s "
        "weeks of history: working days (holidays, collective leave and closures out)"
    ) % {"weeks": weeks}
    if series.seasons_used:
        text += _(", and the seasons %(seasons)s") % {"seasons": _seasons(series.seasons_used)}
    if weeks >= model.LONG_WEEKS:
        text += _(", a trend and the yearly cycle")
    return text + "."


def unseen(series: ForecastSeries) -> str | None:
    if not series.seasons_unseen:
        return None
    return _(
        "The coming weeks fall in seasons the history does not show (%(seasons)s): their effect is not in "
        "the forecast."
    ) % {"seasons": _seasons(series.seasons_unseen)}


def backtest(series: ForecastSeries) -> str | None:
    if series.model_mae is None or series.baseline_mae is None:
        return None
    baseline = ForecastBaseline(series.baseline).label if series.baseline else ""
    text = _(
        "Tested on the last %(weeks)s weeks, each forecast again from the weeks before it (%(pairs)s weekly "
        "forecasts up to %(horizon)s weeks ahead): off by %(model)s applications a week on average; the naive "
        "forecast, %(baseline)s, was off by %(naive)s."
    ) % {
        "weeks": series.backtest_weeks,
        "pairs": series.backtest_pairs,
        "horizon": model.HORIZON,
        "model": number(series.model_mae, 1),
        "baseline": baseline,
        "naive": number(series.baseline_mae, 1),
    }
    ratio = series.ratio
    if ratio is not None:
        if ratio < 1:
            text += " " + _("The forecast's error is %(share)s of the naive one's.") % {
                "share": percent(ratio)
            }
        else:
            text += " " + _(
                "The naive forecast did as well or better (the forecast's error is %(share)s of it): read the "
                "forecast with care."
            ) % {"share": percent(ratio)}
    if series.baseline == ForecastBaseline.LAST_WEEK:
        text += " " + _(
            "Less than a year of history before the weeks tested: the naive forecast is the last week known, "
            "not the same week a year before."
        )
    return text


def run_notes(run: ForecastRun) -> list[str]:
    notes = []
    last_day = run.first_week + timedelta(weeks=model.HORIZON) - timedelta(days=1)
    if run.holidays_known_until is None:
        notes.append(
            _(
                "The catalogue holds no national holidays: the weeks are forecast as if they had none. Enter "
                "the holidays and collective leave (SKB 3 Menteri)."
            )
        )
    elif run.holidays_known_until < last_day:
        notes.append(
            _(
                "The catalogue holds national holidays up to %(day)s only: later weeks are forecast as if "
                "they had none. Enter the coming year's holidays and collective leave (SKB 3 Menteri)."
            )
            % {"day": day(run.holidays_known_until)}
        )
    if not run.seasons_known:
        notes.append(
            _(
                "The table of seasons (Ramadan, Hajj, school holidays) does not reach every week forecast: "
                "extend it (docs/analytics.md)."
            )
        )
    return notes


def capacity(group: Group) -> str:
    fullest = group.capacity.fullest
    if fullest is None:
        return _("No visiting hours are set for this group: set them on the appointments page first.")
    text = ngettext(
        "%(weekday)s, the fullest day: %(places)s appointment place",
        "%(weekday)s, the fullest day: %(places)s appointment places",
        fullest.places,
    ) % {"weekday": Weekday(fullest.weekday).label, "places": fullest.places}
    if fullest.counter_visits is None:
        text += "; " + _("no counter is set for this group, so only the places count")
    else:
        source = (
            _("measured from the last tickets")
            if group.capacity.service_minutes_measured
            else _("the office's default")
        )
        text += "; " + _(
            "counters: %(counters)s × %(minutes)s minutes ÷ %(per)s minutes per visitor (%(source)s) = %(visits)s"  # noqa: RUF001 - the sign as written
        ) % {
            "counters": number(fullest.counters, 2),
            "minutes": fullest.visiting_minutes,
            "per": number(group.capacity.service_minutes, 2),
            "source": source,
            "visits": fullest.counter_visits,
        }
        if fullest.counters != int(fullest.counters):
            text += " " + _("(a counter that also serves other groups counts as its share of the day)")
    return text + ". " + _("At most %(visits)s visits a day.") % {"visits": group.capacity.per_day}


def quota(row: Row, group: Group) -> str:
    found = row.quota
    if found.reason == quotas.Reason.NO_FORECAST:
        return _("No forecast for this service yet (not enough history).")
    if found.reason == quotas.Reason.NO_VISIT:
        return _("This service needs no visit to the office.")
    if found.reason == quotas.Reason.NO_HOURS:
        return _("No visiting hours are set for this group.")
    if found.reason == quotas.Reason.NO_DAYS:
        return _("No day with visiting hours in the weeks bookable now.")
    peak, per_day = found.peak, found.per_day
    if peak is None or per_day is None:
        return ""
    text = _(
        "Busiest week bookable now, from %(week)s: up to %(upper)s applications × %(visits)s visits ÷ %(days)s "  # noqa: RUF001
        "days with visiting hours = %(per_day)s a day → %(quota)s."
    ) % {
        "week": day(peak.week),
        "upper": number(peak.upper, 2),
        "visits": found.visits,
        "days": peak.visiting_days,
        "per_day": number(per_day, 2),
        "quota": found.from_demand,
    }
    if group.quotas.capped:
        text += " " + _(
            "The group's services together ask %(demand)s a day, more than the %(capacity)s it can take: "
            "scaled down in proportion → %(quota)s."
        ) % {"demand": group.quotas.demand, "capacity": group.quotas.capacity, "quota": found.quota}
    return text
