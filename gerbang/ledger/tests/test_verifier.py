"""The standalone verifier against a live server: a sound log is consistent, and each way of
tampering with the stored log is found and named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.ledger import keys, selectors
from gerbang.ledger.__main__ import main
from gerbang.ledger.models import Checkpoint, Leaf, LogHead, StoredHash
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tests.helpers import logged_events, rotate_key
from gerbang.ledger.tlog.checkpoint import Checkpoint as Body
from gerbang.ledger.tlog.checkpoint import sign_checkpoint
from gerbang.ledger.tlog.merkle import leaf_hash, stored_hash_index
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    Ed25519Signer,
    add_signatures,
    generate_signer,
    parse_verifier_key,
)
from gerbang.ledger.verifier import Report, verify

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 300  # a full level-0 tile, a partial one, and a partial level-1 tile


@pytest.fixture
def events(office_a: Any) -> list[Any]:
    made = logged_events(office_a, SIZE)
    log_integrate(actor=WORKER)
    return made


@pytest.fixture
def key() -> str:
    return keys.verifier().verifier_key()


def run(live_server: Any, key: str | None, **kwargs: Any) -> Report:
    return verify(live_server.url, key=key, **kwargs)


def kinds(report: Report) -> set[str]:
    return {kind for kind, _ in report.lines if kind not in ("ok", "warning")}


def only(report: Report, kind: str) -> list[str]:
    return report.problems(kind)


def test_a_sound_log_is_consistent(live_server: Any, events: list[Any], key: str) -> None:
    report = run(live_server, key, events=[events[0].pk, events[299].pk])
    assert report.consistent, report.text()
    assert f"ok: event {events[299].pk} is leaf 299, proved included\n" in report.text()
    assert "ok: the 300 leaves make the signed root\n" in report.text()
    assert "ok: the 3 tiles make the signed root\n" in report.text()


def test_first_run_takes_the_key_from_the_log_warns_and_pins_it(
    live_server: Any, events: list[Any], key: str, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    report = run(live_server, None, state_path=state)
    assert report.consistent, report.text()
    assert any(kind == "warning" and key in text and "out of band" in text for kind, text in report.lines)
    saved = json.loads(state.read_text())
    assert (saved["key"], saved["size"]) == (key, SIZE)
    again = run(live_server, None, state_path=state)
    assert again.consistent and not any(kind == "warning" for kind, _ in again.lines)
    assert "ok: the log of 300 leaves extends the log of 300" in again.text()


def test_the_log_grows_consistently_between_runs(
    live_server: Any, events: list[Any], key: str, office_a: Any, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    assert run(live_server, key, state_path=state).consistent
    logged_events(office_a, 20)
    log_integrate(actor=WORKER)
    report = run(live_server, key, state_path=state)
    assert report.consistent, report.text()
    assert "extends the log of 300 you verified on" in report.text()
    assert json.loads(state.read_text())["size"] == SIZE + 20


def test_the_command_line_exits_0_when_consistent_and_1_otherwise(
    live_server: Any, events: list[Any], key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", f"{live_server.url}/ledger/", "--key", key, "--event", str(events[3].pk)]) == 0
    assert "ok: consistent" in capsys.readouterr().out
    assert main(["verify", live_server.url, "--key", key, "--event", "999999999"]) == 1
    out = capsys.readouterr().out
    assert "not included: event 999999999 is not in the log of 300 leaves" in out


def test_a_wrong_key_is_an_unknown_key(live_server: Any, events: list[Any], key: str) -> None:
    other = generate_signer(keys.origin()).verifier()
    report = run(live_server, other.verifier_key())
    assert kinds(report) == {"unknown key", "not consistent"}
    (unknown,) = only(report, "unknown key")
    log = parse_verifier_key(key)
    signer = f"{log.name}+{log.key_id:08x}"  # the key that did sign
    assert unknown.startswith(
        f"the checkpoint is signed by {signer}, none of the log's keys given ({other.name}+{other.key_id:08x}): "
        f"if the log changed its key, take the new one from {live_server.url}/ledger/key"
    )


def test_a_key_other_than_the_pinned_one_is_reported(
    live_server: Any, events: list[Any], key: str, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    assert run(live_server, key, state_path=state).consistent
    other = generate_signer(keys.origin()).verifier().verifier_key()
    report = run(live_server, other, state_path=state)
    assert only(report, "key changed") and only(report, "unknown key")


def test_witness_cosignatures(live_server: Any, events: list[Any], key: str) -> None:
    witness = generate_signer("witness.example/w1", SIG_COSIGNATURE_V1)
    absent = generate_signer("witness.example/w2", SIG_COSIGNATURE_V1)
    latest = Checkpoint.objects.order_by("-pk").first()
    assert latest is not None
    latest.note = add_signatures(latest.note, [witness])
    latest.save()
    report = run(
        live_server, key, witnesses=[witness.verifier().verifier_key(), absent.verifier().verifier_key()]
    )
    assert "ok: witness witness.example/w1+" in report.text()
    (missing,) = only(report, "not cosigned")
    assert missing.startswith("witness witness.example/w2+")


# -- Tampering with the stored log ------------------------------------------------------------------


def test_a_leaf_whose_bytes_were_changed(live_server: Any, events: list[Any], key: str) -> None:
    Leaf.objects.filter(seq=7).update(data=bytes(Leaf.objects.get(seq=7).data).replace(b'"v":1', b'"v":1 '))
    report = run(live_server, key, events=[events[7].pk])
    assert not report.consistent
    (altered,) = only(report, "leaf mismatch")
    assert altered == "leaf 7: its bytes do not match its hash (tile/0/000 hash 7): the leaf was altered"
    assert only(report, "root mismatch")  # the leaves no longer make the signed root
    assert "leaf 7 is not in canonical form (sorted keys, no whitespace)" in only(report, "bad leaf")
    assert only(report, "not included") == [
        f"event {events[7].pk}: its inclusion proof as leaf 7 does not verify against the root"
    ]


def test_a_deleted_leaf(live_server: Any, events: list[Any], key: str) -> None:
    gone = Leaf.objects.get(seq=260)
    gone.delete()
    report = run(live_server, key, events=[gone.event_id])
    (missing,) = only(report, "missing")
    assert missing.startswith("entry bundle tile/entries/001.p/44 (leaves 256-299): HTTP 500")
    assert only(report, "not included") == [f"event {gone.event_id} is not in the log of 300 leaves"]


def test_two_leaves_swapped(live_server: Any, events: list[Any], key: str) -> None:
    first, second = Leaf.objects.get(seq=10), Leaf.objects.get(seq=20)
    Leaf.objects.filter(seq__in=[10, 20]).delete()
    for seq, leaf in ((20, first), (10, second)):
        leaf.seq = seq
        leaf.save(force_insert=True)
    report = run(live_server, key)
    assert only(report, "leaf mismatch") == [
        "leaves 10 and 20 are in each other's place (swapped): each hashes to the other's hash in tile/0/000"
    ]


def test_a_replaced_stored_hash(live_server: Any, events: list[Any], key: str) -> None:
    StoredHash.objects.filter(index=stored_hash_index(0, 5)).update(hash=bytes(32))
    report = run(live_server, key)
    assert only(report, "tile mismatch") == [
        "tile/0/000 hash 5 is not the hash of leaf 5, though the leaves make the signed root: "
        "the served (stored) hash was replaced"
    ]
    assert "ok: the 300 leaves make the signed root\n" in report.text()


def test_a_replaced_hash_of_a_full_tile(live_server: Any, events: list[Any], key: str) -> None:
    StoredHash.objects.filter(index=stored_hash_index(8, 0)).update(hash=bytes(32))
    report = run(live_server, key)
    assert only(report, "tile mismatch") == [
        "tile/1/000.p/1 hash 0 is not the hash of leaves 0-255, though the leaves make the signed root: "
        "the served (stored) hash was replaced"
    ]
    (root,) = only(report, "root mismatch")
    assert root.startswith("the tiles make root ")


def test_a_leaf_changed_with_its_stored_hash(live_server: Any, events: list[Any], key: str) -> None:
    """A leaf and its level-0 hash changed together: the level-1 tile, which the signed root
    confirms, shows the range."""
    data = bytes(Leaf.objects.get(seq=7).data).replace(b'"v":1', b'"v":1 ')
    Leaf.objects.filter(seq=7).update(data=data, hash=leaf_hash(data))
    StoredHash.objects.filter(index=stored_hash_index(0, 7)).update(hash=leaf_hash(data))
    report = run(live_server, key)
    assert only(report, "leaf mismatch") == []
    assert only(report, "tile mismatch") == [
        "leaves 0-255 (with their level-0 tile) do not make tile/1/000.p/1 hash 0: "
        "a leaf in that range was changed together with its stored hash, or the tile hash was"
    ]
    assert only(report, "root mismatch")[0].startswith("the leaves make root ")
    assert "ok: the 3 tiles make the signed root\n" in report.text()


def test_a_fork_after_the_verifier_saved_its_state(
    live_server: Any, office_a: Any, key: str, tmp_path: Path
) -> None:
    logged_events(office_a, 40)
    log_integrate(actor=WORKER)
    state = tmp_path / "state.json"
    assert run(live_server, key, state_path=state).consistent
    verified_at = json.loads(state.read_text())["verified_at"]
    saved = state.read_text()
    # The log is thrown away and built again with one event left out, then grows past the old size.
    Leaf.objects.all().delete()
    StoredHash.objects.all().delete()
    Checkpoint.objects.all().delete()
    LogHead.objects.all().delete()
    Event.objects.filter(pk=Event.objects.order_by("pk").values_list("pk", flat=True)[3]).delete()
    logged_events(office_a, 5)
    log_integrate(actor=WORKER, batch_size=40)  # and the rewritten log signs a checkpoint of size 40
    report = run(live_server, key, state_path=state)
    (fork,) = only(report, "fork")
    assert fork.startswith(f"the log at size 40 no longer matches the root you verified on {verified_at} ")
    assert "it was rewritten or forked" in fork
    assert "its leaves now make root" in fork and "consistency proof from 40 to 44 does not verify" in fork
    assert "two signed checkpoints of one size prove the fork" in fork
    assert state.read_text() == saved  # a log that forked does not become the new reference


def test_a_log_that_shrank(
    live_server: Any, events: list[Any], key: str, office_a: Any, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    assert run(live_server, key, state_path=state).consistent
    Leaf.objects.all().delete()
    StoredHash.objects.all().delete()
    Checkpoint.objects.all().delete()
    LogHead.objects.all().delete()
    Event.objects.all().delete()
    logged_events(office_a, 3)
    log_integrate(actor=WORKER, batch_size=100)
    report = run(live_server, key, state_path=state)
    (fork,) = only(report, "fork")
    assert "fewer than the 300 you verified on" in fork


# -- A change of the log's key ------------------------------------------------------------------------


def test_a_log_that_changes_its_key_stays_verifiable(
    live_server: Any, office_a: Any, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logged_events(office_a, 5)
    log_integrate(actor=WORKER)
    state = tmp_path / "state.json"
    assert run(live_server, keys.verifier().verifier_key(), state_path=state).consistent
    old, new = rotate_key(settings, transition=True)
    logged_events(office_a, 3)
    log_integrate(actor=WORKER)

    # The key pinned last time (the old one) still opens the checkpoint during the change; the
    # report names the new key it does not know.
    report = run(live_server, None, state_path=state)
    assert report.consistent, report.text()
    assert any(
        kind == "warning" and f"{keys.origin()}+{new.key_id:08x}, a key of the log not given" in text
        for kind, text in report.lines
    ), report.text()

    # The change is over and the log grows: the old key alone no longer opens it, and says why.
    settings.LEDGER_TRANSITION_SIGNING_KEY = ""
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    report = run(live_server, None, state_path=state)
    (unknown,) = only(report, "unknown key")
    assert unknown.startswith(f"the checkpoint is signed by {keys.origin()}+{new.key_id:08x}, none of the")
    assert f"take the new one from {live_server.url}/ledger/key" in unknown

    # With the log's key list (compared out of band): each checkpoint with the key valid for it,
    # the saved one (signed by both keys then) too.
    key_list = tmp_path / "keys.txt"
    key_list.write_text(Client().get("/ledger/key").content.decode())
    argv = ["verify", live_server.url, "--keys", str(key_list), "--state", str(state), "--event"]
    assert main([*argv, str(Event.objects.order_by("pk").first().pk)]) == 0  # type: ignore[union-attr]
    out = capsys.readouterr().out
    # The new key's first checkpoint was of 8 leaves (the first run after the change grew the log).
    assert f"signature verified by {keys.origin()}+{new.key_id:08x} (the current key, from size 8)" in out
    assert f"{keys.origin()}+{old.key_id:08x}, pinned then, is given as retired on " in out
    assert "valid for sizes 5-5; the current key is" in out
    assert "ok: consistent" in out
    saved = json.loads(state.read_text())
    assert saved["key"] == new.verifier().verifier_key()
    assert [line.split()[0] for line in saved["keys"]] == [
        new.verifier().verifier_key(),
        old.verifier().verifier_key(),
    ]
    # From now on the state file's keys do.
    again = run(live_server, None, state_path=state)
    assert again.consistent, again.text()


def test_several_keys_on_the_command_line_the_first_current(
    live_server: Any, office_a: Any, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    arguments = ["verify", live_server.url, "--key", new.verifier().verifier_key()]
    assert main([*arguments, "--key", old.verifier().verifier_key()]) == 0
    assert (
        f"signature verified by {keys.origin()}+{new.key_id:08x} (the current key)" in capsys.readouterr().out
    )
    assert main(["verify", live_server.url, "--key", old.verifier().verifier_key()]) == 1
    assert "unknown key: the checkpoint is signed by" in capsys.readouterr().out


def test_a_checkpoint_signed_only_by_a_retired_key_is_refused(
    live_server: Any, office_a: Any, settings: Any
) -> None:
    logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    old, _new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    key_list = selectors.key_ring().text()
    # Whoever stole the old key signs the log's latest tree, as if the key had never changed.
    latest = Checkpoint.objects.order_by("-pk").first()
    assert latest is not None
    forged = sign_checkpoint(
        Body(keys.origin(), 5, bytes(latest.root)), [Ed25519Signer(keys.origin(), old.seed)]
    )
    Checkpoint.objects.filter(pk=latest.pk).update(note=forged)
    report = verify(live_server.url, keys=[key_list])
    (retired,) = only(report, "retired key")
    assert retired.startswith(
        f"the checkpoint of size 5 is signed only by keys not valid for that size: {keys.origin()}+{old.key_id:08x} "
        "(retired on "
    )
    assert "valid for sizes 3-3)" in retired and "it may have leaked" in retired
    # A verifier given only the old key, without its period, cannot tell: the period is the point.
    assert verify(live_server.url, key=old.verifier().verifier_key()).consistent


def test_the_key_list_is_taken_from_the_log_on_a_first_run(
    live_server: Any, office_a: Any, settings: Any, tmp_path: Path
) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    state = tmp_path / "state.json"
    report = run(live_server, None, state_path=state)
    assert report.consistent, report.text()
    (warning,) = [text for kind, text in report.lines if kind == "warning"]
    assert warning.startswith(
        f"key {new.verifier().verifier_key()} (and the retired keys {old.verifier().verifier_key()}) "
        "was taken from the log itself"
    )
    assert len(json.loads(state.read_text())["keys"]) == 2
