"""What the assistant shows on pages other apps own (``core.panels``): the chat box on every
public and applicant page (not in the back office, nor on its own page), and the week's
unanswered questions on the staff home of content staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.assistant import selectors
from gerbang.assistant.forms import QuestionForm
from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission

# Pages without the box: the back office (staff work there), the assistant's own page (it is
# the box), and pages Django serves itself.
_WITHOUT = frozenset({"backoffice", "assistant", "admin"})


def chat_box(request: HttpRequest) -> dict[str, Any] | None:
    match = request.resolver_match
    if match is None or _WITHOUT.intersection(match.namespaces):
        return None
    return {"assistant_form": QuestionForm(auto_id="assistant-box-%s")}


panels.register(panels.Panel(panels.PAGE_HELP, "assistant/panels/chat_box.html", chat_box, order=10))


def questions_to_improve(request: HttpRequest) -> dict[str, Any] | None:
    """On the staff home of content staff: the questions of the week the assistant could not
    answer, with a link to their page."""
    if not has_permission(request.user, Perm.CONTENT_NATIONAL):
        return None
    return {"assistant_unanswered": selectors.to_improve(days=selectors.PERIODS[0]).count()}


panels.register(
    panels.Panel(
        panels.STAFF_WORK, "assistant/panels/questions_to_improve.html", questions_to_improve, order=90
    )
)
