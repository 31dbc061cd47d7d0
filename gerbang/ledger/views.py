"""The log as static files (C2SP tlog-tiles): the checkpoint, the tiles, the entry bundles, and
the verifier key. Public, no sign-in; tiles never change once served, so they are cached for good."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from gerbang.ledger import keys, selectors
from gerbang.ledger.tlog.tiles import MalformedTileError, parse_entries_path, parse_tile_path

TEXT = "text/plain; charset=utf-8"
# A checkpoint is the log's newest head: clients may keep it a few seconds.
CHECKPOINT_MAX_AGE = 5
KEY_MAX_AGE = 60 * 60
FOREVER = 365 * 24 * 60 * 60


def _not_found() -> HttpResponse:
    response = HttpResponse("not found\n", status=404, content_type=TEXT)
    patch_cache_control(response, public=True, max_age=CHECKPOINT_MAX_AGE)
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (a C2SP signed note)."""
    latest = selectors.latest_checkpoint()
    if latest is None:
        return _not_found()
    response = HttpResponse(latest.note, content_type=TEXT)
    patch_cache_control(response, public=True, max_age=CHECKPOINT_MAX_AGE)
    return response


@require_safe
def verifier_key(request: HttpRequest) -> HttpResponse:
    """The log's verifier key (name+id+key), to open its checkpoints."""
    response = HttpResponse(keys.verifier().verifier_key() + "\n", content_type=TEXT)
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
