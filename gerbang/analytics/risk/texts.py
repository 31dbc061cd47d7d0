"""Risk flags' reasons in words, in the reader's language: each reason is a message code and its
numbers (``rules``); the sentence is made when it is shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import time
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerbang.analytics.risk.features import BY_NAME
from gerbang.core import formatting


def _n(params: Mapping[str, Any]) -> int:
    return int(params["count"])


def _phone(params: Mapping[str, Any]) -> str:
    return _(
        "The phone number given here was also given in %(applications)d applications by %(accounts)d other accounts within %(days)d days."
    ) % {
        "applications": int(params["applications"]),
        "accounts": int(params["accounts"]),
        "days": int(params["days"]),
    }


def _mailbox(params: Mapping[str, Any]) -> str:
    return ngettext(
        "The account's email address reaches the same mailbox as %(accounts)d other account that applied (the same address written with dots or a +tag).",
        "The account's email address reaches the same mailbox as %(accounts)d other accounts that applied (the same address written with dots or a +tag).",
        int(params["accounts"]),
    ) % {"accounts": int(params["accounts"])}


def _people(params: Mapping[str, Any]) -> str:
    return _("This account applied for %(people)d different people within a year.") % {
        "people": int(params["people"])
    }


def _device(params: Mapping[str, Any]) -> str:
    return _(
        "%(accounts)d other accounts that applied signed in from the same browser and network address within %(days)d days."
    ) % {"accounts": int(params["accounts"]), "days": int(params["days"])}


def _score(params: Mapping[str, Any]) -> str:
    share, training = float(params["share"]), int(params["training"])
    if share >= 100:
        return _(
            "The anomaly model finds this application more unusual than every one of the %(training)d recent applications it learnt from."
        ) % {"training": training}
    # Whole percents: the model's score is a ranking among a few hundred, not a measurement.
    return _(
        "The anomaly model finds this application more unusual than %(share)s of the %(training)d recent applications it learnt from."
    ) % {"share": formatting.percent(min(share, 99.0) / 100, 0), "training": training}


def value_text(feature_name: str, value: float) -> str:
    """A feature's value as people write it."""
    feature = BY_NAME.get(feature_name)
    unit = feature.unit if feature else "count"
    if unit == "minutes":
        if value < 90:
            minutes = round(value)
            return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        if value < 48 * 60:
            hours = round(value / 60)
            return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        days = round(value / 1440)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if unit == "hour":
        return formatting.clock(time(int(value) % 24, 0))
    if unit == "yesno":
        return _("yes") if value >= 0.5 else _("no")
    if unit == "days":
        if value < 1:
            return _("less than a day")
        days = round(value)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if unit == "rupiah":
        return formatting.rupiah(round(value))
    return formatting.number(value, 0)


def feature_label(feature_name: str) -> str:
    feature = BY_NAME.get(feature_name)
    return str(feature.label) if feature else feature_name


def _features(params: Mapping[str, Any]) -> str:
    names, values, typical = list(params["features"]), list(params["values"]), list(params["typical"])
    parts = [
        {
            "feature": feature_label(name),
            "value": value_text(name, float(value)),
            "typical": value_text(name, float(usual)),
        }
        for name, value, usual in zip(names, values, typical, strict=True)
    ]
    if len(parts) == 1:
        return _("%(feature)s: %(value)s (usually %(typical)s).") % parts[0]
    return _(
        "The combination of “%(first)s: %(first_value)s” (usually %(first_typical)s) and “%(second)s: %(second_value)s” (usually %(second_typical)s)."
    ) % {
        "first": parts[0]["feature"],
        "first_value": parts[0]["value"],
        "first_typical": parts[0]["typical"],
        "second": parts[1]["feature"],
        "second_value": parts[1]["value"],
        "second_typical": parts[1]["typical"],
    }


def _fixed(text: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda _params: text


def _sentences() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    """Built per call, so each sentence is in the active language."""
    return {
        "nik.other_name": lambda p: (
            ngettext(
                "The same NIK is in %(count)d other application under another name.",
                "The same NIK is in %(count)d other applications under another name.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "nik.other_birth_date": lambda p: (
            ngettext(
                "The same NIK is in %(count)d other application with another date of birth.",
                "The same NIK is in %(count)d other applications with another date of birth.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "nik.other_name_and_birth_date": lambda p: (
            ngettext(
                "The same NIK is in %(count)d other application under another name and date of birth.",
                "The same NIK is in %(count)d other applications under another name and date of birth.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "nik.account_other_name": lambda p: (
            ngettext(
                "The NIK is registered to %(count)d other account holder under another name.",
                "The NIK is registered to %(count)d other account holders under another name.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "image.photo": lambda p: (
            ngettext(
                "The same photo is in %(count)d application about another person.",
                "The same photo is in %(count)d applications about other people.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "image.document": lambda p: (
            ngettext(
                "A personal document (identity card, birth certificate, passport) identical to one in %(count)d application of another account, about another person.",
                "A personal document (identity card, birth certificate, passport) identical to ones in %(count)d applications of other accounts, about other people.",
                _n(p),
            )
            % {"count": _n(p)}
        ),
        "face.same": lambda p: (
            ngettext(
                "The face in the photo is the face in %(count)d application about another person (distance %(distance)s).",
                "The face in the photo is the face in %(count)d applications about other people (nearest distance %(distance)s).",
                _n(p),
            )
            % {"count": _n(p), "distance": formats.number_format(float(p.get("distance") or 0), 2)}
        ),
        "contact.phone": _phone,
        "contact.mailbox": _mailbox,
        "contact.account_people": _people,
        "contact.device": _device,
        "nik.invalid": _fixed(_("The NIK has a region code or birth date that does not exist.")),
        "nik.sex": _fixed(
            _("Digits 7-8 of the NIK mark the other sex than the one answered (for women the day plus 40).")
        ),
        "nik.birth_date": _fixed(
            _("The birth date in the NIK (digits 7-12) is not the date of birth answered.")
        ),
        "profile.nik": _fixed(
            _("The applicant applies for themselves, but the NIK answered is not the NIK of their account.")
        ),
        "profile.birth_date": _fixed(
            _(
                "The applicant applies for themselves, but the date of birth answered is not the one of their account."
            )
        ),
        "mrz.invalid": _fixed(
            _("The passport's machine-readable lines are not valid (a check digit or the format fails).")
        ),
        "mrz.birth_date": _fixed(_("The date of birth in the passport lines is not the one answered.")),
        "mrz.nik_birth_date": _fixed(_("The date of birth in the passport lines is not the one in the NIK.")),
        "mrz.sex": _fixed(_("The sex in the passport lines is not the one answered.")),
        "mrz.name": _fixed(_("The name in the passport lines is not the name answered.")),
        "mrz.number": _fixed(_("The passport number in the lines is not the one answered.")),
        "mrz.nationality": _fixed(_("The nationality in the passport lines is not the one answered.")),
        "mrz.expiry": _fixed(_("The expiry date in the passport lines is not the one answered.")),
        "anomaly.score": _score,
        "anomaly.features": _features,
    }


def describe(reason: Mapping[str, Any]) -> str:
    """One reason as a sentence in the active language."""
    sentence = _sentences().get(str(reason.get("code", "")))
    if sentence is None:
        return _("A reason this version does not know (%(code)s).") % {"code": reason.get("code", "")}
    try:
        return sentence(reason.get("params") or {})
    except (KeyError, TypeError, ValueError):
        # The numbers were erased with the case's personal data (``services.risk_forget_erased``).
        return _("A reason whose details were erased with the case's personal data.")


def known_codes() -> frozenset[str]:
    return frozenset(_sentences())
