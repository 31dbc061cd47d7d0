"""The board's recorded voice: a clip for every letter and digit a ticket or counter can have and
for the words around them, in both languages, each a playable WAV of a plausible length; the
board names them for its own language."""

from __future__ import annotations

import json
import string
import wave
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.queueing import voice

FOLDER = voice.MANIFEST.parent


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_clip_a_call_needs_is_recorded(language: str) -> None:
    lengths = json.loads(voice.MANIFEST.read_text(encoding="utf-8"))[language]
    assert set(lengths) == {"intro", "counter", *string.ascii_uppercase, *string.digits}
    for name, milliseconds in lengths.items():
        with wave.open(str(FOLDER / language / f"{name}.wav")) as clip:
            assert (clip.getnchannels(), clip.getsampwidth()) == (1, 1)
            heard = clip.getnframes() * 1000 / clip.getframerate()
        assert abs(heard - milliseconds) <= 1
        # Words take longer than one letter; nothing is a click or a long silence.
        assert (400 if name in {"intro", "counter"} else 200) <= heard <= 2_500, (name, heard)


def test_the_board_names_the_clips_of_its_language(db: None) -> None:
    office = OfficeFactory.create(code="mesuji")
    for language in ("id", "en"):
        with translation.override(language):
            clips = voice.clips(language)
        assert clips["intro"].endswith(f"/queueing/voice/{language}/intro.wav")
        assert Path(FOLDER / language / "intro.wav").exists()
    page = Client(headers={"cookie": "django_language=en"}).get(f"/offices/{office.code}/board/")
    assert "/queueing/voice/en/counter.wav" in page.content.decode()
    assert voice.clips("fr")["intro"].endswith("/queueing/voice/id/intro.wav")
