"""Helpers shared by every app's forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

from gerbang.core.exceptions import ApplicationError
from gerbang.core.formatting import money_text

# What a date typed as day/month/year looks like, in the reader's language ("HH/BB/TTTT").
DATE_PLACEHOLDER = _("DD/MM/YYYY")


def add_service_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's error on the field it names (or on the form), keeping the input."""
    for error in (exc, *getattr(exc, "others", ())):
        field = error.field if error.field in form.fields else None
        if field is None or field not in form.errors:
            form.add_error(field, str(error.message))


def carry_out(request: HttpRequest, action: Callable[[], object], done: str | Promise) -> bool:
    """A button's service call (a POST that changes one thing, then returns to its page): the
    service's refusal becomes the page's error message, success says ``done``. Whether it was
    done."""
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, str(done))
    return True


@dataclass(frozen=True)
class Problem:
    """One thing a refused form must fix, for the summary at the top of a long page: what is
    wrong and a link to where it is (a field's id, or the form's anchor)."""

    message: str
    target: str


@dataclass(frozen=True)
class Refusal:
    """Why a form on a long page was refused. The page is rendered again with the refusal in
    three places: in the form itself (next to its button, or at the field it names), in a summary
    at the top of the page (``includes/error_summary.html``) that links to it, and in the address:
    the form posts to ``…#<anchor>``, so the browser opens the answer at the form, where the
    person was looking."""

    anchor: str
    problems: tuple[Problem, ...]
    # The messages shown in the form itself, next to its button (none when every problem is
    # shown at a field of the form).
    in_form: tuple[str, ...] = ()


def refusal_of(
    anchor: str, *, form: forms.BaseForm | None = None, exc: ApplicationError | None = None
) -> Refusal:
    """The refusal of the form at ``anchor``: a service's error (on the field it names, or on the
    form) and the form's own errors. A form without fields of its own (one button) keeps the
    service's message in ``in_form``."""
    in_form: list[str] = []
    if exc is not None:
        if form is not None:
            add_service_error(form, exc)
        else:
            in_form.append(str(exc.message))
    problems = [Problem(message, anchor) for message in in_form]
    if form is not None:
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                problems.extend(Problem(str(e), anchor) for e in errors)
                continue
            bound = form[name]
            problems.extend(Problem(f"{bound.label}: {e}", bound.auto_id or anchor) for e in errors)
    return Refusal(anchor=anchor, problems=tuple(problems), in_form=tuple(in_form))


class RupiahField(forms.IntegerField):
    """Whole rupiah, written as people write it: "350000", "350.000", "Rp 1.000.000" or
    "350,000" all mean the same amount. (Django's IntegerField would read "350.000" as 350.)"""

    default_error_messages = {
        "invalid": money_text(
            _("Write the amount in whole rupiah, for example %(example)s."), example=350_000
        )
    }

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = re.sub(r"(?i)^\s*rp\.?\s*", "", str(value)).replace(" ", "")
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"[.,]", "", text))


class DateInput(forms.DateInput):
    """A browser date field. Its value must be ISO (YYYY-MM-DD): a browser silently drops any
    other format, so an initial date in the local format would vanish from the form."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def optional_days(first_label: StrPromise, last_label: StrPromise) -> tuple[forms.DateField, forms.DateField]:
    """Two optional days bounding a filter (from, until); ``check_days`` tells when they are
    the wrong way round."""

    def day(label: StrPromise, invalid: StrPromise) -> forms.DateField:
        return forms.DateField(
            label=label, required=False, widget=DateInput(), error_messages={"invalid": invalid}
        )

    return (
        day(first_label, _("Enter the first day as a date, e.g. 2026-12-01.")),
        day(last_label, _("Enter the last day as a date, e.g. 2026-12-07.")),
    )


def check_days(form: forms.Form, first: str, last: str) -> None:
    """In a form's ``clean``: the last day of a pair from ``optional_days`` must not come first."""
    data = form.cleaned_data
    if data.get(first) and data.get(last) and data[first] > data[last]:
        form.add_error(last, _("The last day comes before the first."))
