"""A button's service call (``core.forms.carry_out``): the refusal is the page's error, success says so."""

from __future__ import annotations

from typing import Any


def test_a_buttons_service_call_says_what_happened(rf: Any) -> None:
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from gerbang.core.exceptions import Conflict
    from gerbang.core.forms import carry_out

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    def refuse() -> None:
        raise Conflict("Answer the question before closing it.")

    assert carry_out(request, lambda: None, "Closed.") is True
    assert carry_out(request, refuse, "Closed.") is False
    said = [(m.level_tag, m.message) for m in get_messages(request)]
    assert said == [("success", "Closed."), ("error", "Answer the question before closing it.")]
