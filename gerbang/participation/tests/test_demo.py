"""The demo: what the issue asks to be visible right after ``make run``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone, translation

from gerbang.accounts.models import User
from gerbang.accounts.selectors import resides_in
from gerbang.participation import selectors
from gerbang.participation.demo import OPEN_TITLE, UNTRANSLATED_TITLE
from gerbang.participation.models import (
    Debate,
    Outcome,
    PostStatus,
    Proposal,
    ProposalStatus,
    QuestionKind,
    Survey,
)

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_part(demo_data: None) -> None:
    now = timezone.now()
    open_survey = Survey.objects.get(title_id=OPEN_TITLE)
    assert open_survey.office is None and open_survey.is_open(now)
    assert {q.kind for q in open_survey.questions.all()} == set(QuestionKind.values)
    closed = Survey.objects.exclude(pk=open_survey.pk).exclude(published_at=None).get()
    assert closed.results_visible and selectors.outcome_of(closed) is not None
    texts = selectors.survey_results(closed)[-1].texts
    assert texts and not any("0812" in text for text in texts)
    # A draft for the staff, with a question, not shown to the public.
    draft = Survey.objects.get(published_at=None)
    assert draft.questions.exists() and draft.office is not None
    assert not selectors.surveys_public().filter(pk=draft.pk).exists()
    # It asks the residents of Mesuji's working area, where the demo applicant's NIK is from.
    assert draft.residents_only and draft.office.area_code_list == ["1811", "1805", "1812"]
    applicant = User.objects.get(email="pemohon@gerbang.test")
    assert resides_in(applicant, draft.office)
    debate = Debate.objects.get()
    assert debate.posts.filter(status=PostStatus.VISIBLE).count() >= 3
    # The office answered the first thread on its own behalf.
    official = debate.posts.get(official=True)
    assert debate.office is not None and official.parent is not None
    assert official.shown_as == debate.office.name
    # Two hidden by readers' reports: a fair complaint to restore, and a broker's advert to remove.
    fair, advert = debate.posts.filter(status=PostStatus.HIDDEN).order_by("hidden_at", "id")
    assert fair.reports.count() == 3 and {r.reason for r in fair.reports.all()} == {"abuse"}
    assert "loket 2 kosong" in fair.body
    assert advert.reports.count() == 3 and {r.reason for r in advert.reports.all()} == {"spam"}
    assert "Jasa percepatan paspor" in advert.body
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == {ProposalStatus.AWAITING, ProposalStatus.ACCEPTED}
    answered = Proposal.objects.get(status=ProposalStatus.ACCEPTED)
    assert selectors.outcome_of(answered) is not None
    waiting = Proposal.objects.get(status=ProposalStatus.AWAITING)
    assert waiting.answer_due is not None and waiting.office is not None


def test_the_demo_writes_staff_texts_in_both_languages_but_one_survey(demo_data: None) -> None:
    """Everything staff wrote has an English version, except the closed waiting-room survey: its
    public pages show the fallback (its Indonesian text, marked) to readers in English."""
    untranslated = Survey.objects.get(title_id=UNTRANSLATED_TITLE)
    assert untranslated.title_en == "" and untranslated.description_en == ""
    assert all(not q.text_en and not q.choices_en for q in untranslated.questions.all())
    for survey in Survey.objects.exclude(pk=untranslated.pk):
        assert survey.title_en and survey.description_en, survey.title_id
        for question in survey.questions.all():
            assert question.text_en, question.text_id
            assert len(question.choices_en) == len(question.choices_id), question.text_id
    for debate in Debate.objects.all():
        assert debate.title_en and debate.description_en
    for proposal in Proposal.objects.exclude(answer_id=""):
        assert proposal.answer_en
    for outcome in Outcome.objects.all():
        assert outcome.decided_en and (outcome.changed_en or not outcome.changed_id)
    with translation.override("en"):
        assert str(untranslated.title) == UNTRANSLATED_TITLE and untranslated.title.is_fallback
        assert str(Survey.objects.get(title_id=OPEN_TITLE).title) == "Passport service survey 2026"
    english = Client()
    english.cookies["django_language"] = "en"
    assert untranslated.results_visible
    for url in (f"/partisipasi/survei/{untranslated.pk}/", f"/partisipasi/survei/{untranslated.pk}/hasil/"):
        page = english.get(url).content.decode()
        assert f'lang="id">{UNTRANSLATED_TITLE}<' in page, url
    results = english.get(f"/partisipasi/survei/{untranslated.pk}/hasil/").content.decode()
    assert '<td><span lang="id">Ruang laktasi</span></td>' in results
