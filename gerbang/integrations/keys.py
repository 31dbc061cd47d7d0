"""Gerbang's own exchange key, and the partner agencies' keys looked up by key id."""

from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from gerbang.core import exchange_protocol as protocol
from gerbang.integrations.models import Agency, AgencyKey


@cache
def _own(pem: str) -> Ed25519PrivateKey:
    return protocol.private_key(pem)


def own_key() -> Ed25519PrivateKey:
    return _own(settings.EXCHANGE_SIGNING_KEY)


def own_key_id() -> str:
    return str(settings.EXCHANGE_KEY_ID)


def published() -> list[dict[str, str]]:
    """Gerbang's public keys, the current one first (partners verify its answers with them)."""
    keys = [
        {"keyid": own_key_id(), "alg": "ed25519", "pem": protocol.public_pem(own_key()), "status": "current"}
    ]
    keys += [
        {"keyid": key_id, "alg": "ed25519", "pem": pem, "status": "previous"}
        for key_id, pem in settings.EXCHANGE_PREVIOUS_KEYS.items()
    ]
    return keys


def live_key(key_id: str) -> AgencyKey | None:
    """The key with this id if it is in use (not retired) by an active agency."""
    return (
        AgencyKey.objects.select_related("agency")
        .filter(key_id=key_id, agency__active=True, added_at__lte=timezone.now(), retired_at__isnull=True)
        .first()
    )


def lookup_for(agency: Agency) -> object:
    """A key lookup that answers only this agency's keys in use (an answer signed by another
    agency's key does not verify)."""

    def lookup(key_id: str) -> Ed25519PublicKey | None:
        key = live_key(key_id)
        if key is None or key.agency_id != agency.pk:
            return None
        return protocol.public_key(key.public_pem)

    return lookup
