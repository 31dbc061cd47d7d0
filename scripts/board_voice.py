"""Record the display board's spoken calls, for screens whose browser has no voice for the board's
language (many TV sticks and kiosk browsers have none for Indonesian). A call is put together
from short clips: the opening words, the ticket's letter and digits one by one, the words before
the counter, and the counter's digits:

    "Nomor antrean" · "A" · "0" · "0" · "1" · "silakan menuju loket" · "1"
    "Ticket" · "A" · "0" · "0" · "1" · "please go to counter" · "1"

The clips are spoken by eSpeak NG (Debian's ``espeak-ng``, a free speech synthesiser), trimmed of
their silence and stored small (11,025 Hz, 8-bit mono WAV, which every browser plays): about
4 KB each, fetched by a board only when it has no voice of its own. They are committed; run this
again after changing the words (``apt install espeak-ng`` first):

    .venv/bin/python scripts/board_voice.py
"""

from __future__ import annotations

import array
import json
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from string import ascii_uppercase, digits

OUT = Path(__file__).resolve().parents[1] / "gerbang" / "queueing" / "static" / "queueing" / "voice"
VOICES = {"id": "id", "en": "en-gb"}
# What the board's words are in each language (the same as its speech synthesis says).
WORDS = {
    "id": {"intro": "Nomor antrean", "counter": "silakan menuju loket"},
    "en": {"intro": "Ticket", "counter": "please go to counter"},
}
RATE = 11_025
SILENCE = 400  # a 16-bit sample quieter than this counts as silence when trimming


def clips() -> list[str]:
    """Every clip's name, in the order of the manifest: the words, the letters, the digits."""
    return ["intro", "counter", *ascii_uppercase, *digits]


def _ssml(language: str, name: str) -> str:
    if name in WORDS[language]:
        return f"<speak>{WORDS[language][name]}</speak>"
    return f'<speak><say-as interpret-as="characters">{name}</say-as></speak>'


def _speak(espeak: str, language: str, name: str) -> tuple[array.array[int], int]:
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        subprocess.run(  # noqa: S603 - a fixed program and our own words
            [espeak, "-v", VOICES[language], "-s", "150", "-m", "-w", out.name, _ssml(language, name)],
            check=True,
        )
        with wave.open(out.name) as recording:
            rate = recording.getframerate()
            samples = array.array("h", recording.readframes(recording.getnframes()))
    return samples, rate


def _small(samples: array.array[int], rate: int) -> bytes:
    """Trim the silence around the words, halve the rate (each pair averaged, a gentle low-pass),
    and keep 8 bits per sample (unsigned, as WAV stores 8-bit sound)."""
    loud = [index for index, sample in enumerate(samples) if abs(sample) > SILENCE]
    start, end = (loud[0], loud[-1] + 1) if loud else (0, 0)
    start, end = max(start - rate // 50, 0), min(end + rate // 20, len(samples))
    kept = samples[start:end]
    step = max(rate // RATE, 1)
    halved = [sum(kept[i : i + step]) // step for i in range(0, len(kept) - step + 1, step)]
    return bytes((sample >> 8) + 128 for sample in halved)


def main() -> None:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("eSpeak NG is missing: apt install espeak-ng")
    manifest: dict[str, dict[str, int]] = {}
    for language in VOICES:
        folder = OUT / language
        folder.mkdir(parents=True, exist_ok=True)
        manifest[language] = {}
        for name in clips():
            samples, rate = _speak(espeak, language, name)
            sound = _small(samples, rate)
            with wave.open(str(folder / f"{name}.wav"), "wb") as clip:
                clip.setnchannels(1)
                clip.setsampwidth(1)
                clip.setframerate(RATE)
                clip.writeframes(sound)
            manifest[language][name] = round(len(sound) * 1000 / RATE)
    (OUT / "clips.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    total = sum(path.stat().st_size for path in OUT.rglob("*.wav"))
    print(f"{sum(len(v) for v in manifest.values())} clips, {total // 1024} KB, in {OUT}")


if __name__ == "__main__":
    main()
