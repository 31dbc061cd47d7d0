"""The canonical leaf, version 1: what the log holds of one event (docs/ledger.md).

A leaf is the ASCII JSON text of one object with sorted keys and no whitespace
(``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=True)``):

- ``v``: 1, the version of this format;
- ``id``: the event's id (``core.Event``);
- ``code``, ``subject_type``: the event's code and the kind of thing it concerns;
- ``subject_id``: the id of that thing, or, when the thing is a person (``PERSON_SUBJECTS``),
  the keyed hash of the event's id and the person's;
- ``office``: the office's id, or null;
- ``actor``: the keyed hash of the event's id and the acting user's id, or null (the system, a
  visitor, no one);
- ``system``: which part of the system acted (``details["system"]``: worker, demo, ...), or null;
- ``at``: when the event was recorded, UTC with microseconds (``2026-12-05T18:05:07.123456Z``);
- ``details``: the keyed hash of ``<id>:`` followed by the details' canonical JSON (the same
  serialisation), so that equal details of two events do not show as equal.

Keyed hashes are HMAC-SHA256 under ``LEDGER_HASH_KEY`` (``keys.keyed_hash``): nothing about a
person is in clear, not even a user id. The event's id goes into every hash of a person, so two
entries of one person never carry the same hash: nobody holding one proof (from a tracking page)
can find the person's other cases, questions or requests in the public log. Whoever holds the
event row and the key can still show that the leaf is that event's, and who acted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from gerbang.core.models import Event
from gerbang.ledger.keys import keyed_hash

LEAF_VERSION = 1
# Subjects that are people: their ids are hashed like actors'.
PERSON_SUBJECTS = frozenset({"accounts.user"})


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _utc(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a Z: 2026-12-05T18:05:07.123456Z."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"


def leaf_v1(event: Event) -> bytes:
    """The leaf of ``event`` (a saved row, its details as stored)."""
    details = event.details if isinstance(event.details, dict) else {"value": event.details}
    system = details.get("system")
    subject_id = event.subject_id
    if event.subject_type in PERSON_SUBJECTS:
        subject_id = keyed_hash("subject", f"{event.pk}:{event.subject_type}:{subject_id}")
    leaf = {
        "v": LEAF_VERSION,
        "id": event.pk,
        "code": event.code,
        "subject_type": event.subject_type,
        "subject_id": subject_id,
        "office": event.office_id,
        "actor": None if event.actor_id is None else keyed_hash("actor", f"{event.pk}:{event.actor_id}"),
        "system": system if isinstance(system, str) else None,
        "at": _utc(event.created_at),
        # The event's id goes into the hash: equal details of two events do not show as equal.
        "details": keyed_hash("details", f"{event.pk}:{canonical_json(details)}"),
    }
    return canonical_json(leaf).encode("ascii")
