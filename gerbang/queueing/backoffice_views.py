"""The queue in the back office: today's queue and figures (with walk-in tickets), a counter's
page (call next, recall, complete, no-show, set aside, transfer), the figures per day for
supervisors, and the lanes, counters, rules and kiosks for the office's administrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.queueing import selectors, services
from gerbang.queueing.forms import (
    CounterForm,
    KioskForm,
    LaneForm,
    ParkForm,
    QueueRulesForm,
    TransferForm,
    WalkInForm,
)
from gerbang.queueing.models import Counter, KioskDevice, Lane, Ticket
from gerbang.queueing.views import kiosk_cookie

REPORT_DAYS = 14


def _office(request: AuthenticatedRequest, code: str, perm: Perm) -> Office:
    office = catalog.staff_office_by_code(code)
    if office is None:
        raise Http404
    require_permission(request.user, perm, office_id=office.pk)
    return office


def queue_today(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_VIEW)
    lanes = list(selectors.lanes_of(office))
    can_serve = has_permission(request.user, Perm.QUEUE_SERVE, office_id=office.pk)
    walk_in = WalkInForm(request.POST or None, lanes=lanes, prefix="walkin")
    status = 200
    if request.method == "POST":
        require_permission(request.user, Perm.QUEUE_SERVE, office_id=office.pk)
        if walk_in.is_valid():
            try:
                ticket = services.walk_in_issue(
                    office=office,
                    lane=walk_in.cleaned_data["lane"],
                    priority_reason=walk_in.cleaned_data["priority_reason"] or "",
                    note=walk_in.cleaned_data["note"],
                    after_hours=walk_in.cleaned_data["after_hours"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                add_service_error(walk_in, exc)
            else:
                messages.success(request, _("Ticket %(number)s issued.") % {"number": ticket.number})
                return redirect(f"{reverse('queueing:ticket_print', args=[ticket.token])}")
        status = 400
    today = catalog.office_today(office)
    context = {
        "office": office,
        "figures": selectors.day_figures(office, today),
        "policy": selectors.policy_of(office),
        "counters": selectors.counters_of(office),
        "tickets": selectors.open_tickets(office, today),
        "walk_in": walk_in,
        "can_serve": can_serve,
        "can_report": has_permission(request.user, Perm.QUEUE_REPORT, office_id=office.pk),
        "can_manage": has_permission(request.user, Perm.QUEUE_MANAGE, office_id=office.pk),
        "has_lanes": bool(lanes),
        "open_now": catalog.is_open_at(office, timezone.now()),
        "closed_now": selectors.closed_now_text(office, timezone.now()),
    }
    return render(request, "queueing/backoffice/today.html", context, status=status)


def queue_report(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_REPORT)
    today = catalog.office_today(office)
    last = parse_date(request.GET.get("until") or "") or today
    first = parse_date(request.GET.get("from") or "") or last - dt.timedelta(days=REPORT_DAYS - 1)
    if first > last:
        first, last = last, first
    first = max(first, last - dt.timedelta(days=92))  # a quarter at most per page
    return render(
        request,
        "queueing/backoffice/report.html",
        {
            "office": office,
            "days": selectors.days_figures(office, first, last),
            "waits": selectors.waits([office.pk], first, last).get(office.pk, selectors.Waits()),
            "first": first,
            "last": last,
            "policy": selectors.policy_of(office),
        },
    )


def _counter(office: Office, number: int) -> Counter:
    return get_object_or_404(
        Counter.objects.select_related("office", "opened_by"), office=office, number=number, is_active=True
    )


def counter_page(request: AuthenticatedRequest, code: str, number: int) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_SERVE)
    counter = _counter(office, number)
    view = selectors.counter_view(counter)
    context: dict[str, Any] = {
        "office": office,
        "counter": counter,
        "mine": counter.opened_by_id == request.user.pk,
        **view,
        "park_form": ParkForm(prefix="park"),
        "transfer_form": _transfer_form(office, counter),
    }
    return render(request, "queueing/backoffice/counter.html", context)


def _transfer_form(office: Office, counter: Counter, data: Any = None) -> TransferForm:
    """Where a visitor at this counter can be sent: the office's lanes and its other counters."""
    others = [c for c in selectors.counters_of(office) if c.pk != counter.pk]
    return TransferForm(data, prefix="transfer", lanes=list(selectors.lanes_of(office)), counters=others)


def _ticket_here(office: Office, pk: str | None) -> Ticket:
    ticket = (
        Ticket.objects.select_related("lane", "counter", "office").filter(pk=pk or 0, office=office).first()
    )
    if ticket is None:
        raise Http404
    return ticket


@require_POST
def counter_action(request: AuthenticatedRequest, code: str, number: int) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_SERVE)
    counter = _counter(office, number)
    action = request.POST.get("action", "")
    actor = request.user
    try:
        if action == "open":
            services.counter_open(counter=counter, actor=actor)
            messages.success(request, _("You are at %(counter)s.") % {"counter": counter})
        elif action == "close":
            services.counter_close(counter=counter, actor=actor)
            messages.success(request, _("%(counter)s is closed.") % {"counter": counter})
        elif action == "next":
            ticket = services.call_next(counter=counter, actor=actor)
            if ticket is None:
                messages.info(request, _("Nobody is waiting for this counter."))
            else:
                messages.success(request, _("Calling %(number)s.") % {"number": ticket.number})
        else:
            _ticket_action(request, office, counter, action)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("backoffice:queue_counter", code=office.code, number=counter.number)


def _ticket_action(request: AuthenticatedRequest, office: Office, counter: Counter, action: str) -> None:
    ticket = _ticket_here(office, request.POST.get("ticket"))
    actor = request.user
    if action == "recall":
        services.ticket_recall(ticket=ticket, actor=actor)
        messages.success(request, _("Calling %(number)s again.") % {"number": ticket.number})
    elif action == "complete":
        services.ticket_complete(ticket=ticket, actor=actor)
        messages.success(request, _("%(number)s is served.") % {"number": ticket.number})
    elif action == "no_show":
        services.ticket_no_show(ticket=ticket, actor=actor)
        messages.success(request, _("%(number)s did not come.") % {"number": ticket.number})
    elif action == "park":
        park = ParkForm(request.POST, prefix="park")
        note = park.cleaned_data["note"] if park.is_valid() else ""
        services.ticket_park(ticket=ticket, actor=actor, note=note)
        messages.success(request, _("%(number)s is set aside.") % {"number": ticket.number})
    elif action == "return":
        services.ticket_return(ticket=ticket, actor=actor)
        messages.success(request, _("%(number)s is back in the queue.") % {"number": ticket.number})
    elif action == "call_back":
        services.ticket_call_back(ticket=ticket, counter=counter, actor=actor)
        messages.success(request, _("Calling %(number)s again.") % {"number": ticket.number})
    elif action == "transfer":
        form = _transfer_form(office, counter, request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose where to send the visitor."))
            return
        lane, target = form.cleaned_data["target"]
        services.ticket_transfer(
            ticket=ticket, lane=lane, counter=target, note=form.cleaned_data["note"], actor=actor
        )
        messages.success(request, _("%(number)s is sent on.") % {"number": ticket.number})
    else:
        messages.error(request, _("Unknown action."))


def queue_settings(request: AuthenticatedRequest, code: str) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_MANAGE)
    lanes = list(Lane.objects.filter(office=office))
    active_lanes = [lane for lane in lanes if lane.is_active]
    policy = selectors.policy_of(office)
    editing_lane = next((lane for lane in lanes if lane.letter == request.GET.get("lane")), None)
    lane_form = LaneForm(
        prefix="lane",
        initial={
            "letter": editing_lane.letter,
            "name_id": editing_lane.name_id,
            "name_en": editing_lane.name_en,
            "group": editing_lane.group,
            "purpose": editing_lane.purpose,
            "is_active": editing_lane.is_active,
        }
        if editing_lane
        else None,
    )
    editing_counter = Counter.objects.filter(office=office, number=request.GET.get("counter") or 0).first()
    counter_form = CounterForm(
        prefix="counter",
        lanes=active_lanes,
        initial={
            "number": editing_counter.number,
            "lanes": [str(pk) for pk in editing_counter.lanes.values_list("pk", flat=True)],
            "is_active": editing_counter.is_active,
        }
        if editing_counter
        else None,
    )
    rules_form = QueueRulesForm(
        prefix="rules",
        initial={
            "priority_every": policy.priority_every,
            "wait_target_minutes": policy.wait_target_minutes,
            "default_service_minutes": policy.default_service_minutes,
        },
    )
    forms: dict[str, Form] = {
        "lane": lane_form,
        "counter": counter_form,
        "rules": rules_form,
        "kiosk": KioskForm(prefix="kiosk"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action") or ""
        posted: dict[str, Callable[[], Form]] = {
            "lane": lambda: LaneForm(request.POST, prefix="lane"),
            "counter": lambda: CounterForm(request.POST, prefix="counter", lanes=active_lanes),
            "rules": lambda: QueueRulesForm(request.POST, prefix="rules"),
            "kiosk": lambda: KioskForm(request.POST, prefix="kiosk"),
        }
        if action not in posted:
            raise Http404
        form = forms[action] = posted[action]()
        if form.is_valid():
            try:
                return _save_settings(request, office, action, form.cleaned_data)
            except ApplicationError as exc:
                add_service_error(form, exc)
        status = 400
    context = {
        "office": office,
        "lanes": lanes,
        "counters": Counter.objects.filter(office=office).prefetch_related("lanes"),
        "kiosks": KioskDevice.objects.filter(office=office).order_by("revoked_at", "name"),
        "lane_form": forms["lane"],
        "counter_form": forms["counter"],
        "rules_form": forms["rules"],
        "kiosk_form": forms["kiosk"],
    }
    return render(request, "queueing/backoffice/settings.html", context, status=status)


def _save_settings(
    request: AuthenticatedRequest, office: Office, action: str, data: dict[str, Any]
) -> HttpResponse:
    here = redirect("backoffice:queue_settings", code=office.code)
    if action == "lane":
        lane = services.lane_save(office=office, actor=request.user, **data)
        messages.success(request, _("Lane %(letter)s is saved.") % {"letter": lane.letter})
    elif action == "counter":
        counter = services.counter_save(office=office, actor=request.user, **data)
        messages.success(request, _("%(counter)s is saved.") % {"counter": counter})
    elif action == "rules":
        services.queue_policy_set(office=office, actor=request.user, **data)
        messages.success(request, _("The queue rules are saved."))
    else:
        kiosk = services.kiosk_register(office=office, name=data["name"], actor=request.user)
        messages.success(
            request, _("This browser is now the kiosk “%(name)s” of the office.") % {"name": kiosk.name}
        )
        response = redirect("queueing:kiosk", code=office.code)
        kiosk_cookie(response, kiosk)
        return response
    return here


@require_POST
def kiosk_revoke(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    office = _office(request, code, Perm.QUEUE_MANAGE)
    kiosk = get_object_or_404(KioskDevice.objects.select_related("office"), pk=pk, office=office)
    services.kiosk_revoke(kiosk=kiosk, actor=request.user)
    messages.success(
        request, _("The kiosk “%(name)s” can no longer check visitors in.") % {"name": kiosk.name}
    )
    return redirect("backoffice:queue_settings", code=office.code)
