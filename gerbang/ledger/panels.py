"""What the ledger shows on other apps' pages: under each step of a case's timeline, whether
that step is in the public log, with a link to its proof that the browser checks
(``static/ledger/verify.js``) and that a person without JavaScript can open and check by hand.

The timeline's owner (applications) knows nothing of the log: it asks ``core.marks``
for the marks of its event ids, and this module answers for the ledger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gerbang.core import marks
from gerbang.core.models import Event
from gerbang.ledger import selectors
from gerbang.ledger.models import Leaf
from gerbang.ledger.registry import logged_events_q

LOGGED = "logged"
PENDING = "pending"


def event_log_states(ids: Sequence[int]) -> dict[int, str]:
    """For each of the events ``ids`` the log takes: LOGGED when a signed checkpoint covers its
    leaf, PENDING while it waits for the sequencer (or for the next checkpoint). Events the log
    does not take are left out."""
    # An id no integer column holds (2**63 typed into an address) is no event: an ``__in`` look-up
    # would refuse it with an overflow rather than match nothing.
    ids = [event_id for event_id in ids if 0 < event_id < 2**63]
    if not ids:
        return {}
    size = selectors.log_size()
    seqs = dict(Leaf.objects.filter(event_id__in=list(ids)).values_list("event_id", "seq"))
    states = {event_id: LOGGED if seq < size else PENDING for event_id, seq in seqs.items()}
    waiting = [event_id for event_id in ids if event_id not in seqs]
    if waiting:
        pending = Event.objects.filter(pk__in=waiting).filter(logged_events_q()).values_list("pk", flat=True)
        states.update(dict.fromkeys(pending, PENDING))
    return states


def timeline_marks(request: HttpRequest, ids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]:
    states = event_log_states(ids)
    if not states:
        return {}
    urls = {
        "checkpoint_url": reverse("ledger:checkpoint"),
        "key_url": reverse("ledger:key"),
        "proof_api_url": reverse("api:inclusion_proof"),
    }
    return {
        event_id: {
            "ledger_mark": {
                "event_id": event_id,
                "state": state,
                "proof_url": reverse("ledger:proof", args=[event_id]),
                **urls,
            }
        }
        for event_id, state in states.items()
    }


marks.register(marks.Marker(marks.TIMELINE_EVENTS, "ledger/panels/timeline_mark.html", timeline_marks))
