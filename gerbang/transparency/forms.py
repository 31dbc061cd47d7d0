"""The statistics' filters: an office (or all), a service (or all) and how many months."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office, Service
from gerbang.transparency.selectors import DEFAULT_PERIOD, PERIODS


class StatisticsFilter(forms.Form):
    kantor = forms.ChoiceField(label=_("Office"), required=False)
    layanan = forms.ChoiceField(label=_("Service"), required=False)
    periode = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get("periode"):
            data = data.copy()  # the period shown is the one used: a year unless another is chosen
            data["periode"] = str(DEFAULT_PERIOD)
        super().__init__(data, *args, **kwargs)
        self.fields["periode"].initial = DEFAULT_PERIOD
        # In the reader's language: made for each form, not once when the module is imported.
        cast(forms.ChoiceField, self.fields["periode"]).choices = [
            (n, _("Last %(n)d months") % {"n": n}) for n in PERIODS
        ]
        offices = Office.objects.public().order_by("name_id")
        services = Service.objects.filter(is_active=True).order_by("category", "order", "code")
        self.offices = {office.code: office for office in offices}
        self.services = {service.code: service for service in services}
        cast(forms.ChoiceField, self.fields["kantor"]).choices = [("", _("All offices (national)"))] + [
            (office.code, office.name) for office in offices
        ]
        cast(forms.ChoiceField, self.fields["layanan"]).choices = [("", _("All services"))] + [
            (service.code, service.name) for service in services
        ]

    def choice(self) -> tuple[Office | None, Service | None, int]:
        """What to show: the valid choices, the national figure of all services over a year
        where a choice is missing or wrong (the form then says what was wrong)."""
        if self.is_bound and not self.is_valid():  # the valid choices stay in cleaned_data
            # The boxes show what is used instead of a wrong choice; the errors stay said.
            shown = cast(QueryDict, self.data).copy()
            for name in self.errors:
                shown[name] = str(DEFAULT_PERIOD) if name == "periode" else ""
            self.data = shown
        data = getattr(self, "cleaned_data", {})
        return (
            self.offices.get(data.get("kantor") or ""),
            self.services.get(data.get("layanan") or ""),
            data.get("periode") or DEFAULT_PERIOD,
        )
