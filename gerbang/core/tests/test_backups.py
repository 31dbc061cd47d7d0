"""Backups: encrypted and consistent, restored into an empty instance identical, damage and a
wrong key refused, retention keeping the right files (docs/operations.md, "Backups and the
restore drill")."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from gerbang.core import backups, events
from gerbang.core.actors import DEMO, WORKER
from gerbang.core.backup_events import BACKUP_MADE
from gerbang.core.models import Event
from gerbang.ledger import selectors as ledger
from gerbang.ledger.services import log_integrate

ROOT = Path(__file__).resolve().parents[3]
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="restores into a new var dir (SQLite's default database)"
)


@pytest.fixture(autouse=True)
def _backup_settings(settings, tmp_path):
    settings.BACKUP_KEY = "a backup key for the tests"
    settings.BACKUP_DIR = tmp_path / "backups"


def _log(count: int) -> None:
    subject = ContentType.objects.get_for_model(Event)
    for n in range(count):
        events.record("application.submitted", actor=DEMO, subject=subject, details={"n": n})
    log_integrate(actor=WORKER)


def _files() -> dict[str, bytes]:
    made = {
        "default/notices/banner.txt": b"a public upload",
        "private/documents/2026/passport.pdf": b"%PDF-1.4 " + os.urandom(200_000),
    }
    roots = backups.file_storages()
    for name, data in made.items():
        alias, relative = name.split("/", 1)
        path = roots[alias] / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return made


# -- The envelope ---------------------------------------------------------------------------------


def _sealed(data: bytes) -> bytes:
    sink = io.BytesIO()
    writer = backups.EncryptingWriter(sink)
    writer.write(data)
    writer.finish()
    return sink.getvalue()


def _opened(sealed: bytes) -> bytes:
    return io.BufferedReader(backups.DecryptingReader(io.BytesIO(sealed))).read()


def _frames(sealed: bytes) -> tuple[bytes, list[bytes]]:
    header, rest = sealed[: backups._HEADER], sealed[backups._HEADER :]
    frames = []
    while rest:
        length = int.from_bytes(rest[:4], "big")
        frames.append(rest[: 4 + length])
        rest = rest[4 + length :]
    return header, frames


def test_the_envelope_reads_back_what_was_written_in_many_chunks(settings, monkeypatch):
    monkeypatch.setattr(backups, "CHUNK", 1000)
    data = os.urandom(4500)
    sealed = _sealed(data)
    assert data[:100] not in sealed
    assert len(_frames(sealed)[1]) == 5
    assert _opened(sealed) == data
    assert _opened(_sealed(b"")) == b""


@pytest.mark.parametrize("damage", ["flip", "swap", "cut", "drop_last", "append"])
def test_a_changed_envelope_is_refused(settings, monkeypatch, damage):
    monkeypatch.setattr(backups, "CHUNK", 1000)
    header, frames = _frames(_sealed(os.urandom(4500)))
    if damage == "flip":
        middle = bytearray(frames[2])
        middle[50] ^= 1
        frames[2] = bytes(middle)
    elif damage == "swap":
        frames[1], frames[2] = frames[2], frames[1]
    elif damage == "cut":
        frames[-1] = frames[-1][:-10]
    elif damage == "drop_last":
        frames.pop()
    else:
        frames.append(frames[0])
    with pytest.raises(backups.BackupError, match="damaged"):
        _opened(header + b"".join(frames))


def test_another_key_is_told_apart_from_damage(settings):
    sealed = _sealed(b"secret")
    settings.BACKUP_KEY = "another key"
    with pytest.raises(backups.BackupError, match="different BACKUP_KEY"):
        _opened(sealed)
    settings.BACKUP_KEY = ""
    with pytest.raises(backups.BackupError, match="BACKUP_KEY is not set"):
        _opened(sealed)
    with pytest.raises(backups.BackupError, match="not a Gerbang backup"):
        _opened(b"SQLite format 3\x00" + bytes(100))


# -- Backups of the instance ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_encrypted_and_verifies_against_its_manifest():
    _log(5)
    files = _files()
    made = backups.make_backup(settings.BACKUP_DIR)
    raw = made.path.read_bytes()
    assert b"SQLite format 3" not in raw and b"a public upload" not in raw
    manifest = made.manifest
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["core_event"] == Event.objects.count() == 5
    assert manifest["migrations"]["ledger"]
    assert {f"{alias}/{name}" for alias, names in manifest["files"].items() for name in names} == set(files)
    checkpoint = ledger.latest_checkpoint()
    assert checkpoint is not None and checkpoint.size == 5
    assert manifest["checks"]["ledger"] == {
        "size": 5,
        "root": bytes(checkpoint.root).hex(),
        "note": checkpoint.note,
    }
    report = backups.verify_backup(made.path)
    assert report.problems == []
    assert report.manifest_sha256 == made.manifest_sha256
    out = io.StringIO()
    call_command("verify_backup", str(made.path), stdout=out)
    assert "Verified" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_tampered_or_corrupted_backup_is_refused_with_a_clear_message(tmp_path):
    _log(2)
    _files()
    made = backups.make_backup(settings.BACKUP_DIR)
    raw = bytearray(made.path.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    tampered = tmp_path / "tampered.gbk"
    tampered.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="tampered with"):
        call_command("verify_backup", str(tampered), stdout=io.StringIO())
    cut = tmp_path / "cut.gbk"
    cut.write_bytes(made.path.read_bytes()[:-100])
    with pytest.raises(CommandError, match="damaged"):
        call_command("verify_backup", str(cut), stdout=io.StringIO())
    settings.BACKUP_KEY = "not the key it was made with"
    with pytest.raises(CommandError, match="different BACKUP_KEY"):
        call_command("verify_backup", str(made.path), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_verification_finds_a_restored_log_that_does_not_recompute_to_the_checkpoint(monkeypatch):
    _log(3)
    made = backups.make_backup(settings.BACKUP_DIR)
    facts = dict(made.manifest["checks"]["ledger"])
    assert backups.verify_backup(made.path).sound
    # The restored log against facts of another root: the recomputed root must differ.
    other = {**facts, "root": "00" * 32}
    with backups.scratch_alias(dict(connections["default"].settings_dict)) as alias:
        problems = ledger.backup_problems(alias, other)
    assert any("root recomputed" in p for p in problems)


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_writes_happen_is_consistent():
    """A writer appends events and integrates them into the log (leaves, tree hashes, head and a
    signed checkpoint in one transaction each) while backups are taken: every backup must be
    the database at one moment, so the restored log is whole and recomputes to its checkpoint."""
    _log(1)
    stop = threading.Event()
    rounds = threading.Semaphore(0)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            while not stop.is_set():
                # Events and their leaves in one transaction: every committed state has as many
                # events as leaves, and a checkpoint of them all.
                with transaction.atomic():
                    _log(3)
                rounds.release()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
            rounds.release()
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    made = []
    try:
        for n in range(3):
            rounds.acquire()  # the writer is busy: at least one more round done meanwhile
            made.append(backups.make_backup(settings.BACKUP_DIR, now=datetime(2026, 1, 1 + n, tzinfo=UTC)))
    finally:
        stop.set()
        writer.join()
    assert not failures
    for backup in made:
        tables, checked = backup.manifest["tables"], backup.manifest["checks"]["ledger"]
        assert tables["ledger_leaf"] == checked["size"] == tables["core_event"]
        report = backups.verify_backup(backup.path)
        assert report.problems == []
    assert made[-1].manifest["tables"]["core_event"] > made[0].manifest["tables"]["core_event"] >= 4


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_instance_that_holds_data():
    _log(1)
    made = backups.make_backup(settings.BACKUP_DIR)
    with pytest.raises(CommandError, match="holds data"):
        call_command("restore", str(made.path), stdout=io.StringIO())
    assert Event.objects.count() == 1


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_gives_an_identical_instance(tmp_path):
    """Back up, restore into an empty var dir in another process (as an operator would, with the
    instance's keys), and compare: identical counts, identical files, the same ledger root."""
    _log(7)
    files = _files()
    made = backups.make_backup(settings.BACKUP_DIR)
    before = backups.table_counts()
    var = tmp_path / "new-instance"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "GERBANG_TESTING"}
    }
    env |= {
        "GERBANG_VAR_DIR": str(var),
        "DEBUG": "1",
        "BACKUP_KEY": settings.BACKUP_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
        "LEDGER_SIGNING_KEY": settings.LEDGER_SIGNING_KEY,
        "LEDGER_HASH_KEY": settings.LEDGER_HASH_KEY,
    }
    restored = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "restore", str(made.path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restored" in restored.stdout
    for name, data in files.items():
        alias, relative = name.split("/", 1)
        assert (var / {"default": "media", "private": "private"}[alias] / relative).read_bytes() == data
    db = {**connections["default"].settings_dict, "NAME": str(var / "gerbang.sqlite3")}
    with backups.scratch_alias(db) as alias:
        assert backups.table_counts(alias) == before
        assert ledger.backup_facts(alias) == made.manifest["checks"]["ledger"]
        check = ledger.verify_stored_tree(alias)
        assert check.sound and check.size == 7
        assert check.store.root(7) == bytes(ledger.latest_checkpoint().root)  # type: ignore[union-attr]
    # The restored instance is not empty any more: a second restore is refused.
    again = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "restore", str(made.path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert again.returncode == 1 and "holds data" in again.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_verifies_in_a_scratch_database():
    _log(4)
    _files()
    made = backups.make_backup(settings.BACKUP_DIR)
    assert made.manifest["engine"] == "postgresql"
    report = backups.verify_backup(made.path)
    assert report.problems == []
    assert made.manifest["checks"]["ledger"]["size"] == 4


# -- Retention and the daily task -----------------------------------------------------------------


def test_retention_keeps_the_newest_of_each_day_and_week(tmp_path):
    # Two backups a day (01:00 and 13:00 UTC: 08:00 and 20:00 in Jakarta) for 40 days.
    start = datetime(2026, 3, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(days=d, hours=h) for d in range(40) for h in (0, 12)]
    for moment in moments:
        (tmp_path / backups.backup_name(moment)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = backups.prune(tmp_path, daily=7, weekly=4)
    kept = sorted(moment for moment, _ in backups.backups_in(tmp_path))
    last_day = start + timedelta(days=39, hours=12)
    daily = [last_day - timedelta(days=d) for d in range(7)]
    # The newest of each of the four newest ISO weeks (Jakarta): Sundays' 20:00 backups, and
    # the week of the last day (Thursday 9 April).
    weekly = [last_day] + [datetime(2026, 4, 5, 13, tzinfo=UTC) - timedelta(weeks=w) for w in range(3)]
    assert kept == sorted(set(daily) | set(weekly))
    assert len(removed) == len(moments) - len(kept)
    assert (tmp_path / "notes.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_backs_up_prunes_and_records_counts_only(settings):
    from gerbang.core.tasks import daily_backup

    _log(2)
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True)
    old = [datetime(2020, 1, d, tzinfo=UTC) for d in range(1, 4)]
    for moment in old:
        (directory / backups.backup_name(moment)).write_bytes(b"old")
    settings.BACKUP_KEEP_DAILY = 2
    settings.BACKUP_KEEP_WEEKLY = 1
    daily_backup.call_local()
    found = backups.backups_in(directory)
    # Today's and the newest old one (two days); the oldest two go.
    assert [moment for moment, _ in found][1:] == [old[-1]]
    (event,) = Event.objects.filter(code=BACKUP_MADE)
    assert set(event.details) == {"tables", "rows", "files", "engine", "file", "bytes", "removed", "system"}
    assert event.details["removed"] == 2 and event.details["files"] == 0
    assert backups.verify_backup(found[0][1]).sound


@pytest.mark.django_db(transaction=True)
def test_verification_says_when_this_instances_keys_cannot_read_the_backup(settings):
    from cryptography.fernet import Fernet

    from gerbang.accounts.tests.factories import UserFactory
    from gerbang.core import crypto

    UserFactory.create(phone="+6281234567890")
    made = backups.make_backup(settings.BACKUP_DIR)
    assert made.manifest["checks"]["field_keys"]["accounts.User.phone"] == 1
    assert backups.verify_backup(made.path).sound
    # Restored on an instance with another field encryption key: the drill must say so.
    settings.FIELD_ENCRYPTION_KEYS = [f"{crypto.current_version()}:{Fernet.generate_key().decode()}"]
    problems = backups.verify_backup(made.path).problems
    assert problems and all(p.startswith("field_keys: accounts.User.") for p in problems)
