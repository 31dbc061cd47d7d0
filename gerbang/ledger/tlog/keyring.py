"""A log's keys over time: the key it signs with now and the keys it signed with before, each with
the checkpoints it may have signed; and how a checkpoint is opened against them.

A log's signing key may be replaced (routinely, or because it leaked). C2SP signed notes allow it:
a note may carry several signatures, and a client ignores the ones by keys it does not know. So
during a change the log signs each checkpoint with the new key *and* the old one, and a client
that knew only the old key keeps working while it learns the new one. What a client must not do
is accept, once the change is over, a checkpoint signed only by the old key: a leaked key could
sign anything. Each key therefore comes with its **period**, in tree sizes (a checkpoint carries
its size, never its time): a retired key is valid only for checkpoints of the sizes it signed as
the log's key; the current key from the size it started at.

This is Gerbang's own small text format (there is no C2SP one for key lists), one key a line, the
current key first, as the log serves it at ``/ledger/key``::

    gerbang.example/ledger+6e3d1d5a+AR... current since=2026-12-01T03:12:44Z sizes=5120-
    gerbang.example/ledger+1f0c2b9e+AQ... retired cosigning since=2025-01-10T08:00:00Z until=2026-12-01T03:00:00Z sizes=0-5120

- the first word is the verifier key (C2SP ``name+hexid+base64``);
- then words: ``current`` or ``retired`` (the first key line is the current key, the others are
  retired, when these words are left out), ``cosigning`` (a retired key that still adds its
  signature to new checkpoints, during a change);
- and ``name=value`` fields: ``sizes=A-B`` the sizes of the checkpoints the key signed as the
  log's key (``A-`` for the current key: from A on), ``since=`` and ``until=`` when it was the log's
  key (UTC, ISO 8601; for people: a checkpoint says nothing of its time). Fields a reader does not
  know are ignored, so later versions can add some. Lines that are empty or start with ``#`` are
  comments.

A key line with no ``sizes`` (a bare verifier key, e.g. one given on a command line) is valid for
every size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from gerbang.ledger.tlog.checkpoint import Checkpoint, WrongOriginError
from gerbang.ledger.tlog.errors import MalformedError, TlogError
from gerbang.ledger.tlog.note import (
    Ed25519Verifier,
    Note,
    UnknownKeyError,
    Verifier,
    open_note,
    parse_verifier_key,
)

_SIZES = re.compile(r"(0|[1-9][0-9]*)-(0|[1-9][0-9]*)?")
_WORDS = frozenset({"current", "retired", "cosigning"})


class MalformedKeyListError(MalformedError):
    """A key list that does not follow the format (the line and what is wrong are said)."""


class RetiredKeyError(TlogError):
    """The checkpoint is signed by keys of the log, but by none valid for its size: a retired key
    signed a checkpoint after its period (it may have leaked), or a new key one before its own."""

    def __init__(self, size: int, keys: Sequence[LogKey]) -> None:
        described = "; ".join(f"{key.label()} ({key.period()})" for key in keys)
        super().__init__(
            f"the checkpoint of size {size} is signed only by keys not valid for that size: {described}"
        )
        self.size = size
        self.keys = tuple(keys)


def utc_text(moment: datetime) -> str:
    """2026-12-01T03:12:44Z: a moment in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _moment(text: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedKeyListError(f"{what} {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise MalformedKeyListError(f"{what} {text!r} has no time zone (write Z for UTC)")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class LogKey:
    """One of a log's keys and its period (None where it is not known or not bounded)."""

    verifier: Ed25519Verifier
    current: bool
    first_size: int | None = None
    last_size: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    cosigning: bool = False

    @property
    def name(self) -> str:
        return self.verifier.name

    @property
    def key_id(self) -> int:
        return self.verifier.key_id

    def label(self) -> str:
        return f"{self.name}+{self.key_id:08x}"

    def covers(self, size: int) -> bool:
        """Whether this key may have signed a checkpoint of ``size`` leaves as the log's key."""
        if self.first_size is not None and size < self.first_size:
            return False
        return self.current or self.last_size is None or size <= self.last_size

    def period(self) -> str:
        """The period in words, for reports: "the current key, from size 5120", ..."""
        if self.current:
            text = "the current key"
            if self.first_size is not None:
                text += f", from size {self.first_size}"
        else:
            text = "retired"
            if self.until is not None:
                text += f" on {utc_text(self.until)}"
            if self.first_size is not None and self.last_size is not None:
                text += f", valid for sizes {self.first_size}-{self.last_size}"
            if self.cosigning:
                text += ", still co-signing during a key change"
        return text

    def line(self) -> str:
        words = [self.verifier.verifier_key(), "current" if self.current else "retired"]
        if self.cosigning:
            words.append("cosigning")
        if self.since is not None:
            words.append(f"since={utc_text(self.since)}")
        if self.until is not None:
            words.append(f"until={utc_text(self.until)}")
        if self.first_size is not None:
            last = "" if self.current or self.last_size is None else str(self.last_size)
            words.append(f"sizes={self.first_size}-{last}")
        return " ".join(words) + "\n"

    @classmethod
    def parse(cls, line: str, *, first: bool) -> LogKey:
        """One key line; ``first`` says whether it is the list's first key (current by default)."""
        words = line.split()
        if not words:
            raise MalformedKeyListError("an empty key line")
        try:
            verifier = parse_verifier_key(words[0])
        except TlogError as error:
            raise MalformedKeyListError(f"{words[0][:60]!r} is not a verifier key: {error}") from None
        if type(verifier) is not Ed25519Verifier:
            raise MalformedKeyListError(f"{verifier.name}: a log's key must be an Ed25519 (type 0x01) key")
        flags = {word for word in words[1:] if "=" not in word}
        unknown = flags - _WORDS
        if unknown:
            raise MalformedKeyListError(f"{verifier.name}: unknown word {sorted(unknown)[0]!r}")
        if {"current", "retired"} <= flags:
            raise MalformedKeyListError(f"{verifier.name}: a key is current or retired, not both")
        current = "current" in flags or ("retired" not in flags and first)
        fields = dict(word.split("=", 1) for word in words[1:] if "=" in word)
        first_size = last_size = None
        if "sizes" in fields:
            found = _SIZES.fullmatch(fields["sizes"])
            if found is None:
                raise MalformedKeyListError(f"{verifier.name}: sizes={fields['sizes']} is not A-B or A-")
            first_size = int(found[1])
            last_size = None if found[2] is None else int(found[2])
            if last_size is not None and last_size < first_size:
                raise MalformedKeyListError(f"{verifier.name}: sizes={fields['sizes']} ends before it starts")
        since = _moment(fields["since"], f"{verifier.name}: since") if "since" in fields else None
        until = _moment(fields["until"], f"{verifier.name}: until") if "until" in fields else None
        return cls(verifier, current, first_size, last_size, since, until, "cosigning" in flags)


@dataclass(frozen=True)
class KeyRing:
    """A log's keys: at most one current key, and the retired ones (in the order given)."""

    keys: tuple[LogKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise MalformedKeyListError("a key list needs at least one key")
        if sum(key.current for key in self.keys) > 1:
            raise MalformedKeyListError("a key list has one current key at most")
        seen: set[tuple[str, int]] = set()
        for key in self.keys:
            if (key.name, key.key_id) in seen:
                raise MalformedKeyListError(f"{key.label()} is listed twice")
            seen.add((key.name, key.key_id))

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        keys: list[LogKey] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            try:
                keys.append(LogKey.parse(line, first=not keys))
            except MalformedKeyListError as error:
                raise MalformedKeyListError(f"line {number}: {error}") from None
        return cls(tuple(keys))

    @classmethod
    def of(cls, keys: Iterable[str | LogKey | Ed25519Verifier]) -> KeyRing:
        """A ring from keys given one by one (verifier key strings, whole key lists, keys): the
        first key given is the current one, whatever a key list given later says of its own."""
        found: list[LogKey] = []
        for given in keys:
            if isinstance(given, LogKey):
                found.append(given)
            elif isinstance(given, Ed25519Verifier):
                found.append(LogKey(given, current=not found))
            else:
                for key in cls.parse(given).keys:
                    found.append(key if not found or not key.current else replace(key, current=False))
        if found and not any(key.current for key in found):
            found[0] = replace(found[0], current=True)
        unique: dict[tuple[str, int], LogKey] = {}
        for key in found:
            unique.setdefault((key.name, key.key_id), key)
        return cls(tuple(unique.values()))

    def text(self) -> str:
        return "".join(key.line() for key in self.keys)

    @property
    def current(self) -> LogKey:
        return next((key for key in self.keys if key.current), self.keys[0])

    def verifiers(self) -> list[Ed25519Verifier]:
        return [key.verifier for key in self.keys]

    def find(self, name: str, key_id: int) -> LogKey | None:
        return next((key for key in self.keys if (key.name, key.key_id) == (name, key_id)), None)


@dataclass(frozen=True)
class OpenedCheckpoint:
    """A checkpoint opened against a ring: the key valid for it that signed it, and the other
    keys of the ring whose signatures it carries (verified)."""

    checkpoint: Checkpoint
    note: Note
    key: LogKey
    also_signed_by: tuple[LogKey, ...]


def open_checkpoint_with(
    message: bytes | str, ring: KeyRing, *, origin: str, witnesses: Iterable[Verifier] = ()
) -> OpenedCheckpoint:
    """Verify a signed checkpoint of ``origin`` against the log's keys, each for its period.

    Raises the errors of ``open_note`` (a bad signature by any known key rejects the note),
    ``UnknownKeyError`` when no key of the ring signed it (its ``unverified`` signatures say which
    keys did), ``RetiredKeyError`` when only keys outside their period signed it, and the errors of
    ``Checkpoint.parse`` and ``WrongOriginError``.
    """
    note = open_note(message, [*ring.verifiers(), *witnesses])
    signed = [key for key in ring.keys if note.signed_by(key.name, key.key_id)]
    if not signed:
        names = ", ".join(f"{s.name}+{s.key_id:08x}" for s in note.unverified) or "no other key"
        raise UnknownKeyError(
            f"the checkpoint is signed by none of the log's keys given (it is signed by {names})",
            unverified=note.unverified,
        )
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != origin:
        raise WrongOriginError(f"a checkpoint of {checkpoint.origin!r}, not of {origin!r}")
    valid = [key for key in signed if key.covers(checkpoint.size)]
    if not valid:
        raise RetiredKeyError(checkpoint.size, signed)
    # The current key first when it is among them.
    valid.sort(key=lambda key: not key.current)
    others = tuple(key for key in signed if key is not valid[0])
    return OpenedCheckpoint(checkpoint, note, valid[0], others)
