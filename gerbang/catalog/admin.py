"""The Django admin for offices: a technical tool for superusers, and no way around the services.

An office's details are saved through ``office_upsert``, which checks the rights and records
the event; the form asks ``office_upsert_check`` first, so what the service would refuse is shown
on the form with everything entered kept. Its hours, closures and services are set in the back office (their services move
visiting hours and appointments with them), and an office is never deleted or switched off
here: nothing in the admin would move its appointments, cases and staff.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from gerbang.catalog import services
from gerbang.catalog.models import Office
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error

# Office fields that ``office_upsert`` takes (all but the code, the key it is found by).
UPSERT_FIELDS = (
    "name_id",
    "name_en",
    "office_class",
    "province",
    "regency",
    "address",
    "phone",
    "email",
    "latitude",
    "longitude",
    "time_zone",
    "area_codes",
)


class OfficeForm(forms.ModelForm[Office]):
    # The administrator making the change; set by ``OfficeAdmin.get_form``.
    actor: Any

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = self.instance.code if self.instance.pk else data.get("code")
        # Checked beside the form's own errors, so that every problem is shown at once.
        if code:
            try:
                services.office_upsert_check(
                    code=code,
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    area_codes=data.get("area_codes") or "",
                    actor=self.actor,
                )
            except ApplicationError as exc:
                add_service_error(self, exc)
        return data


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    form = OfficeForm
    list_display = ["code", "name_id", "province", "regency", "time_zone", "is_active"]
    search_fields = ["code", "name_id", "name_en", "province", "regency"]
    fields = ["code", *UPSERT_FIELDS, "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Office | None = None) -> Any:
        return ["is_active"] if obj is None else ["code", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Office | None = None) -> bool:
        return False

    def get_form(self, request: Any, obj: Office | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: Any, obj: Office, form: Any, change: bool) -> None:
        saved = services.office_upsert(
            code=obj.code, **{name: form.cleaned_data[name] for name in UPSERT_FIELDS}, actor=request.user
        )
        # The admin's own change log and redirect need the saved row.
        obj.pk = saved.pk
