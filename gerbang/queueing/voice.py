"""The display board's recorded voice (made by ``scripts/board_voice.py``): short clips a board
puts a call together from when its browser has no speech voice for the board's language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.templatetags.static import static

MANIFEST = Path(__file__).resolve().parent / "static" / "queueing" / "voice" / "clips.json"


@cache
def _manifest() -> dict[str, dict[str, int]]:
    loaded: dict[str, dict[str, int]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def clips(language: str) -> dict[str, str]:
    """Each clip's address for ``language`` (Indonesian for a language without recordings),
    through ``static()`` so production serves each under its hashed name."""
    recorded = _manifest()
    chosen = language if language in recorded else "id"
    return {name: static(f"queueing/voice/{chosen}/{name}.wav") for name in recorded[chosen]}


def clips_json(language: str) -> str:
    return json.dumps(clips(language), separators=(",", ":"))
