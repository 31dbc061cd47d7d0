"""What the risk flags hold about a person (UU PDP): keyed hashes to compare cases, the numbers
of how an application was made, the flags with their reasons, and officers' decisions. Listed in
the processing register; forgotten with the case's personal data (its fingerprint deleted, its
flags' details and the decisions' notes erased). The person's copy of their data does not list
the flags: whether it should (UU PDP's exceptions for law enforcement) is the data-protection
officer's decision (docs/analytics.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.analytics.models import RiskFlag
from gerbang.analytics.risk import services
from gerbang.applications.services.erasure import PRIVACY, RETENTION
from gerbang.core import data_subjects
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider

ACTIVITIES = (
    Activity(
        key="analytics.risk_flags",
        name=_("Risk flags on applications"),
        data=_(
            "Keyed hashes of the NIK, name, date of birth and phone number of each application and of "
            "the account's email address; how the application was made (time taken, hour, account age, "
            "applications from the account, documents replaced); sign-ins (network address and "
            "browser) compared between accounts; the flags raised with their reasons, and the "
            "officers' decisions on them with their words"
        ),
        purpose=_(
            "Pointing officers at applications that deserve a second look (identity fraud, brokers, "
            "documents used for several people). A flag decides nothing; religion, ethnicity, sex, "
            "nationality, age and where someone comes from are never used"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 6/2011 (Keimigrasian); UU No. 27/2022 (Pelindungan Data Pribadi), Pasal 10",
        retention=_(
            "As long as the application's own personal data; then the hashes are deleted and the flags "
            "keep only their kind and status"
        ),
        recipients=_("Officers and supervisors of the office handling the application"),
    ),
)


def _outcome(count: int) -> list[Outcome]:
    return [Outcome("analytics.risk_flags", _("Risk flags and what they compared"), erased=count)]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    """After the applications erased the person's cases (they run first): forget them here too."""
    if dry_run:
        return _outcome(services.risk_erased_pending(applicant=person))
    return _outcome(services.risk_forget_erased(actor=PRIVACY, applicant=person))


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        return _outcome(services.risk_erased_pending())
    return _outcome(services.risk_forget_erased(actor=RETENTION))


def _flag_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = RiskFlag.objects.filter(pk__in=data_subjects.int_ids(subject_ids)).values_list(
        "pk", "application__applicant_id"
    )
    return {str(pk): owner for pk, owner in rows}


data_subjects.register(
    Provider(
        key="analytics",
        activities=ACTIVITIES,
        erase=erase,
        expire=expire,
        owners={RiskFlag._meta.label_lower: _flag_owners},
        # After the applications (50), whose erasure this follows.
        order=60,
    )
)
