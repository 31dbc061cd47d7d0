"""The provider's webhook. It answers 401 to a bad signature or a replay, 400 to a body it
cannot read, and 200 to anything it has recorded (a payment, a duplicate or an anomaly), so
the provider stops retrying only once the notification is safe with us."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerbang.payments import services
from gerbang.payments.providers import MalformedNotification, SignatureError, get_provider

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        adapter = get_provider(provider)
    except LookupError:
        return JsonResponse({"error": "unknown provider"}, status=404)
    try:
        notification = adapter.parse_webhook(request.headers, request.body)
    except SignatureError as error:
        logger.warning("payment webhook refused: %s", error)
        return JsonResponse({"error": str(error)}, status=401)
    except MalformedNotification as error:
        logger.warning("payment webhook malformed: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    result = services.payment_notification_receive(provider=adapter.name, notification=notification)
    logger.info("payment webhook %s: %s", notification.transaction_id, result)
    return JsonResponse({"result": result})
