"""Checking the answers of an application form against its spec (``formspec``).

Answers are kept as typed; checking produces the cleaned values and, for each field that is
wrong, a message saying what to fix. Nothing here writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from gerbang.applications import fields as checks
from gerbang.applications.formspec import ADULT_AGE, Field, FormSpec
from gerbang.applications.mrz import MrzError, parse_td3
from gerbang.core.exceptions import ValidationError
from gerbang.core.validators import normalize_phone, validate_family_card, validate_nik

# A foreigner's passport must stay valid this many months after applying.
PASSPORT_VALIDITY_MONTHS = 6


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def is_shown(spec_field: Field, answers: dict[str, Any]) -> bool:
    if spec_field.show_if is None:
        return True
    other, values = spec_field.show_if
    return str(answers.get(other, "")) in values


def _clean_one(spec_field: Field, raw: str, *, today: date) -> Any:
    name, kind = spec_field.name, spec_field.kind
    if len(raw) > spec_field.max_length and kind in {"text", "textarea"}:
        raise ValidationError(
            _("Use at most %(count)s characters.") % {"count": spec_field.max_length}, field=name
        )
    if kind == "name":
        return checks.clean_name(raw, field=name)
    if kind == "date_past":
        return checks.clean_date(raw, field=name, past=True, today=today)
    if kind == "date_future":
        return checks.clean_date(raw, field=name, future=True, today=today)
    if kind == "phone":
        return normalize_phone(raw, field=name)
    if kind == "postal_code":
        return checks.clean_postal_code(raw, field=name)
    if kind == "passport_number":
        return checks.clean_document_number(raw, field=name)
    if kind == "nik":
        return validate_nik(raw, field=name)
    if kind == "family_card":
        return validate_family_card(raw, field=name)
    if kind == "reference":
        return checks.clean_reference(raw, field=name, max_length=spec_field.max_length)
    if kind == "choice":
        if raw not in {value for value, _label in spec_field.choices}:
            raise ValidationError(_("Choose one of the options."), field=name)
        return raw
    if kind == "country":
        code = raw.strip().upper()
        if code not in countries:
            raise ValidationError(_("Choose a country from the list."), field=name)
        return code
    if kind == "mrz":
        try:
            return parse_td3(raw)
        except MrzError as error:
            raise ValidationError(error.message, field=name) from None
    return raw.strip()


def check_answers(
    spec: FormSpec,
    answers: dict[str, Any],
    *,
    today: date,
    for_child: bool,
    only: set[str] | None = None,
) -> Checked:
    """Check every shown field (or only the named ones), then the rules between fields."""
    result = Checked()
    for spec_field in spec.field_map().values():
        if not is_shown(spec_field, answers):
            continue
        raw = str(answers.get(spec_field.name, "") or "").strip()
        if not raw:
            if spec_field.required:
                result.errors[spec_field.name] = _("This answer is needed.")
            continue
        try:
            result.values[spec_field.name] = _clean_one(spec_field, raw, today=today)
        except ValidationError as error:
            result.errors[spec_field.name] = str(error.message)
    _check_across(spec, result, today=today, for_child=for_child)
    if only is not None:
        result.errors = {name: message for name, message in result.errors.items() if name in only}
    return result


def _check_across(spec: FormSpec, result: Checked, *, today: date, for_child: bool) -> None:
    values, errors = result.values, result.errors
    born: date | None = values.get("date_of_birth")
    if born is not None:
        age = checks.age_on(born, today)
        if for_child and age >= ADULT_AGE:
            errors["date_of_birth"] = _(
                "An application for a child is for children under %(age)s; from %(age)s on, the person applies from their own account."
            ) % {"age": ADULT_AGE}
        elif not for_child and age < ADULT_AGE:
            errors["date_of_birth"] = _(
                "Applicants under %(age)s cannot apply themselves: a parent applies for them from the parent's account (choose “for my child”)."
            ) % {"age": ADULT_AGE}
    if "nik" in values and "nik" not in errors:
        try:
            validate_nik(values["nik"], field="nik", date_of_birth=born, sex=values.get("sex", ""))
        except ValidationError as error:
            errors["nik"] = str(error.message)
    expiry: date | None = values.get("passport_expiry")
    if expiry is not None and spec.key == "foreigner":
        months = (expiry.year - today.year) * 12 + expiry.month - today.month - (expiry.day < today.day)
        if months < PASSPORT_VALIDITY_MONTHS:
            errors["passport_expiry"] = _(
                "The passport must be valid for at least %(months)s more months; renew it first."
            ) % {"months": PASSPORT_VALIDITY_MONTHS}
    mrz = values.get("mrz")
    if mrz is not None and "mrz" not in errors:
        mismatches = mrz_mismatches(mrz, values, citizen=spec.key.startswith("passport"))
        if mismatches:
            errors["mrz"] = " ".join(mismatches)


def mrz_mismatches(mrz: Any, values: dict[str, Any], *, citizen: bool) -> list[str]:
    """Where the machine-readable lines disagree with the form: one sentence per difference."""
    problems: list[str] = []
    number = values.get("passport_number") or values.get("old_passport_number")
    if number and number != mrz.document_number:
        problems.append(
            _("The passport number in the lines (%(mrz)s) differs from the one entered (%(form)s).")
            % {"mrz": mrz.document_number, "form": number}
        )
    born: date | None = values.get("date_of_birth")
    if born is not None and born.strftime("%y%m%d") != mrz.birth_date:
        problems.append(_("The date of birth in the lines differs from the one entered."))
    sex = values.get("sex")
    if sex and mrz.sex in {"M", "F"} and sex != mrz.sex:
        problems.append(_("The sex in the lines differs from the one entered."))
    name = values.get("full_name")
    if name and not mrz.name_matches(checks.mrz_name(name)):
        problems.append(
            _("The name in the lines (%(mrz)s) differs from the name entered.") % {"mrz": mrz.display_name}
        )
    nationality = "IDN" if citizen else countries.alpha3(values.get("nationality", "")) or ""
    if nationality and mrz.nationality != nationality:
        problems.append(
            _("The nationality in the lines (%(mrz)s) differs from the one entered (%(form)s).")
            % {"mrz": mrz.nationality, "form": nationality}
        )
    expiry: date | None = values.get("passport_expiry")
    if expiry is not None and expiry.strftime("%y%m%d") != mrz.expiry_date:
        problems.append(_("The expiry date in the lines differs from the one entered."))
    return problems
