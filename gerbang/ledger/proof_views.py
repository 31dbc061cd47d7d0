"""One event's proof as a page: what a person who follows the "in the public log" mark of a
timeline step sees, with or without JavaScript. Public, like the log: it shows the leaf (which
holds no personal data, docs/ledger.md), its audit path and the signed checkpoint, nothing of
the event row itself, so the page says nothing about a person the published tiles do not."""

from __future__ import annotations

import base64
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from gerbang.core import event_text
from gerbang.core.exceptions import NotFound
from gerbang.ledger import keys, selectors
from gerbang.ledger.panels import PENDING, event_log_states

# The leaf's fields in the order the page lists them (docs/ledger.md, "The canonical leaf").
LEAF_FIELDS = ("v", "id", "code", "subject_type", "subject_id", "office", "actor", "system", "at", "details")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@require_safe
def proof(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        found = selectors.inclusion_proof_of_event(event_id)
    except NotFound:
        pending = event_log_states([event_id]).get(event_id) == PENDING
        return render(request, "ledger/proof.html", {"event_id": event_id, "pending": pending}, status=404)
    leaf = json.loads(found.leaf)
    return render(
        request,
        "ledger/proof.html",
        {
            "event_id": event_id,
            "proof": found,
            "leaf_text": found.leaf.decode("ascii"),
            # The step in words ("Sent to interview"), as the audit log names it.
            "what": event_text.name_of(str(leaf.get("code", ""))),
            "leaf_fields": [(name, leaf[name]) for name in LEAF_FIELDS if name in leaf],
            "leaf_hash": _b64(found.leaf_hash),
            "hashes": [_b64(h) for h in found.hashes],
            "verifier_key": keys.verifier().verifier_key(),
            "ledger_mark": {
                "event_id": event_id,
                "state": "logged",
                "proof_url": request.path,
                "checkpoint_url": reverse("ledger:checkpoint"),
                "key_url": reverse("ledger:key"),
                "proof_api_url": reverse("api:inclusion_proof"),
            },
            "proof_api_url": f"{reverse('api:inclusion_proof')}?event_id={event_id}&tree_size={found.tree_size}",
            # The verifier's command line for this event (docs/ledger.md, "Verifying the log yourself").
            "site_url": request.build_absolute_uri("/"),
            # The docs are in English: the section's title is marked as such on Indonesian pages.
            "docs_section": format_html('<span lang="en">“{}”</span>', "Verifying the log yourself"),
        },
    )
