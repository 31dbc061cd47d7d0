from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office
from gerbang.core.formatting import money_text
from gerbang.core.forms import DateInput, RupiahField


class OfficeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, province or regency"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)


def hours_by_weekday(office: Office) -> list[tuple[Any, list[Any]]]:
    """Monday to Sunday, each with its opening periods (empty: closed)."""
    periods: dict[int, list[Any]] = {day: [] for day in range(7)}
    for period in office.opening_hours.all():
        periods[period.weekday].append(period)
    return [(WEEKDAYS[day], periods[day]) for day in range(7)]


class ClosureForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until"), widget=DateInput())
    reason_id = forms.CharField(label=_("Reason (Indonesian)"), max_length=200, required=False)
    reason_en = forms.CharField(label=_("Reason (English)"), max_length=200, required=False)
    bookings = forms.TypedChoiceField(
        label=_("Appointments on these days"),
        choices=[
            ("move", _("Move each to the earliest free time after the closure")),
            ("cancel", _("Cancel them")),
        ],
        coerce=lambda value: value == "move",
        initial="move",
        widget=forms.RadioSelect,
        help_text=_("Every applicant concerned is told, with the reason."),
    )


class AvailabilityForm(forms.Form):
    service = forms.SlugField(widget=forms.HiddenInput)
    is_available = forms.TypedChoiceField(
        label=_("Can the office offer it now?"),
        choices=[("1", _("Yes")), ("0", _("No, not for now"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    unavailable_reason_id = forms.CharField(label=_("Why not (Indonesian)"), max_length=300, required=False)
    unavailable_reason_en = forms.CharField(label=_("Why not (English)"), max_length=300, required=False)
    unavailable_until = forms.DateField(label=_("Expected back"), required=False, widget=DateInput())


class TermsForm(forms.Form):
    effective_from = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    fee = RupiahField(
        label=_("Fee (rupiah)"),
        min_value=0,
        help_text=money_text(_("Whole rupiah, for example %(example)s."), example=350_000),
    )
    standard_working_days = forms.IntegerField(
        label=_("Service standard (working days)"), min_value=0, max_value=365
    )
    payment_deadline_hours = forms.IntegerField(
        label=_("Payment deadline (hours)"), min_value=1, max_value=720, initial=2
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)


class HoursForm(forms.Form):
    """A week of opening hours: each day up to two periods (a break between them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        after_break = _("after the break")
        for day, name in WEEKDAYS.items():
            for part in (1, 2):
                for edge, label in (("opens", _("opens")), ("closes", _("closes"))):
                    self.fields[f"d{day}_{edge}{part}"] = forms.TimeField(
                        label=f"{name} {label}" + (f" ({after_break})" if part == 2 else ""),
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    )

    @staticmethod
    def initial_for(office: Office) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for day, periods in enumerate(hours_by_weekday(office)):
            for part, period in enumerate(periods[1][:2], start=1):
                initial[f"d{day}_opens{part}"] = period.opens
                initial[f"d{day}_closes{part}"] = period.closes
        return initial

    def periods(self) -> list[tuple[int, Any, Any]]:
        periods = []
        for day in range(7):
            for part in (1, 2):
                opens = self.cleaned_data.get(f"d{day}_opens{part}")
                closes = self.cleaned_data.get(f"d{day}_closes{part}")
                if (opens is None) != (closes is None):
                    self.add_error(
                        f"d{day}_closes{part}", _("Give both the opening and the closing time, or neither.")
                    )
                elif opens is not None:
                    periods.append((day, opens, closes))
        return periods

    def days(self) -> list[tuple[str, list[Any]]]:
        """Fields grouped per weekday, for a compact table in the template."""
        return [
            (
                str(name),
                [self[f"d{day}_{edge}{part}"] for part in (1, 2) for edge in ("opens", "closes")],
            )
            for day, name in WEEKDAYS.items()
        ]
