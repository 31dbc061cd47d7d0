"""What the exchange holds about a person (UU PDP): the checks asked of partner agencies about
their applications, with what was asked and answered, and the keyed hash of a passport they
reported lost or replaced. Listed in the processing register; forgotten with the case's
personal data. The exchange log holds digests and signatures, not the data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core import data_subjects
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider
from gerbang.integrations.services import checks_forget_erased

ACTIVITIES = (
    Activity(
        key="integrations.partner_checks",
        name=_("Checks with partner agencies"),
        data=_(
            "Sent to the civil registry: the NIK, name, sex, date and place of birth and mother's name "
            "of the application; to the police: the name, date of birth and document number; to the "
            "foreign ministry: the sponsor's name. Kept: the answers (match or not per field, on a "
            "list or not with the listing's reference, the sponsor's standing), the officers' findings, "
            "and a keyed hash of a passport reported lost or replaced"
        ),
        purpose=_(
            "Verifying the applicant's identity and eligibility with the agencies that hold the "
            "records, instead of asking the applicant for more papers; answering the police whether a "
            "passport was reported lost or replaced"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 24/2013 Pasal 58 ayat (4); UU No. 6/2011 Pasal 26, 35, 39, 91-97",
        retention=_(
            "As long as the application's own personal data; then only the kind and outcome of each "
            "check are kept"
        ),
        recipients=_(
            "The civil registry (Dukcapil), the police (Polri) and the foreign ministry (Kemlu), each "
            "only what it is asked; officers of the office handling the application"
        ),
    ),
)


def _outcome(count: int) -> list[Outcome]:
    return [Outcome("integrations.partner_checks", _("Checks with partner agencies"), erased=count)]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    """After the applications erased the person's cases (they run first): forget them here too."""
    return _outcome(checks_forget_erased(applicant=person, dry_run=dry_run))


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    return _outcome(checks_forget_erased(dry_run=dry_run))


data_subjects.register(
    Provider(key="integrations", activities=ACTIVITIES, erase=erase, expire=expire, order=60)
)
