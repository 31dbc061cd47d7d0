"""A push service simulator (the role FCM or Mozilla's autopush play): it accepts Web Push
requests for its endpoints, checks that they carry a VAPID signature, and keeps the encrypted
bodies so a test can decrypt them as the browser would. ``gone`` endpoints answer 410."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerbang.simulators.models import PushedMessage


@csrf_exempt
@require_POST
def receive(request: HttpRequest, channel: str) -> HttpResponse:
    if channel.startswith("gone"):
        return HttpResponse(status=410)
    authorization = request.headers.get("Authorization", "")
    if not authorization.startswith("vapid t=") or request.headers.get("Content-Encoding") != "aes128gcm":
        return HttpResponse("VAPID authorisation and aes128gcm content are required", status=401)
    PushedMessage.objects.create(
        channel=channel,
        body=request.body,
        headers={
            k: v
            for k, v in request.headers.items()
            if k in {"Authorization", "Ttl", "Urgency", "Content-Encoding"}
        },
    )
    return HttpResponse(status=201)
