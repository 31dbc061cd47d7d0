"""The assistant for the mobile app: ``POST /assistant/ask``, the same service as the page.

Open to everyone; a signed-in session (which must send its CSRF token, as on every other call)
gets personal answers from its own applications. The answer's links are absolute addresses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.utils import check_csrf

from gerbang.accounts.throttling import client_ip
from gerbang.assistant import services
from gerbang.assistant.engine import Source
from gerbang.assistant.models import Channel
from gerbang.assistant.views import conversation_key

router = Router(tags=["assistant"])


def _check_session(request: HttpRequest) -> None:
    """Anyone may ask, so the operation declares no security scheme; a signed-in session is
    checked as on every other call (its CSRF token), and is then the only key to personal
    answers."""
    if request.user.is_authenticated and check_csrf(request):
        raise HttpError(403, "CSRF check Failed")


class AssistantQuestionIn(Schema):
    question: str = Field(description="The question as the person wrote it (at most 500 characters).")
    language: str | None = Field(None, description="id or en; by default the question's own language.")


class AssistantSourceOut(Schema):
    key: str
    kind: str
    title: str
    url: str
    facts: list[str]


class AssistantLineOut(Schema):
    text: str
    url: str


class AssistantPersonalOut(Schema):
    who: str = Field(
        description="applicant (answered from their own data), visitor or staff (nothing looked up)."
    )
    intro: str
    lines: list[AssistantLineOut]
    links: list[AssistantLineOut]


class AssistantReplyOut(Schema):
    kind: str = Field(description="answer, unsure, decline, personal (or greeting).")
    language: str = Field(description="The language of the question, and of the answer's texts.")
    answer: AssistantSourceOut | None = Field(
        None, description="The entry that answers, with its facts as they stand now."
    )
    suggestions: list[AssistantSourceOut] = Field(description="When unsure: the closest topics.")
    notices: list[AssistantSourceOut] = Field(
        description="Live notices and closures to show with any answer."
    )
    personal: AssistantPersonalOut | None = None
    handover_url: str = Field(
        description="The consultation form, where a person asks an office. The app fills in the"
        " question itself (POST /api/v1/consultations): a question never travels in an address."
    )


def _source(request: HttpRequest, source: Source) -> dict[str, Any]:
    return {
        "key": source.key,
        "kind": source.kind,
        "title": source.title,
        "url": request.build_absolute_uri(source.url),
        "facts": list(source.facts),
    }


@router.post("/assistant/ask", response=AssistantReplyOut, auth=None)
def ask(request: HttpRequest, payload: AssistantQuestionIn) -> dict[str, Any]:
    _check_session(request)
    asked = services.question_ask(
        text=payload.question,
        language=payload.language,
        conversation_key=conversation_key(request, start_session=False),
        address=client_ip(request),
        asker=request.user,
        channel=Channel.API,
    )
    reply = asked.reply
    personal = asked.personal
    return {
        "kind": str(reply.kind),
        "language": reply.language,
        "answer": _source(request, reply.answer) if reply.answer is not None else None,
        "suggestions": [_source(request, each) for each in reply.suggestions],
        "notices": [_source(request, each) for each in reply.notices],
        "personal": None
        if personal is None
        else {
            "who": personal.who,
            "intro": personal.intro,
            "lines": [
                {"text": line.text, "url": request.build_absolute_uri(line.url) if line.url else ""}
                for line in personal.lines
            ],
            "links": [
                {"text": link.text, "url": request.build_absolute_uri(link.url)} for link in personal.links
            ],
        },
        "handover_url": request.build_absolute_uri(reverse("feedback:ask")),
    }
