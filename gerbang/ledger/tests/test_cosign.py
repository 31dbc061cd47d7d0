"""/ledger/cosign stores a registered witness's cosignature of a checkpoint the log signed, and
refuses everything else with a clear message and its HTTP status; /ledger/checkpoint serves the
cosignatures with the checkpoint; the back office registers and retires witnesses."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.ledger import keys
from gerbang.ledger.models import Checkpoint, Cosignature, Witness
from gerbang.ledger.services import log_integrate, witness_register, witness_set_active
from gerbang.ledger.tests.helpers import logged_events
from gerbang.ledger.tlog.checkpoint import Checkpoint as Body
from gerbang.ledger.tlog.checkpoint import open_checkpoint, sign_checkpoint
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    CosignatureSigner,
    add_signatures,
    generate_signer,
    parse_note,
)

pytestmark = pytest.mark.django_db
COSIGN = "/ledger/cosign"


def cosigner(name: str = "witness.example/w1", *, clock: Any = None) -> CosignatureSigner:
    made = generate_signer(name, SIG_COSIGNATURE_V1)
    assert isinstance(made, CosignatureSigner)
    if clock is None:
        return made
    return CosignatureSigner(made.name, made.seed, clock=clock)


@pytest.fixture
def log(office_a: Any) -> Any:
    logged_events(office_a, 5)
    log_integrate(actor=WORKER)
    return office_a


@pytest.fixture
def signer(log: Any) -> CosignatureSigner:
    made = cosigner()
    witness_register(name="Ombudsman RI", verifier_key=made.verifier().verifier_key(), actor=WORKER)
    return made


def latest() -> Checkpoint:
    found = Checkpoint.objects.order_by("-pk").first()
    assert found is not None
    return found


def post(client: Client, note: str) -> tuple[int, str]:
    response = client.post(COSIGN, note, content_type="text/plain")
    return response.status_code, response.content.decode()


def test_a_cosignature_is_stored_and_served_with_the_checkpoint(
    client: Client, signer: CosignatureSigner
) -> None:
    status, text = post(client, add_signatures(latest().note, [signer]))
    assert status == 200, text
    assert "Ombudsman RI" in text
    stored = Cosignature.objects.get()
    assert stored.checkpoint == latest() and stored.witness.name == "Ombudsman RI"
    assert abs(stored.timestamp.timestamp() - time.time()) < 60

    served = client.get("/ledger/checkpoint").content.decode()
    body, note = open_checkpoint(served, keys.verifier(), origin=keys.origin(), witnesses=[signer.verifier()])
    assert note.signed_by(signer.name, signer.key_id) and body.size == 5
    assert served == latest().note + stored.line

    # Sent again (a retry): the first stays, nothing is added.
    assert post(client, add_signatures(latest().note, [signer]))[0] == 200
    assert Cosignature.objects.count() == 1


def test_the_checkpoint_is_served_bare_before_any_cosignature(client: Client, log: Any) -> None:
    assert client.get("/ledger/checkpoint").content.decode() == latest().note


def test_an_unknown_witness_is_refused(client: Client, signer: CosignatureSigner) -> None:
    status, text = post(client, add_signatures(latest().note, [cosigner("stranger.example/w")]))
    assert status == 403
    assert "no cosignature by a registered, active witness" in text
    assert not Cosignature.objects.exists()


def test_a_bad_signature_is_refused(client: Client, signer: CosignatureSigner, log: Any) -> None:
    old = latest()
    logged_events(log, 1)
    log_integrate(actor=WORKER)
    # The witness's signature of the older checkpoint, put under the newer one.
    (line,) = [s.line() for s in parse_note(add_signatures(old.note, [signer]))[1] if s.name == signer.name]
    status, text = post(client, latest().note + line)
    assert status == 403
    assert "does not verify" in text
    assert not Cosignature.objects.exists()


def test_a_checkpoint_the_log_did_not_sign_is_refused(client: Client, signer: CosignatureSigner) -> None:
    unknown = sign_checkpoint(Body(keys.origin(), 99, bytes(32)), [keys.signer(), signer])
    status, text = post(client, unknown)
    assert status == 404 and "no checkpoint" in text
    other_root = sign_checkpoint(Body(keys.origin(), 5, bytes(32)), [keys.signer(), signer])
    status, text = post(client, other_root)
    assert status == 409 and "fork" in text
    assert not Cosignature.objects.exists()


@pytest.mark.parametrize(("offset", "word"), [(-3600, "stale"), (3600, "future")])
def test_a_cosignature_dated_too_early_or_too_late_is_refused(
    client: Client, log: Any, offset: int, word: str
) -> None:
    made = cosigner(clock=lambda: int(time.time()) + offset)
    witness_register(name="Ombudsman RI", verifier_key=made.verifier().verifier_key(), actor=WORKER)
    status, text = post(client, add_signatures(latest().note, [made]))
    assert status == 400 and word in text
    assert not Cosignature.objects.exists()


def test_a_retired_witness_may_not_cosign_and_is_no_longer_served(
    client: Client, signer: CosignatureSigner
) -> None:
    assert post(client, add_signatures(latest().note, [signer]))[0] == 200
    witness_set_active(witness=Witness.objects.get(), active=False, actor=WORKER)
    assert client.get("/ledger/checkpoint").content.decode() == latest().note
    assert post(client, add_signatures(latest().note, [signer]))[0] == 403


def test_a_witness_only_moves_forward(client: Client, signer: CosignatureSigner, log: Any) -> None:
    old = latest()
    logged_events(log, 1)
    log_integrate(actor=WORKER)
    assert post(client, add_signatures(latest().note, [signer]))[0] == 200
    status, text = post(client, add_signatures(old.note, [signer]))
    assert status == 409 and "larger tree" in text


@pytest.mark.parametrize("body", ["", "hello\n", "origin\n5\n\n— x AAAA\n"])
def test_what_is_not_a_cosigned_checkpoint_is_refused(
    client: Client, signer: CosignatureSigner, body: str
) -> None:
    assert post(client, body)[0] == 400


def test_only_posts_are_answered(client: Client) -> None:
    assert client.get(COSIGN).status_code == 405


# -- The back office --------------------------------------------------------------------------------

WITNESSES = reverse("backoffice:ledger_witnesses")


def test_national_admins_register_and_retire_witnesses(staff_client: Any) -> None:
    admin = staff_client(staff(Role.NATIONAL_ADMIN, [], language="en"))
    page = admin.get(WITNESSES)
    assert page.status_code == 200 and "Register a witness" in page.content.decode()
    vkey = cosigner().verifier().verifier_key()
    assert admin.post(WITNESSES, {"name": "Ombudsman RI", "verifier_key": vkey}).status_code == 302
    witness = Witness.objects.get()
    assert witness.verifier_key == vkey and witness.active
    assert Event.objects.filter(code="ledger.witness_registered").exists()
    admin.post(reverse("backoffice:ledger_witness_active", args=[witness.pk]), {"active": "0"})
    witness.refresh_from_db()
    assert not witness.active
    assert Event.objects.filter(code="ledger.witness_deactivated").exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("not a key", "This is not a verifier key"),
        (generate_signer("log.example/x").verifier().verifier_key(), "not a witness key"),
    ],
)
def test_a_bad_key_is_refused_with_a_message(staff_client: Any, key: str, message: str) -> None:
    admin = staff_client(staff(Role.NATIONAL_ADMIN, [], language="en"))
    response = admin.post(WITNESSES, {"name": "Ombudsman RI", "verifier_key": key})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Witness.objects.exists()


def test_the_same_key_twice_is_refused(staff_client: Any) -> None:
    vkey = cosigner().verifier().verifier_key()
    witness_register(name="Ombudsman RI", verifier_key=vkey, actor=WORKER)
    admin = staff_client(staff(Role.NATIONAL_ADMIN, [], language="en"))
    response = admin.post(WITNESSES, {"name": "Another", "verifier_key": vkey})
    assert response.status_code == 400 and "registered already" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.AUDITOR])
def test_other_staff_may_not_manage_witnesses(staff_client: Any, office_a: Any, role: Role) -> None:
    user = staff(role, [office_a] if role == Role.OFFICE_ADMIN else [])
    assert staff_client(user).get(WITNESSES).status_code == 403
    vkey = cosigner().verifier().verifier_key()
    staff_client(user).post(WITNESSES, {"name": "X", "verifier_key": vkey})
    assert not Witness.objects.exists()


def test_the_public_page_lists_checkpoints_and_their_witnesses(
    client: Client, signer: CosignatureSigner
) -> None:
    post(client, add_signatures(latest().note, [signer]))
    html = client.get(reverse("ledger:checkpoints")).content.decode()
    assert "A witness is an independent institution" in html
    assert "Ombudsman RI" in html
    assert latest().note.split("\n")[2] in html  # the root
