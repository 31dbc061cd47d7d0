"""Who may try to book right now: obvious automation is throttled before it reaches the slots.

One account hammering the booking (more than a person can press) and many accounts from one
network address are answered 429 with Retry-After; the counters live in the shared cache, so
every server process counts together (Redis when configured).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.accounts.throttling import client_ip
from gerbang.core.exceptions import RateLimited
from gerbang.core.ratelimit import Limit

# A person choosing times presses a few times a minute; a script presses hundreds.
PER_ACCOUNT = Limit("booking-account", 20, 60)
# Generous: an office's public network or a mobile carrier's NAT puts many people behind one address.
PER_ADDRESS = Limit("booking-address", 300, 60)


class TooFast(RateLimited):
    default_message = _("Too many booking attempts in a short time. Please wait a minute and try again.")


def admit(request: Any) -> None:
    """Count one booking attempt of this request; raise TooFast when over a limit."""
    for limit, subject in ((PER_ACCOUNT, str(request.user.pk)), (PER_ADDRESS, client_ip(request))):
        if limit.hit(subject) > limit.count:
            error = TooFast()
            error.retry_after = limit.retry_after()
            raise error
