"""Forms that applicants fill say what to write when a field is left empty, never Django's
generic "This field is required."."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms

# The apps whose forms are held to it so far (accounts, catalog and the other back-office forms
# still use Django's generic message for some fields).
APPLICANT_FACING = ("applications", "feedback", "notifications", "payments")


def _forms() -> list[type[forms.Form]]:
    found = []
    for app in APPLICANT_FACING:
        try:
            module = importlib.import_module(f"gerbang.{app}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.Form) and cls.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("form_class", _forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_required_fields_say_what_to_write(form_class: type[forms.Form]) -> None:
    generic = str(forms.Field.default_error_messages["required"])
    generic_fields = [
        name
        for name, field in form_class.base_fields.items()
        if field.required
        and not isinstance(field.widget, forms.HiddenInput)
        and str(field.error_messages["required"]) == generic
    ]
    assert generic_fields == [], f"give these fields a message that says what to write: {generic_fields}"
