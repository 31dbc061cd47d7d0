"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed head of the log.

A checkpoint is the text of a signed note, each line ending in a newline:

    <origin>                  the log's identity, e.g. example.com/log42
    <tree size>               ASCII decimal, no leading zero (0 for the empty tree)
    <root hash>               base64 of the 32-byte RFC 9162 root hash at that size
    [<extension line>...]     optional, opaque, non-empty

`Checkpoint.parse` is strict: anything else (a leading zero, a short hash, non-canonical base64,
an empty extension line, a missing final newline) is refused with `MalformedCheckpointError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gerbang.ledger.tlog.errors import MalformedError, TlogError
from gerbang.ledger.tlog.merkle import HASH_SIZE
from gerbang.ledger.tlog.note import (
    MalformedNoteError,
    Note,
    Signer,
    UnknownKeyError,
    Verifier,
    decode_base64,
    encode_base64,
    open_note,
    sign_note,
)

MAX_TREE_SIZE = 2**64 - 1  # sizes are uint64 in every tlog implementation
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class MalformedCheckpointError(MalformedError):
    """A checkpoint body that does not follow the tlog-checkpoint format."""


class WrongOriginError(TlogError):
    """A checkpoint of another log than the one expected."""


def _check_line(line: str, what: str) -> None:
    if not line:
        raise MalformedCheckpointError(f"the {what} must not be empty")
    if any(ord(c) < 0x20 for c in line):
        raise MalformedCheckpointError(f"the {what} has a control character")


@dataclass(frozen=True)
class Checkpoint:
    """A log's origin, tree size and root hash at that size, with optional extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "origin")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise MalformedCheckpointError(f"tree size {self.size} is out of range")
        if len(self.root_hash) != HASH_SIZE:
            raise MalformedCheckpointError(f"the root hash has {len(self.root_hash)} bytes, not {HASH_SIZE}")
        for line in self.extensions:
            _check_line(line, "extension line")

    def text(self) -> str:
        """The note text: one line each for origin, size, root hash and extensions."""
        lines = [self.origin, str(self.size), encode_base64(self.root_hash), *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """A checkpoint from a note text, strictly."""
        if not text.endswith("\n"):
            raise MalformedCheckpointError("a checkpoint must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpointError("a checkpoint has at least three lines: origin, size, root hash")
        origin, size, root, *extensions = lines
        if not _DECIMAL.fullmatch(size):
            raise MalformedCheckpointError(
                f"tree size {size!r} is not a decimal number without leading zeros"
            )
        try:
            root_hash = decode_base64(root, "the root hash")
        except MalformedNoteError as error:
            raise MalformedCheckpointError(str(error)) from error
        return cls(origin, int(size), root_hash, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[Signer]) -> str:
    """The checkpoint as a signed note (the log's key name should be the origin)."""
    return sign_note(checkpoint.text(), signers)


def open_checkpoint(
    message: bytes | str, log: Verifier, *, origin: str, witnesses: Iterable[Verifier] = ()
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint of the log `origin`, signed by the log's key `log`.

    Witnesses' cosignatures are verified too when their verifiers are given (see
    `Note.signatures` in the result to count them); unknown signatures are ignored. Raises the
    errors of `open_note`, `UnknownKeyError` if the log's own signature is missing,
    `MalformedCheckpointError` and `WrongOriginError`.
    """
    note = open_note(message, [log, *witnesses])
    if not note.signed_by(log.name, log.key_id):
        raise UnknownKeyError(f"the checkpoint is not signed by the log's key {log.name}+{log.key_id:08x}")
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != origin:
        raise WrongOriginError(f"a checkpoint of {checkpoint.origin!r}, not of {origin!r}")
    return checkpoint, note
