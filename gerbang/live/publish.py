"""Telling the live relay that something changed: the only way business code reaches it.

``publish_on_commit`` is called inside a service's transaction; the message goes out once the
transaction has committed (DESIGN convention 2), built at that moment from the committed state.
With ``REDIS_URL`` it is a Redis PUBLISH, which every relay process hears; without, a row in
``LiveMessage``, which the relay reads. Publishing never fails the change that caused it: a lost
live message costs a page one refresh, a failed change costs the visitor their turn.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gerbang.live.models import LiveMessage

logger = logging.getLogger(__name__)

# Channels are short names such as ``queue:mesuji``; in Redis they carry a prefix, so several
# deployments can share one server.
KEEP_FOR = timedelta(hours=1)


def redis_channel(channel: str) -> str:
    return f"{settings.LIVE_CHANNEL_PREFIX}{channel}"


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def publish(channel: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    try:
        if settings.REDIS_URL:
            _redis(settings.REDIS_URL).publish(redis_channel(channel), text)
        else:
            LiveMessage.objects.create(channel=channel, data=text)
    except Exception:
        logger.exception("live message on %s not published", channel)


def publish_on_commit(channel: str, build: Callable[[], dict[str, Any]]) -> None:
    """After the current transaction commits, build the message from the committed state and
    publish it (nothing is sent when the transaction is rolled back)."""

    def send() -> None:
        try:
            data = build()
        except Exception:
            logger.exception("live message on %s not built", channel)
            return
        publish(channel, data)

    transaction.on_commit(send)


def prune(now: Any = None) -> int:
    """Forget messages older than an hour (the relay only ever needs the newest ones)."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = LiveMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted
