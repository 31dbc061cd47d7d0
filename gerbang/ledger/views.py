"""The log as static files (C2SP tlog-tiles): the checkpoint, the tiles, the entry bundles, and
the log's keys. Public, no sign-in; tiles never change once served, so they are cached for good.

Witnesses post their cosignatures to ``/ledger/cosign``; ``/ledger/checkpoints/`` lists the recent
checkpoints and who cosigned them, in words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError
from gerbang.ledger import selectors, services
from gerbang.ledger.tlog.tiles import MalformedTileError, parse_entries_path, parse_tile_path

TEXT = "text/plain; charset=utf-8"
# A checkpoint is the log's newest head: clients may keep it a few seconds.
CHECKPOINT_MAX_AGE = 5
# The key list changes only when the key does; a client checking a new key learns it soon.
KEY_MAX_AGE = 5 * 60
FOREVER = 365 * 24 * 60 * 60
# A checkpoint with a hundred signature lines is far smaller than this.
MAX_COSIGN_BYTES = 64 * 1024
# Who posts a cosignature: nobody signed in; the signature itself says which witness it is.
WITNESS_ENDPOINT = SystemActor("witness endpoint")


def _not_found() -> HttpResponse:
    response = HttpResponse("not found\n", status=404, content_type=TEXT)
    patch_cache_control(response, public=True, max_age=CHECKPOINT_MAX_AGE)
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (a C2SP signed note), with its witnesses' cosignatures."""
    latest = selectors.latest_checkpoint()
    if latest is None:
        return _not_found()
    response = HttpResponse(selectors.cosigned_note(latest), content_type=TEXT)
    patch_cache_control(response, public=True, max_age=CHECKPOINT_MAX_AGE)
    return response


@require_safe
def verifier_key(request: HttpRequest) -> HttpResponse:
    """The log's keys as a key list (``tlog.keyring``): the current verifier key (name+id+key)
    first, then the keys it signed with before, each with its period."""
    response = HttpResponse(selectors.key_ring().text(), content_type=TEXT)
    patch_cache_control(response, public=True, max_age=KEY_MAX_AGE)
    return response


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    """``tile/<L>/<N>[.p/<W>]`` (hashes) or ``tile/entries/<N>[.p/<W>]`` (entries)."""
    try:
        if path.startswith("tile/entries/"):
            data = selectors.entry_bundle(parse_entries_path(path))
        else:
            data = selectors.tile_data(parse_tile_path(path))
    except MalformedTileError:
        data = None
    if data is None:
        return _not_found()
    response = HttpResponse(data, content_type="application/octet-stream")
    patch_cache_control(response, public=True, max_age=FOREVER, immutable=True)
    return response


@csrf_exempt  # a program posts here, with no session: the cosignature is the credential
@require_POST
def cosign(request: HttpRequest) -> HttpResponse:
    """A witness's cosignature: the log's checkpoint with the witness's signature line added
    (``text/plain``). Answers 200 when stored, or the refusal in words with its status."""
    if len(request.body) > MAX_COSIGN_BYTES:
        return HttpResponse(_("The note is too large.") + "\n", status=413, content_type=TEXT)
    try:
        note = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return HttpResponse(_("The note must be UTF-8 text.") + "\n", status=400, content_type=TEXT)
    try:
        stored = services.cosignature_submit(note=note, actor=WITNESS_ENDPOINT)
    except ApplicationError as error:
        return HttpResponse(f"{error.message}\n", status=error.status_code, content_type=TEXT)
    names = ", ".join(cosignature.witness.name for cosignature in stored)
    size = stored[0].checkpoint.size
    message = _("Stored: %(names)s cosigned the checkpoint of %(size)s leaves.") % {
        "names": names,
        "size": size,
    }
    return HttpResponse(message + "\n", content_type=TEXT)


@require_safe
def checkpoints_page(request: HttpRequest) -> HttpResponse:
    """The recent checkpoints, their roots and who cosigned them, explained in plain words."""
    return render(
        request,
        "ledger/checkpoints.html",
        {
            "rows": selectors.recent_checkpoints(),
            "witnesses": selectors.witnesses(active_only=True),
            "log_keys": selectors.log_keys(),
        },
    )
