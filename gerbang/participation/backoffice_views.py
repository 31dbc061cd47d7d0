"""The staff's participation pages, scoped to their offices (national items and every office to
national administrators): surveys (make; add, change, remove and move questions while a draft;
close after confirming), written answers to moderate, debates (open, close after confirming),
the moderation queue of reported posts, proposals to answer (late ones flagged), and the
statement of what came of each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.core.exceptions import ApplicationError, PermissionDenied
from gerbang.core.forms import add_service_error, carry_out
from gerbang.core.scoping import office_scope
from gerbang.participation import exports, selectors, services
from gerbang.participation.forms import (
    DebateForm,
    ModerateForm,
    OfficialPostForm,
    OutcomeForm,
    ProposalAnswerForm,
    QuestionForm,
    SurveyForm,
    office_of,
)
from gerbang.participation.models import Debate, PostStatus, Proposal, Question, Survey, unit_name


def _national(request: AuthenticatedRequest) -> bool:
    return office_scope(request.user).every_office


def home(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_VIEW)
    user = request.user
    return render(
        request,
        "participation/backoffice/home.html",
        {
            "surveys": selectors.surveys_for_staff(user)[:50],
            "debates": selectors.debates_for_staff(user)[:50],
            "to_answer": [
                {"proposal": p, "overdue": selectors.is_overdue(p)}
                for p in selectors.proposals_to_answer(user)
            ],
            "queue_count": selectors.moderation_count(user),
            "texts_count": selectors.texts_to_moderate(user).count(),
            "can_manage": has_permission(user, Perm.PARTICIPATION_MANAGE),
            "can_moderate": has_permission(user, Perm.PARTICIPATION_MODERATE),
        },
    )


# --- Surveys -------------------------------------------------------------------------------------


def survey_new(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_MANAGE)
    form = SurveyForm(
        request.POST or None, offices=selectors.offices_to_run(request.user), national=_national(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                title_id=data["title_id"],
                title_en=data["title_en"],
                description_id=data["description_id"],
                description_en=data["description_en"],
                office=office_of(data["unit"]),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                served_only=data["served_only"],
                residents_only=data["residents_only"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The survey is made as a draft. Add its questions, then publish it: only then can people see it."
                ),
            )
            return redirect("backoffice:participation_survey", pk=survey.pk)
    return _form_page(request, form, _("New survey"), _("Make the survey"))


def survey_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not selectors.can_run(request.user, survey.office):
        raise PermissionDenied()
    initial = {
        "title_id": survey.title_id,
        "title_en": survey.title_en,
        "description_id": survey.description_id,
        "description_en": survey.description_en,
        "opens_at": timezone.localtime(survey.opens_at),
        "closes_at": timezone.localtime(survey.closes_at),
        "served_only": survey.served_only,
        "residents_only": survey.residents_only,
    }
    form = SurveyForm(request.POST or None, initial=initial, offices=None, national=False, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_update(
                actor=request.user,
                survey=survey,
                title_id=data["title_id"],
                title_en=data["title_en"],
                description_id=data["description_id"],
                description_en=data["description_en"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                served_only=data["served_only"],
                residents_only=data["residents_only"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The survey is changed."))
            return redirect("backoffice:participation_survey", pk=survey.pk)
    return _form_page(request, form, _("Change the survey"), _("Save the changes"))


def _form_page(
    request: AuthenticatedRequest, form: Any, heading: Any, button: Any, back: Survey | None = None
) -> HttpResponse:
    """A staff form's page: as it was posted (400, the service's refusals on it) or new;
    ``back``: the survey it belongs to (linked, and a way back without saving)."""
    return render(
        request,
        "participation/backoffice/form.html",
        {"form": form, "heading": heading, "button": button, "back": back},
        status=400 if request.method == "POST" else 200,
    )


def _survey(request: AuthenticatedRequest, pk: int) -> Survey:
    require_permission(request.user, Perm.PARTICIPATION_VIEW)
    survey = selectors.survey_for_staff(request.user, pk)
    if survey is None:
        raise Http404
    return survey


def survey_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question_form = QuestionForm(request.POST or None, prefix="question")
    if request.method == "POST" and question_form.is_valid():
        try:
            services.question_add(actor=request.user, survey=survey, **question_form.question())
        except ApplicationError as exc:
            add_service_error(question_form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("backoffice:participation_survey", pk=survey.pk)
    return _survey_page(request, survey, question_form=question_form)


def _question(request: AuthenticatedRequest, pk: int, question_pk: int) -> tuple[Survey, Question]:
    survey = _survey(request, pk)
    if not selectors.can_run(request.user, survey.office):
        raise PermissionDenied()
    question = survey.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    return survey, question


def _not_a_draft(request: AuthenticatedRequest, survey: Survey) -> HttpResponse | None:
    """Questions change only while their survey is a draft: else back to it, saying so."""
    if survey.is_published or survey.is_closed():
        messages.error(request, str(services.DRAFT_ONLY))
        return redirect("backoffice:participation_survey", pk=survey.pk)
    return None


def question_edit(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    """A draft survey's question changed with the form that added it, prefilled."""
    survey, question = _question(request, pk, question_pk)
    refused = _not_a_draft(request, survey)
    if refused is not None:
        return refused
    initial = {
        "kind": question.kind,
        "text_id": question.text_id,
        "text_en": question.text_en,
        "choices_id": "\n".join(question.choices_id or []),
        "choices_en": "\n".join(question.choices_en or []),
        "required": question.required,
    }
    form = QuestionForm(request.POST or None, initial=initial, prefix="question")
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, **form.question())
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The question is changed."))
            return redirect(
                f"{reverse('backoffice:participation_survey', args=[survey.pk])}#question-{question.pk}"
            )
    return _form_page(request, form, _("Change the question"), _("Save the question"), back=survey)


def question_delete(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    """A draft survey's question removed, after a confirmation."""
    survey, question = _question(request, pk, question_pk)
    refused = _not_a_draft(request, survey)
    if refused is not None:
        return refused
    back = reverse("backoffice:participation_survey", args=[survey.pk])
    if not _confirmed(request):
        return _confirm_page(
            request,
            survey,
            heading=_("Remove this question?"),
            explanation=[question.text],
            button=_("Remove the question"),
            back=back,
        )
    if carry_out(
        request,
        lambda: services.question_delete(actor=request.user, question=question),
        _("The question is removed."),
    ):
        return redirect(f"{back}#questions-heading")
    return redirect(back)


@require_POST
def question_move(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    """A draft survey's question moved one place up or down."""
    survey, question = _question(request, pk, question_pk)
    refused = _not_a_draft(request, survey)
    if refused is not None:
        return refused
    up = request.POST.get("direction") == "up"
    carry_out(
        request,
        lambda: services.question_move(actor=request.user, question=question, up=up),
        _("The question is moved up.") if up else _("The question is moved down."),
    )
    return redirect(f"{reverse('backoffice:participation_survey', args=[survey.pk])}#question-{question.pk}")


def _survey_page(request: AuthenticatedRequest, survey: Survey, **forms: Any) -> HttpResponse:
    can_manage = selectors.can_run(request.user, survey.office)
    answered = survey.responses.count()
    context = {
        "survey": survey,
        "questions": selectors.questions_of(survey),
        "answered": answered,
        "withheld": survey.results_visible and selectors.results_withheld(survey, answered),
        "min_respondents": selectors.results_min_respondents(),
        "can_manage": can_manage,
        # Questions are changed, removed and moved only while the survey is a draft.
        "editable": can_manage and not survey.is_published and not survey.is_closed(),
        "question_form": forms.get("question_form") or QuestionForm(prefix="question"),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(prefix="outcome", kind="survey"),
        "kind": "survey",
        "subject": survey,
        **_accountability(survey),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/backoffice/survey.html", context, status=status)


def _accountability(subject: Survey | Debate | Proposal) -> dict[str, Any]:
    return {"outcome": selectors.outcome_of(subject), "timeline": selectors.timeline_of(subject)}


@require_POST
def survey_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    carry_out(
        request,
        lambda: services.survey_publish(actor=request.user, survey=survey),
        _("The survey is published: people see it from its opening date."),
    )
    return redirect("backoffice:participation_survey", pk=survey.pk)


def _confirm_page(
    request: AuthenticatedRequest,
    subject: Survey | Debate,
    *,
    heading: Any,
    explanation: list[Any],
    button: Any,
    back: str,
    warning: str = "",
) -> HttpResponse:
    """The step before an action that cannot be undone: what it does, and its button (a form
    without JavaScript); the action is done only when this page's form is posted."""
    return render(
        request,
        "participation/backoffice/confirm.html",
        {
            "subject": subject,
            "heading": heading,
            "explanation": explanation,
            "warning": warning,
            "button": button,
            "back": back,
            "action": request.path,
        },
    )


def _confirmed(request: AuthenticatedRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def survey_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Closing a survey early publishes its results: asked again first (GET, or a POST without
    the confirmation), done on the confirmation's POST."""
    survey = _survey(request, pk)
    back = reverse("backoffice:participation_survey", args=[survey.pk])
    if not selectors.can_run(request.user, survey.office):
        raise PermissionDenied()
    if not _confirmed(request):
        answered = survey.responses.count()
        warning = ""
        if selectors.results_withheld(survey, answered):
            warning = ngettext(
                "Only %(count)d person has answered, fewer than %(min)d: the public will see only this"
                " number, not the results, so no one can be recognised (you still see them here).",
                "Only %(count)d people have answered, fewer than %(min)d: the public will see only this"
                " number, not the results, so no one can be recognised (you still see them here).",
                answered,
            ) % {"count": answered, "min": selectors.results_min_respondents()}
        return _confirm_page(
            request,
            survey,
            heading=_("Close the survey now?"),
            explanation=[
                _("No one can answer it any more, and its results are published at once."),
            ],
            warning=warning,
            button=_("Close the survey and publish its results"),
            back=back,
        )
    carry_out(
        request,
        lambda: services.survey_close(actor=request.user, survey=survey),
        _("The survey is closed; its results are published."),
    )
    return redirect("backoffice:participation_survey", pk=survey.pk)


def survey_results_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A closed survey's results as CSV (the public's file: aggregates and approved written
    answers, masked); the download is recorded in the audit log."""
    survey = _survey(request, pk)
    if not survey.results_visible:
        messages.info(request, _("The results can be downloaded once the survey has closed."))
        return redirect("backoffice:participation_survey", pk=survey.pk)
    services.results_export_record(actor=request.user, survey=survey)
    response = exports.csv_response(survey)
    response["Cache-Control"] = "private, no-store"
    return response


def texts(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_MODERATE)
    if request.method == "POST":
        answer = selectors.texts_to_moderate(request.user).filter(pk=request.POST.get("answer") or 0).first()
        if answer is None:
            messages.error(request, _("That answer was already moderated."))
        else:
            approve = request.POST.get("decision") == "approve"
            services.text_answer_moderate(actor=request.user, answer=answer, approve=approve)
            messages.success(
                request, _("Shown in the results.") if approve else _("Kept out of the results.")
            )
        return redirect("backoffice:participation_texts")
    answers = list(selectors.texts_to_moderate(request.user)[:100])
    services.texts_read_record(actor=request.user, answers=answers)
    return render(request, "participation/backoffice/texts.html", {"answers": answers})


# --- Debates and moderation ------------------------------------------------------------------------


def debate_new(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_MANAGE)
    form = DebateForm(
        request.POST or None,
        offices=selectors.offices_to_run(request.user),
        national=_national(request),
        surveys=selectors.surveys_for_staff(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            debate = services.debate_create(
                actor=request.user,
                title_id=data["title_id"],
                title_en=data["title_en"],
                description_id=data["description_id"],
                description_en=data["description_en"],
                office=office_of(data["unit"]),
                survey=data["survey"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The debate is open."))
            return redirect("backoffice:participation_debate", pk=debate.pk)
    return _form_page(request, form, _("New debate"), _("Open the debate"))


def _debate(request: AuthenticatedRequest, pk: int) -> Debate:
    require_permission(request.user, Perm.PARTICIPATION_VIEW)
    debate = selectors.debate_for_staff(request.user, pk)
    if debate is None:
        raise Http404
    return debate


def debate_detail(
    request: AuthenticatedRequest, pk: int, outcome_form: OutcomeForm | None = None
) -> HttpResponse:
    debate = _debate(request, pk)
    return render(
        request,
        "participation/backoffice/debate.html",
        {
            "debate": debate,
            "posts": selectors.posts_for_staff(debate),
            "can_manage": selectors.can_run(request.user, debate.office),
            "can_answer": selectors.can_answer_officially(request.user, debate) and not debate.closed_at,
            "outcome_form": outcome_form or OutcomeForm(prefix="outcome", kind="debate"),
            "kind": "debate",
            "subject": debate,
            **_accountability(debate),
        },
        status=400 if outcome_form is not None else 200,
    )


def debate_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Closing a debate: asked again first, done on the confirmation's POST."""
    debate = _debate(request, pk)
    if not selectors.can_run(request.user, debate.office):
        raise PermissionDenied()
    if not _confirmed(request):
        return _confirm_page(
            request,
            debate,
            heading=_("Close the debate?"),
            explanation=[_("No one can post or reply in it any more; what was written stays shown.")],
            button=_("Close the debate"),
            back=reverse("backoffice:participation_debate", args=[debate.pk]),
        )
    carry_out(
        request, lambda: services.debate_close(actor=request.user, debate=debate), _("The debate is closed.")
    )
    return redirect("backoffice:participation_debate", pk=debate.pk)


def _moderation_page(
    request: AuthenticatedRequest, posted: ModerateForm | None = None, post_id: int | None = None
) -> HttpResponse:
    """The queue: posts hidden by readers' reports, then official answers readers reported
    (still shown); the form just posted keeps its errors."""

    def row(post: Any, *, official: bool) -> dict[str, Any]:
        form = posted if posted is not None and post.pk == post_id else None
        return {"post": post, "form": form or ModerateForm(prefix=f"p{post.pk}", official=official)}

    return render(
        request,
        "participation/backoffice/moderation.html",
        {
            "rows": [row(p, official=False) for p in selectors.moderation_queue(request.user)],
            "official_rows": [row(p, official=True) for p in selectors.reported_official_posts(request.user)],
        },
        status=400 if posted is not None else 200,
    )


def moderation(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_MODERATE)
    return _moderation_page(request)


@require_POST
def moderate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_MODERATE)
    post = selectors.post_for_staff(request.user, pk)
    if post is None:
        raise Http404
    official = post.official and post.status == PostStatus.VISIBLE
    form = ModerateForm(request.POST, prefix=f"p{post.pk}", official=official)
    if form.is_valid():
        restore = form.cleaned_data["decision"] == "restore"
        try:
            services.post_moderate(
                actor=request.user, post=post, restore=restore, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            if official and restore:
                messages.success(request, _("The official answer stays shown."))
            else:
                messages.success(
                    request, _("The post is shown again.") if restore else _("The post is removed.")
                )
            return redirect("backoffice:participation_moderation")
    return _moderation_page(request, form, post.pk)


def debate_official(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Staff answer on behalf of the debate's unit: a statement, or a reply to a post
    (``?reply=<post>``)."""
    debate = _debate(request, pk)
    if not selectors.can_answer_officially(request.user, debate):
        raise PermissionDenied(services.NOT_THE_UNIT)
    form = OfficialPostForm(request.POST or None, initial={"parent": request.GET.get("reply")})
    reply_to = request.POST.get("parent") or request.GET.get("reply") or ""
    replying = selectors.post_public(int(reply_to)) if reply_to.isdigit() else None
    if replying is not None and replying.debate_id != debate.pk:
        replying = None
    if request.method == "POST" and form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = selectors.post_public(form.cleaned_data["parent"])
            if parent is None:
                form.add_error(None, _("The post you reply to is no longer shown."))
        if not form.errors:
            try:
                published = services.post_publish_official(
                    actor=request.user,
                    debate=debate,
                    body=form.cleaned_data["body_id"],
                    body_en=form.cleaned_data["body_en"],
                    parent=parent,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The official answer is published."))
                if published.masked:
                    messages.warning(request, str(services.MASKED))
                return redirect(
                    f"{reverse('backoffice:participation_debate', args=[debate.pk])}#post-{published.post.pk}"
                )
    return render(
        request,
        "participation/backoffice/official_post.html",
        {"debate": debate, "form": form, "replying": replying, "unit": unit_name(debate.office)},
        status=400 if request.method == "POST" else 200,
    )


# --- Proposals -------------------------------------------------------------------------------------


def proposals(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PARTICIPATION_VIEW)
    rows = [
        {"proposal": p, "overdue": selectors.is_overdue(p)}
        for p in selectors.proposals_for_staff(request.user)[:200]
    ]
    return render(request, "participation/backoffice/proposals.html", {"rows": rows})


def _proposal(request: AuthenticatedRequest, pk: int) -> Proposal:
    require_permission(request.user, Perm.PARTICIPATION_VIEW)
    proposal = selectors.proposal_for_staff(request.user, pk)
    if proposal is None:
        raise Http404
    return proposal


def proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = ProposalAnswerForm(request.POST or None, prefix="answer")
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(
                actor=request.user,
                proposal=proposal,
                accepted=form.cleaned_data["accepted"] == "yes",
                answer_id=form.cleaned_data["answer_id"],
                answer_en=form.cleaned_data["answer_en"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The answer is published with the proposal."))
            return redirect("backoffice:participation_proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, answer_form=form)


def _proposal_page(
    request: AuthenticatedRequest,
    proposal: Proposal,
    *,
    answer_form: ProposalAnswerForm | None = None,
    outcome_form: OutcomeForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "participation/backoffice/proposal.html",
        {
            "proposal": proposal,
            "overdue": selectors.is_overdue(proposal),
            "can_manage": selectors.can_run(request.user, proposal.office),
            "answer_form": answer_form or ProposalAnswerForm(prefix="answer"),
            "outcome_form": outcome_form or OutcomeForm(prefix="outcome", kind="proposal"),
            "kind": "proposal",
            "subject": proposal,
            **_accountability(proposal),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Accountability --------------------------------------------------------------------------------


@require_POST
def outcome(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    subject: Survey | Debate | Proposal
    if kind == "survey":
        subject = _survey(request, pk)
    elif kind == "debate":
        subject = _debate(request, pk)
    elif kind == "proposal":
        subject = _proposal(request, pk)
    else:
        raise Http404
    form = OutcomeForm(request.POST, prefix="outcome", kind=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_publish(
                actor=request.user,
                subject=subject,
                decided_id=data["decided_id"],
                decided_en=data["decided_en"],
                changed_id=data["changed_id"],
                changed_en=data["changed_en"],
                stage=data["stage"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("What came of it is published."))
            return redirect(f"backoffice:participation_{kind}", pk=pk)
    if isinstance(subject, Survey):
        return _survey_page(request, subject, outcome_form=form)
    if isinstance(subject, Debate):
        return debate_detail(request, pk, outcome_form=form)
    return _proposal_page(request, subject, outcome_form=form)
