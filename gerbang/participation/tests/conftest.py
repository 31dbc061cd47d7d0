"""Fixtures for participation: two offices, their staff, the national administrator, citizens,
and a survey with one question of every kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.models import Holiday
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import DEMO
from gerbang.participation import services
from gerbang.participation.models import Debate, Question, QuestionKind, Survey

# A Monday, 09:00 WIB.
MONDAY = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


@dataclass
class World:
    office: Any
    other_office: Any
    supervisor: Any
    officer: Any
    other_supervisor: Any
    national: Any
    people: list[Any]

    def survey(
        self,
        *,
        office: Any = None,
        days: int = 10,
        publish: bool = True,
        english: bool = True,
        **overrides: Any,
    ) -> Survey:
        """A survey with a question of every kind. The texts are written in English; with ``english``
        they are its English version as well as its Indonesian one (so pages in either language
        show them as they are), without it only its Indonesian one (a reader in English sees them
        marked as the other language)."""
        now = timezone.now()
        values: dict[str, Any] = {
            "actor": DEMO,
            "title_id": "Passport service survey",
            "description_id": "How was it?",
            "office": office,
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=days),
            **overrides,
        }
        if english:
            values.setdefault("title_en", values["title_id"])
            values.setdefault("description_en", values["description_id"])
        survey = services.survey_create(**values)
        for kind, text, choices, required in (
            (QuestionKind.SINGLE, "How did you apply?", ["Online", "Walk-in"], True),
            (QuestionKind.MULTIPLE, "What was hard to find?", ["Fees", "Documents", "Quota"], True),
            (QuestionKind.SCALE, "How easy was booking?", [], True),
            (
                QuestionKind.RANKING,
                "Rank the improvements",
                ["More quota", "Saturdays", "Easier payment"],
                True,
            ),
            (QuestionKind.TEXT, "Anything else?", [], False),
        ):
            services.question_add(
                actor=DEMO,
                survey=survey,
                kind=kind,
                text_id=text,
                text_en=text if english else "",
                choices_id=choices,
                choices_en=choices if english else [],
                required=required,
            )
        # Made as a draft; published once its questions are in, as staff do.
        return services.survey_publish(actor=DEMO, survey=survey) if publish else survey

    def debate(self, office: Any = None) -> Debate:
        office = office or self.office
        return services.debate_create(
            actor=DEMO,
            title_id="Morning or afternoon quota?",
            title_en="Morning or afternoon quota?",
            description_id="Should the passport quota be split into morning and afternoon sessions?",
            description_en="Should the passport quota be split into morning and afternoon sessions?",
            office=office,
        )


def good_answers(survey: Survey) -> dict[int, Any]:
    questions: list[Question] = list(survey.questions.all())
    return {
        questions[0].pk: 1,
        questions[1].pk: [0, 2],
        questions[2].pk: 4,
        questions[3].pk: [2, 0, 1],
        questions[4].pk: "More chairs please.",
    }


@pytest.fixture
def world(db: None) -> World:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    other = OfficeFactory.create(
        code="makassar", name_id="Kantor Imigrasi Makassar", time_zone="Asia/Makassar"
    )
    Holiday.objects.create(date=dt.date(2026, 12, 25), name_id="Hari Raya Natal")
    return World(
        office=office,
        other_office=other,
        supervisor=staff(Role.SUPERVISOR, [office], full_name="Supervisor Mesuji"),
        officer=staff(Role.OFFICER, [office], full_name="Petugas Mesuji"),
        other_supervisor=staff(Role.SUPERVISOR, [other], full_name="Supervisor Makassar"),
        national=staff(Role.NATIONAL_ADMIN, [], full_name="Admin Nasional"),
        people=[
            UserFactory.create(full_name=name, email=f"person{n}@example.test")
            for n, name in enumerate(["Budi Santoso", "Siti Aminah", "Rina Kusuma", "Andi Saputra", "Dewi"])
        ],
    )
