"""The applicant's appointment pages: choose a day and time, confirm the held time, and the
booking itself (QR code, calendar file, change or cancel). Every page works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications.selectors import application_of
from gerbang.appointments import admission, ics, seen, selectors, services, tokens
from gerbang.appointments.forms import HoldForm, SlotForm
from gerbang.appointments.models import Booking, BookingStatus, PriorityReason
from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.core.qr import qr_svg


def _own_application(request: HttpRequest, pk: int) -> Any:
    application = application_of(request.user, pk)
    if application is None:
        raise Http404
    return application


def _chooser_context(
    request: HttpRequest, application: Any, *, moving: Booking | None = None
) -> dict[str, Any]:
    priority = request.GET.get("priority", moving.priority_reason if moving else "")
    if priority not in PriorityReason.values:
        priority = ""
    services.slots_ensure_shown(office=application.office, group=application.service.category)
    days = selectors.availability(
        application.office, application.service, priority=bool(priority), exclude_booking=moving
    )
    if moving is None:
        seen.note(application.pk, days)
    chosen = parse_date(request.GET.get("day") or "") if request.GET.get("day") else None
    open_days = [d for d in days if d.is_open]
    selected = next((d for d in days if d.day == chosen), None) or (open_days[0] if open_days else None)
    return {
        "application": application,
        "days": days,
        "selected": selected,
        "priority": priority,
        "priority_choices": PriorityReason.choices,
        "moving": moving,
        "policy": selectors.policy_for(application.office_id, application.service.category),
    }


@never_cache
@login_required
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    """The one address of a case's appointment: choose a time, confirm it, or see the booking."""
    application = _own_application(request, pk)
    current = selectors.active_booking(application)
    if current is not None and current.status == BookingStatus.HELD:
        seconds = (
            int((current.hold_expires_at - timezone.now()).total_seconds()) if current.hold_expires_at else 0
        )
        deadline = selectors.change_deadline(current)
        return render(
            request,
            "appointments/confirm.html",
            {
                "application": application,
                "booking": current,
                "seconds_left": max(0, seconds),
                # Said before confirming: a time inside the change cut-off is final once confirmed.
                "change_deadline": deadline,
                "changeable": timezone.now() < deadline,
                "reschedules_left": selectors.reschedules_left(current),
            },
        )
    if current is not None:
        return render(request, "appointments/booking.html", _booking_context(application, current))
    arrived = selectors.bookings_of(application).filter(status=BookingStatus.CHECKED_IN).first()
    if arrived is not None:
        return render(request, "appointments/booking.html", _booking_context(application, arrived))
    if selectors.purpose_of(application) is None:
        past = selectors.bookings_of(application).first()
        if past is None:
            return redirect("applications:detail", pk=pk)
        return render(request, "appointments/booking.html", _booking_context(application, past))
    return _chooser_or_line(request, application)


def _chooser_or_line(
    request: HttpRequest, application: Any, *, moving: Booking | None = None
) -> HttpResponse:
    """The times to choose from, or, while the waiting room has not admitted this person yet,
    their place in line on a page that refreshes itself."""
    turn = admission.waiting_room(request)
    if not turn.admitted:
        refresh = min(turn.wait_seconds, 10)
        response = render(
            request,
            "appointments/waiting.html",
            {"application": application, "turn": turn, "refresh": refresh},
            status=429,
        )
        response["Retry-After"] = str(refresh)
        response["Refresh"] = str(refresh)
        return response
    return render(request, "appointments/choose.html", _chooser_context(request, application, moving=moving))


def _booking_context(application: Any, booking: Booking) -> dict[str, Any]:
    token = selectors.token_for(booking) if booking.is_active else ""
    return {
        "application": application,
        "booking": booking,
        "qr": qr_svg(token) if token else "",
        "token": token,
        "can_change": selectors.can_change(booking),
        "change_deadline": selectors.change_deadline(booking),
        "reschedules_left": selectors.reschedules_left(booking),
        "policy": selectors.policy_for(booking.slot.office_id, booking.slot.group),
    }


@require_POST
@login_required
def hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a time from the list."))
        return redirect("appointments:booking", pk=pk)
    try:
        admission.admit(request)
        services.booking_hold(
            application=application,
            slot_id=form.cleaned_data["slot"],
            actor=request.user,
            priority_reason=form.cleaned_data["priority_reason"] or "",
            first_free_day=seen.first_free_day(application.pk),
        )
    except RateLimited:
        raise  # a 429 page with Retry-After
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(_back_to_chooser(pk, request.POST))
    return redirect("appointments:booking", pk=pk)


def _back_to_chooser(pk: int, data: Any, view: str = "appointments:booking") -> str:
    url = reverse(view, args=[pk])
    query = urlencode({key: data[key] for key in ("day", "priority") if data.get(key)})
    return f"{url}?{query}" if query else url


@require_POST
@login_required
def confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    current = selectors.active_booking(application)
    if current is None:
        messages.error(
            request,
            _(
                "The time was held for you for a few minutes only and has been released. Please choose a time again."
            ),
        )
        return redirect("appointments:booking", pk=pk)
    try:
        services.booking_confirm(booking=current, actor=request.user)
        messages.success(request, _("Your appointment is booked. A confirmation is on its way."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("appointments:booking", pk=pk)


@require_POST
@login_required
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    current = selectors.active_booking(application)
    if current is None:
        return redirect("appointments:booking", pk=pk)
    was_held = current.status == BookingStatus.HELD
    try:
        services.booking_cancel(booking=current, actor=request.user)
        if not was_held:
            messages.success(request, _("The appointment is cancelled; the place is free for somebody else."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("appointments:booking", pk=pk)


@never_cache
@login_required
def reschedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    current = selectors.active_booking(application)
    if current is None or current.status != BookingStatus.CONFIRMED:
        return redirect("appointments:booking", pk=pk)
    if request.method == "POST":
        form = SlotForm(request.POST)
        if form.is_valid():
            try:
                admission.admit(request)
                services.booking_reschedule(
                    booking=current, slot_id=form.cleaned_data["slot"], actor=request.user
                )
                messages.success(
                    request, _("Your appointment is moved. A confirmation of the new time is on its way.")
                )
                return redirect("appointments:booking", pk=pk)
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
        else:
            messages.error(request, _("Choose a time from the list."))
        return redirect(_back_to_chooser(pk, request.POST, "appointments:reschedule"))
    return _chooser_or_line(request, application, moving=current)


@login_required
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    current = selectors.bookings_of(application).first()
    if current is None:
        raise Http404
    slot = current.slot
    event = ics.CalendarEvent(
        uid=f"{current.code}@gerbang",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=f"{current.get_purpose_display()} · {slot.office.name}",
        location=f"{slot.office.name}, {slot.office.address}",
        description=_("Booking code: %(code)s. Bring the original documents.") % {"code": current.code},
        url=f"{settings.SITE_URL}{reverse('appointments:booking', args=[pk])}",
        sequence=current.reschedules,
        cancelled=not current.is_active and current.status != BookingStatus.DONE,
    )
    response = HttpResponse(
        ics.calendar_file(event, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{current.code}.ics"'
    return response


def verification_key(request: HttpRequest) -> HttpResponse:
    """The public key with which anyone can check a booking QR code offline."""
    response = HttpResponse(tokens.public_key_pem(), content_type="application/x-pem-file")
    response["Cache-Control"] = "public, max-age=3600"
    return response
