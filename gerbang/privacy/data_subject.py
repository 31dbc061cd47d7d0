"""What the data-protection app holds about a person (UU PDP): the requests they made about their
data (a copy, a correction, withdrawing a consent, erasure) with their answers, and the records of
the consents they gave and withdrew.

Erasure keeps both as they are: they are the authority's proof that it answered each request in
time and that each consent was given (Pasal 24) or withdrawn, and an erasure request is itself
one of them. After the erasure they point at the pseudonymised account, with no name, address or
identity number.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core import consents
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, int_ids, iso, register
from gerbang.privacy import selectors
from gerbang.privacy.forms import CONCERNS
from gerbang.privacy.models import Consent, Request

ACTIVITIES = (
    Activity(
        key="privacy.requests",
        name=_("Data-protection requests"),
        data=_(
            "The requests a person makes about their data (a copy, a correction, withdrawing a "
            "consent, erasure): when each was received and by when it must be answered, what the "
            "person wrote, the answer and when it was given"
        ),
        purpose=_(
            "Answering the rights of the person within their time limits, and showing that each was answered"
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 27/2022 Pasal 6, 7, 8, 9, 30, 32, 40, 43 and 44",
        retention=_(
            "Kept as the record that each request was answered; an erasure does not remove them: "
            "they stay, pointing at the pseudonymised account"
        ),
        recipients=_("The person; the authority's data-protection officer"),
    ),
    Activity(
        key="privacy.consents",
        name=_("Records of consents"),
        data=_(
            "Which consent the person gave, in which version of its text, when and how, and when it was withdrawn"
        ),
        purpose=_(
            "Showing the proof of each consent given, and stopping what it allowed once it is withdrawn"
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 27/2022 Pasal 22(1), 24 and 40 (consents under Pasal 20(2)a)",
        retention=_(
            "Kept as the proof of the consent and of its withdrawal; an erasure does not remove "
            "them: they stay, pointing at the pseudonymised account"
        ),
        recipients=_("The person; the authority's data-protection officer"),
    ),
)


def export(person: Any) -> list[Section]:
    concerns = dict(CONCERNS)
    purposes = consents.purposes()
    requests = [
        {
            "reference": request.reference,
            "kind": request.get_kind_display(),
            "concerns": str(concerns.get(request.concerns, request.concerns)) if request.concerns else "",
            "purpose": str(purposes[request.purpose].title)
            if request.purpose in purposes
            else request.purpose,
            "details": request.details,
            "received_at": iso(request.received_at),
            "due_at": iso(request.due_at),
            "answered_at": iso(request.answered_at),
            "status": request.get_status_display(),
            "answer": request.answer,
        }
        for request in selectors.requests_of(person).order_by("received_at", "id")
    ]
    records = [
        {
            "purpose": str(purposes[consent.purpose].title)
            if consent.purpose in purposes
            else consent.purpose,
            "version": consent.version,
            "given_at": iso(consent.given_at),
            "withdrawn_at": iso(consent.withdrawn_at),
        }
        for consent in selectors.consent_records_of(person)
    ]
    return [
        Section("privacy.requests", _("Your data-protection requests"), requests),
        Section("privacy.consents", _("Consents you gave"), records),
    ]


REQUESTS_KEPT = _(
    "Kept: they show that each of your requests was received and answered in time. They now "
    "point at the account without your name, address or identity numbers."
)
CONSENTS_KEPT = _(
    "Kept: they are the proof of the consents you gave and withdrew (UU No. 27/2022 Pasal 24). "
    "They now point at the account without your name, address or identity numbers."
)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    """Nothing is written, dry run or not: both are kept, and the account they point at is
    pseudonymised by the accounts app."""
    requests = selectors.requests_of(person).count()
    records = selectors.consent_records_of(person).count()
    return [
        Outcome(
            "privacy.requests",
            _("Your data-protection requests"),
            kept=requests,
            reason=REQUESTS_KEPT if requests else "",
        ),
        Outcome(
            "privacy.consents",
            _("Consents you gave"),
            kept=records,
            reason=CONSENTS_KEPT if records else "",
        ),
    ]


def _request_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Request.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "person_id")
    return {str(pk): person_id for pk, person_id in rows}


def _consent_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Consent.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "person_id")
    return {str(pk): person_id for pk, person_id in rows}


register(
    Provider(
        key="privacy",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        owners={"privacy.request": _request_owners, "privacy.consent": _consent_owners},
    )
)
