"""The demo's events are in the log once the demo is loaded, and no leaf says anything about the
demo's people: no NIK, email, name or phone number, and no user id in clear."""

from __future__ import annotations

import json
import re

import pytest

from gerbang.accounts.demo import DEMO_ACCOUNTS
from gerbang.accounts.models import User
from gerbang.applications.demo import OTHER_APPLICANTS
from gerbang.core.models import Event
from gerbang.ledger import registry, selectors
from gerbang.ledger.models import Leaf
from gerbang.participation.demo import CITIZENS

pytestmark = pytest.mark.django_db
HEX_HASH = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(autouse=True)
def _demo(demo_data: None) -> None:
    """The demo, loaded once for the module (its ledger loader integrates its events)."""


def test_the_demo_loader_logged_every_demo_event_the_registry_takes() -> None:
    logged = Event.objects.filter(registry.logged_events_q())
    assert logged.count() > 50
    assert Leaf.objects.count() == logged.count()
    assert set(Leaf.objects.values_list("event_id", flat=True)) == set(logged.values_list("pk", flat=True))
    assert {"application.", "payment."} <= {
        code.split(".")[0] + "." for code in logged.values_list("code", flat=True)
    }
    assert selectors.verify_stored_tree().sound


def test_every_code_the_demo_records_is_decided() -> None:
    codes = set(Event.objects.values_list("code", flat=True))
    assert not {code for code in codes if not registry.is_decided(code)}


def test_no_leaf_holds_personal_data() -> None:
    people = list(User.objects.all())
    secrets = {person.email for person in people} | {person.full_name for person in people}
    secrets |= {person.nik for person in people if person.nik} | {
        person.phone for person in people if person.phone
    }
    secrets |= {str(account["email"]) for account in DEMO_ACCOUNTS} | {
        str(a["full_name"]) for a in DEMO_ACCOUNTS
    }
    secrets |= {value for applicant in OTHER_APPLICANTS for value in applicant[:2] + applicant[3:4]}
    secrets |= {value for citizen in CITIZENS for value in citizen}
    secrets.discard("")  # a person registered at the office without an email address
    assert any(len(secret) == 16 and secret.isdigit() for secret in secrets)  # the NIKs are there
    words = {part for secret in secrets for part in secret.split() if len(part) > 3}
    leaves = [bytes(data) for data in Leaf.objects.values_list("data", flat=True)]
    assert leaves
    for data in leaves:
        text = data.decode("ascii").lower()
        for secret in secrets | words:
            assert secret.lower() not in text, secret
        leaf = json.loads(text)
        assert leaf["actor"] is None or HEX_HASH.fullmatch(leaf["actor"])
        assert HEX_HASH.fullmatch(leaf["details"])
        if leaf["subject_type"] == "accounts.user":
            assert HEX_HASH.fullmatch(leaf["subject_id"])


def test_the_demo_witness_cosigned_the_latest_checkpoint() -> None:
    from django.test import Client

    from gerbang.ledger import keys
    from gerbang.ledger.demo import DEMO_WITNESS_NAME, demo_witness_cosign, demo_witness_signer
    from gerbang.ledger.models import Cosignature
    from gerbang.ledger.tlog.checkpoint import open_checkpoint

    signer = demo_witness_signer()
    served = Client().get("/ledger/checkpoint").content.decode()
    body, note = open_checkpoint(served, keys.verifier(), origin=keys.origin(), witnesses=[signer.verifier()])
    assert note.signed_by(signer.name, signer.key_id)
    assert body.size == selectors.log_size()
    # The demo loaders after the ledger's (analytics) log their own events and have the witness
    # cosign the newer checkpoint too.
    assert {c.witness.name for c in Cosignature.objects.all()} == {DEMO_WITNESS_NAME}
    cosigned = Cosignature.objects.count()
    # Loading the demo again changes nothing: the witness has cosigned this checkpoint already.
    outcome = demo_witness_cosign()
    assert outcome is not None and not outcome.cosigned
    assert Cosignature.objects.count() == cosigned
