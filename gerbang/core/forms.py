"""Helpers shared by every app's forms."""

from __future__ import annotations

from django import forms

from gerbang.core.exceptions import ApplicationError


def add_service_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's error on the field it names (or on the form), keeping the input."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
