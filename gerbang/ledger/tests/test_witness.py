"""The witness program (gerbang.ledger.witness): it cosigns a log that only grew, and refuses,
loudly, a log that forked; it runs without Django."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.ledger import keys, selectors, witness
from gerbang.ledger.demo import InProcessLog
from gerbang.ledger.models import Checkpoint, Cosignature, Leaf, LogHead, StoredHash
from gerbang.ledger.services import log_integrate, witness_register
from gerbang.ledger.tests.helpers import logged_events, rotate_key
from gerbang.ledger.tlog.checkpoint import Checkpoint as Body
from gerbang.ledger.tlog.checkpoint import open_checkpoint, sign_checkpoint
from gerbang.ledger.tlog.keyring import KeyRing
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    CosignatureSigner,
    generate_signer,
    parse_note,
    parse_verifier_key,
)

WITNESS_PY = Path(witness.__file__)
ROOT = WITNESS_PY.parents[2]


def keygen(tmp_path: Path, name: str = "witness.example/w1") -> tuple[Path, str]:
    key = tmp_path / "witness.key"
    printed: list[str] = []
    witness.keygen(name, key, printed.append)
    return key, printed[0]


def arguments(base: str, key: Path, state: Path) -> argparse.Namespace:
    return argparse.Namespace(
        log=base, log_key=keys.verifier().verifier_key(), key=str(key), state=str(state), origin=None
    )


# -- No Django ------------------------------------------------------------------------------------


def test_the_witness_imports_only_the_standard_library_cryptography_and_tlog() -> None:
    for node in ast.walk(ast.parse(WITNESS_PY.read_text())):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for module in names:
            top = module.split(".")[0]
            assert (
                top in sys.stdlib_module_names
                or top == "cryptography"
                or module.startswith("gerbang.ledger.tlog")
            ), module


def test_the_witness_runs_without_django(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from gerbang.ledger import witness\n"
        "assert witness.main(['keygen', '--name', 'w.example/x', '--key', sys.argv[1]]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('gerbang.') and not m.startswith('gerbang.ledger')))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, str(tmp_path / "k")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    vkey = parse_verifier_key(result.stdout.strip())
    assert vkey.sig_type == SIG_COSIGNATURE_V1 and vkey.name == "w.example/x"
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    key, _vkey = keygen(tmp_path)
    before = key.read_text()
    assert witness.main(["keygen", "--name", "w.example/y", "--key", str(key)]) == witness.EXIT_ERROR
    assert key.read_text() == before


# -- The full round over HTTP ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_registered_witness_cosigns_through_the_live_site(
    live_server: Any, tmp_path: Path, staff_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from gerbang.catalog.tests.factories import OfficeFactory

    office = OfficeFactory.create(code="office-w")
    logged_events(office, 5)
    log_integrate(actor=WORKER)
    key, vkey = keygen(tmp_path)
    admin = staff(Role.NATIONAL_ADMIN, [], language="en")
    registered = staff_client(admin).post(
        reverse("backoffice:ledger_witnesses"),
        {"name": "Ombudsman RI", "verifier_key": vkey, "note": "Agreement of 2026"},
    )
    assert registered.status_code == 302
    state = tmp_path / "state.json"
    args = arguments(live_server.url, key, state)

    assert witness.run(args) == witness.EXIT_OK
    assert "cosigned" in capsys.readouterr().out
    assert witness.load_state(state) == witness.State(
        keys.origin(),
        5,
        bytes(Checkpoint.objects.get(size=5).root),
        Checkpoint.objects.get(size=5).note,
        True,
    )

    client = Client()
    served = client.get("/ledger/checkpoint").content.decode()
    body, note = open_checkpoint(
        served, keys.verifier(), origin=keys.origin(), witnesses=[parse_verifier_key(vkey)]
    )
    assert body.size == 5
    assert note.signed_by("witness.example/w1", parse_verifier_key(vkey).key_id)
    page = Client()
    page.cookies["django_language"] = "en"
    html = page.get(reverse("ledger:checkpoints")).content.decode()
    assert "Ombudsman RI" in html and "Not co-signed yet" not in html

    # The log grows: the witness checks the consistency proof from 5 to 8 and cosigns again.
    logged_events(office, 3)
    log_integrate(actor=WORKER)
    assert witness.run(args) == witness.EXIT_OK
    assert witness.load_state(state).size == 8  # type: ignore[union-attr]
    assert Cosignature.objects.filter(witness__name="Ombudsman RI").count() == 2
    assert witness.run(args) == witness.EXIT_OK
    assert "nothing new" in capsys.readouterr().out
    assert Cosignature.objects.count() == 2


# -- A forked log ------------------------------------------------------------------------------------


def _rebuild_log(office: Any, size: int) -> None:
    """Throw the log away and build another one of ``size`` leaves from other events."""
    Cosignature.objects.all().delete()
    for model in (Checkpoint, Leaf, StoredHash, LogHead):
        model.objects.all().delete()
    Event.objects.all().delete()
    logged_events(office, size, code="payment.settled")
    log_integrate(actor=WORKER)


@pytest.mark.django_db
@pytest.mark.parametrize("new_size", [3, 4, 7])
def test_the_witness_refuses_to_cosign_a_forked_log(
    office_a: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], new_size: int
) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    key, vkey = keygen(tmp_path)
    witness_register(name="Ombudsman RI", verifier_key=vkey, actor=WORKER)
    state = tmp_path / "state.json"
    args = arguments("http://unused.example", key, state)
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_OK
    saved = state.read_text()

    _rebuild_log(office_a, new_size)  # smaller, as large with another root, or larger
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_FORK

    err = capsys.readouterr().err
    assert "FORK DETECTED" in err and "Nothing was cosigned" in err
    assert state.read_text() == saved  # it keeps the view it cosigned
    assert not Cosignature.objects.exists()
    (evidence,) = tmp_path.glob("state.json.fork-*.txt")
    text = evidence.read_text()
    assert witness.State.from_json(saved).note in text
    assert Checkpoint.objects.order_by("-pk").first().note in text  # type: ignore[union-attr]
    # And it goes on refusing.
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_FORK


# -- The add-checkpoint checks (C2SP tlog-witness) ----------------------------------------------------


@pytest.fixture
def log_signer() -> Any:
    return generate_signer("log.example/x")


def checkpoint_note(signer: Any, size: int, root: bytes = bytes(32)) -> str:
    return sign_checkpoint(Body("log.example/x", size, root), [signer])


def a_witness(log_signer: Any, state: witness.State | None = None) -> witness.Witness:
    cosigner = generate_signer("w.example/a", SIG_COSIGNATURE_V1)
    assert isinstance(cosigner, CosignatureSigner)
    return witness.Witness(cosigner, KeyRing.of([log_signer.verifier()]), "log.example/x", state)


def test_add_checkpoint_trusts_on_first_use_and_then_wants_the_old_size(log_signer: Any) -> None:
    w = a_witness(log_signer)
    note = checkpoint_note(log_signer, 3)
    line = w.add_checkpoint(witness.add_checkpoint_request(0, [], note))
    assert line.name == "w.example/a" and w.state is not None and w.state.size == 3
    with pytest.raises(witness.WitnessRefusal) as refused:
        w.add_checkpoint(witness.add_checkpoint_request(0, [], checkpoint_note(log_signer, 4)))
    assert refused.value.status == 409


def test_after_the_empty_tree_any_tree_follows(log_signer: Any) -> None:
    w = a_witness(log_signer)
    w.add_checkpoint(witness.add_checkpoint_request(0, [], checkpoint_note(log_signer, 0)))
    w.add_checkpoint(witness.add_checkpoint_request(0, [], checkpoint_note(log_signer, 2)))
    assert w.state is not None and w.state.size == 2


def test_same_size_other_root_is_a_fork(log_signer: Any) -> None:
    w = a_witness(log_signer)
    w.add_checkpoint(witness.add_checkpoint_request(0, [], checkpoint_note(log_signer, 2)))
    with pytest.raises(witness.ForkDetected) as fork:
        w.add_checkpoint(
            witness.add_checkpoint_request(2, [], checkpoint_note(log_signer, 2, bytes(31) + b"x"))
        )
    assert fork.value.status == 409 and w.state is not None and w.state.root == bytes(32)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("nonsense", 400),
        ("old 01\n\n", 400),
        ("old 5\n\n{note3}", 400),  # old size beyond the checkpoint
        ("old 0\n\n{other_log}", 403),
        ("old 0\n\n{other_origin}", 404),
    ],
)
def test_add_checkpoint_refusals(log_signer: Any, body: str, status: int) -> None:
    other = generate_signer("log.example/x")
    notes = {
        "note3": checkpoint_note(log_signer, 3),
        "other_log": checkpoint_note(other, 3),
        "other_origin": sign_checkpoint(Body("elsewhere.example/x", 3, bytes(32)), [log_signer]),
    }
    with pytest.raises(witness.WitnessRefusal) as refused:
        a_witness(log_signer).add_checkpoint(body.format(**notes))
    assert refused.value.status == status


# -- A change of the log's key -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_witness_keeps_cosigning_across_a_change_of_key(
    office_a: Any, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    key, vkey = keygen(tmp_path)
    witness_register(name="Ombudsman RI", verifier_key=vkey, actor=WORKER)
    state = tmp_path / "state.json"
    args = arguments("http://unused.example", key, state)  # it knows the log's key of today
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_OK

    old, new = rotate_key(settings, transition=True)
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    # While the log signs with both keys, the witness goes on, and tells its operator of the new key.
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_OK
    captured = capsys.readouterr()
    assert "cosigned" in captured.out
    assert (
        f"notice: the checkpoint also carries a signature by {keys.origin()}+{new.key_id:08x}" in captured.err
    )
    kept = witness.load_state(state)
    assert kept is not None and kept.size == 5
    # The note it keeps as evidence has the log's signature it could check (not the unknown key's).
    assert {line.key_id for line in parse_note(kept.note)[1]} == {old.key_id}

    # The change ends: a witness that was not given the new key refuses, and says what to do.
    settings.LEDGER_TRANSITION_SIGNING_KEY = ""
    logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_ERROR
    err = capsys.readouterr().err
    assert "refused (HTTP 403): not signed by the log's key" in err and "/ledger/key" in err
    assert witness.load_state(state) == kept

    # Given the log's key list (compared out of band), it follows on from the tree it cosigned.
    args.log_key = [selectors.key_ring().text()]
    assert witness.run(args, client=InProcessLog()) == witness.EXIT_OK
    assert witness.load_state(state).size == 6  # type: ignore[union-attr]
    assert Cosignature.objects.count() == 3


def test_the_log_keys_may_be_given_as_a_file_or_several_times(tmp_path: Path) -> None:
    old, new = generate_signer("log.example/x"), generate_signer("log.example/x")
    key, _vkey = keygen(tmp_path)
    listed = tmp_path / "log-keys.txt"
    listed.write_text(f"{new.verifier().verifier_key()}\n{old.verifier().verifier_key()} retired sizes=0-9\n")
    from_file = witness.load_witness([str(listed)], key, None)
    assert from_file.log_keys.current.verifier == new.verifier() and from_file.origin == "log.example/x"
    assert from_file.log_keys.keys[1].last_size == 9
    one_by_one = witness.load_witness(
        [new.verifier().verifier_key(), old.verifier().verifier_key()], key, None
    )
    assert [k.verifier for k in one_by_one.log_keys.keys] == [new.verifier(), old.verifier()]
    with pytest.raises(witness.WitnessRefusal) as refused:
        witness.load_witness(["log.example/x+00000000+AAAA"], key, None)
    assert refused.value.status == 400 and "the log's keys" in refused.value.message
    cosigner = generate_signer("w.example/w", SIG_COSIGNATURE_V1).verifier().verifier_key()
    with pytest.raises(witness.WitnessRefusal, match="Ed25519"):
        witness.load_witness([cosigner], key, None)


@pytest.mark.django_db
def test_the_demo_witness_follows_a_change_of_key(office_a: Any, settings: Any) -> None:
    from gerbang.ledger.demo import demo_witness_cosign

    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    first = demo_witness_cosign()
    assert first is not None and first.cosigned
    rotate_key(settings, transition=False)  # no overlap: it reads the log's keys as /ledger/key lists them
    logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    after = demo_witness_cosign()
    assert after is not None and after.cosigned and after.state.size == 3
