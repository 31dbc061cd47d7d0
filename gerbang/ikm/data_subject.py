"""What the IKM holds about a person (UU PDP): their answers to the satisfaction survey.

A response keeps no person and no invitation, only a keyed hash of the invitation's id, so
nobody reading the table, an export or the API can tell whose it is. The authority holds the
key, though: from a person's invitations it can find their answers. To it they are pseudonymous
data, not anonymous, so they are exported to the person and, on erasure, unlinked for good (the
hash replaced by a random value); the figures they are counted in do not change. Erasure runs
before the satisfaction app's, which unlinks the invitations the answers are found through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, register
from gerbang.ikm import selectors, services
from gerbang.ikm.questionnaire import ELEMENTS, AgeBand, Education, Occupation, Sex

ACTIVITIES = (
    Activity(
        key="ikm.responses",
        name=_("Community satisfaction survey (IKM)"),
        data=_(
            "The answers to the nine elements of the survey, age band, sex, education and "
            "occupation, the office, service and month served; no name and no link to the "
            "invitation but a keyed hash"
        ),
        purpose=_("Measuring the community satisfaction index of each office and service, and publishing it"),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 25/2009 (Pelayanan Publik); Permenpan RB No. 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat)",
        retention=_(
            "Kept for the published figures; on erasure unlinked for good, so that nobody can find "
            "them from the person"
        ),
        recipients=_("Nobody sees a single response: the public and staff see the figures"),
    ),
)


def export(person: Any) -> list[Section]:
    rows = []
    for response in (
        selectors.responses_of(person).select_related("office", "service").order_by("served_month", "pk")
    ):
        rows.append(
            {
                "office": str(response.office.name) if response.office else "",
                "service": str(response.service.name) if response.service else "",
                "served_month": response.served_month.isoformat(),
                "answers": {
                    element.code: {
                        "element": str(element.name),
                        "score": getattr(response, element.field),
                        "answer": str(element.answers[getattr(response, element.field) - 1]),
                    }
                    for element in ELEMENTS
                },
                "age_band": str(AgeBand(response.age_band).label),
                "sex": str(Sex(response.sex).label),
                "education": str(Education(response.education).label),
                "occupation": str(Occupation(response.occupation).label),
            }
        )
    if not rows:
        return []
    return [Section("ikm", _("Your answers to the satisfaction survey (IKM)"), rows)]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        count = selectors.responses_of(person).count()
    else:
        count = services.person_responses_unlink(person=person, actor=WORKER)
    return [
        Outcome(
            "ikm.responses",
            _("Your answers to the satisfaction survey (IKM)"),
            pseudonymised=count,
            reason=_("They stay in the published figures, and nothing can link them to you any more")
            if count
            else "",
        )
    ]


register(
    Provider(
        key="ikm",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        # Before the satisfaction app (50), which unlinks the invitations the answers are found by.
        order=40,
    )
)
