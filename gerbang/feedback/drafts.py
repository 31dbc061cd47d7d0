"""A question handed to the consultation form from elsewhere (the assistant's "Ask an office"),
kept in the session under a short random key, so its text never travels in an address, where it
would land in access logs, browser history and Referer headers. The draft survives sign-in: the
session's data is carried over when its key is cycled at login."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse

SESSION_KEY = "consultation_drafts"
# The address parameter that names a draft (its key, never its text).
PARAM = "draft"
# The latest drafts kept per session: a chat hands over one per question.
KEEP = 10


def draft_keep(session: SessionBase, text: str) -> str:
    """Keep ``text`` for the consultation form; the key to name it by."""
    drafts = _drafts(session)
    key = secrets.token_urlsafe(6)
    drafts[key] = text
    session[SESSION_KEY] = dict(list(drafts.items())[-KEEP:])
    return key


def draft_url(key: str | None = None) -> str:
    """The consultation form, with the draft ``key`` filled in when given."""
    url = reverse("feedback:ask")
    return f"{url}?{urlencode({PARAM: key})}" if key else url


def draft_read(session: SessionBase, key: str) -> str:
    """The draft kept under ``key``; empty when there is none (expired, or another browser's)."""
    return _drafts(session).get(key, "") if key else ""


def draft_drop(session: SessionBase, key: str) -> None:
    drafts = _drafts(session)
    if drafts.pop(key, None) is not None:
        session[SESSION_KEY] = drafts


def _drafts(session: SessionBase) -> dict[str, str]:
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return {}
    return {str(key): str(text) for key, text in kept.items()}
