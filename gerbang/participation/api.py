"""Participation as JSON, for the mobile app: surveys (read, answer, results once closed),
debates (read, post), proposals (read, support). Anyone reads; taking part needs a signed-in
person. The same services as the pages.

What staff write (titles, descriptions, questions and their choices, the unit's answer) comes in
the request's language (``title``: English when it is asked for and written, else Indonesian)
and in both versions beside it (``title_id``, ``title_en``, empty when not written)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.catalog.models import Office
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import Conflict, NotFound, ValidationError
from gerbang.participation import selectors, services
from gerbang.participation.models import Debate, Proposal, Question, Survey

router = Router(tags=["participation"])


class QuestionOut(Schema):
    id: int
    kind: str
    # In the request's language; both versions beside it.
    text: str
    text_id: str
    text_en: str
    # Answers give indices into these lists (the same in both languages; ``choices_en`` is empty
    # or as long as ``choices_id``).
    choices: list[str]
    choices_id: list[str]
    choices_en: list[str]
    required: bool


class SurveyOut(Schema):
    id: int
    title: str
    title_id: str
    title_en: str
    description: str
    description_id: str
    description_en: str
    office: str | None
    opens_at: datetime
    closes_at: datetime
    open: bool
    results_published: bool
    # Once the results are published: how many answered, and whether the results are withheld
    # (fewer than ``SURVEY_RESULTS_MIN_RESPONDENTS``: only this number is given).
    respondents: int | None = None
    results_withheld: bool = False
    served_only: bool
    residents_only: bool


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]
    # Why the signed-in person may not answer (None: they may).
    cannot_answer: str | None


class SurveyAnswersIn(Schema):
    # Per question id: a choice index (single), indices (multiple), 1 to 5 (scale), every index in
    # order of preference (ranking), or text.
    answers: dict[int, int | str | list[int] | None]


class ResultOut(Schema):
    question: int
    text: str
    text_id: str
    text_en: str
    kind: str
    respondents: int
    rows: list[tuple[str, float, float]]
    scale: list[tuple[int, int]]
    mean: float | None
    texts: list[str]


class PostOut(Schema):
    id: int
    parent: int | None
    # "visible", or "hidden" (waiting for a moderator) / "removed": then author and body are
    # empty, and the post stands only as the place the replies of others answer.
    status: str
    # For an official answer, the name of the unit it speaks for (never the staff member's).
    author: str
    body: str
    supports: int
    created_at: datetime
    # Posted by staff on behalf of the debate's unit (listed first among the replies).
    official: bool = False
    # An official answer's English version (``body`` is then the Indonesian one); empty when it
    # has none, and for what people write.
    body_en: str = ""


class DebateOut(Schema):
    id: int
    title: str
    title_id: str
    title_en: str
    description: str
    description_id: str
    description_en: str
    office: str | None
    closed: bool
    posts: list[PostOut]


class PostIn(Schema):
    body: str
    parent: int | None = None


class PostedOut(PostOut):
    masked: bool


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    office: str | None
    author: str
    status: str
    status_label: str
    supports: int
    threshold: int
    answer_due: date | None
    # The unit's answer in the request's language, and both versions.
    answer: str
    answer_id: str
    answer_en: str


def _both(obj: Any, base: str) -> dict[str, str]:
    """A staff text in the request's language and in both versions."""
    return {
        base: str(getattr(obj, base)),
        f"{base}_id": getattr(obj, f"{base}_id"),
        f"{base}_en": getattr(obj, f"{base}_en"),
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "kind": question.kind,
        **_both(question, "text"),
        "choices": [str(c) for c in question.choices],
        "choices_id": list(question.choices_id),
        "choices_en": list(question.choices_en),
        "required": question.required,
    }


def _survey(survey: Survey) -> dict[str, Any]:
    closed = survey.results_visible
    respondents = survey.responses.count() if closed else None
    return {
        "id": survey.pk,
        **_both(survey, "title"),
        **_both(survey, "description"),
        "office": survey.office.code if survey.office else None,
        "opens_at": survey.opens_at,
        "closes_at": survey.ends_at,
        "open": survey.is_open(),
        "results_published": closed,
        "respondents": respondents,
        "results_withheld": closed and selectors.results_withheld(survey, respondents),
        "served_only": survey.served_only,
        "residents_only": survey.residents_only,
    }


def _found_survey(pk: int) -> Survey:
    survey = selectors.survey_public(pk)
    if survey is None:
        raise NotFound()
    return survey


@router.get("/surveys", response=list[SurveyOut], auth=None)
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_survey(s) for s in selectors.surveys_public()[:100]]


@router.get("/surveys/{int:pk}", response=SurveyDetailOut, auth=None)
def survey_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    survey = _found_survey(pk)
    return {
        **_survey(survey),
        "questions": [_question(q) for q in selectors.questions_of(survey)],
        "cannot_answer": selectors.why_not_answer(request.user, survey),
    }


@router.post("/surveys/{int:pk}/answers", response={201: SurveyOut}, auth=signed_in(Scope.PARTICIPATION))
def survey_answer(request: AuthenticatedRequest, pk: int, data: SurveyAnswersIn) -> Status[Any]:
    survey = _found_survey(pk)
    services.survey_answer(actor=request.user, survey=survey, answers=data.answers)
    return Status(201, _survey(survey))


@router.get("/surveys/{int:pk}/results", response=list[ResultOut], auth=None)
def survey_results(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    survey = _found_survey(pk)
    if not survey.results_visible:
        raise NotFound(selectors.NOT_PUBLISHED)
    if selectors.results_withheld(survey):
        # Only how many answered (in the survey, ``respondents``): no one can be recognised.
        raise Conflict(selectors.withheld_message())
    return [
        {
            "question": r.question.pk,
            **_both(r.question, "text"),
            "kind": r.question.kind,
            "respondents": r.respondents,
            "rows": r.rows,
            "scale": r.scale,
            "mean": r.mean,
            "texts": r.texts,
        }
        for r in selectors.survey_results(survey)
    ]


def _posts(debate: Debate) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []

    def walk(nodes: list[selectors.Thread]) -> None:
        for node in nodes:
            post = node.post
            shown = not node.placeholder
            flat.append(
                {
                    "id": post.pk,
                    "parent": post.parent_id,
                    "status": node.placeholder or "visible",
                    "author": post.shown_as if shown else "",
                    "body": post.body if shown else "",
                    # An official answer's English version (empty when there is none).
                    "body_en": post.body_en if shown and post.official else "",
                    "supports": node.supports if shown else 0,
                    "created_at": post.created_at,
                    "official": post.official,
                }
            )
            walk(node.replies)

    walk(selectors.threads_of(debate))
    return flat


def _debate(debate: Debate) -> dict[str, Any]:
    return {
        "id": debate.pk,
        **_both(debate, "title"),
        **_both(debate, "description"),
        "office": debate.office.code if debate.office else None,
        "closed": debate.closed_at is not None,
        "posts": _posts(debate),
    }


class DebateSummaryOut(Schema):
    id: int
    title: str
    title_id: str
    title_en: str
    office: str | None
    closed: bool
    posts: int


@router.get("/debates", response=list[DebateSummaryOut], auth=None)
def debate_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            **_both(d, "title"),
            "office": d.office.code if d.office else None,
            "closed": d.closed_at is not None,
            "posts": getattr(d, "post_count", 0),
        }
        for d in selectors.debates_public()[:100]
    ]


@router.get("/debates/{int:pk}", response=DebateOut, auth=None)
def debate_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    debate = selectors.debate_public(pk)
    if debate is None:
        raise NotFound()
    return _debate(debate)


@router.post("/debates/{int:pk}/posts", response={201: PostedOut}, auth=signed_in(Scope.PARTICIPATION))
def debate_post(request: AuthenticatedRequest, pk: int, data: PostIn) -> Status[Any]:
    debate = selectors.debate_public(pk)
    if debate is None:
        raise NotFound()
    parent = selectors.post_public(data.parent) if data.parent else None
    published = services.post_publish(actor=request.user, debate=debate, body=data.body, parent=parent)
    post = published.post
    return Status(
        201,
        {
            "id": post.pk,
            "parent": post.parent_id,
            "status": "visible",
            "author": post.author_name,
            "body": post.body,
            "supports": 0,
            "created_at": post.created_at,
            "masked": published.masked,
        },
    )


def _proposal(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "body": proposal.body,
        "office": proposal.office.code if proposal.office else None,
        "author": proposal.author_name,
        "status": proposal.status,
        "status_label": proposal.status_label,
        "supports": proposal.supports_count,
        "threshold": proposal.threshold,
        "answer_due": proposal.answer_due,
        **_both(proposal, "answer"),
    }


@router.get("/proposals", response=list[ProposalOut], auth=None)
def proposal_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_proposal(p) for p in selectors.proposals_public()[:100]]


class ProposalIn(Schema):
    title: str
    body: str
    # An office's code; none for the national directorate.
    office: str | None = None


class ProposedOut(ProposalOut):
    masked: bool


@router.post("/proposals", response={201: ProposedOut}, auth=signed_in(Scope.PARTICIPATION))
def proposal_submit(request: AuthenticatedRequest, data: ProposalIn) -> Status[Any]:
    office = None
    if data.office:
        office = Office.objects.public().filter(code=data.office).first()
        if office is None:
            raise ValidationError(
                _("Choose an office by its code, or none for the national directorate."), field="office"
            )
    proposed = services.proposal_submit(actor=request.user, title=data.title, body=data.body, office=office)
    return Status(201, {**_proposal(proposed.proposal), "masked": proposed.masked})


@router.get("/proposals/{int:pk}", response=ProposalOut, auth=None)
def proposal_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    proposal = selectors.proposal_public(pk)
    if proposal is None:
        raise NotFound()
    return _proposal(proposal)


@router.post("/proposals/{int:pk}/supports", response=ProposalOut, auth=signed_in(Scope.PARTICIPATION))
def proposal_support(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    proposal = selectors.proposal_public(pk)
    if proposal is None:
        raise NotFound()
    return _proposal(services.proposal_support(actor=request.user, proposal=proposal))
