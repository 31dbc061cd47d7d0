"""The queue's public pages: the office's kiosk, its display board, and the visitor's ticket
(to print, and to follow on the phone). The board and the ticket page update live through the
relay; without JavaScript the ticket page refreshes itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import panels
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError, PermissionDenied
from gerbang.core.forms import add_service_error
from gerbang.core.qr import qr_svg
from gerbang.queueing import selectors, services, voice
from gerbang.queueing.forms import CheckInForm
from gerbang.queueing.models import KioskDevice, Ticket

KIOSK_COOKIE = "gerbang_kiosk"
KIOSK_SALT = "gerbang.queueing.kiosk"
KIOSK_COOKIE_AGE = 60 * 60 * 24 * 365


def _office(code: str) -> Office:
    office = catalog.office_by_code(code)
    if office is None:
        raise Http404
    return office


def live_stream_url(office: Office) -> str:
    return f"{settings.LIVE_URL}/live/offices/{office.code}/queue"


def kiosk_of(request: HttpRequest, office: Office) -> KioskDevice | None:
    """The registered kiosk this browser is, for this office (its signed cookie), or None."""
    raw = request.COOKIES.get(KIOSK_COOKIE, "")
    if not raw:
        return None
    try:
        kiosk_id = int(signing.loads(raw, salt=KIOSK_SALT, max_age=KIOSK_COOKIE_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    kiosk = selectors.kiosk_by_id(kiosk_id)
    return kiosk if kiosk is not None and kiosk.office_id == office.pk else None


def kiosk_cookie(response: HttpResponse, kiosk: KioskDevice) -> None:
    response.set_cookie(
        KIOSK_COOKIE,
        signing.dumps(kiosk.pk, salt=KIOSK_SALT),
        max_age=KIOSK_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@never_cache
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """Check-in at the office: scan the booking's QR code (a scanner types it in) or type the
    code; the ticket follows, to print or to follow on the phone."""
    office = _office(code)
    device = kiosk_of(request, office)
    if device is None and not has_permission(request.user, Perm.QUEUE_SERVE, office_id=office.pk):
        raise PermissionDenied(
            _(
                "This page works only on the office's registered kiosks. An office administrator registers one in the back office."
            )
        )
    if device is not None:
        services.kiosk_seen(device)
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ticket = services.check_in(
                    office=office,
                    text=form.cleaned_data["code"],
                    priority_reason=form.cleaned_data["priority_reason"] or "",
                    actor=request.user if request.user.is_authenticated else SystemActor("kiosk"),
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                return redirect(
                    f"{reverse('queueing:ticket_print', args=[ticket.token])}?kiosk={office.code}"
                )
        status = 400
    return render(
        request, "queueing/kiosk.html", {"office": office, "form": form, "device": device}, status=status
    )


def _ticket_context(ticket: Ticket) -> dict[str, Any]:
    phone_url = f"{settings.SITE_URL}{reverse('queueing:ticket', args=[ticket.token])}"
    return {
        "ticket": ticket,
        "view": selectors.ticket_view(ticket),
        "office": ticket.office,
        "phone_url": phone_url,
        "qr": qr_svg(phone_url, scale=5, title="QR"),
        "stream_url": live_stream_url(ticket.office),
        "state_url": reverse("api:queue_board", args=[ticket.office.code]),
    }


@never_cache
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's phone page: their ticket, how many are ahead, the estimated wait, and the
    counter to go to once called. Updates live; without JavaScript it refreshes itself."""
    current = selectors.ticket_by_token(token)
    if current.token != token:
        return redirect("queueing:ticket", token=current.token)
    context = {
        **_ticket_context(current),
        "refresh_seconds": settings.QUEUE_PAGE_REFRESH_SECONDS,
        "panels": panels.shown(panels.TICKET_PAGE, request, ticket=current),
    }
    response = render(request, "queueing/ticket.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket as printed at the kiosk: the number, the lane, and a QR code to follow it on
    the phone. Opened from the kiosk, it returns there by itself."""
    current = selectors.ticket_by_token(token)
    context = _ticket_context(current)
    back = request.GET.get("kiosk", "")
    context["kiosk_url"] = reverse("queueing:kiosk", args=[back]) if back == current.office.code else ""
    return render(request, "queueing/ticket_print.html", context)


def board(request: HttpRequest, code: str) -> HttpResponse:
    """The office's display board, for a TV: who is served at which counter, the last calls and
    each lane's queue. It updates live and reconnects by itself."""
    office = _office(code)
    state = selectors.board_state(office)
    return render(
        request,
        "queueing/board.html",
        {
            "office": office,
            "state": state,
            "open_counters": [counter for counter in state["counters"] if counter["open"]],
            "stream_url": live_stream_url(office),
            "state_url": reverse("api:queue_board", args=[office.code]),
            "voice_clips": voice.clips_json(translation.get_language() or "id"),
        },
    )
