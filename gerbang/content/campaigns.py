"""The scam-awareness warnings a visitor hid: kept in a cookie (no account or session needed),
so a hidden warning stays hidden on every page, and cached pages vary on it (core.http)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

HIDDEN_COOKIE = "hidden_campaigns"
# A visitor rarely hides more than a few; the oldest are forgotten first.
MAX_HIDDEN = 20
HIDDEN_SECONDS = 180 * 24 * 3600


def hidden_ids(request: HttpRequest) -> list[int]:
    ids = []
    for part in request.COOKIES.get(HIDDEN_COOKIE, "").split("."):
        if part.isdigit() and len(part) < 10:
            ids.append(int(part))
    return ids[-MAX_HIDDEN:]


def hide(request: HttpRequest, response: HttpResponse, campaign_id: int) -> None:
    ids = [i for i in hidden_ids(request) if i != campaign_id] + [campaign_id]
    response.set_cookie(
        HIDDEN_COOKIE,
        ".".join(str(i) for i in ids[-MAX_HIDDEN:]),
        max_age=HIDDEN_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
