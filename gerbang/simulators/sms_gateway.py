"""Two SMS gateway simulators speaking the protocol of ``gerbang.notifications.sms``: they keep
every message they are given, and a tester can take either one down to see the other take over.

A developer tool: English only, mounted at /simulator/ only when ``settings.SIMULATORS``.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerbang.simulators.models import GatewayState, SimulatedSms

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def _keys() -> dict[str, str]:
    return {g["name"]: g["api_key"] for g in settings.SMS_GATEWAYS}


@csrf_exempt
@require_POST
def api_send(request: HttpRequest, gateway: str) -> HttpResponse:
    keys = _keys()
    if gateway not in keys:
        raise Http404
    if request.headers.get("Authorization") != f"Bearer {keys[gateway]}":
        return JsonResponse({"error": "unauthorised"}, status=401)
    if GatewayState.objects.filter(gateway=gateway, down=True).exists():
        return JsonResponse({"error": "service unavailable"}, status=503)
    try:
        data = json.loads(request.body)
        to, text = str(data["to"]), str(data["text"])
    except (ValueError, KeyError):
        return JsonResponse({"error": "malformed"}, status=400)
    if not E164.match(to):
        return JsonResponse({"error": "invalid number"}, status=400)
    sms = SimulatedSms.objects.create(
        gateway=gateway, to=to, text=text, client_reference=str(data.get("client_reference", ""))[:150]
    )
    return JsonResponse({"id": f"{gateway}-{sms.pk}"}, status=202)


def page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        gateway = request.POST.get("gateway", "")
        if gateway in _keys():
            state, _created = GatewayState.objects.get_or_create(gateway=gateway)
            state.down = not state.down
            state.save(update_fields=["down"])
            done = _("%(gateway)s is now down.") if state.down else _("%(gateway)s is now up.")
            messages.success(request, done % {"gateway": gateway})
        return redirect("simulators:sms")
    states = {s.gateway: s.down for s in GatewayState.objects.all()}
    return render(
        request,
        "simulators/sms.html",
        {
            "gateways": [(name, states.get(name, False)) for name in _keys()],
            "messages_sent": SimulatedSms.objects.all()[:50],
        },
    )
