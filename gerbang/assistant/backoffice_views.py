"""The content staff's page of questions the assistant could not answer: grouped by
similarity, biggest first, each group made into a FAQ entry or a synonym, or marked handled."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gerbang.assistant import selectors, services
from gerbang.assistant.forms import FaqFromQuestionsForm, SynonymForm
from gerbang.assistant.models import Turn
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error, refusal_of
from gerbang.core.http import AuthenticatedRequest
from gerbang.core.permissions import Perm, require_permission

BILINGUAL = [("question_id", "question_en"), ("answer_id", "answer_en")]


def _days(request: AuthenticatedRequest) -> int:
    source = request.POST if request.method == "POST" else request.GET
    raw = source.get("days", "")
    return int(raw) if raw.isdigit() and int(raw) in selectors.PERIODS else selectors.PERIODS[0]


def _chosen(request: AuthenticatedRequest) -> list[Turn]:
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(value) for value in source.getlist("turn") if value.isdigit()]
    return selectors.turns_to_improve(ids)


def _back(days: int | str) -> HttpResponse:
    return redirect(f"{reverse('backoffice:assistant_questions')}?days={days}")


def questions(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.CONTENT_NATIONAL)
    return _questions_page(request, days=_days(request))


def _questions_page(
    request: AuthenticatedRequest,
    *,
    days: int,
    refused: SynonymForm | None = None,
    refused_turns: list[Turn] | None = None,
) -> HttpResponse:
    """The page of groups; with ``refused``, a synonym form that was refused: shown again open,
    with what was typed and what to fix, in its group (or on its own above the groups when its
    questions no longer make one group)."""
    groups = selectors.question_groups(selectors.to_improve(days=days))
    retry = None
    if refused is not None:
        ids = sorted(turn.pk for turn in refused_turns or [])
        index = next((n for n, group in enumerate(groups, 1) if ids and sorted(group.ids) == ids), 0)
        refused.auto_id = f"synonym-{index}-%s"
        retry = {"index": index, "form": refused, "ids": ids}
    refusal = refusal_of(f"synonym-{retry['index']}", form=refused) if retry and refused else None
    context = {
        "groups": groups,
        "days": days,
        "periods": selectors.PERIODS,
        "total": sum(group.count for group in groups),
        "synonym_form": SynonymForm(),
        "low_confidence": selectors.LOW_CONFIDENCE,
        "retry": retry,
        "problems": refusal.problems if refusal else (),
    }
    return render(
        request, "assistant/backoffice/questions.html", context, status=400 if refused is not None else 200
    )


def question_faq(request: AuthenticatedRequest) -> HttpResponse:
    """A FAQ entry for a group: the content app's form, its question prefilled with the group's
    commonest wording in the group's language."""
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    turns = _chosen(request)
    group = selectors.question_groups(turns)[0] if turns else None
    initial: dict[str, Any] = {}
    if group is not None:
        initial["question_en" if group.language == "en" else "question_id"] = group.wording
    form = FaqFromQuestionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            faq = services.faq_from_questions(
                data=form.cleaned_data, publish=publish, actor=user, turns=turns
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("FAQ entry published; the assistant answers with it now.")
                if publish
                else _("FAQ entry saved as a draft; the assistant answers with it once it is published."),
            )
            return redirect("backoffice:faq_edit", pk=faq.pk)
    return render(
        request,
        "assistant/backoffice/faq.html",
        {
            "form": form,
            "pairs": [(form[a], form[b]) for a, b in BILINGUAL],
            "group": group,
            "turns": turns,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def question_synonym(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    form = SynonymForm(request.POST)
    turns = _chosen(request)
    days = _days(request)
    if form.is_valid():
        try:
            synonym = services.synonym_add(**form.cleaned_data, actor=user, turns=turns)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Synonym added: “%(variant)s” means “%(meaning)s”. The assistant uses it now.")
                % {"variant": synonym.variant, "meaning": synonym.meaning},
            )
            return _back(days)
    # Refused: the page again, the form open with what was typed and what to fix.
    return _questions_page(request, days=days, refused=form, refused_turns=turns)


@require_POST
def question_handled(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.CONTENT_NATIONAL)
    count = services.turns_handle(turns=_chosen(request), actor=user)
    messages.success(
        request,
        ngettext("%(count)d question marked handled.", "%(count)d questions marked handled.", count)
        % {"count": count},
    )
    return _back(_days(request))
