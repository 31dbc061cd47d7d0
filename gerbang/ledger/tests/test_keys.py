"""The log's keys: configuration (``keys``), a change of key as the sequencer lives it, the
checkpoints each key signed (its period), what /ledger/key and /ledger/checkpoints/ list, the
re-check of the stored log against the key valid for each checkpoint, and ``ledger_keygen``."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gerbang.core.actors import WORKER
from gerbang.ledger import keys, selectors
from gerbang.ledger.checks import ledger_keys_configured
from gerbang.ledger.models import Checkpoint
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tests.helpers import logged_events, rotate_key
from gerbang.ledger.tlog.checkpoint import Checkpoint as Body
from gerbang.ledger.tlog.checkpoint import open_checkpoint, sign_checkpoint
from gerbang.ledger.tlog.keyring import KeyRing, utc_text
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    Ed25519Signer,
    UnknownKeyError,
    generate_signer,
    parse_note,
    parse_signer_key,
)

pytestmark = pytest.mark.django_db


def signed_by(note: str) -> set[int]:
    return {signature.key_id for signature in parse_note(note)[1]}


def latest() -> Checkpoint:
    found = Checkpoint.objects.order_by("-pk").first()
    assert found is not None
    return found


# -- Configuration ------------------------------------------------------------------------------------


def test_retired_keys_are_read_with_their_dates_oldest_first(settings: Any) -> None:
    older, newer = generate_signer(keys.origin()), generate_signer(keys.origin())
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [
        f"{newer.verifier().verifier_key()} 2026-12-01T03:00:00Z",
        f"{older.verifier().verifier_key()} 2025-06-30",  # a date: midnight in Jakarta
    ]
    first, second = keys.retired()
    assert first.verifier == older.verifier()
    assert first.retired_at == datetime(2025, 6, 29, 17, 0, tzinfo=UTC)
    assert (second.verifier, second.retired_at) == (newer.verifier(), datetime(2026, 12, 1, 3, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("{old}", "is not '<verifier key> <retired at>'"),
        ("nonsense 2026-12-01", "'nonsense' is not a verifier key"),
        ("{witness} 2026-12-01", "is not an Ed25519 (type 0x01) key"),
        ("{current} 2026-12-01", "lists the current key"),
        ("{old} someday", "is not a date or an ISO 8601 time"),
        ("{old} 2026-12-01T03:00:00", "has no time zone"),
    ],
)
def test_a_wrong_previous_key_stops_with_a_clear_message(settings: Any, entry: str, said: str) -> None:
    values = {
        "old": generate_signer(keys.origin()).verifier().verifier_key(),
        "witness": generate_signer("w.example/w", SIG_COSIGNATURE_V1).verifier().verifier_key(),
        "current": keys.verifier().verifier_key(),
    }
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [entry.format(**values)]
    with pytest.raises(ImproperlyConfigured) as error:
        keys.retired()
    assert said in str(error.value)
    (problem,) = ledger_keys_configured(None)
    assert problem.id == "gerbang.E201" and said in problem.msg


def test_a_key_listed_twice_is_refused(settings: Any) -> None:
    old = generate_signer(keys.origin()).verifier().verifier_key()
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [f"{old} 2025-01-01", f"{old} 2026-01-01"]
    with pytest.raises(ImproperlyConfigured, match="twice"):
        keys.retired()


def test_the_transition_key_must_be_a_retired_one(settings: Any) -> None:
    stranger = generate_signer(keys.origin())
    settings.LEDGER_TRANSITION_SIGNING_KEY = stranger.signer_key()
    (problem,) = keys.configuration_problems()
    assert "must be the signer key of a key listed in LEDGER_PREVIOUS_VERIFIER_KEYS" in problem
    # The sequencer refuses to sign rather than sign with a key nobody can check.
    with pytest.raises(ImproperlyConfigured):
        log_integrate(actor=WORKER)
    settings.LEDGER_TRANSITION_SIGNING_KEY = settings.LEDGER_SIGNING_KEY
    assert "is the current key" in keys.configuration_problems()[0]
    settings.LEDGER_TRANSITION_SIGNING_KEY = "PRIVATE+KEY+nonsense"
    assert keys.configuration_problems()[0].startswith("LEDGER_TRANSITION_SIGNING_KEY is not a signer key")


def test_a_sound_configuration_passes_the_check(settings: Any) -> None:
    assert ledger_keys_configured(None) == []
    rotate_key(settings, transition=True)
    assert ledger_keys_configured(None) == []
    assert [signer.public_key for signer in keys.signers()] == [
        keys.signer().public_key,
        parse_signer_key(settings.LEDGER_TRANSITION_SIGNING_KEY).public_key,
    ]


# -- A change of key ----------------------------------------------------------------------------------


def test_a_routine_change_signs_at_once_with_both_keys_and_old_checkpoints_keep_verifying(
    office_a: Any, settings: Any
) -> None:
    logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    before = latest()
    old, new = rotate_key(settings, transition=True)

    # Nothing new to log, but the latest checkpoint is not signed by the new key: sign one now.
    assert log_integrate(actor=WORKER) == 0
    changed = latest()
    assert changed.pk != before.pk and changed.size == before.size == 3
    assert signed_by(changed.note) == {new.key_id, old.key_id}
    assert changed.public_key == keys.public_key_text(new.public_key)
    assert before.public_key == keys.public_key_text(old.public_key)
    # A client that knows only one of the two keys opens it.
    for signer in (old, new):
        open_checkpoint(changed.note, signer.verifier(), origin=keys.origin())
    assert log_integrate(actor=WORKER) == 0 and latest().pk == changed.pk  # signed once

    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    assert signed_by(latest().note) == {new.key_id, old.key_id}

    # The transition ends: new checkpoints carry the new key's signature only.
    settings.LEDGER_TRANSITION_SIGNING_KEY = ""
    assert log_integrate(actor=WORKER) == 0 and latest().size == 5  # nothing to sign again
    logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    assert signed_by(latest().note) == {new.key_id}
    # Every checkpoint, the old key's too, is checked with the key that was the log's then.
    assert selectors.verify_stored_tree().sound


def test_after_a_compromise_the_old_key_signs_nothing_more(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    assert signed_by(latest().note) == {new.key_id}
    with pytest.raises(UnknownKeyError):
        open_checkpoint(latest().note, old.verifier(), origin=keys.origin())
    assert selectors.verify_stored_tree().sound


def test_each_key_has_its_period(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER, batch_size=2)  # checkpoints of 2 and 4 by the first key
    first_checkpoint = Checkpoint.objects.order_by("pk").first()
    assert first_checkpoint is not None
    old, new = rotate_key(settings, transition=True)
    log_integrate(actor=WORKER)  # the new key's first checkpoint, of 4
    logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    current, retired = selectors.log_keys()
    assert (current.verifier_key, current.current, current.first_size) == (
        new.verifier().verifier_key(),
        True,
        4,
    )
    assert (
        current.since
        == Checkpoint.objects.get(size=4, public_key=keys.public_key_text(new.public_key)).created_at
    )
    assert retired.verifier_key == old.verifier().verifier_key()
    assert (retired.current, retired.cosigning, retired.first_size, retired.last_size) == (False, True, 2, 4)
    assert retired.since == first_checkpoint.created_at
    assert retired.until == keys.retired()[0].retired_at
    settings.LEDGER_TRANSITION_SIGNING_KEY = ""
    assert not selectors.log_keys()[1].cosigning


def test_the_key_list_and_the_page_show_every_key_with_its_period(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, new = rotate_key(settings, transition=True)
    log_integrate(actor=WORKER)
    retired_at = keys.retired()[0].retired_at

    served = Client().get(reverse("ledger:key"))
    assert served["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=300" in served["Cache-Control"]
    ring = KeyRing.parse(served.content.decode())
    assert served.content.decode() == selectors.key_ring().text()
    current, retired = ring.keys
    assert (current.verifier, current.current, current.first_size) == (new.verifier(), True, 2)
    assert (retired.verifier, retired.current, retired.cosigning) == (old.verifier(), False, True)
    assert (retired.first_size, retired.last_size) == (2, 2)
    assert retired.until == retired_at.replace(microsecond=0)
    assert f"until={utc_text(retired_at)}" in served.content.decode()

    page = Client()
    page.cookies["django_language"] = "en"
    html = page.get(reverse("ledger:checkpoints")).content.decode()
    assert "Current key" in html and new.verifier().verifier_key() in html
    assert "Retired key" in html and old.verifier().verifier_key() in html
    assert "it signed the checkpoints of 2 to 2 entries." in html
    assert "for the checkpoints from 2 entries on." in html
    assert "It still co-signs new checkpoints while the key is being replaced." in html


def test_a_retired_key_that_signed_nothing_kept_is_still_listed(settings: Any) -> None:
    old = generate_signer(keys.origin())
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [f"{old.verifier().verifier_key()} 2025-01-01T00:00:00Z"]
    page = Client()
    page.cookies["django_language"] = "en"
    html = page.get(reverse("ledger:checkpoints")).content.decode()
    assert "it signed no checkpoint the log keeps." in html
    assert "In use; it has signed no checkpoint yet." not in html  # the current key's since: the retirement
    (_current, retired) = KeyRing.parse(selectors.key_ring().text()).keys
    assert retired.first_size is None and retired.covers(10**6)


# -- The stored log re-checked ----------------------------------------------------------------------------


def test_old_checkpoints_need_their_key_configured(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old_pk = latest().pk
    rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = []  # forgotten
    (problem,) = selectors.verify_stored_tree().problems
    assert problem.startswith(f"checkpoint {old_pk} (size 2): ") and "signed by no known key" in problem


def test_a_key_used_after_its_retirement_is_found(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old_pk = latest().pk
    old, _new = rotate_key(settings, transition=False)
    # The operator wrote a retirement time before the old key's last checkpoint.
    settings.LEDGER_PREVIOUS_VERIFIER_KEYS = [f"{old.verifier().verifier_key()} 2020-01-01T00:00:00Z"]
    log_integrate(actor=WORKER)
    (problem,) = selectors.verify_stored_tree().problems
    assert problem == (
        f"checkpoint {old_pk} (size 2): signed by a key after its retirement on 2020-01-01T00:00:00+00:00"
    )


def test_a_checkpoint_signed_by_a_retired_key_after_the_new_one_is_found(
    office_a: Any, settings: Any
) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, _new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    # Someone with the old key writes a checkpoint of the current tree into the database.
    current = latest()
    note = sign_checkpoint(
        Body(keys.origin(), 2, bytes(current.root)), [Ed25519Signer(keys.origin(), old.seed)]
    )
    forged = Checkpoint.objects.create(
        origin=keys.origin(),
        size=2,
        root=bytes(current.root),
        note=note,
        public_key=keys.public_key_text(old.public_key),
    )
    problems = selectors.verify_stored_tree().problems
    where = f"checkpoint {forged.pk} (size 2)"
    assert f"{where}: signed by a key the log had stopped using before" in problems
    assert any(
        problem.startswith(f"{where}: signed by a key after its retirement on ") for problem in problems
    )


def test_a_checkpoint_naming_another_key_than_its_signature_is_found(office_a: Any, settings: Any) -> None:
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    old, _new = rotate_key(settings, transition=False)
    log_integrate(actor=WORKER)
    Checkpoint.objects.filter(pk=latest().pk).update(public_key=keys.public_key_text(old.public_key))
    assert selectors.verify_stored_tree().problems == [
        f"checkpoint {latest().pk} (size 2): the note carries no signature by the key it names"
    ]
    Checkpoint.objects.filter(pk=latest().pk).update(public_key="A" * 43 + "=")
    assert selectors.verify_stored_tree().problems == [
        f"checkpoint {latest().pk} (size 2): signed by a key the configuration does not list ({'A' * 43}=)"
    ]


# -- ledger_keygen ------------------------------------------------------------------------------------------


def test_keygen_prints_a_new_key_pair_and_the_line_that_retires_the_current_key() -> None:
    out, err = StringIO(), StringIO()
    call_command("ledger_keygen", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("LEDGER_SIGNING_KEY=PRIVATE+KEY+127.0.0.1:8000/ledger+")
    signer = parse_signer_key(lines[0].removeprefix("LEDGER_SIGNING_KEY="))
    assert signer.public_key != keys.signer().public_key
    assert lines[1] == f"New verifier key (publish it): {signer.verifier().verifier_key()}"
    assert f"'{keys.verifier().verifier_key()} " in lines[2]
    assert "secret" in err.getvalue()


def test_keygen_writes_the_secret_to_a_new_file_only(tmp_path: Path) -> None:
    path = tmp_path / "ledger_signing_key"
    out = StringIO()
    call_command("ledger_keygen", "--signer-key-file", str(path), stdout=out)
    signer = parse_signer_key(path.read_text().strip())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "PRIVATE" not in out.getvalue()
    assert signer.verifier().verifier_key() in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot create"):
        call_command("ledger_keygen", "--signer-key-file", str(path), stdout=StringIO())
    assert parse_signer_key(path.read_text().strip()) == signer


def test_the_migration_names_the_key_of_checkpoints_signed_before(office_a: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gerbang.ledger.migrations.0003_checkpoint_public_key")
    logged_events(office_a, 3)
    log_integrate(actor=WORKER, batch_size=1)
    stranger = sign_checkpoint(Body(keys.origin(), 0, bytes(32)), [generate_signer(keys.origin())])
    unknown = Checkpoint.objects.create(origin=keys.origin(), size=0, root=bytes(32), note=stranger)
    Checkpoint.objects.update(public_key="")
    migration.name_the_signing_key(apps, None)
    named = set(Checkpoint.objects.exclude(pk=unknown.pk).values_list("public_key", flat=True))
    assert named == {keys.public_key_text(keys.signer().public_key)}
    unknown.refresh_from_db()
    assert unknown.public_key == ""  # not the log's key: left for verify_stored_tree to report
