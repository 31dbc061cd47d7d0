"""What the assistant holds about a person (UU PDP): the questions asked in their signed-in
sessions.

A conversation is tied to no account on purpose, and its questions are masked before they are
stored; its key lives in the browser's session. So the questions are the person's only while a
session signed in to their account holds that key: those are exported, and erased on request
(before the account's erasure ends the sessions and, with them, the only link). Questions of
sessions that ended are nobody's and stay, to learn what people ask.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.assistant import selectors, services
from gerbang.assistant.models import Turn
from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, register

ACTIVITIES = (
    Activity(
        key="assistant.questions",
        name=_("Questions to the assistant"),
        data=_(
            "The questions asked, masked (numbers, addresses and names of people replaced) before "
            "they are stored, with the answer given; tied to a browser session, not to an account"
        ),
        purpose=_(
            "Answering questions about the services, and learning which questions are not answered well"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik)",
        retention=_(
            "Linked to the person only while their signed-in session lasts; after that the masked "
            "questions are nobody's and are kept to improve the answers"
        ),
        recipients=_("The content staff who improve the answers"),
    ),
)


def export(person: Any) -> list[Section]:
    rows = [
        {
            "asked_at": turn.asked_at.isoformat(),
            "question_as_stored": turn.question,
            "language": turn.language,
            "reply": turn.kind,
            "answered_with": turn.entry_key,
        }
        for turn in Turn.objects.filter(conversation__in=selectors.conversations_of(person)).order_by(
            "asked_at", "pk"
        )
    ]
    if not rows:
        return []
    return [Section("assistant", _("Your questions to the assistant"), rows)]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        count = Turn.objects.filter(conversation__in=selectors.conversations_of(person)).count()
    else:
        count = services.person_conversations_erase(person=person, actor=WORKER)
    return [Outcome("assistant.questions", _("Your questions to the assistant"), erased=count)]


register(Provider(key="assistant", activities=ACTIVITIES, export=export, erase=erase))
