"""Onboarding an agency from the command line, as docs/partners.md tells it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gerbang.core import exchange_protocol as protocol
from gerbang.core.models import Event
from gerbang.integrations.models import Agency, AgencyKey, Grant


def _run(*args: str) -> str:
    out = StringIO()
    call_command("exchange", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_agency_is_onboarded_rotated_and_revoked(tmp_path: Path) -> None:
    _run("agency", "bnn", "--name", "Badan Narkotika Nasional", "--url", "https://ss.bnn.go.id/gerbang")
    first, second = (protocol.private_key(protocol.generate_private_pem()) for _ in range(2))
    (tmp_path / "one.pem").write_text(protocol.public_pem(first))
    (tmp_path / "two.pem").write_text(protocol.public_pem(second))
    assert protocol.fingerprint(protocol.public_pem(first)) in _run(
        "key-add", "bnn", "bnn-1", str(tmp_path / "one.pem")
    )
    _run("key-add", "bnn", "bnn-2", str(tmp_path / "two.pem"))  # rotation: both in use a while
    _run("key-retire", "bnn-1")
    _run("grant", "bnn", "passport-cancellation", "--basis", "UU 35/2009 Pasal 75", "--per-minute", "10")
    listing = _run("list")
    assert "bnn-1" in listing and "retired" in listing and "passport-cancellation" in listing
    _run("revoke", "bnn", "passport-cancellation")
    agency = Agency.objects.get(code="bnn")
    assert AgencyKey.objects.get(key_id="bnn-1").retired_at is not None
    assert not Grant.objects.filter(agency=agency, revoked_at__isnull=True).exists()
    codes = set(Event.objects.values_list("code", flat=True))
    assert {
        "exchange.agency_registered",
        "exchange.key_added",
        "exchange.key_retired",
        "exchange.grant_set",
        "exchange.grant_revoked",
    } <= codes
    assert "fingerprint" in _run("own-key")


@pytest.mark.django_db
def test_wrong_input_is_said_plainly(tmp_path: Path) -> None:
    (tmp_path / "rsa.pem").write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
    with pytest.raises(CommandError, match="register it first"):
        _run("key-add", "nobody", "k", str(tmp_path / "rsa.pem"))
    _run("agency", "bnn", "--name", "BNN")
    with pytest.raises(CommandError, match="Ed25519"):
        _run("key-add", "bnn", "k", str(tmp_path / "rsa.pem"))
    with pytest.raises(CommandError, match="No key"):
        _run("key-retire", "missing")
