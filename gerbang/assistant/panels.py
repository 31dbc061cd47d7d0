"""What the assistant shows on pages other apps own (``core.panels``): the chat box on every
public and applicant page (not in the back office, nor on its own page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.assistant.forms import QuestionForm
from gerbang.core import panels

# Pages without the box: the back office (staff work there), the assistant's own page (it is
# the box), and pages Django serves itself.
_WITHOUT = frozenset({"backoffice", "assistant", "admin"})


def chat_box(request: HttpRequest) -> dict[str, Any] | None:
    match = request.resolver_match
    if match is None or _WITHOUT.intersection(match.namespaces):
        return None
    return {"assistant_form": QuestionForm(auto_id="assistant-box-%s")}


panels.register(panels.Panel(panels.PAGE_HELP, "assistant/panels/chat_box.html", chat_box, order=10))
