"""Writes of participation, each one transaction: surveys (made, questions added, answered once
per account, closed), free-text answers moderated, debates and posts (masked, rate limited,
supported once, hidden after three readers' reports until a moderator decides; official answers
on behalf of a unit, never hidden by reports), proposals (supported once; at the threshold sent
to the responsible unit with a deadline in its working days; answered), and accountability (a
published statement and the timeline of status).

The pages and the API call these, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.actors import SystemActor, person
from gerbang.core.exceptions import Conflict, PermissionDenied, Problems, ValidationError
from gerbang.core.permissions import Perm
from gerbang.core.ratelimit import Limit, enforce
from gerbang.notifications.services import outbox_add
from gerbang.participation import selectors
from gerbang.participation.events import OfficialReplyPosted
from gerbang.participation.masking import display_name, mask
from gerbang.participation.models import (
    Answer,
    Debate,
    Outcome,
    Post,
    PostReport,
    PostStatus,
    PostSupport,
    Proposal,
    ProposalStatus,
    ProposalSupport,
    Question,
    QuestionKind,
    ReportReason,
    Response,
    Stage,
    StatusChange,
    Survey,
    TextStatus,
    unit_name,
)

Actor = User | SystemActor

# Readers' reports that hide a post until a moderator decides (as Decidim does).
REPORTS_TO_HIDE = 3
TITLE_MIN, TITLE_MAX = 5, 200
POST_MIN, POST_MAX = 5, 2000
TEXT_ANSWER_MAX = 2000
PROPOSAL_MIN, PROPOSAL_MAX = 30, 4000
REASON_MIN = 5
SCALE = range(1, 6)
MAX_CHOICES = 12

# Against spam and flooding: a few posts a minute, some dozens a day; a few proposals a day.
POSTS_BURST = Limit("participation-posts-burst", 5, 10 * 60)
POSTS_DAY = Limit("participation-posts-day", 40, 24 * 60 * 60)
REPORTS_HOUR = Limit("participation-reports", 20, 60 * 60)
PROPOSALS_DAY = Limit("participation-proposals", 3, 24 * 60 * 60)

TOO_MANY_POSTS = _("You have posted many times in a short time. Please wait a few minutes and post again.")
TOO_MANY_REPORTS = _("You have reported many posts in a short time. Please wait and try again later.")
TOO_MANY_PROPOSALS = _("You have made several proposals today. Please make the next one tomorrow.")
MASKED = _(
    "Personal data (an email address, NIK or phone number) was removed from your text before it was"
    " published: public posts must not hold it."
)


def _staff_check(actor: Actor, office: Office | None, perm: Perm = Perm.PARTICIPATION_MANAGE) -> None:
    if isinstance(actor, SystemActor):
        return
    if not selectors.can_run(actor, office, perm):
        raise PermissionDenied()


def _person_check(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(selectors.NOT_SIGNED_IN)
    if actor.is_staff_role:
        raise PermissionDenied(selectors.STAFF_CANNOT)


def _clean_title(text: str, field: str = "title") -> str:
    title = " ".join((text or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(
            _("Write a title of at least %(min)d characters.") % {"min": TITLE_MIN}, field=field
        )
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX}, field=field
        )
    return title


def _clean_text(text: str, *, field: str, low: int, high: int) -> str:
    body = (text or "").strip().replace("\r\n", "\n")
    if len(body) < low:
        raise ValidationError(_("Write at least %(min)d characters.") % {"min": low}, field=field)
    if len(body) > high:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters (it has %(count)d).")
            % {"max": high, "count": len(body)},
            field=field,
        )
    return body


def _bilingual(
    problems: Problems, clean: Callable[[str, str], str], base: str, text_id: str, text_en: str
) -> tuple[str, str]:
    """A staff text in both languages, each checked by ``clean(text, field)``: the Indonesian one
    is required, the English one optional (empty stays empty). Problems are collected."""
    cleaned = ["", ""]
    for index, (language, text) in enumerate((("id", text_id), ("en", text_en))):
        if language == "en" and not (text or "").strip():
            continue
        try:
            cleaned[index] = clean(text, f"{base}_{language}")
        except ValidationError as exc:
            problems.add(exc)
    return cleaned[0], cleaned[1]


def stage_record(
    subject: Survey | Debate | Proposal,
    stage: Stage,
    *,
    note_id: str = "",
    note_en: str = "",
    at: datetime | None = None,
) -> StatusChange:
    """A step of the timeline; its note a code (in ``note_id``) or a free note in both languages."""
    return StatusChange.objects.create(
        kind=selectors.kind_of(subject),
        subject_id=subject.pk,
        stage=stage,
        note_id=note_id[:300],
        note_en=note_en[:300],
        at=at or timezone.now(),
    )


# --- Surveys -------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    actor: Actor,
    title_id: str,
    title_en: str = "",
    description_id: str = "",
    description_en: str = "",
    office: Office | None,
    opens_at: datetime,
    closes_at: datetime,
    served_only: bool = False,
    residents_only: bool = False,
) -> Survey:
    """A survey made as a draft; its title is required in Indonesian, English is optional."""
    _staff_check(actor, office)
    with Problems() as problems:
        clean_title = _bilingual(problems, _clean_title, "title", title_id, title_en)
        if closes_at <= opens_at:
            problems.add(ValidationError(_("The survey must close after it opens."), field="closes_at"))
        if served_only and office is None:
            problems.add(
                ValidationError(_("Choose the office whose served people are asked."), field="office")
            )
        if residents_only:
            _residents_problem(problems, office)
    survey = Survey.objects.create(
        title_id=clean_title[0],
        title_en=clean_title[1],
        description_id=(description_id or "").strip(),
        description_en=(description_en or "").strip(),
        office=office,
        opens_at=opens_at,
        closes_at=closes_at,
        served_only=served_only,
        residents_only=residents_only,
        created_by=person(actor),
    )
    stage_record(survey, Stage.OPENED, at=opens_at)
    events.record("participation.survey_created", actor=actor, subject=survey, office_id=survey.office_id)
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: Actor,
    survey: Survey,
    title_id: str,
    title_en: str = "",
    description_id: str = "",
    description_en: str = "",
    opens_at: datetime,
    closes_at: datetime,
    served_only: bool = False,
    residents_only: bool = False,
) -> Survey:
    """A survey's title, description, dates and restriction changed while it has not closed
    (its office stays: it decides who runs it)."""
    _staff_check(actor, survey.office)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_closed():
        raise Conflict(_("A closed survey cannot change: its results are published."))
    with Problems() as problems:
        clean_title = _bilingual(problems, _clean_title, "title", title_id, title_en)
        if closes_at <= opens_at:
            problems.add(ValidationError(_("The survey must close after it opens."), field="closes_at"))
        if closes_at <= timezone.now():
            problems.add(
                ValidationError(
                    _("Close it with the button below rather than by a past date."), field="closes_at"
                )
            )
        if served_only and survey.office is None:
            problems.add(
                ValidationError(_("A national survey cannot be limited to one office."), field="served_only")
            )
        if residents_only:
            _residents_problem(problems, survey.office)
    survey.title_id, survey.title_en = clean_title
    survey.description_id = (description_id or "").strip()
    survey.description_en = (description_en or "").strip()
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.served_only = served_only
    survey.residents_only = residents_only
    survey.save(
        update_fields=[
            "title_id",
            "title_en",
            "description_id",
            "description_en",
            "opens_at",
            "closes_at",
            "served_only",
            "residents_only",
        ]
    )
    StatusChange.objects.filter(
        kind=selectors.kind_of(survey), subject_id=survey.pk, stage=Stage.OPENED
    ).update(at=opens_at)
    events.record("participation.survey_changed", actor=actor, subject=survey, office_id=survey.office_id)
    return survey


NO_AREA = _(
    "%(office)s has no working area yet (the regency and city codes it serves): an administrator sets"
    " it with the office's details before a survey can be limited to its residents."
)


def _residents_problem(problems: Problems, office: Office | None) -> None:
    """A residents-only survey needs an office whose working area is set."""
    if office is None:
        problems.add(
            ValidationError(
                _("A national survey cannot be limited to the residents of one office's area."),
                field="residents_only",
            )
        )
    elif not office.area_code_list:
        problems.add(ValidationError(NO_AREA % {"office": office.name}, field="residents_only"))


NO_QUESTIONS = _("Add at least one question before publishing the survey.")
ALREADY_PUBLISHED = _("This survey is already published.")
QUESTIONS_FIXED = _(
    "The questions cannot change any more: people have answered the survey (or it has closed), and"
    " changing them would change what they answered."
)


@transaction.atomic
def survey_publish(*, actor: Actor, survey: Survey) -> Survey:
    """A draft made public: listed, and open to answers from its opening date. A survey without
    questions is refused."""
    _staff_check(actor, survey.office)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_published:
        raise Conflict(ALREADY_PUBLISHED)
    if survey.is_closed():
        raise Conflict(_("A closed survey cannot change: its results are published."))
    if not survey.questions.exists():
        raise Conflict(NO_QUESTIONS)
    survey.published_at = timezone.now()
    survey.save(update_fields=["published_at"])
    events.record("participation.survey_published", actor=actor, subject=survey, office_id=survey.office_id)
    return survey


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
CHOICES_NEEDED = _(
    "Questions of the kinds one choice, several choices and ranking need their choices: give at least"
    " two, one per line."
)


CHOICES_EN_COUNT = _(
    "Give as many English choices as Indonesian ones, in the same order (%(id)d in Indonesian,"
    " %(en)d in English), or leave the English choices empty."
)


def _clean_choices(kind: str, choices: list[str], field: str = "choices_id") -> list[str]:
    cleaned = [" ".join(c.split()) for c in choices if c and c.strip()]
    if kind in CHOICE_KINDS:
        if len(cleaned) < 2:
            raise ValidationError(CHOICES_NEEDED, field=field)
        if len(cleaned) > MAX_CHOICES:
            raise ValidationError(_("At most %(max)d choices.") % {"max": MAX_CHOICES}, field=field)
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError(_("Two choices are the same."), field=field)
        return cleaned
    return []


def _clean_question_text(text: str, field: str) -> str:
    question_text = " ".join((text or "").split())
    if len(question_text) < 5:
        raise ValidationError(_("Write the question (at least 5 characters)."), field=field)
    if len(question_text) > 300:
        raise ValidationError(_("The question is too long: at most 300 characters."), field=field)
    return question_text


@dataclass(frozen=True)
class CleanQuestion:
    kind: str
    text_id: str
    text_en: str
    choices_id: list[str]
    choices_en: list[str]


def _clean_question(
    kind: str, text_id: str, text_en: str, choices_id: list[str] | None, choices_en: list[str] | None
) -> CleanQuestion:
    """A question as staff wrote it, checked (all problems at once): its text and choices are
    required in Indonesian; the English choices, when given, are as many as the Indonesian ones,
    in the same order."""
    if kind not in QuestionKind.values:
        raise ValidationError(_("Choose the kind of question."), field="kind")
    with Problems() as problems:
        text = _bilingual(problems, _clean_question_text, "text", text_id, text_en)
        try:
            cleaned_id = _clean_choices(kind, choices_id or [])
        except ValidationError as exc:
            problems.add(exc)
            cleaned_id = []
        cleaned_en: list[str] = []
        if any(c.strip() for c in choices_en or []):
            try:
                cleaned_en = _clean_choices(kind, choices_en or [], field="choices_en")
            except ValidationError as exc:
                problems.add(exc)
            if cleaned_id and cleaned_en and len(cleaned_en) != len(cleaned_id):
                problems.add(
                    ValidationError(
                        CHOICES_EN_COUNT % {"id": len(cleaned_id), "en": len(cleaned_en)},
                        field="choices_en",
                    )
                )
    return CleanQuestion(kind, text[0], text[1], cleaned_id, cleaned_en)


@transaction.atomic
def question_add(
    *,
    actor: Actor,
    survey: Survey,
    kind: str,
    text_id: str,
    text_en: str = "",
    choices_id: list[str] | None = None,
    choices_en: list[str] | None = None,
    required: bool = True,
) -> Question:
    """A question added to a survey nobody has answered yet (a draft, or a published survey
    before its first answer). Its text and choices are required in Indonesian; the English
    choices, when given, are as many as the Indonesian ones, in the same order."""
    _staff_check(actor, survey.office)
    clean = _clean_question(kind, text_id, text_en, choices_id, choices_en)
    if survey.responses.exists() or survey.is_closed():
        raise Conflict(QUESTIONS_FIXED)
    position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    return Question.objects.create(
        survey=survey,
        position=position,
        kind=clean.kind,
        text_id=clean.text_id,
        text_en=clean.text_en,
        choices_id=clean.choices_id,
        choices_en=clean.choices_en,
        required=required,
    )


DRAFT_ONLY = _(
    "The survey is published: its questions can no longer be changed, removed or moved (people may"
    " already be reading or answering them)."
)


def _draft_question(actor: Actor, question: Question) -> tuple[Survey, Question]:
    """The question and its survey, locked, for a change allowed only while the survey is a draft."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _staff_check(actor, survey.office)
    if survey.is_published or survey.is_closed():
        raise Conflict(DRAFT_ONLY)
    try:
        return survey, Question.objects.get(pk=question.pk, survey=survey)
    except Question.DoesNotExist:
        raise Conflict(_("That question was already removed.")) from None


@transaction.atomic
def question_update(
    *,
    actor: Actor,
    question: Question,
    kind: str,
    text_id: str,
    text_en: str = "",
    choices_id: list[str] | None = None,
    choices_en: list[str] | None = None,
    required: bool = True,
) -> Question:
    """A question of a draft survey changed, checked as when it was added (``question_add``)."""
    survey, question = _draft_question(actor, question)
    clean = _clean_question(kind, text_id, text_en, choices_id, choices_en)
    question.kind = clean.kind
    question.text_id, question.text_en = clean.text_id, clean.text_en
    question.choices_id, question.choices_en = clean.choices_id, clean.choices_en
    question.required = required
    question.save(update_fields=["kind", "text_id", "text_en", "choices_id", "choices_en", "required"])
    events.record(
        "participation.question_changed",
        actor=actor,
        subject=survey,
        details={"question": question.pk},
        office_id=survey.office_id,
    )
    return question


def _renumber(survey: Survey) -> list[Question]:
    """The survey's questions numbered 1, 2, 3… in their order; returned in it."""
    questions = list(survey.questions.order_by("position", "id"))
    for number, item in enumerate(questions, start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])
    return questions


@transaction.atomic
def question_delete(*, actor: Actor, question: Question) -> None:
    """A question removed from a draft survey; the others keep their order."""
    survey, question = _draft_question(actor, question)
    pk = question.pk
    question.delete()
    _renumber(survey)
    events.record(
        "participation.question_removed",
        actor=actor,
        subject=survey,
        details={"question": pk},
        office_id=survey.office_id,
    )


@transaction.atomic
def question_move(*, actor: Actor, question: Question, up: bool) -> Question:
    """A question of a draft survey moved one place up (earlier) or down; at the top or the
    bottom it stays."""
    survey, question = _draft_question(actor, question)
    questions = _renumber(survey)
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return question
    mine, theirs = questions[index], questions[other]
    mine.position, theirs.position = theirs.position, mine.position
    mine.save(update_fields=["position"])
    theirs.save(update_fields=["position"])
    events.record(
        "participation.question_moved",
        actor=actor,
        subject=survey,
        details={"question": mine.pk, "position": mine.position},
        office_id=survey.office_id,
    )
    return mine


def _as_index(value: Any, question: Question) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Choose one of the answers."), field=f"q{question.pk}") from None
    if not 0 <= index < len(question.choices_id):
        raise ValidationError(_("Choose one of the answers."), field=f"q{question.pk}")
    return index


def _clean_answer(question: Question, value: Any) -> dict[str, Any] | None:
    """The stored form of one answer, or None for an optional question left empty."""
    field = f"q{question.pk}"
    empty = (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, list) and not any(str(v) for v in value))
    )
    if empty:
        if question.required:
            raise ValidationError(_("Answer this question."), field=field)
        return None
    if question.kind == QuestionKind.SINGLE:
        return {"choices": [_as_index(value, question)]}
    if question.kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        return {"choices": sorted({_as_index(v, question) for v in values})}
    if question.kind == QuestionKind.SCALE:
        try:
            scale = int(value)
        except (TypeError, ValueError):
            scale = 0
        if scale not in SCALE:
            raise ValidationError(_("Choose a number from 1 to 5."), field=field)
        return {"scale": scale}
    if question.kind == QuestionKind.RANKING:
        order = [_as_index(v, question) for v in (value if isinstance(value, list) else [value])]
        if sorted(order) != list(range(len(question.choices_id))):
            raise ValidationError(
                _("Give every choice its own place (1 for the most important), each place once."), field=field
            )
        return {"choices": order}
    text = str(value).strip()
    if len(text) > TEXT_ANSWER_MAX:
        raise ValidationError(
            _("The answer is too long: at most %(max)d characters.") % {"max": TEXT_ANSWER_MAX}, field=field
        )
    return {"text": text, "text_status": TextStatus.PENDING}


@transaction.atomic
def survey_answer(*, actor: User, survey: Survey, answers: Mapping[int, Any]) -> Response:
    """One account's answers to an open survey: every question checked (all problems at once),
    stored once; a second answer, even at the same moment, is refused by the database."""
    _person_check(actor)
    refusal = selectors.why_not_answer(actor, survey)
    if refusal is not None:
        raise Conflict(refusal)
    cleaned: list[tuple[Question, dict[str, Any]]] = []
    with Problems() as problems:
        for question in selectors.questions_of(survey):
            try:
                stored = _clean_answer(question, answers.get(question.pk))
            except ValidationError as exc:
                problems.add(exc)
                continue
            if stored is not None:
                cleaned.append((question, stored))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, respondent=actor)
    except IntegrityError:
        raise Conflict(selectors.ALREADY_ANSWERED) from None
    Answer.objects.bulk_create([Answer(response=response, question=q, **stored) for q, stored in cleaned])
    # The audit names the survey, never the answers.
    events.record("participation.survey_answered", actor=actor, subject=survey, office_id=survey.office_id)
    return response


@transaction.atomic
def survey_close(*, actor: Actor, survey: Survey) -> Survey:
    """Closed now (rather than at its closing date): its results are published."""
    _staff_check(actor, survey.office)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_closed():
        raise Conflict(_("This survey is already closed."))
    if not survey.is_published:
        raise Conflict(_("This survey is a draft: publish it before closing it."))
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])
    stage_record(survey, Stage.CLOSED)
    stage_record(survey, Stage.RESULTS)
    events.record("participation.survey_closed", actor=actor, subject=survey, office_id=survey.office_id)
    return survey


@transaction.atomic
def text_answer_moderate(*, actor: Actor, answer: Answer, approve: bool) -> Answer:
    """A free-text answer shown in the results, or kept out of them (personal data, abuse)."""
    survey = answer.question.survey
    _staff_check(actor, survey.office, Perm.PARTICIPATION_MODERATE)
    answer.text_status = TextStatus.APPROVED if approve else TextStatus.REJECTED
    answer.moderated_by = person(actor)
    answer.save(update_fields=["text_status", "moderated_by"])
    events.record(
        "participation.text_moderated",
        actor=actor,
        subject=survey,
        details={"answer": answer.pk, "approved": approve},
        office_id=survey.office_id,
    )
    return answer


def texts_read_record(*, actor: User, answers: list[Answer]) -> None:
    """Written answers may hold what people wrote about themselves: a staff read of them leaves
    a trace per answer in the audit log (who, when; not what), so a breach can be traced to the
    people whose words were read (UU PDP Pasal 46), one INSERT for the page."""
    events.record_many(
        "participation.texts_read",
        actor=actor,
        subjects=[(answer, answer.question.survey.office_id) for answer in answers],
    )


def results_export_record(*, actor: User, survey: Survey) -> None:
    """A staff download of a survey's results leaves a trace in the audit log (who, when)."""
    events.record(
        "participation.results_exported",
        actor=actor,
        subject=survey,
        details={"format": "csv"},
        office_id=survey.office_id,
    )


# --- Debates ---------------------------------------------------------------------------------------


def _described(text: str, field: str) -> str:
    return _clean_text(text, field=field, low=20, high=4000)


@transaction.atomic
def debate_create(
    *,
    actor: Actor,
    title_id: str,
    title_en: str = "",
    description_id: str,
    description_en: str = "",
    office: Office | None,
    survey: Survey | None = None,
) -> Debate:
    """A debate opened; its title and subject are required in Indonesian, English is optional."""
    _staff_check(actor, office)
    with Problems() as problems:
        title = _bilingual(problems, _clean_title, "title", title_id, title_en)
        text = _bilingual(problems, _described, "description", description_id, description_en)
    debate = Debate.objects.create(
        title_id=title[0],
        title_en=title[1],
        description_id=text[0],
        description_en=text[1],
        office=office,
        survey=survey,
        created_by=person(actor),
    )
    stage_record(debate, Stage.OPENED)
    events.record("participation.debate_created", actor=actor, subject=debate, office_id=debate.office_id)
    return debate


@transaction.atomic
def debate_close(*, actor: Actor, debate: Debate) -> Debate:
    _staff_check(actor, debate.office)
    if debate.closed_at is not None:
        raise Conflict(_("This debate is already closed."))
    debate.closed_at = timezone.now()
    debate.save(update_fields=["closed_at"])
    stage_record(debate, Stage.CLOSED)
    events.record("participation.debate_closed", actor=actor, subject=debate, office_id=debate.office_id)
    return debate


@dataclass(frozen=True)
class Published:
    post: Post
    # Personal data was masked out of the text.
    masked: bool


@transaction.atomic
def post_publish(*, actor: User, debate: Debate, body: str, parent: Post | None = None) -> Published:
    """A post (or a reply) in an open debate, masked of personal data, within the writer's limits."""
    _person_check(actor)
    text = _clean_text(body, field="body", low=POST_MIN, high=POST_MAX)
    if debate.closed_at is not None:
        raise Conflict(_("This debate is closed: it takes no more posts."))
    if parent is not None and (parent.debate_id != debate.pk or parent.status != PostStatus.VISIBLE):
        raise ValidationError(_("The post you reply to is no longer shown."), field="parent")
    subject = str(actor.pk)
    enforce((POSTS_BURST, subject), (POSTS_DAY, subject), message=TOO_MANY_POSTS)
    masked, changed = mask(text)
    post = Post.objects.create(
        debate=debate, parent=parent, author=actor, display_name=display_name(actor), body=masked
    )
    events.record("participation.posted", actor=actor, subject=post, details={"masked": changed})
    return Published(post, changed)


NOT_THE_UNIT = _(
    "Only the staff of the debate's office who run participation (for a national debate, the"
    " national administrators) answer on its behalf."
)


@transaction.atomic
def post_publish_official(
    *, actor: User, debate: Debate, body: str, body_en: str = "", parent: Post | None = None
) -> Published:
    """A post (or a reply) by staff on behalf of the debate's unit: shown with the unit's name,
    marked as its official answer, first among the replies it sits with; readers' reports bring
    it to the moderators without hiding it. Whoever started the thread it answers is told.
    ``body`` is in Indonesian; ``body_en``, its optional English version, is what readers in
    English see (both masked)."""
    if not selectors.can_answer_officially(actor, debate):
        raise PermissionDenied(NOT_THE_UNIT)

    def clean(value: str, field: str) -> str:
        return _clean_text(value, field=field, low=POST_MIN, high=POST_MAX)

    with Problems() as problems:
        text, text_en = _bilingual(problems, clean, "body", body, body_en)
    if debate.closed_at is not None:
        raise Conflict(_("This debate is closed: it takes no more posts."))
    if parent is not None and (parent.debate_id != debate.pk or parent.status != PostStatus.VISIBLE):
        raise ValidationError(_("The post you reply to is no longer shown."), field="parent")
    masked, changed = mask(text)
    masked_en, changed_en = mask(text_en) if text_en else ("", False)
    changed = changed or changed_en
    # Kept in the site's language for the records; readers see the name in theirs (``shown_as``).
    with translation.override(settings.LANGUAGE_CODE):
        name = unit_name(debate.office)[:80]
    post = Post.objects.create(
        debate=debate,
        parent=parent,
        author=actor,
        display_name=name,
        body=masked,
        body_en=masked_en,
        official=True,
    )
    events.record(
        "participation.official_answer",
        actor=actor,
        subject=post,
        details={"masked": changed, "reply_to": parent.pk if parent is not None else None},
        office_id=debate.office_id,
    )
    starter = selectors.thread_starter(parent) if parent is not None else None
    events.publish(OfficialReplyPosted(post=post, starter=starter))
    return Published(post, changed)


@transaction.atomic
def post_support(*, actor: User, post: Post) -> PostSupport:
    _person_check(actor)
    if post.status != PostStatus.VISIBLE:
        raise Conflict(_("This post is no longer shown."))
    if post.author_id == actor.pk:
        raise Conflict(_("You cannot support your own post."))
    if post.official:
        # The unit's answer is not an opinion to gather supporters for.
        raise Conflict(_("An official answer cannot be supported."))
    try:
        with transaction.atomic():
            return PostSupport.objects.create(post=post, user=actor)
    except IntegrityError:
        raise Conflict(_("You already support this post.")) from None


@transaction.atomic
def post_support_withdraw(*, actor: User, post: Post) -> None:
    """A reader takes back their support of a post."""
    _person_check(actor)
    deleted, _rows = PostSupport.objects.filter(post=post, user=actor).delete()
    if not deleted:
        raise Conflict(_("You do not support this post."))


@transaction.atomic
def post_report(*, actor: User, post: Post, reason: str, note: str = "") -> PostReport:
    """A reader reports a post; reported by ``REPORTS_TO_HIDE`` different readers, it is hidden
    until a moderator restores or removes it."""
    _person_check(actor)
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose why you report this post."), field="reason")
    if len(note) > 300:
        raise ValidationError(_("The note is too long: at most 300 characters."), field="note")
    enforce((REPORTS_HOUR, str(actor.pk)), message=TOO_MANY_REPORTS)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id == actor.pk:
        raise Conflict(_("You cannot report your own post."))
    if post.status == PostStatus.REMOVED:
        raise Conflict(_("This post was already removed."))
    try:
        with transaction.atomic():
            report = PostReport.objects.create(
                post=post, reporter=actor, reason=reason, note=mask(note.strip())[0]
            )
    except IntegrityError:
        raise Conflict(_("You have already reported this post.")) from None
    # Reports made after a moderator restored the post count again from then on.
    since = post.moderated_at
    reports = post.reports.all() if since is None else post.reports.filter(created_at__gt=since)
    # An official answer is never hidden by readers: their reports bring it to the moderators
    # (``selectors.reported_official_posts``), who keep it or remove it.
    if (
        post.status == PostStatus.VISIBLE
        and not post.official
        and reports.values("reporter").distinct().count() >= REPORTS_TO_HIDE
    ):
        post.status = PostStatus.HIDDEN
        post.hidden_at = timezone.now()
        post.save(update_fields=["status", "hidden_at"])
        events.record("participation.post_hidden", actor=actor, subject=post, office_id=post.debate.office_id)
    return report


@transaction.atomic
def post_moderate(*, actor: Actor, post: Post, restore: bool, reason: str) -> Post:
    """A moderator's decision on a post: shown again, or removed for good; the reason is kept."""
    _staff_check(actor, post.debate.office, Perm.PARTICIPATION_MODERATE)
    why = " ".join((reason or "").split())
    if len(why) < REASON_MIN:
        raise ValidationError(_("Write the reason for the decision (it is kept)."), field="reason")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.REMOVED:
        raise Conflict(_("This post was already removed."))
    post.status = PostStatus.VISIBLE if restore else PostStatus.REMOVED
    post.moderated_by = person(actor)
    post.moderated_at = timezone.now()
    post.moderation_reason = why
    post.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])
    events.record(
        "participation.post_restored" if restore else "participation.post_removed",
        actor=actor,
        subject=post,
        note=why,
        office_id=post.debate.office_id,
    )
    return post


# --- Proposals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposed:
    proposal: Proposal
    masked: bool


@transaction.atomic
def proposal_submit(
    *, actor: User, title: str, body: str, office: Office | None, threshold: int | None = None
) -> Proposed:
    """A proposal from the public about a service; ``threshold`` (supports needed) defaults to
    the setting."""
    _person_check(actor)
    with Problems() as problems:
        try:
            clean_title = _clean_title(title)
        except ValidationError as exc:
            problems.add(exc)
        try:
            text = _clean_text(body, field="body", low=PROPOSAL_MIN, high=PROPOSAL_MAX)
        except ValidationError as exc:
            problems.add(exc)
    enforce((PROPOSALS_DAY, str(actor.pk)), message=TOO_MANY_PROPOSALS)
    masked_title, title_changed = mask(clean_title)
    masked_body, body_changed = mask(text)
    proposal = Proposal.objects.create(
        title=masked_title,
        body=masked_body,
        office=office,
        author=actor,
        display_name=display_name(actor),
        threshold=max(1, threshold or settings.PROPOSAL_SUPPORT_THRESHOLD),
    )
    stage_record(proposal, Stage.OPENED)
    events.record("participation.proposed", actor=actor, subject=proposal, office_id=proposal.office_id)
    return Proposed(proposal, title_changed or body_changed)


@transaction.atomic
def proposal_support(*, actor: User, proposal: Proposal) -> Proposal:
    """One support per account; the support that reaches the threshold sends the proposal to its
    unit, which must answer within ``PROPOSAL_ANSWER_DAYS`` of its working days."""
    _person_check(actor)
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("office").get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise Conflict(_("This proposal has been answered: it takes no more supports."))
    if proposal.author_id == actor.pk:
        raise Conflict(_("You cannot support your own proposal."))
    try:
        with transaction.atomic():
            ProposalSupport.objects.create(proposal=proposal, user=actor)
    except IntegrityError:
        raise Conflict(_("You already support this proposal.")) from None
    proposal.supports_count = proposal.supports.count()
    fields = ["supports_count"]
    if proposal.status == ProposalStatus.COLLECTING and proposal.supports_count >= proposal.threshold:
        now = timezone.now()
        proposal.status = ProposalStatus.AWAITING
        proposal.threshold_reached_at = now
        proposal.answer_due = selectors.due_after(proposal.office, now, settings.PROPOSAL_ANSWER_DAYS)
        fields += ["status", "threshold_reached_at", "answer_due"]
        stage_record(proposal, Stage.THRESHOLD, at=now)
        events.record(
            "participation.proposal_threshold",
            actor=actor,
            subject=proposal,
            details={"due": proposal.answer_due.isoformat()},
            office_id=proposal.office_id,
        )
    proposal.save(update_fields=fields)
    return proposal


@transaction.atomic
def proposal_support_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    """A supporter takes back their support while the proposal is not answered. A proposal
    already sent to its unit stays sent: the unit still owes the answer."""
    _person_check(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise Conflict(_("This proposal has been answered: its supports can no longer change."))
    deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, user=actor).delete()
    if not deleted:
        raise Conflict(_("You do not support this proposal."))
    proposal.supports_count = proposal.supports.count()
    proposal.save(update_fields=["supports_count"])
    return proposal


def _answered(text: str, field: str) -> str:
    return _clean_text(text, field=field, low=10, high=4000)


@transaction.atomic
def proposal_answer(
    *, actor: Actor, proposal: Proposal, accepted: bool, answer_id: str, answer_en: str = ""
) -> Proposal:
    """The responsible unit's answer to a proposal that passed its threshold, in Indonesian and,
    optionally, English."""
    _staff_check(actor, proposal.office)
    with Problems() as problems:
        text = _bilingual(problems, _answered, "answer", answer_id, answer_en)
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("office").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.AWAITING:
        raise Conflict(
            _("Only a proposal that passed its support threshold and is not answered yet takes an answer.")
        )
    late = selectors.is_overdue(proposal)
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.REJECTED
    proposal.answer_id, proposal.answer_en = text
    proposal.answered_at = timezone.now()
    proposal.answered_by = person(actor)
    proposal.save(update_fields=["status", "answer_id", "answer_en", "answered_at", "answered_by"])
    # A code, shown in the reader's language (``StatusChange.note_label``).
    stage_record(proposal, Stage.ANSWERED, note_id=proposal.status)
    # The author and whoever supported it are told (once each).
    told = {proposal.author_id, *proposal.supports.values_list("user_id", flat=True)}
    for recipient in User.objects.filter(pk__in=told, is_active=True).order_by("pk"):
        outbox_add(
            recipient=recipient,
            kind="participation.proposal_answered",
            dedup_key=f"participation.proposal_answered:{proposal.pk}:{recipient.pk}",
            context={"proposal_id": proposal.pk},
        )
    events.record(
        "participation.proposal_answered",
        actor=actor,
        subject=proposal,
        details={"accepted": accepted, "late": late},
        office_id=proposal.office_id,
    )
    return proposal


# --- Accountability --------------------------------------------------------------------------------

OUTCOME_STAGES = (Stage.IN_PROGRESS, Stage.DONE)
# Stages where what was decided is still being carried out: what changed may wait (it is
# required at any other stage, where it is in place).
UNDER_WAY_STAGES = (Stage.IN_PROGRESS,)
CHANGED_NEEDED = _("Write what changed (at least %(min)d characters): it is required once it is done.")
CHANGED_MIN = 10
DEBATE_STILL_OPEN = _(
    "This debate is still open, so it cannot be marked done: close the debate first, or choose "
    "“Being carried out”."
)


CHANGED_IN_INDONESIAN = _("Write what changed in Indonesian too (the English version is optional).")


def _decided(text: str, field: str) -> str:
    return _clean_text(text, field=field, low=20, high=4000)


def _changed(text: str, field: str) -> str:
    # Empty (in Indonesian only while it is being carried out) or a real sentence.
    if not (text or "").strip():
        return ""
    return _clean_text(text, field=field, low=CHANGED_MIN, high=4000)


@transaction.atomic
def outcome_publish(
    *,
    actor: Actor,
    subject: Survey | Debate | Proposal,
    decided_id: str,
    decided_en: str = "",
    changed_id: str = "",
    changed_en: str = "",
    stage: str,
) -> Outcome:
    """What was decided and what changed, published on the item's page (replacing an earlier
    statement), and a step of its timeline, in Indonesian and, optionally, English. What changed
    may wait while it is being carried out; it is required (in Indonesian) once it is done."""
    _staff_check(actor, subject.office)
    with Problems() as problems:
        decided = _bilingual(problems, _decided, "decided", decided_id, decided_en)
        changed_text = (changed_id or "").strip().replace("\r\n", "\n")
        if stage not in UNDER_WAY_STAGES and len(changed_text) < CHANGED_MIN:
            problems.add(ValidationError(CHANGED_NEEDED % {"min": CHANGED_MIN}, field="changed_id"))
            changed = ("", "")
        elif not changed_text and (changed_en or "").strip():
            problems.add(ValidationError(CHANGED_IN_INDONESIAN, field="changed_id"))
            changed = ("", "")
        else:
            changed = _bilingual(problems, _changed, "changed", changed_id, changed_en)
        if stage not in OUTCOME_STAGES:
            problems.add(ValidationError(_("Choose where it stands."), field="stage"))
    subject.refresh_from_db()
    if isinstance(subject, Debate) and stage == Stage.DONE and subject.closed_at is None:
        raise ValidationError(DEBATE_STILL_OPEN, field="stage")
    if isinstance(subject, Survey) and not subject.is_closed():
        raise Conflict(_("Publish what came of a survey once it has closed."))
    if isinstance(subject, Proposal) and subject.status not in (
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    ):
        raise Conflict(_("Answer the proposal before publishing what came of it."))
    outcome, _created = Outcome.objects.update_or_create(
        kind=selectors.kind_of(subject),
        subject_id=subject.pk,
        defaults={
            "decided_id": decided[0],
            "decided_en": decided[1],
            "changed_id": changed[0],
            "changed_en": changed[1],
            "published_at": timezone.now(),
            "published_by": person(actor),
        },
    )
    stage_record(subject, Stage(stage))
    events.record(
        "participation.outcome_published",
        actor=actor,
        subject=outcome,
        details={"kind": outcome.kind, "id": subject.pk},
        office_id=subject.office_id,
    )
    return outcome


# --- Erasure at the person's request (UU PDP Pasal 43) ---------------------------------------------


@dataclass(frozen=True)
class PersonParticipation:
    """What erasure does, or would do, to a person's part in public participation."""

    posts: int  # posts shown in debates: kept for the debate to read on, without the name
    withdrawn_posts: int  # hidden or removed posts: their text erased (nobody reads them)
    proposals: int  # kept (others supported them, the unit answered), without the name
    responses: int  # survey responses: their choices stay in the results, linked to nobody known
    written_answers: int  # written answers: erased
    supports: int  # supports of posts and proposals: kept in the counts
    reports: int  # reports of posts: the note erased, the report kept for moderation


def person_participation_plan(person: Any) -> PersonParticipation:
    posts = selectors.posts_by(person)
    answers = selectors.answers_by(person)
    return PersonParticipation(
        posts=posts.filter(status=PostStatus.VISIBLE).exclude(display_name="").count(),
        withdrawn_posts=posts.exclude(status=PostStatus.VISIBLE).exclude(body="").count(),
        proposals=selectors.proposals_by(person).exclude(display_name="").count(),
        responses=Response.objects.filter(respondent=person).count(),
        written_answers=answers.exclude(text="").count(),
        supports=PostSupport.objects.filter(user=person).count()
        + ProposalSupport.objects.filter(user=person).count(),
        reports=PostReport.objects.filter(reporter=person).exclude(note="").count(),
    )


@transaction.atomic
def person_participation_erase(*, person: Any, actor: Any) -> PersonParticipation:
    """Take ``person``'s name and words out of public participation, at their request, without
    breaking what others built on them. A post still shown stays (the replies under it answer
    it) but its author is shown as a former participant; a hidden or removed one loses its text
    and the moderator's reason.
    A proposal stays for those who supported it and the unit that answered it, without the name.
    Written survey answers are erased; the choices stay in the results. Supports stay counted;
    the notes of reports of posts go. What remains points at the pseudonymised account only."""
    if not isinstance(actor, SystemActor) and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied()
    plan = person_participation_plan(person)
    posts = selectors.posts_by(person)
    # A hidden or removed post loses its text, and the moderator's words about it (they may
    # quote it): in the post and in its events' notes.
    withdrawn = list(posts.exclude(status=PostStatus.VISIBLE).values_list("pk", flat=True))
    Post.objects.filter(pk__in=withdrawn).update(body="", moderation_reason="")
    events.notes_erase(Post._meta.label_lower, withdrawn)
    posts.exclude(display_name="").update(display_name="")
    selectors.proposals_by(person).exclude(display_name="").update(display_name="")
    selectors.answers_by(person).exclude(text="").update(text="", text_status="")
    PostReport.objects.filter(reporter=person).exclude(note="").update(note="")
    events.record(
        "participation.person_erased",
        actor=actor,
        subject=person,
        details={
            "posts": plan.posts,
            "withdrawn_posts": plan.withdrawn_posts,
            "proposals": plan.proposals,
            "written_answers": plan.written_answers,
            "reports": plan.reports,
        },
    )
    return plan
