"""The Django admin for offices: a technical tool for superusers, and no way around the services.

An office's details are saved through ``office_upsert``, which checks the rights and records
the event. Its hours, closures and services are set in the back office (their services move
visiting hours and appointments with them), and an office is never deleted or switched off
here: nothing in the admin would move its appointments, cases and staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gerbang.catalog import services
from gerbang.catalog.models import Office

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
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["code", "name_id", "province", "regency", "time_zone", "is_active"]
    search_fields = ["code", "name_id", "name_en", "province", "regency"]
    fields = ["code", *UPSERT_FIELDS, "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Office | None = None) -> Any:
        return ["is_active"] if obj is None else ["code", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Office | None = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Office, form: Any, change: bool) -> None:
        saved = services.office_upsert(
            code=obj.code, **{name: form.cleaned_data[name] for name in UPSERT_FIELDS}, actor=request.user
        )
        # The admin's own change log and redirect need the saved row.
        obj.pk = saved.pk
