"""A witness of Gerbang's public ledger, for another institution to run (docs/ledger.md, "Witnesses").

    python -m gerbang.ledger.witness keygen --name ombudsman.example/gerbang-witness --key witness.key
    python -m gerbang.ledger.witness --log https://gerbang.example --log-key log-keys.txt \\
        --key witness.key --state witness-state.json

``keygen`` writes a new cosignature/v1 key (C2SP tlog-cosignature, signature type 0x04) to the key
file and prints its verifier key: the log's national administrators register that string. Each
run then

1. fetches the log's latest checkpoint (``/ledger/checkpoint``) and opens it with the log's
   keys (``--log-key``, once or more: a verifier key, or the key list ``/ledger/key`` serves,
   taken once and checked out of band), each valid for the checkpoint sizes of its period: the
   log may replace its key, and while it does it signs with both (``tlog.keyring``);
2. fetches the consistency proof from the checkpoint this witness cosigned last (its state file)
   to this one (``/api/v1/ledger/consistency-proof``) and checks it: a log that shrank, that
   signed another root for the same size, or whose proof does not verify has **forked** (shown two
   histories): the witness refuses, says so loudly, writes the evidence (both checkpoints, as the
   log signed them, and the proof) beside its state file, exits with status 2 and never cosigns
   that log's new view;
3. cosigns the checkpoint, saves its new state (before the cosignature leaves, as C2SP
   tlog-witness requires) and posts the checkpoint with its cosignature line to
   ``/ledger/cosign``, where the log checks it against the registered key and stores it.

The checks are those of C2SP tlog-witness ``add-checkpoint`` (``Witness.add_checkpoint`` takes
that request's body: ``old <size>``, the proof lines, a blank line, the signed checkpoint); only
the transport differs: the witness pulls from the log, the log does not call the witness.

This module needs the standard library, ``cryptography`` and ``gerbang.ledger.tlog`` only, never
Django (``tests/test_witness.py`` keeps it so): copy those with it and run it anywhere.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from gerbang.ledger.tlog.checkpoint import Checkpoint, WrongOriginError
from gerbang.ledger.tlog.errors import InvalidProofError, MalformedError
from gerbang.ledger.tlog.keyring import KeyRing, OpenedCheckpoint, RetiredKeyError, open_checkpoint_with
from gerbang.ledger.tlog.merkle import verify_consistency
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    CosignatureSigner,
    InvalidSignatureError,
    Signature,
    UnknownKeyError,
    decode_base64,
    encode_base64,
    generate_signer,
    parse_signer_key,
)

MAX_PROOF_LINES = 63  # C2SP tlog-witness: a client sends no more
EXIT_OK, EXIT_ERROR, EXIT_FORK = 0, 1, 2
CHECKPOINT_PATH = "/ledger/checkpoint"
PROOF_PATH = "/api/v1/ledger/consistency-proof"
COSIGN_PATH = "/ledger/cosign"


class WitnessRefusal(Exception):
    """The witness will not cosign: ``status`` is the HTTP code C2SP tlog-witness gives the case
    (400 bad request, 403 not signed by the log, 404 another log, 409 conflict, 422 bad proof)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ForkDetected(WitnessRefusal):
    """The log showed a view that does not extend the one this witness cosigned."""

    def __init__(self, status: int, message: str, *, evidence: str) -> None:
        super().__init__(status, message)
        self.evidence = evidence


class LogError(Exception):
    """The log could not be reached, or answered something unusable."""


# -- State --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """The latest checkpoint this witness cosigned for one log, and whether the log has it."""

    origin: str
    size: int
    root: bytes
    # The checkpoint as the log signed it (the note, with the log's signature): evidence.
    note: str
    submitted: bool = False

    def to_json(self) -> str:
        data = {
            "origin": self.origin,
            "size": self.size,
            "root": encode_base64(self.root),
            "note": self.note,
            "submitted": self.submitted,
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        return cls(
            origin=str(data["origin"]),
            size=int(data["size"]),
            root=decode_base64(str(data["root"]), "the saved root"),
            note=str(data["note"]),
            submitted=bool(data.get("submitted", False)),
        )


def load_state(path: Path) -> State | None:
    """The saved state, or None when this witness never cosigned (the file does not exist)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return State.from_json(text)


def save_state(path: Path, state: State) -> None:
    """Write the state atomically: a new file in the same folder, flushed, then renamed over."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(state.to_json())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- The witness (C2SP tlog-witness add-checkpoint) ------------------------------------------------


def add_checkpoint_request(old_size: int, proof: Sequence[bytes], note: str) -> str:
    """The body of a C2SP tlog-witness ``add-checkpoint`` request."""
    lines = [f"old {old_size}\n", *(f"{encode_base64(h)}\n" for h in proof), "\n"]
    return "".join(lines) + note


def _parse_request(body: str) -> tuple[int, list[bytes], str]:
    head, blank, note = body.partition("\n\n")
    if not blank:
        raise WitnessRefusal(400, "the request has no blank line before the checkpoint")
    lines = head.split("\n")
    first = lines[0]
    if not first.startswith("old ") or not first[4:].isdigit() or first[4:] != str(int(first[4:])):
        raise WitnessRefusal(400, "the request does not start with an 'old <size>' line")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise WitnessRefusal(400, f"more than {MAX_PROOF_LINES} consistency proof lines")
    try:
        proof = [decode_base64(line, "a proof hash") for line in lines[1:]]
    except MalformedError as error:
        raise WitnessRefusal(400, str(error)) from error
    return int(first[4:]), proof, note


def _open(note: str, log_keys: KeyRing, origin: str) -> OpenedCheckpoint:
    """The checkpoint opened with the log's keys, or the refusal C2SP tlog-witness gives."""
    try:
        return open_checkpoint_with(note, log_keys, origin=origin)
    except WrongOriginError as error:
        raise WitnessRefusal(404, str(error)) from error
    except UnknownKeyError as error:
        raise WitnessRefusal(
            403,
            f"not signed by the log's key: {error}; if the log changed its key, confirm the new one out "
            "of band (the log lists its keys at /ledger/key) and give it with --log-key",
        ) from error
    except (InvalidSignatureError, RetiredKeyError) as error:
        raise WitnessRefusal(403, f"not signed by the log's key: {error}") from error
    except MalformedError as error:
        raise WitnessRefusal(400, f"not a signed checkpoint: {error}") from error


@dataclass
class Witness:
    """A witness of one log: its cosigning key, the log's keys and origin, and its state."""

    signer: CosignatureSigner
    log_keys: KeyRing
    origin: str
    state: State | None = None

    def add_checkpoint(self, body: str) -> Signature:
        """Check an ``add-checkpoint`` request as C2SP tlog-witness says, and cosign it.

        Raises ``WitnessRefusal`` (or ``ForkDetected``, when the checkpoint is signed by the log
        but does not extend the state) with the status the spec gives; on success the state is
        the new checkpoint and the cosignature is returned.
        """
        old_size, proof, note = _parse_request(body)
        checkpoint = _open(note, self.log_keys, self.origin).checkpoint
        if old_size > checkpoint.size:
            raise WitnessRefusal(
                400, f"old size {old_size} is larger than the checkpoint's {checkpoint.size}"
            )
        known = self.state.size if self.state else 0
        if old_size != known:
            raise WitnessRefusal(409, f"this witness last cosigned a tree of {known}, not {old_size}")
        self._check_consistency(checkpoint, proof, note)
        text = checkpoint.text().encode("utf-8")
        cosignature = Signature(self.signer.name, self.signer.key_id, self.signer.sign(text))
        self.state = State(self.origin, checkpoint.size, checkpoint.root_hash, note)
        return cosignature

    def _check_consistency(self, checkpoint: Checkpoint, proof: Sequence[bytes], note: str) -> None:
        state = self.state
        if state is None or state.size == 0:
            # Every tree extends the empty one (and a first checkpoint is trusted on first use).
            if proof:
                raise WitnessRefusal(400, "a consistency proof from the empty tree must be empty")
            return
        if state.size == checkpoint.size and state.root != checkpoint.root_hash:
            raise ForkDetected(
                409,
                f"the log signed two different roots for a tree of {state.size} leaves",
                evidence=fork_evidence(state, note, proof),
            )
        try:
            verify_consistency(state.size, checkpoint.size, state.root, checkpoint.root_hash, proof)
        except InvalidProofError as error:
            raise ForkDetected(
                422,
                f"the tree of {checkpoint.size} does not extend the tree of {state.size} this witness "
                f"cosigned ({error})",
                evidence=fork_evidence(state, note, proof),
            ) from error


def fork_evidence(state: State, note: str, proof: Sequence[bytes]) -> str:
    """What a fork is shown by: both checkpoints as the log signed them, and the proof offered."""
    return (
        f"Checkpoint this witness cosigned (size {state.size}):\n{state.note}\n"
        f"Checkpoint the log shows now:\n{note}\n"
        "Consistency proof the log offered between them:\n" + "".join(f"{encode_base64(h)}\n" for h in proof)
    )


# -- Following a log -----------------------------------------------------------------------------


class LogClient(Protocol):
    """How the witness reads from and writes to the log (HTTP, or in-process for the demo)."""

    def checkpoint(self) -> str: ...

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]: ...

    def submit(self, cosigned_note: str) -> str: ...


@dataclass(frozen=True)
class Outcome:
    state: State
    cosigned: bool
    message: str
    cosigned_note: str | None = None
    # Things the witness's operator should know, e.g. that the log signs with a key not given.
    notices: tuple[str, ...] = ()


def _notices(opened: OpenedCheckpoint, witness: Witness) -> tuple[str, ...]:
    """Signatures under the log's name by keys this witness was not given: the log is changing
    its key. The witness keeps cosigning while a key it knows signs; it says so each run."""
    names = {key.name for key in witness.log_keys.keys}
    return tuple(
        f"the checkpoint also carries a signature by {s.name}+{s.key_id:08x}, a key of the log this "
        "witness was not given: if the log is changing its key (it lists its keys at /ledger/key), "
        "confirm the new key out of band and add it with --log-key before the old one stops signing"
        for s in opened.note.unverified
        if s.name in names
    )


def follow(
    client: LogClient,
    witness: Witness,
    *,
    save: Callable[[State], None],
) -> Outcome:
    """One round: fetch the checkpoint, check it extends the state, cosign, save, submit.

    Raises ``ForkDetected`` on a fork (nothing cosigned, the state untouched), ``WitnessRefusal``
    when the checkpoint is not the log's, ``LogError`` when the log cannot be read or refuses the
    cosignature (the state is saved by then: the next round submits again).
    """
    note = client.checkpoint()
    opened = _open(note, witness.log_keys, witness.origin)
    checkpoint = opened.checkpoint
    notices = _notices(opened, witness)
    state = witness.state
    # The log's note as this witness keeps it: only the log's own signatures (by its keys this
    # witness knows), not other witnesses'.
    own = {(key.name, key.key_id) for key in (opened.key, *opened.also_signed_by)}
    note = (
        checkpoint.text()
        + "\n"
        + "".join(s.line() for s in opened.note.signatures if (s.name, s.key_id) in own)
    )
    if state is not None:
        if checkpoint.size < state.size:
            raise ForkDetected(
                409,
                f"the log shows a tree of {checkpoint.size} leaves, smaller than the {state.size} this "
                "witness cosigned: it rolled back",
                evidence=fork_evidence(state, note, ()),
            )
        if checkpoint.size == state.size and checkpoint.root_hash == state.root and state.submitted:
            message = f"nothing new: the log is still at {state.size}, already cosigned"
            return Outcome(state, False, message, notices=notices)
    old_size = state.size if state else 0
    proof = (
        client.consistency_proof(old_size, checkpoint.size)
        if state is not None and 0 < old_size < checkpoint.size
        else []
    )
    cosignature = witness.add_checkpoint(add_checkpoint_request(old_size, proof, note))
    new_state = witness.state
    if new_state is None:  # add_checkpoint has just set it
        raise WitnessRefusal(500, "no state after cosigning")
    save(new_state)  # before the cosignature leaves
    cosigned_note = note + cosignature.line()
    reply = client.submit(cosigned_note)
    witness.state = replace(new_state, submitted=True)
    save(witness.state)
    return Outcome(witness.state, True, reply.strip(), cosigned_note, notices)


# -- Over HTTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpLogClient:
    """The log at ``base`` (the site's address, e.g. https://gerbang.example)."""

    base: str
    timeout: float = 30.0
    headers: dict[str, str] = field(
        default_factory=lambda: {"User-Agent": "gerbang-witness/1", "Accept-Language": "en"}
    )

    def __post_init__(self) -> None:
        if urllib.parse.urlsplit(self.base).scheme not in ("http", "https"):
            raise ValueError(f"the log's address must be http(s)://..., not {self.base!r}")

    def _request(self, url: str, **kwargs: Any) -> urllib.request.Request:
        # Only http(s) addresses get here (checked above).
        return urllib.request.Request(url, **kwargs)  # noqa: S310

    def _url(self, path: str, query: dict[str, int] | None = None) -> str:
        url = self.base.rstrip("/") + path
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def _open(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (the operator's URL)
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()
            raise LogError(f"{request.full_url}: HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise LogError(f"{request.full_url}: {error}") from error

    def checkpoint(self) -> str:
        data = self._open(self._request(self._url(CHECKPOINT_PATH), headers=self.headers))
        return data.decode("utf-8")

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        url = self._url(PROOF_PATH, {"old_size": old_size, "new_size": new_size})
        data = self._open(self._request(url, headers={**self.headers, "Accept": "application/json"}))
        try:
            hashes = json.loads(data)["hashes"]
            return [base64.b64decode(h, validate=True) for h in hashes]
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise LogError(f"{url}: not a consistency proof") from error

    def submit(self, cosigned_note: str) -> str:
        request = self._request(
            self._url(COSIGN_PATH),
            data=cosigned_note.encode("utf-8"),
            headers={**self.headers, "Content-Type": "text/plain; charset=utf-8"},
            method="POST",
        )
        return self._open(request).decode("utf-8", "replace")


# -- The command ---------------------------------------------------------------------------------


def _read_key(value: str) -> str:
    """Keys given as themselves (a verifier key, or a key list as /ledger/key serves it) or as
    the path of a file holding them."""
    if "+" in value:
        try:
            is_file = Path(value).is_file()
        except OSError:  # a key list, not a path (too long a name)
            is_file = False
        if not is_file:
            return value.strip()
    return Path(value).read_text(encoding="utf-8").strip()


def keygen(name: str, key_path: Path, out: Callable[[str], None] = print) -> str:
    """Write a new cosignature/v1 signer key to ``key_path`` (never over an existing file) and
    return its verifier key."""
    signer = generate_signer(name, SIG_COSIGNATURE_V1)
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(signer.signer_key() + "\n")
    verifier_key = signer.verifier().verifier_key()
    out(verifier_key)
    return verifier_key


def load_witness(
    log_keys: str | Sequence[str], key_path: Path, state: State | None, origin: str | None = None
) -> Witness:
    """The witness of the log whose keys are given (each a verifier key, a key list, or a file
    holding one; the first key given is the current one), signing with the key in ``key_path``."""
    given = [log_keys] if isinstance(log_keys, str) else list(log_keys)
    if not given:
        raise WitnessRefusal(400, "give the log's key with --log-key")
    try:
        ring = KeyRing.of(_read_key(value) for value in given)
    except MalformedError as error:
        raise WitnessRefusal(400, f"the log's keys: {error}") from error
    signer = parse_signer_key(key_path.read_text(encoding="utf-8").strip())
    if not isinstance(signer, CosignatureSigner):
        raise WitnessRefusal(400, f"{key_path} is not a cosignature/v1 key (signature type 0x04)")
    return Witness(signer, ring, origin or ring.current.name, state)


def run(args: argparse.Namespace, client: LogClient | None = None) -> int:
    state_path = Path(args.state)
    try:
        state = load_state(state_path)
        witness = load_witness(args.log_key, Path(args.key), state, args.origin)
        client = client or HttpLogClient(args.log)
    except (OSError, ValueError, WitnessRefusal) as error:
        print(f"witness: cannot start: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        outcome = follow(client, witness, save=lambda new: save_state(state_path, new))
    except ForkDetected as fork:
        evidence = state_path.with_name(f"{state_path.name}.fork-{int(time.time())}.txt")
        evidence.write_text(f"{fork.message}\n\n{fork.evidence}", encoding="utf-8")
        banner = "!" * 78
        print(
            f"{banner}\nFORK DETECTED: the log {witness.origin} is not consistent with what this "
            f"witness cosigned.\n{fork.message}.\nNothing was cosigned. Evidence: {evidence}\n"
            f"Tell the log's operator and the public; keep the evidence.\n{banner}",
            file=sys.stderr,
        )
        return EXIT_FORK
    except WitnessRefusal as refusal:
        print(f"witness: refused (HTTP {refusal.status}): {refusal.message}", file=sys.stderr)
        return EXIT_ERROR
    except LogError as error:
        print(f"witness: {error}", file=sys.stderr)
        return EXIT_ERROR
    for notice in outcome.notices:
        print(f"witness: notice: {notice}", file=sys.stderr)
    if outcome.cosigned:
        print(f"cosigned {witness.origin} at size {outcome.state.size}: {outcome.message}")
    else:
        print(outcome.message)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["keygen"]:
        parser = argparse.ArgumentParser(
            prog="python -m gerbang.ledger.witness keygen",
            description="Make a witness key; print the verifier key to register with the log.",
        )
        parser.add_argument("--name", required=True, help="the witness's key name, e.g. example.org/witness")
        parser.add_argument("--key", required=True, help="file to write the secret key to (must not exist)")
        options = parser.parse_args(argv[1:])
        try:
            keygen(options.name, Path(options.key))
        except (OSError, ValueError) as error:
            print(f"witness keygen: {error}", file=sys.stderr)
            return EXIT_ERROR
        return EXIT_OK
    parser = argparse.ArgumentParser(
        prog="python -m gerbang.ledger.witness",
        description="Check that the Gerbang ledger only grows, cosign its checkpoint and send it back.",
    )
    parser.add_argument("--log", required=True, help="the site's address, e.g. https://gerbang.example")
    parser.add_argument(
        "--log-key",
        required=True,
        action="append",
        help="the log's verifier key, or its key list as /ledger/key serves it, or a file holding "
        "either; give it again for each of the log's keys (the first is the current one)",
    )
    parser.add_argument("--key", required=True, help="this witness's secret key file (from keygen)")
    parser.add_argument("--state", required=True, help="this witness's state file (created on first run)")
    parser.add_argument("--origin", help="the log's origin, if not its key's name")
    parser.add_argument("--every", type=float, default=0, help="run again every this many seconds")
    options = parser.parse_args(argv)
    while True:
        status = run(options)
        if not options.every or status == EXIT_FORK:
            return status
        time.sleep(options.every)


if __name__ == "__main__":
    sys.exit(main())
