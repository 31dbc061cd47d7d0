"""The public pages of participation: the hub, surveys (answer, results), debates (post, reply,
support, report) and proposals (make, support), each with what came of it. Visitors read;
signed-in people take part. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error, carry_out, refusal_of
from gerbang.participation import exports, selectors, services
from gerbang.participation.forms import PostForm, ProposalForm, ReportPostForm, SurveyAnswerForm, office_of
from gerbang.participation.models import Debate, Proposal, ProposalStatus, Survey


def _accountability(subject: Survey | Debate | Proposal) -> dict[str, Any]:
    return {"outcome": selectors.outcome_of(subject), "timeline": selectors.timeline_of(subject)}


def hub(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    surveys = list(selectors.surveys_public(now)[:20])
    return render(
        request,
        "participation/hub.html",
        {
            "open_surveys": [s for s in surveys if s.is_open(now)][:5],
            "debates": selectors.debates_public()[:5],
            "proposals": selectors.proposals_public()[:5],
        },
    )


# --- Surveys -------------------------------------------------------------------------------------


def survey_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(selectors.surveys_public(now), 20).get_page(request.GET.get("page"))
    return render(request, "participation/survey_list.html", {"page": page, "now": now})


def _survey(pk: int) -> Survey:
    survey = selectors.survey_public(pk)
    if survey is None:
        raise Http404
    return survey


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(pk)
    refusal = selectors.why_not_answer(request.user, survey)
    return render(
        request,
        "participation/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "refusal": refusal,
            "refusal_says_who": selectors.refusal_says_who(refusal, survey),
            "needs_nik": selectors.needs_nik(request.user, survey),
            "area": selectors.area_of(survey.office) if survey.office else None,
            "answered": selectors.response_of(request.user, survey) is not None,
            **_accountability(survey),
        },
    )


@login_required
def survey_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = _survey(pk)
    refusal = selectors.why_not_answer(request.user, survey)
    if refusal is not None:
        # The survey's page says the refusal itself, except where it shows the results instead.
        if survey.results_visible:
            messages.info(request, refusal)
        return redirect("participation:survey", pk=survey.pk)
    form = SurveyAnswerForm(
        request.POST or None,
        questions=selectors.questions_of(survey),
        covered=survey.title.is_fallback,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, survey=survey, answers=form.answers())
        except ApplicationError as exc:
            for error in (exc, *getattr(exc, "others", ())):
                form.add_error(form.error_field(error.field), str(error.message))
        else:
            messages.success(
                request,
                _("Thank you: your answers were recorded. Results are published when the survey closes."),
            )
            return redirect("participation:survey", pk=survey.pk)
    return render(
        request,
        "participation/survey_answer.html",
        {"survey": survey, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(pk)
    if not survey.results_visible:
        messages.info(request, _("The results are published when the survey closes."))
        return redirect("participation:survey", pk=survey.pk)
    respondents = survey.responses.count()
    # Too few answered: only their number is shown, so no one can be recognised.
    withheld = selectors.results_withheld(survey, respondents)
    return render(
        request,
        "participation/survey_results.html",
        {
            "survey": survey,
            "results": [] if withheld else selectors.survey_results(survey),
            "respondents": respondents,
            "withheld": selectors.withheld_message() if withheld else "",
            **_accountability(survey),
        },
    )


def survey_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results as CSV: the same aggregates and approved written answers as the
    page, once the survey has closed."""
    survey = _survey(pk)
    if not survey.results_visible:
        messages.info(request, _("The results are published when the survey closes."))
        return redirect("participation:survey", pk=survey.pk)
    return exports.csv_response(survey, withheld=selectors.results_withheld(survey))


# --- Debates ---------------------------------------------------------------------------------------


def debate_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.debates_public(), 20).get_page(request.GET.get("page"))
    return render(request, "participation/debate_list.html", {"page": page})


def debate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debate = selectors.debate_public(pk)
    if debate is None:
        raise Http404
    form = PostForm(request.POST or None, initial={"parent": request.GET.get("reply")})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login()}?next={request.path}")
        if form.is_valid():
            parent = None
            if form.cleaned_data["parent"]:
                parent = selectors.post_public(form.cleaned_data["parent"])
            try:
                published = services.post_publish(
                    actor=request.user,
                    debate=debate,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Your post is published."))
                if published.masked:
                    messages.warning(request, str(services.MASKED))
                # The debate's own address: the reply form (``?reply=``) is closed.
                return redirect(f"{_debate_url(debate.pk)}#post-{published.post.pk}")
    replying = None
    if request.GET.get("reply", "").isdigit():
        replying = selectors.post_public(int(request.GET["reply"]))
    return render(
        request,
        "participation/debate_detail.html",
        {
            "debate": debate,
            "threads": selectors.threads_of(debate, request.user),
            "form": form,
            "replying": replying,
            # A refused post: summarised at the top of the (long) page, linking to the field; the
            # form posts to ``…#post-form`` so the browser opens the answer at the form.
            "problems": _problems("post-form", form),
            **_accountability(debate),
        },
        status=400 if request.method == "POST" else 200,
    )


def _problems(anchor: str, form: Any) -> tuple[Any, ...]:
    """What a refused form must fix, for ``includes/error_summary.html`` (none before sending)."""
    if not form.is_bound or not form.errors:
        return ()
    return refusal_of(anchor, form=form).problems


def _login() -> str:
    return str(resolve_url(settings.LOGIN_URL))


def _visible_post(pk: int) -> Any:
    post = selectors.post_public(pk)
    if post is None:
        raise Http404
    return post


@require_POST
@login_required
def post_support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _visible_post(pk)
    carry_out(
        request, lambda: services.post_support(actor=request.user, post=post), _("You support this post.")
    )
    return redirect(f"{_debate_url(post.debate_id)}#post-{post.pk}")


@require_POST
@login_required
def post_unsupport(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _visible_post(pk)
    carry_out(
        request,
        lambda: services.post_support_withdraw(actor=request.user, post=post),
        _("You no longer support this post."),
    )
    return redirect(f"{_debate_url(post.debate_id)}#post-{post.pk}")


def _debate_url(debate_id: int) -> str:
    return reverse("participation:debate", args=[debate_id])


@login_required
def post_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _visible_post(pk)
    refusal = selectors.why_not_report(request.user, post)
    if refusal is not None:
        # Said before the form rather than after sending it.
        return render(request, "participation/post_report.html", {"post": post, "refusal": refusal})
    form = ReportPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(
                actor=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you: a moderator reads reported posts."))
            return redirect("participation:debate", pk=post.debate_id)
    return render(
        request,
        "participation/post_report.html",
        {"post": post, "form": form, "problems": _problems("report-form", form)},
        status=400 if request.method == "POST" else 200,
    )


# --- Proposals -------------------------------------------------------------------------------------


def proposal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.proposals_public(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/proposal_list.html",
        {
            "page": page,
            "threshold": settings.PROPOSAL_SUPPORT_THRESHOLD,
            "answer_days": settings.PROPOSAL_ANSWER_DAYS,
        },
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_public(pk)
    if proposal is None:
        raise Http404
    return render(
        request,
        "participation/proposal_detail.html",
        {
            "proposal": proposal,
            "supported": selectors.has_supported(request.user, proposal),
            "can_support": proposal.status in (ProposalStatus.COLLECTING, ProposalStatus.AWAITING),
            "overdue": selectors.is_overdue(proposal),
            "answer_days": settings.PROPOSAL_ANSWER_DAYS,
            "current_threshold": settings.PROPOSAL_SUPPORT_THRESHOLD,
            **_accountability(proposal),
        },
    )


@login_required
def proposal_new(request: AuthenticatedRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposed = services.proposal_submit(
                actor=request.user, title=data["title"], body=data["body"], office=office_of(data["unit"])
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your proposal is published. Others can now support it."))
            if proposed.masked:
                messages.warning(request, str(services.MASKED))
            return redirect("participation:proposal", pk=proposed.proposal.pk)
    return render(
        request,
        "participation/proposal_new.html",
        {
            "form": form,
            "problems": _problems("proposal-form", form),
            "threshold": settings.PROPOSAL_SUPPORT_THRESHOLD,
            "answer_days": settings.PROPOSAL_ANSWER_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def proposal_support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_public(pk)
    if proposal is None:
        raise Http404
    carry_out(
        request,
        lambda: services.proposal_support(actor=request.user, proposal=proposal),
        _("You support this proposal."),
    )
    return redirect("participation:proposal", pk=proposal.pk)


@require_POST
@login_required
def proposal_unsupport(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_public(pk)
    if proposal is None:
        raise Http404
    carry_out(
        request,
        lambda: services.proposal_support_withdraw(actor=request.user, proposal=proposal),
        _("You no longer support this proposal."),
    )
    return redirect("participation:proposal", pk=proposal.pk)
