"""The Django admin for accounts: a technical tool for superusers, and no way around the services.

Accounts are created by registration, by the back office (staff, through ``staff_create``) or
by provisioning, never here; nor are they deleted (they are the subjects of audit events: an
account is deactivated instead). What the back office does not offer yet, changing the role,
the active flag and the offices of an existing account, is saved here through
``account_access_set``, which checks the rules and records the event.

The libraries' own admins for what belongs to accounts are shown read-only: two-factor devices
(set up, confirmed and removed by their owner through the services, which record each step;
their secrets are never shown, see ``OTP_ADMIN_HIDE_SENSITIVE_DATA``) and django-axes' records
of sign-in attempts (evidence, locking nobody out here, so deleting one would only erase it).
"""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import services
from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error


class UserAccessForm(forms.ModelForm[User]):
    offices = forms.ModelMultipleChoiceField(
        queryset=Office.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The administrator making the change; set by ``UserAdmin.get_form``.
    actor: User

    class Meta:
        model = User
        fields = ["role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["offices"].initial = list(
                self.instance.office_memberships.values_list("office_id", flat=True)
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors:
            try:
                services.account_access_check(
                    user=User.objects.get(pk=self.instance.pk),
                    role=data["role"],
                    is_active=data["is_active"],
                    office_ids=[office.pk for office in data["offices"]],
                    actor=self.actor,
                )
            except ApplicationError as exc:
                add_service_error(self, exc)
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    form = UserAccessForm
    list_display = ["email", "full_name", "role", "is_active", "email_verified_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    fields = [
        "email",
        "full_name",
        "role",
        "is_active",
        "offices",
        "email_verified_at",
        "last_login",
        "date_joined",
        "created_by",
    ]
    readonly_fields = ["email", "full_name", "email_verified_at", "last_login", "date_joined", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False

    def get_form(self, request: Any, obj: User | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        services.account_access_set(
            user=obj,
            role=form.cleaned_data["role"],
            is_active=form.cleaned_data["is_active"],
            office_ids=[office.pk for office in form.cleaned_data["offices"]],
            actor=request.user,
        )

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The offices were saved by the service in ``save_model``; nothing else is related."""


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Look, never write: neither add, change nor delete, and no bulk actions."""

    actions = ()

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


for _model, _library_admin in [
    (TOTPDevice, TOTPDeviceAdmin),
    (StaticDevice, StaticDeviceAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if not admin.site.is_registered(_model):
        continue  # AXES_ENABLE_ADMIN off
    admin.site.unregister(_model)
    admin.site.register(_model, type(_library_admin.__name__, (ReadOnlyAdmin, _library_admin), {}))
