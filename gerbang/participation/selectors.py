"""Reads of participation: what the public sees (surveys that have opened, visible posts,
proposals, results once a survey has closed, moderated free text only), who may answer, and the
staff's lists scoped to their offices (national items to whoever sees every office)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.accounts import selectors as accounts
from gerbang.applications import selectors as applications
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.calendar import local_date
from gerbang.core.permissions import Perm, has_permission
from gerbang.core.personal_data import masked
from gerbang.core.scoping import office_ids_of, office_scope
from gerbang.participation.models import (
    Answer,
    Debate,
    Outcome,
    Post,
    PostStatus,
    Proposal,
    ProposalStatus,
    ProposalSupport,
    Question,
    QuestionKind,
    ReportReason,
    Response,
    StatusChange,
    SubjectKind,
    Survey,
    TextStatus,
)

M = TypeVar("M", bound=Model)

NOT_SIGNED_IN = _("Sign in to take part.")
NOT_OPEN_YET = _("This survey is not open yet.")
CLOSED = _("This survey is closed.")
ALREADY_ANSWERED = _("You have already answered this survey. Thank you.")
NOT_SERVED = _(
    "This survey is for people served by %(office)s: it asks those with an application submitted there."
)
NOT_RESIDENT = _(
    "This survey is for residents of the working area of %(office)s: %(codes)s. The NIK on your"
    " profile is from another regency or city."
)
NO_NIK = _(
    "This survey is for residents of the working area of %(office)s: %(codes)s. Where you reside"
    " is read from the NIK on your profile: add your NIK on your profile page to answer."
)
NOT_PUBLISHED = _("The results are published when the survey closes.")
RESULTS_WITHHELD = _(
    "Fewer than %(min)d people answered this survey, so its results are not published: with so few"
    " answers, someone could be recognised from them."
)
STAFF_CANNOT = _("Staff accounts do not take part; sign in with a personal account.")
OWN_POST = _("This is your own post: you cannot report it.")
ALREADY_REPORTED = _("You have already reported this post. A moderator reads reported posts; thank you.")


# --- Who may do what -------------------------------------------------------------------------------


def can_run(user: Any, office: Office | None, perm: Perm = Perm.PARTICIPATION_MANAGE) -> bool:
    """Whether ``user`` may run (or moderate) items of ``office``: national items (no office)
    only whoever sees every office."""
    if office is None:
        return has_permission(user, perm) and office_scope(user).every_office
    return has_permission(user, perm, office_id=office.pk)


def can_answer_officially(user: Any, debate: Debate) -> bool:
    """Whether ``user`` may post on behalf of ``debate``'s unit: staff of the debate's office
    with the right to run participation (for a national debate, national staff with it). A
    national administrator does not speak for an office they do not belong to."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_role", False):
        return False
    office = debate.office
    if office is None:
        return can_run(user, None)
    return office.pk in office_ids_of(user) and has_permission(
        user, Perm.PARTICIPATION_MANAGE, office_id=office.pk
    )


def scoped(queryset: QuerySet[M], user: Any, *, office_field: str = "office") -> QuerySet[M]:
    """Staff lists: every item for national staff, their offices' items for the others."""
    scope = office_scope(user)
    if scope.every_office:
        return queryset
    if not scope.office_ids:
        return queryset.none()
    return queryset.filter(**{f"{office_field}__in": scope.office_ids})


def offices_to_run(user: Any) -> QuerySet[Office]:
    return catalog.offices_visible_to(user)


def served_by(user: Any, office: Office) -> bool:
    """Whether ``user`` was served by ``office``: an application of theirs was submitted there
    (read through the applicant's own cases, as their dashboard reads them)."""
    return applications.applications_of(user).filter(office=office).exclude(number=None).exists()


# --- Surveys -------------------------------------------------------------------------------------


def surveys_public(now: datetime | None = None) -> QuerySet[Survey]:
    """Published surveys that have opened (a draft is seen by staff only)."""
    return Survey.objects.filter(
        published_at__isnull=False, opens_at__lte=now or timezone.now()
    ).select_related("office")


def open_surveys(now: datetime | None = None) -> QuerySet[Survey]:
    """Surveys open now (opened, not closed early, not past their closing date)."""
    moment = now or timezone.now()
    return surveys_public(moment).filter(closes_at__gt=moment, closed_at=None).order_by("closes_at", "id")


def survey_public(pk: int) -> Survey | None:
    return surveys_public().filter(pk=pk).first()


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.all())


def response_of(user: Any, survey: Survey) -> Response | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Response.objects.filter(survey=survey, respondent=user).first()


def why_not_answer(user: Any, survey: Survey, now: datetime | None = None) -> str | None:
    """Why ``user`` may not answer ``survey`` now (a sentence), or None when they may."""
    moment = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return str(NOT_SIGNED_IN)
    if getattr(user, "is_staff_role", False):
        return str(STAFF_CANNOT)
    if not survey.is_published or moment < survey.opens_at:
        return str(NOT_OPEN_YET)
    if survey.is_closed(moment):
        return str(CLOSED)
    if Response.objects.filter(survey=survey, respondent=user).exists():
        return str(ALREADY_ANSWERED)
    if survey.served_only and survey.office is not None and not served_by(user, survey.office):
        return str(NOT_SERVED % {"office": survey.office.name})
    if survey.residents_only and survey.office is not None:
        if not accounts.residence_code(user):
            return str(NO_NIK % area_of(survey.office))
        if not accounts.resides_in(user, survey.office):
            return str(NOT_RESIDENT % area_of(survey.office))
    return None


def area_of(office: Office) -> dict[str, str]:
    """An office's name and working area, as the messages about residents name them."""
    return {"office": str(office.name), "codes": ", ".join(office.area_labels) or "-"}


def refusal_says_who(refusal: str | None, survey: Survey) -> str:
    """Which rule of who may answer ``refusal`` (of ``why_not_answer``) explains: "served",
    "residents" or "" (another refusal, or none). The survey's page then does not explain that
    rule a second time."""
    if refusal is None or survey.office is None:
        return ""
    area = area_of(survey.office)
    if refusal == str(NOT_SERVED % {"office": survey.office.name}):
        return "served"
    if refusal in (str(NOT_RESIDENT % area), str(NO_NIK % area)):
        return "residents"
    return ""


def needs_nik(user: Any, survey: Survey) -> bool:
    """Whether ``user`` is refused ``survey`` only because their profile has no NIK (the page
    then links to the profile)."""
    if not survey.residents_only or survey.office is None:
        return False
    return why_not_answer(user, survey) == str(NO_NIK % area_of(survey.office))


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    # (choice, count, percent) for single and multiple choice; for ranking, (choice, average
    # position, times ranked first), best first.
    rows: list[tuple[str, float, float]] = field(default_factory=list)
    # Scale: how many gave 1..5, and the mean.
    scale: list[tuple[int, int]] = field(default_factory=list)
    mean: float | None = None
    # Free text: the answers a moderator approved (pending ones counted, never shown).
    texts: list[str] = field(default_factory=list)
    pending: int = 0


def results_min_respondents() -> int:
    """The fewest respondents whose answers the public sees (``SURVEY_RESULTS_MIN_RESPONDENTS``)."""
    return max(1, int(settings.SURVEY_RESULTS_MIN_RESPONDENTS))


def results_withheld(survey: Survey, respondents: int | None = None) -> bool:
    """Whether the public sees only how many answered a closed survey, not what they answered:
    fewer than the minimum did, so someone could be recognised from the results."""
    count = survey.responses.count() if respondents is None else respondents
    return count < results_min_respondents()


def withheld_message() -> str:
    return str(RESULTS_WITHHELD % {"min": results_min_respondents()})


def survey_results(survey: Survey) -> list[QuestionResult]:
    """The aggregates of every question (no answer tied to anyone)."""
    results = []
    answers_by_question: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__survey=survey).order_by("id"):
        answers_by_question.setdefault(answer.question_id, []).append(answer)
    for question in questions_of(survey):
        answers = answers_by_question.get(question.pk, [])
        result = QuestionResult(question, respondents=len(answers))
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts: Counter[int] = Counter(i for a in answers for i in a.choices)
            for index, choice in enumerate(question.choices):
                share = 100 * counts[index] / len(answers) if answers else 0.0
                result.rows.append((choice, counts[index], round(share, 1)))
        elif question.kind == QuestionKind.RANKING:
            rows = []
            for index, choice in enumerate(question.choices):
                positions = [a.choices.index(index) + 1 for a in answers if index in a.choices]
                average = sum(positions) / len(positions) if positions else 0.0
                firsts = sum(1 for a in answers if a.choices and a.choices[0] == index)
                rows.append((choice, round(average, 2), float(firsts)))
            result.rows = sorted(rows, key=lambda row: (row[1] or 99, row[0]))
        elif question.kind == QuestionKind.SCALE:
            values = [a.scale for a in answers if a.scale is not None]
            tally = Counter(values)
            result.scale = [(value, tally[value]) for value in range(1, 6)]
            result.mean = round(sum(values) / len(values), 2) if values else None
        else:
            # Personal data masked even once a moderator let the answer in (as reviews are).
            result.texts = [masked(a.text) for a in answers if a.text_status == TextStatus.APPROVED]
            result.pending = sum(1 for a in answers if a.text_status == TextStatus.PENDING)
        results.append(result)
    return results


def surveys_for_staff(user: Any) -> QuerySet[Survey]:
    return (
        scoped(Survey.objects.select_related("office"), user)
        .annotate(answered=Count("responses"))
        .order_by("-opens_at", "-id")
    )


def survey_for_staff(user: Any, pk: int) -> Survey | None:
    return scoped(Survey.objects.select_related("office"), user).filter(pk=pk).first()


def texts_to_moderate(user: Any) -> QuerySet[Answer]:
    return scoped(
        Answer.objects.filter(text_status=TextStatus.PENDING).select_related("question__survey__office"),
        user,
        office_field="question__survey__office",
    ).order_by("id")


# --- Debates ---------------------------------------------------------------------------------------


def debates_public() -> QuerySet[Debate]:
    return (
        Debate.objects.select_related("office", "survey")
        .annotate(post_count=Count("posts", filter=Q(posts__status=PostStatus.VISIBLE)))
        .order_by("-created_at", "-id")
    )


def debate_public(pk: int) -> Debate | None:
    return Debate.objects.select_related("office", "survey").filter(pk=pk).first()


@dataclass
class Thread:
    post: Post
    supports: int
    supported: bool
    reported: bool
    replies: list[Thread]
    # A hidden or removed post is kept as a placeholder so the replies of others stay visible
    # under it: "hidden" (waiting for a moderator) or "removed" (with the reports' main reason).
    placeholder: str = ""
    removed_for: str = ""


def _main_reason(post: Post) -> str:
    """The reason most readers gave when reporting ``post`` (its category, never their notes)."""
    reasons = Counter(r.reason for r in post.reports.all())
    if not reasons:
        return ""
    return str(ReportReason(reasons.most_common(1)[0][0]).label)


def threads_of(debate: Debate, viewer: Any = None) -> list[Thread]:
    """The posts of ``debate``, replies under the post they answer. A hidden or removed post is
    shown as a placeholder (its text and author are not), so readers see where it was and the
    replies of others under it stay visible."""
    posts = list(
        debate.posts.annotate(support_count=Count("supports"))
        .prefetch_related("reports")
        .order_by("created_at", "id")
    )
    supported: set[int] = set()
    reported: set[int] = set()
    if getattr(viewer, "is_authenticated", False):
        ids = [p.pk for p in posts]
        supported = set(Post.objects.filter(pk__in=ids, supports__user=viewer).values_list("pk", flat=True))
        reported = set(Post.objects.filter(pk__in=ids, reports__reporter=viewer).values_list("pk", flat=True))
    nodes: dict[int, Thread] = {}
    for p in posts:
        node = Thread(p, getattr(p, "support_count", 0), p.pk in supported, p.pk in reported, [])
        if p.status == PostStatus.HIDDEN:
            node.placeholder = "hidden"
        elif p.status == PostStatus.REMOVED:
            node.placeholder = "removed"
            node.removed_for = _main_reason(p)
        nodes[p.pk] = node
    roots = []
    for post in posts:
        node = nodes[post.pk]
        if post.parent_id is None:
            roots.append(node)
        elif post.parent_id in nodes:
            nodes[post.parent_id].replies.append(node)
    # The unit's official answers come first among the replies of a post (then the others, as
    # they were written); the posts themselves stay in the order they were written.
    for node in nodes.values():
        node.replies.sort(key=lambda reply: not reply.post.official)
    return roots


def thread_starter(post: Post) -> Post:
    """The first post of the thread ``post`` is in (``post`` itself when it starts one)."""
    while post.parent_id is not None and post.parent is not None:
        post = post.parent
    return post


def post_public(pk: int) -> Post | None:
    return Post.objects.select_related("debate").filter(pk=pk, status=PostStatus.VISIBLE).first()


def moderation_queue(user: Any) -> QuerySet[Post]:
    """Posts hidden by readers' reports, waiting for a moderator, oldest first."""
    return scoped(
        Post.objects.filter(status=PostStatus.HIDDEN)
        .select_related("debate__office")
        .prefetch_related("reports"),
        user,
        office_field="debate__office",
    ).order_by("hidden_at", "id")


def reported_official_posts(user: Any) -> QuerySet[Post]:
    """Official answers readers reported since a moderator last looked at them: reports do not
    hide an official answer, they only bring it to the moderators."""
    reported = Q(moderated_at__isnull=True, reports__isnull=False) | Q(
        reports__created_at__gt=F("moderated_at")
    )
    return scoped(
        Post.objects.filter(reported, official=True, status=PostStatus.VISIBLE)
        .distinct()
        .select_related("debate__office")
        .prefetch_related("reports"),
        user,
        office_field="debate__office",
    ).order_by("created_at", "id")


def moderation_count(user: Any) -> int:
    """Reported posts waiting for a moderator's decision: hidden ones and official answers."""
    return moderation_queue(user).count() + reported_official_posts(user).count()


def post_for_staff(user: Any, pk: int) -> Post | None:
    return (
        scoped(Post.objects.select_related("debate__office"), user, office_field="debate__office")
        .filter(pk=pk)
        .first()
    )


def posts_for_staff(debate: Debate) -> QuerySet[Post]:
    """Every post of a debate, hidden and removed ones too, with their reports and the
    moderator's decision (the record of moderation)."""
    return (
        debate.posts.select_related("moderated_by")
        .annotate(report_count=Count("reports", distinct=True))
        .order_by("created_at", "id")
    )


def debates_for_staff(user: Any) -> QuerySet[Debate]:
    return scoped(Debate.objects.select_related("office"), user)


def debate_for_staff(user: Any, pk: int) -> Debate | None:
    return debates_for_staff(user).filter(pk=pk).first()


# --- Proposals -------------------------------------------------------------------------------------


def proposals_public() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("office")


def proposal_public(pk: int) -> Proposal | None:
    return proposals_public().filter(pk=pk).first()


def why_not_report(user: Any, post: Post) -> str | None:
    """Why ``user`` may not report ``post`` (a sentence), or None when they may."""
    if not getattr(user, "is_authenticated", False):
        return str(NOT_SIGNED_IN)
    if getattr(user, "is_staff_role", False):
        return str(STAFF_CANNOT)
    if post.author_id == user.pk:
        return str(OWN_POST)
    if post.reports.filter(reporter=user).exists():
        return str(ALREADY_REPORTED)
    return None


def has_supported(user: Any, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProposalSupport.objects.filter(proposal=proposal, user=user).exists()


def due_after(office: Office | None, since: datetime, working_days: int) -> date:
    """``working_days`` of the unit (weekends, holidays, the office's closures excluded) after
    the day of ``since`` where the unit is."""
    zone = office.time_zone if office is not None else settings.TIME_ZONE
    start = local_date(since, zone)
    calendar = catalog.working_calendar(office, start, horizon_days=working_days * 2 + 60)
    return calendar.add_working_days(start, working_days)


def is_overdue(proposal: Proposal, now: datetime | None = None) -> bool:
    if proposal.status != ProposalStatus.AWAITING or proposal.answer_due is None:
        return False
    zone = proposal.office.time_zone if proposal.office is not None else settings.TIME_ZONE
    return local_date(now or timezone.now(), zone) > proposal.answer_due


def proposals_for_staff(user: Any) -> QuerySet[Proposal]:
    return scoped(Proposal.objects.select_related("office"), user)


def proposals_to_answer(user: Any) -> QuerySet[Proposal]:
    return proposals_for_staff(user).filter(status=ProposalStatus.AWAITING).order_by("answer_due", "id")


def overdue_proposals(user: Any, now: datetime | None = None) -> list[Proposal]:
    return [p for p in proposals_to_answer(user) if is_overdue(p, now)]


def proposal_for_staff(user: Any, pk: int) -> Proposal | None:
    return proposals_for_staff(user).filter(pk=pk).first()


# --- Accountability --------------------------------------------------------------------------------


def kind_of(subject: Survey | Debate | Proposal) -> SubjectKind:
    if isinstance(subject, Survey):
        return SubjectKind.SURVEY
    if isinstance(subject, Debate):
        return SubjectKind.DEBATE
    return SubjectKind.PROPOSAL


def outcome_of(subject: Survey | Debate | Proposal) -> Outcome | None:
    return Outcome.objects.filter(kind=kind_of(subject), subject_id=subject.pk).first()


def timeline_of(subject: Survey | Debate | Proposal) -> list[StatusChange]:
    return list(
        StatusChange.objects.filter(kind=kind_of(subject), subject_id=subject.pk, at__lte=timezone.now())
    )


# --- A person's own contributions (UU PDP) ---------------------------------------------------------


def posts_by(person: Any) -> QuerySet[Post]:
    """What ``person`` wrote in debates as themselves (official answers are the unit's)."""
    return Post.objects.filter(author=person, official=False)


def proposals_by(person: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(author=person)


def answers_by(person: Any) -> QuerySet[Answer]:
    return Answer.objects.filter(response__respondent=person)
