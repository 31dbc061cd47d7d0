"""The /bantuan/ page: the question box and the answer. The chat box on every page posts here:
without JavaScript the answer comes on this page; with it (htmx), only the answer comes back and
takes its place under the box."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from gerbang.accounts.throttling import client_ip
from gerbang.assistant import services
from gerbang.assistant.forms import QuestionForm
from gerbang.assistant.selectors import SESSION_KEY
from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.core.forms import add_service_error
from gerbang.feedback import drafts


def conversation_key(request: HttpRequest, *, start_session: bool = True) -> str:
    """The key of this session's conversation: random, kept in the session (made on the first
    question). Without ``start_session``, a client that keeps no session (an app calling the
    API without cookies) gets a key of its own question and no session row."""
    key = request.session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        return key
    key = secrets.token_hex(16)
    if start_session or request.session.session_key is not None:
        request.session[SESSION_KEY] = key
    return key


# Without a CSRF token: the box is on every public page, and a page that used a token could not
# be kept in the shared page cache (``core.http.public_page``). Asking changes nothing of the
# asker's; a question posted from another site shows its answer to the asker alone (the
# answer cannot be read across sites), and the session cookie is not sent with it (SameSite).
@csrf_exempt
@never_cache
def help_page(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST if request.method == "POST" else None)
    asked = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.question_ask(
                text=form.cleaned_data["question"],
                conversation_key=conversation_key(request),
                address=client_ip(request),
                asker=request.user,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
            status = 429 if isinstance(exc, RateLimited) else 400
    elif form.is_bound:
        status = 400
    context = {
        "form": form,
        "asked": asked,
        "consultation_url": reverse("feedback:ask"),
        # "Ask an office" opens the consultation form with this question filled in (kept in the
        # session: a question never travels in an address).
        "handover_url": drafts.draft_url(drafts.draft_keep(request.session, asked.question))
        if asked is not None
        else "",
    }
    if request.headers.get("HX-Request"):
        # htmx swaps only successful answers: a refusal is an answer too, shown in place.
        return render(request, "assistant/includes/answer.html", {**context, "fragment": True})
    if asked is not None:
        # The box is empty again for the next question; the one asked shows with its answer.
        context["form"] = QuestionForm()
    return render(request, "assistant/help.html", context, status=status)
