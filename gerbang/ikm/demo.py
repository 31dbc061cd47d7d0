"""Demo IKM answers: three months of people served at Mesuji (enough answers for its
population) and Sijunjung (fewer than its minimum sample, so its page shows the warning),
answered through the service, then every occasion served in the demo (cases collected,
visits, questions and reports closed, invited or not) counted in the population and the
figures computed as the hourly task does. The demo applicant also has a visit of two days ago
still to answer (offered on her dashboard)."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.ikm import services
from gerbang.ikm.questionnaire import ELEMENTS, AgeBand, Education, Occupation, Sex
from gerbang.satisfaction.models import Invitation, Occasion

# Demo occasions are visits numbered from here (no ticket has such a number in the demo).
FIRST_DEMO_OCCASION = 9_190_000
# Per office: people served in the three months, of whom how many answered, and how likely
# each element is to get 1, 2, 3 or 4 (U3, the completion time, is Mesuji's weak point).
PLAN = {
    "mesuji": (230, 160, {"u3": (5, 20, 55, 20), "u9": (2, 12, 60, 26)}, (1, 6, 58, 35)),
    "sijunjung": (140, 60, {"u8": (10, 30, 45, 15), "u2": (6, 25, 50, 19)}, (3, 14, 60, 23)),
}


def _invite(office: Office, number: int, served_days_ago: float, person: User | None) -> Invitation:
    # Made directly rather than through satisfaction.services.invitation_open: that service
    # also sends the "satisfaction.invited" message, whose kind the satisfaction app registers
    # (not on this branch yet); the demo needs only the invitation rows.
    service = office.services.filter(is_active=True).order_by("category", "order", "code")[number % 3]
    return Invitation.objects.create(
        token=secrets.token_urlsafe(16),
        occasion=Occasion.VISIT,
        occasion_id=FIRST_DEMO_OCCASION + number,
        person=person,
        office=office,
        service=service,
        served_at=timezone.now() - timedelta(days=served_days_ago),
    )


@transaction.atomic
def load() -> int:
    if Invitation.objects.filter(occasion=Occasion.VISIT, occasion_id__gte=FIRST_DEMO_OCCASION).exists():
        services.served_reconcile(actor=DEMO)
        return services.results_compute(actor=DEMO)
    chance = random.Random(19)  # noqa: S311 - demo figures, not security
    number = 0
    for code, (served, answered, element_weights, usual) in PLAN.items():
        office = Office.objects.filter(code=code).first()
        if office is None or not office.services.exists():
            continue
        for position in range(served):
            number += 1
            days_ago = chance.uniform(3, 88)
            invitation = _invite(office, number, days_ago, None)
            if position >= answered:
                continue
            answers: dict[str, object] = {
                element.field: chance.choices((1, 2, 3, 4), element_weights.get(element.field, usual))[0]
                for element in ELEMENTS
            }
            answers["age_band"] = chance.choice(AgeBand.values)
            answers["sex"] = chance.choice(Sex.values)
            answers["education"] = chance.choices(Education.values, (5, 10, 35, 15, 28, 6, 1))[0]
            answers["occupation"] = chance.choices(Occupation.values, (12, 3, 3, 40, 27, 15))[0]
            services.response_submit(
                invitation=invitation,
                answers=answers,
                actor=DEMO,
                now=invitation.served_at + timedelta(days=1),
            )
    siti = User.objects.filter(email="pemohon@gerbang.test").first()
    mesuji = Office.objects.filter(code="mesuji").first()
    if siti is not None and mesuji is not None and mesuji.services.exists():
        number += 1
        _invite(mesuji, number, 2, siti)
    # The demo's invitations are made directly, and the other apps' demo data may have been
    # served before this app listened: count every occasion served so far.
    services.served_reconcile(actor=DEMO)
    return services.results_compute(actor=DEMO)


demo.register(
    "ikm", load, after=["catalog", "accounts", "satisfaction"], summary=lambda stored: f"{stored} IKM results"
)
