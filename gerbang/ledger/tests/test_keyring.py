"""A log's keys over time (tlog.keyring): the key list format, each key's period, and opening a
checkpoint with the key that was valid for it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gerbang.ledger.tlog.checkpoint import Checkpoint, WrongOriginError, sign_checkpoint
from gerbang.ledger.tlog.keyring import (
    KeyRing,
    LogKey,
    MalformedKeyListError,
    RetiredKeyError,
    open_checkpoint_with,
)
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    Ed25519Signer,
    InvalidSignatureError,
    Signature,
    UnknownKeyError,
    add_signatures,
    generate_signer,
    parse_note,
)

ORIGIN = "log.example/x"
OLD = generate_signer(ORIGIN)
NEW = generate_signer(ORIGIN)
RETIRED_AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def ring() -> KeyRing:
    """NEW is current from size 10; OLD signed sizes 0 to 10 and was retired."""
    return KeyRing(
        (
            LogKey(NEW.verifier(), current=True, first_size=10, since=RETIRED_AT),
            LogKey(OLD.verifier(), current=False, first_size=0, last_size=10, until=RETIRED_AT),
        )
    )


def note(size: int, *signers: Ed25519Signer, origin: str = ORIGIN) -> str:
    return sign_checkpoint(Checkpoint(origin, size, bytes(32)), list(signers))


def test_the_key_list_round_trips_and_says_each_period() -> None:
    text = ring().text()
    assert text == (
        f"{NEW.verifier().verifier_key()} current since=2026-12-01T03:00:00Z sizes=10-\n"
        f"{OLD.verifier().verifier_key()} retired until=2026-12-01T03:00:00Z sizes=0-10\n"
    )
    assert KeyRing.parse(text) == ring()
    assert ring().current.verifier == NEW.verifier()
    assert ring().keys[1].period() == "retired on 2026-12-01T03:00:00Z, valid for sizes 0-10"


def test_a_bare_verifier_key_is_the_current_key_for_every_size() -> None:
    parsed = KeyRing.parse(f"# the log's key\n\n{OLD.verifier().verifier_key()}\n")
    (key,) = parsed.keys
    assert key.current and key.covers(0) and key.covers(10**9)


def test_unknown_fields_are_ignored_and_words_decide_the_status() -> None:
    text = (
        f"{OLD.verifier().verifier_key()} retired cosigning sizes=0-10 colour=blue\n"
        f"{NEW.verifier().verifier_key()} current sizes=10-\n"
    )
    old, new = KeyRing.parse(text).keys
    assert (old.current, old.cosigning, new.current) == (False, True, True)
    assert KeyRing.parse(text).current == new


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "at least one key"),
        ("nonsense\n", "line 1: 'nonsense' is not a verifier key"),
        ("{old} sometimes\n", "unknown word 'sometimes'"),
        ("{old} current retired\n", "current or retired, not both"),
        ("{old} sizes=5\n", "sizes=5 is not A-B or A-"),
        ("{old} sizes=05-6\n", "is not A-B or A-"),
        ("{old} sizes=9-3\n", "ends before it starts"),
        ("{old} until=yesterday\n", "is not an ISO 8601 time"),
        ("{old} until=2026-12-01T03:00:00\n", "has no time zone"),
        ("{old}\n{old}\n", "is listed twice"),
        ("{old} current\n{new} current\n", "one current key at most"),
        ("{witness}\n", "must be an Ed25519 (type 0x01) key"),
    ],
)
def test_a_malformed_key_list_says_what_is_wrong(text: str, said: str) -> None:
    witness = generate_signer("w.example/w", SIG_COSIGNATURE_V1).verifier().verifier_key()
    formatted = text.format(
        old=OLD.verifier().verifier_key(), new=NEW.verifier().verifier_key(), witness=witness
    )
    with pytest.raises(MalformedKeyListError) as error:
        KeyRing.parse(formatted)
    assert said in str(error.value)


def test_keys_given_one_by_one_make_the_first_current() -> None:
    given = KeyRing.of([NEW.verifier().verifier_key(), ring().text(), OLD.verifier()])
    assert [key.verifier for key in given.keys] == [NEW.verifier(), OLD.verifier()]
    assert given.current.verifier == NEW.verifier()
    # A key list given after a key: its own current key is not current here.
    reversed_ring = KeyRing.of([OLD.verifier().verifier_key(), ring().text()])
    assert reversed_ring.current.verifier == OLD.verifier()
    assert sum(key.current for key in reversed_ring.keys) == 1


def test_each_checkpoint_opens_with_the_key_valid_for_its_size() -> None:
    old_checkpoint = open_checkpoint_with(note(7, OLD), ring(), origin=ORIGIN)
    assert old_checkpoint.key.verifier == OLD.verifier() and old_checkpoint.checkpoint.size == 7
    new_checkpoint = open_checkpoint_with(note(12, NEW), ring(), origin=ORIGIN)
    assert new_checkpoint.key.current and not new_checkpoint.also_signed_by
    # The size where one key ended and the next began is valid for both.
    assert open_checkpoint_with(note(10, OLD), ring(), origin=ORIGIN).key.verifier == OLD.verifier()
    assert open_checkpoint_with(note(10, NEW), ring(), origin=ORIGIN).key.current


def test_during_a_change_both_keys_sign_and_the_current_one_counts() -> None:
    opened = open_checkpoint_with(note(20, NEW, OLD), ring(), origin=ORIGIN)
    assert opened.key.current
    assert [key.verifier for key in opened.also_signed_by] == [OLD.verifier()]
    # A client that knows only the old key still opens it.
    only_old = KeyRing.of([OLD.verifier()])
    assert open_checkpoint_with(note(20, NEW, OLD), only_old, origin=ORIGIN).key.verifier == OLD.verifier()


def test_a_retired_key_signing_after_its_period_is_refused() -> None:
    with pytest.raises(RetiredKeyError) as error:
        open_checkpoint_with(note(11, OLD), ring(), origin=ORIGIN)
    assert str(error.value) == (
        f"the checkpoint of size 11 is signed only by keys not valid for that size: "
        f"{ORIGIN}+{OLD.verifier().key_id:08x} (retired on 2026-12-01T03:00:00Z, valid for sizes 0-10)"
    )
    # Nor may the new key sign a checkpoint older than its period.
    with pytest.raises(RetiredKeyError):
        open_checkpoint_with(note(9, NEW), ring(), origin=ORIGIN)


def test_a_checkpoint_signed_by_no_key_given_names_who_signed_it() -> None:
    stranger = generate_signer(ORIGIN)
    with pytest.raises(UnknownKeyError) as error:
        open_checkpoint_with(note(12, stranger), ring(), origin=ORIGIN)
    assert [s.key_id for s in error.value.unverified] == [stranger.key_id]
    assert f"{ORIGIN}+{stranger.key_id:08x}" in str(error.value)
    # A witness's cosignature is not the log's signature.
    witness = generate_signer("w.example/w", SIG_COSIGNATURE_V1)
    cosigned = add_signatures(note(12, stranger), [witness])
    with pytest.raises(UnknownKeyError):
        open_checkpoint_with(cosigned, ring(), origin=ORIGIN, witnesses=[witness.verifier()])


def test_a_bad_signature_by_any_known_key_rejects_the_note() -> None:
    (old_line,) = parse_note(note(20, OLD))[1]
    forged = Signature(old_line.name, old_line.key_id, bytes(64))  # the old key's id, a wrong signature
    with pytest.raises(InvalidSignatureError):
        open_checkpoint_with(note(20, NEW) + forged.line(), ring(), origin=ORIGIN)


def test_a_checkpoint_of_another_origin_is_refused() -> None:
    with pytest.raises(WrongOriginError):
        open_checkpoint_with(note(12, NEW, origin="elsewhere.example/x"), ring(), origin=ORIGIN)
