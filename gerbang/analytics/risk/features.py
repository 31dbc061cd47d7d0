"""What the risk rules and the anomaly model read of a case: keyed hashes to compare people and
contacts across cases, and an explicit allowlist of numeric features.

The features describe how an application was made (how fast, when, from how new an account, how
many other people that account or that phone number applied for, the fee, documents replaced),
never who the person is. ``PROTECTED`` names what must never be a feature, nor be read to make
one: a test fails when a feature would, and fitting refuses it (``check_allowed``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from gerbang.applications.fields import mrz_name
from gerbang.applications.models import Application
from gerbang.core.crypto import blind_index
from gerbang.core.exceptions import ValidationError
from gerbang.core.formatting import in_zone
from gerbang.core.validators import normalize_phone

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gerbang.analytics.models import CaseFingerprint

# Windows over which cases are compared (around the case's submission).
PHONE_WINDOW = timedelta(days=90)
ACCOUNT_WINDOW = timedelta(days=365)

# Never a feature, never read to make one: attributes protected against discrimination and their
# proxies. The travel purpose is here because Hajj and umrah tell a religion; the address, postal
# code and the NIK's region code tell where someone comes from; names and the mother's name can
# tell an ethnicity; the preferred language, a nationality.
PROTECTED: frozenset[str] = frozenset(
    {
        "religion",
        "ethnicity",
        "race",
        "sex",
        "gender",
        "nationality",
        "citizenship",
        "country",
        "place_of_birth",
        "date_of_birth",
        "age",
        "full_name",
        "mother_name",
        "family_card",
        "address",
        "postal_code",
        "nik_region",
        "purpose",
        "marital_status",
        "disability",
        "health",
        "political_opinion",
        "language",
        "sponsor_name",
    }
)


class ProtectedAttributeError(ValueError):
    """A feature that is, or is made from, a protected attribute (or that is not allowlisted)."""


@dataclass(frozen=True)
class Feature:
    name: str
    label: str | Promise
    # How a value is written for people: minutes, hour, yesno, days, count, rupiah.
    unit: str
    # What it is computed from: the case's fields, the account's, other cases' keyed hashes.
    reads: tuple[str, ...]
    # The model reads log(1 + value): long tails (minutes, days, rupiah) would otherwise make
    # every short value look alike to the forest's uniform splits.
    log: bool = False


FEATURES: tuple[Feature, ...] = (
    Feature(
        "fill_minutes",
        _("Time from starting the application to submitting it"),
        "minutes",
        ("created_at", "submitted_at"),
        log=True,
    ),
    Feature("submit_hour", _("Hour of submission (office time)"), "hour", ("submitted_at", "office_zone")),
    Feature("weekend", _("Submitted on a weekend"), "yesno", ("submitted_at", "office_zone")),
    Feature(
        "account_age_days",
        _("Age of the applicant's account when submitting"),
        "days",
        ("account_created_at", "submitted_at"),
        log=True,
    ),
    Feature(
        "account_cases_365d",
        _("Applications from the same account in the year before"),
        "count",
        ("account_applications",),
    ),
    Feature(
        "account_subjects_365d",
        _("Different people applied for from the same account in a year"),
        "count",
        # Keyed hashes of NIK, name and birth date compared for equality only: a count of
        # different people, which says nothing about who they are.
        ("identity_hashes",),
    ),
    Feature("for_child", _("Applied for a child"), "yesno", ("for_child",)),
    Feature(
        "phone_accounts_90d",
        _("Other accounts that gave the same phone number (90 days)"),
        "count",
        ("phone_hash",),
    ),
    Feature("fee", _("Fee of the service"), "rupiah", ("fee",), log=True),
    Feature("replaced_documents", _("Documents replaced after submission"), "count", ("documents_replaced",)),
)
BY_NAME: dict[str, Feature] = {feature.name: feature for feature in FEATURES}


def check_allowed(names: Iterable[str]) -> list[Feature]:
    """The features named, refusing any that is not allowlisted or reads a protected attribute."""
    chosen = []
    for name in names:
        if name in PROTECTED:
            raise ProtectedAttributeError(f"{name!r} is a protected attribute and never a feature")
        feature = BY_NAME.get(name)
        if feature is None:
            raise ProtectedAttributeError(f"{name!r} is not an allowlisted feature")
        protected = set(feature.reads) & PROTECTED
        if protected:
            raise ProtectedAttributeError(f"{name!r} reads protected attributes: {sorted(protected)}")
        chosen.append(feature)
    return chosen


def model_input(feature: Feature, value: float) -> float:
    return math.log1p(max(0.0, value)) if feature.log else float(value)


# ----------------------------------------------------------------------- hashes for comparing


def folded_name(name: str) -> str:
    """A name as the passport's lines write it, its words sorted (Indonesian names have no fixed
    order): "Siti Rahmawati" and "RAHMAWATI, Siti" fold alike."""
    return " ".join(sorted(word for word in mrz_name(name or "").split("<") if word))


def mailbox(email: str) -> str:
    """The mailbox an address delivers to: lower case, without a +tag, and for Gmail without the
    dots it ignores (b.udi+1@gmail.com and budi@googlemail.com are one mailbox)."""
    local, _at, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return ""
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def _hash(value: str, purpose: str) -> str:
    return blind_index(value, purpose=purpose) if value else ""


def phone_hash(raw: str) -> str:
    try:
        phone = normalize_phone(str(raw or ""))
    except ValidationError:
        return ""  # a number that does not parse is compared with nothing
    return _hash(phone, "risk-phone")


@dataclass(frozen=True)
class Hashes:
    nik_index: str
    name_index: str
    birth_index: str
    phone_index: str
    mailbox_index: str


def hashes_of(application: Application) -> Hashes:
    from gerbang.applications.blind_indexes import subject_nik_index

    answers = application.answers or {}
    born = str(answers.get("date_of_birth", "") or "").strip()
    return Hashes(
        nik_index=subject_nik_index(answers),
        name_index=_hash(folded_name(str(answers.get("full_name", ""))), "risk-name"),
        birth_index=_hash(_normal_date(born), "risk-birth"),
        phone_index=phone_hash(str(answers.get("phone", ""))),
        mailbox_index=_hash(mailbox(application.applicant.email), "risk-mailbox"),
    )


def _normal_date(raw: str) -> str:
    """A typed date as digits day-month-year, whichever way it was written (17/08/1990, 1990-08-17)."""
    parts = [p for p in raw.replace("-", "/").replace(".", "/").split("/") if p]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return raw
    if len(parts[0]) == 4:
        parts = parts[::-1]
    return "-".join(str(int(p)) for p in parts)


# ------------------------------------------------------------------------------------ features


def features_of(application: Application, hashes: Hashes) -> dict[str, float]:
    """The allowlisted features of a submitted case, in raw units (``FEATURES``)."""
    from gerbang.analytics.models import CaseFingerprint

    submitted: datetime = application.submitted_at or application.created_at
    local = in_zone(submitted, application.office.time_zone)
    applicant = application.applicant
    year_before = submitted - ACCOUNT_WINDOW
    cases = (
        Application.objects.filter(
            applicant_id=applicant.pk, submitted_at__lt=submitted, submitted_at__gte=year_before
        )
        .exclude(pk=application.pk)
        .count()
    )
    people = {(hashes.name_index, hashes.birth_index)}
    people |= set(
        CaseFingerprint.objects.filter(
            applicant_id=applicant.pk,
            submitted_at__gte=year_before,
            submitted_at__lte=submitted + ACCOUNT_WINDOW,
        )
        .exclude(application_id=application.pk)
        .values_list("name_index", "birth_index")
    )
    phone_accounts = 0
    if hashes.phone_index:
        phone_accounts = (
            CaseFingerprint.objects.filter(
                phone_index=hashes.phone_index,
                submitted_at__gte=submitted - PHONE_WINDOW,
                submitted_at__lte=submitted + PHONE_WINDOW,
            )
            .exclude(applicant_id=applicant.pk)
            .values("applicant_id")
            .distinct()
            .count()
        )
    values: dict[str, Any] = {
        "fill_minutes": max(0.0, (submitted - application.created_at).total_seconds() / 60),
        "submit_hour": local.hour,
        "weekend": 1 if local.weekday() >= 5 else 0,
        "account_age_days": max(0.0, (submitted - applicant.date_joined).total_seconds() / 86400),
        "account_cases_365d": cases,
        "account_subjects_365d": len(people),
        "for_child": 1 if application.for_child else 0,
        "phone_accounts_90d": phone_accounts,
        "fee": application.fee or 0,
        "replaced_documents": application.documents.filter(is_current=False).count(),
    }
    return {feature.name: round(float(values[feature.name]), 3) for feature in FEATURES}


def fingerprint_values(application: Application) -> dict[str, Any]:
    """What a ``CaseFingerprint`` of ``application`` holds (hashes and features)."""
    hashes = hashes_of(application)
    return {
        "applicant_id": application.applicant_id,
        "submitted_at": application.submitted_at or application.created_at,
        "nik_index": hashes.nik_index,
        "name_index": hashes.name_index,
        "birth_index": hashes.birth_index,
        "phone_index": hashes.phone_index,
        "mailbox_index": hashes.mailbox_index,
        "features": features_of(application, hashes),
    }


def vector(fingerprint: CaseFingerprint | dict[str, float], names: Iterable[str]) -> list[float]:
    """The feature values of a fingerprint (or of a features dict) in ``names`` order, raw units."""
    values = fingerprint if isinstance(fingerprint, dict) else fingerprint.features
    return [float(values.get(name, 0.0)) for name in names]
