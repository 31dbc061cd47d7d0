"""The person's inbox, their choice of channels, and browser (push) subscriptions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.http import AuthenticatedRequest, safe_next
from gerbang.notifications import push, selectors, services
from gerbang.notifications.forms import PreferencesForm, PushDeviceForm
from gerbang.notifications.models import PushSubscription


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def inbox_read(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.POST.getlist("item")
    # An id no column holds (2**63 typed in) is no item: the ``__in`` look-up would overflow. Items
    # named but none valid mark nothing; only a post naming no item marks them all.
    ids = [int(i) for i in posted if i.isdigit() and 0 < int(i) < 2**63]
    services.inbox_mark_read(user=request.user, item_ids=ids if posted else None)
    return redirect(safe_next(request, reverse("notifications:inbox")))


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(user=request.user, choices=form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your choices were saved."))
            return redirect("notifications:preferences")
    return _preferences_page(request, form)


def _preferences_page(
    request: AuthenticatedRequest, form: PreferencesForm, *, bound: PushDeviceForm | None = None
) -> HttpResponse:
    """The choices page, with a form per device (``bound``: the one just sent, with its input)."""
    devices = [
        (
            device,
            bound
            if bound is not None and bound.prefix == f"device-{device.pk}"
            else PushDeviceForm(device=device),
        )
        for device in selectors.push_devices(request.user)
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "has_phone": bool(request.user.phone),
            "push_key": push.public_key() if push.available() else "",
            "push_devices": len(devices),
            "devices": devices,
        },
        status=400 if bound is not None else 200,
    )


@require_POST
@login_required
def push_device(request: AuthenticatedRequest, device_id: int) -> HttpResponse:
    """Rename a device, choose what it shows, or sign it off (works without JavaScript)."""
    device = get_object_or_404(PushSubscription, pk=device_id, user=request.user)
    if "remove" in request.POST:
        services.push_device_remove(user=request.user, device_id=device.pk)
        messages.success(request, _("That device will get no more browser notifications."))
        return redirect("notifications:preferences")
    form = PushDeviceForm(request.POST, device=device)
    if form.is_valid():
        try:
            services.push_device_update(
                user=request.user,
                device_id=device.pk,
                name=form.cleaned_data["name"],
                groups=form.cleaned_data["groups"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The device's choices were saved."))
            return redirect("notifications:preferences")
    return _preferences_page(request, PreferencesForm(user=request.user), bound=form)


@require_POST
@login_required
def push_subscribe(request: AuthenticatedRequest) -> HttpResponse:
    """Called by the page's script with the browser's PushSubscription (JSON)."""
    try:
        data = json.loads(request.body)
        services.push_subscribe(
            user=request.user,
            endpoint=str(data["endpoint"]),
            p256dh=str(data["keys"]["p256dh"]),
            auth=str(data["keys"]["auth"]),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed subscription"}, status=400)
    except ApplicationError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    return JsonResponse({"ok": True}, status=201)


@require_POST
@login_required
def push_unsubscribe(request: AuthenticatedRequest) -> HttpResponse:
    try:
        endpoint = str(json.loads(request.body)["endpoint"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed"}, status=400)
    return JsonResponse({"removed": services.push_unsubscribe(user=request.user, endpoint=endpoint)})
