from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office


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
