"""Encrypted, consistent backups of the database and the uploaded files; restore; verification.

A backup is one file, ``gerbang-backup-<UTC timestamp>.gbk``: an encrypted stream (``Envelope``
below) holding a gzipped tar of

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom`` of an exported snapshot);
- ``files/<storage>/<path>``: every file of each storage on local disk (``STORAGES`` but the
  static files: the public uploads and the applicants' private documents);
- ``manifest.json``: format, time, engine, the applied migrations per app, the rows of every
  model table and the facts of each registered check (the ledger's latest checkpoint), all
  read from the copy itself, and the SHA-256 of the dump and of every file;
- ``manifest.json.sha256``: the manifest's own hash, checked on reading.

The stream is AES-256-GCM in chunks of ``CHUNK`` bytes (the STREAM construction: a random
nonce prefix, the chunk's number, and a flag on the last chunk), under a key derived with
HKDF-SHA256 from ``settings.BACKUP_KEY`` and a random salt. Nothing is held whole in memory; a
changed, reordered, cut or appended chunk fails authentication, and a different key is told
apart from damage by a key check value in the header.

Apps add what a restored copy must satisfy through ``register_check`` (core imports no app):
``snapshot(using)`` returns facts kept in the manifest, ``verify(using, facts)`` the problems of
a restored database. The ledger registers one that recomputes the log's root.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Left, StrIndex
from django.db.utils import load_backend

from gerbang.core import crypto
from gerbang.core.key_rotation import encrypted_columns, raw_text

FORMAT = 1
MAGIC = b"GRBNGBK\x01"
CHUNK = 1 << 20
SUFFIX = ".gbk"
PREFIX = "gerbang-backup-"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows ``migrate`` itself writes into a new instance: they do not make it "not empty".
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
SCRATCH_ALIAS = "backup_scratch"

_SALT = 16
_PREFIX_BYTES = 7
_CHECK = 16
_HEADER = len(MAGIC) + _SALT + _PREFIX_BYTES + _CHECK
_FRAME = struct.Struct(">I")


class BackupError(Exception):
    """A backup that cannot be made, read or restored; the message says why, plainly."""


# -- Checks that apps register ------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    snapshot: Callable[[str], Any]
    verify: Callable[[str, Any], list[str]]


_checks: dict[str, Check] = {}


def register_check(
    name: str, *, snapshot: Callable[[str], Any], verify: Callable[[str, Any], list[str]]
) -> None:
    """From an app's ``AppConfig.ready``: ``snapshot(using)`` gives JSON facts about the
    database ``using`` (kept in the manifest); ``verify(using, facts)`` lists what is wrong
    with a restored database ``using`` given the facts at backup time (empty when sound)."""
    _checks[name] = Check(name, snapshot, verify)


def registered_checks() -> list[Check]:
    return list(_checks.values())


# -- The encrypted envelope -----------------------------------------------------------------------


def _key_material() -> bytes:
    key = str(getattr(settings, "BACKUP_KEY", "") or "")
    if not key:
        raise BackupError(
            "BACKUP_KEY is not set: backups are encrypted with it (docs/operations.md, "
            "'Backups and the restore drill')."
        )
    return key.encode()


def _derive(salt: bytes) -> tuple[AESGCM, bytes]:
    okm = HKDF(algorithm=hashes.SHA256(), length=32 + _CHECK, salt=salt, info=b"gerbang backup v1").derive(
        _key_material()
    )
    return AESGCM(okm[:32]), okm[32:]


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if final else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only file that encrypts what is written into ``sink`` chunk by chunk."""

    def __init__(self, sink: IO[bytes]) -> None:
        super().__init__()
        self._sink = sink
        salt, self._prefix = os.urandom(_SALT), os.urandom(_PREFIX_BYTES)
        self._aead, check = _derive(salt)
        self._header = MAGIC + salt + self._prefix + check
        sink.write(self._header)
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += bytes(data)
        # Keep at least one byte back: the last chunk is written, flagged, by ``finish``.
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, final), plain, self._header)
        self._sink.write(_FRAME.pack(len(sealed)) + sealed)
        self._counter += 1

    def finish(self) -> None:
        if not self._finished:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._finished = True


class DecryptingReader(io.RawIOBase):
    """A read-only file of the plaintext of an encrypted backup; raises ``BackupError`` at the
    first chunk that fails authentication, and on a stream cut short or extended."""

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__()
        self._source = source
        header = source.read(_HEADER)
        if len(header) < _HEADER or not header.startswith(MAGIC):
            raise BackupError("This is not a Gerbang backup (or not of a format this version reads).")
        salt = header[len(MAGIC) : len(MAGIC) + _SALT]
        self._prefix = header[len(MAGIC) + _SALT : len(MAGIC) + _SALT + _PREFIX_BYTES]
        self._aead, check = _derive(salt)
        if not hmac.compare_digest(check, header[-_CHECK:]):
            raise BackupError(
                "This backup was encrypted with a different BACKUP_KEY: give the key it was made with."
            )
        self._header = header
        self._counter = 0
        self._pending = b""
        self._next_frame = self._read_frame_length()
        self._done = False

    def readable(self) -> bool:
        return True

    def _read_frame_length(self) -> int | None:
        raw = self._source.read(_FRAME.size)
        if not raw:
            return None
        if len(raw) < _FRAME.size:
            raise BackupError("The backup is damaged: it ends in the middle of a chunk.")
        return int(_FRAME.unpack(raw)[0])

    def _next_chunk(self) -> bytes:
        length = self._next_frame
        if length is None:
            raise BackupError("The backup is damaged or cut short: its last chunk is missing.")
        if length > CHUNK + 16:
            raise BackupError(f"The backup is damaged: chunk {self._counter} has an impossible length.")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupError("The backup is damaged or cut short: it ends in the middle of a chunk.")
        self._next_frame = self._read_frame_length()
        final = self._next_frame is None
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._counter, final), sealed, self._header)
        except InvalidTag:
            raise BackupError(
                f"The backup is damaged or was tampered with: chunk {self._counter} fails its "
                "authentication (or the file was cut short). Do not restore it."
            ) from None
        self._counter += 1
        self._done = final
        return plain

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            self._pending = self._next_chunk()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


# -- Reading the instance ---------------------------------------------------------------------------


def engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def model_tables() -> dict[str, str]:
    """Every table of a concrete model of the installed apps (many-to-many ones included),
    with its model's label."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        tables.setdefault(meta.db_table, meta.label_lower)
    return dict(sorted(tables.items()))


def table_counts(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in model_tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
    return counts


def migration_state(using: str = "default") -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def has_data(using: str = "default") -> bool:
    """Whether the database holds rows beyond what ``migrate`` writes into a new instance."""
    tables = model_tables()
    return any(n for table, n in table_counts(using).items() if tables[table] not in MADE_BY_MIGRATE)


def file_storages() -> dict[str, Path]:
    """The storages whose files are backed up (every one on local disk but the static files)."""
    found: dict[str, Path] = {}
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        backend = getattr(storage, "backend", storage)  # core.storage.PrivateStorage forwards
        if isinstance(backend, FileSystemStorage):
            found[alias] = Path(backend.location)
    return found


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _settings_of(using: str) -> dict[str, Any]:
    return dict(connections[using].settings_dict)


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [f"--username={db['USER']}"] if db.get("USER") else []
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: backups of PostgreSQL need the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.returncode}")


@contextlib.contextmanager
def scratch_alias(db: dict[str, Any]) -> Iterator[str]:
    """A database connection under ``SCRATCH_ALIAS`` with the settings ``db`` (a complete
    settings dict, e.g. the default's with another NAME), in this thread for the time of the
    block: reads of a restored copy through the models (``.using(alias)``)."""
    wrapper = load_backend(db["ENGINE"]).DatabaseWrapper(db, SCRATCH_ALIAS)
    connections[SCRATCH_ALIAS] = wrapper
    try:
        yield SCRATCH_ALIAS
    finally:
        wrapper.close()
        del connections[SCRATCH_ALIAS]


def _facts(using: str) -> dict[str, Any]:
    return {
        "migrations": migration_state(using),
        "tables": table_counts(using),
        "checks": {check.name: check.snapshot(using) for check in registered_checks()},
    }


def _dump_sqlite(workdir: Path) -> tuple[Path, dict[str, Any]]:
    db = _settings_of("default")
    target = workdir / DUMPS["sqlite"]
    # The online backup API: one step copies every page under one read transaction, so the copy
    # is the database at one moment; in WAL mode writers go on meanwhile.
    source = sqlite3.connect(str(db["NAME"]), timeout=60)
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
            # A single file: the copy's own journal settles into it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    with scratch_alias({**db, "NAME": str(target)}) as alias:
        facts = _facts(alias)
    return target, facts


def _dump_postgresql(workdir: Path) -> tuple[Path, dict[str, Any]]:
    pg_dump = _pg_tool("pg_dump")
    db = _settings_of("default")
    target = workdir / DUMPS["postgresql"]
    args, env = _pg_env(db)
    connection = connections["default"]
    # pg_dump reads the snapshot this transaction exports, and the counts and the checks read
    # the same one: the manifest describes exactly the dump.
    with transaction.atomic(using="default"), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *args,
                f"--dbname={db['NAME']}",
            ],
            env,
        )
        facts = _facts("default")
    return target, facts


class _HashingReader(io.RawIOBase):
    def __init__(self, handle: IO[bytes]) -> None:
        super().__init__()
        self._handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "bytes": size}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


@dataclass
class Made:
    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str

    def summary(self) -> dict[str, Any]:
        """Counts only (for the event and the command's report)."""
        return summary(self.manifest) | {"file": self.path.name, "bytes": self.path.stat().st_size}


def summary(manifest: dict[str, Any]) -> dict[str, Any]:
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": sum(len(files) for files in manifest["files"].values()),
        "engine": manifest["engine"],
    }


def backup_name(moment: datetime) -> str:
    return f"{PREFIX}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def make_backup(directory: Path, *, now: datetime | None = None) -> Made:
    """Write an encrypted backup of the database and the files into ``directory``."""
    kind = engine()
    _key_material()
    moment = now or datetime.now(tz=UTC)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / backup_name(moment)
    partial = directory / f".{final.name}.{uuid.uuid4().hex}.partial"
    with tempfile.TemporaryDirectory(prefix="gerbang-backup-", dir=directory) as work:
        dump, facts = (_dump_sqlite if kind == "sqlite" else _dump_postgresql)(Path(work))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": moment.astimezone(UTC).isoformat(),
            "engine": kind,
            "migrations": facts["migrations"],
            "tables": facts["tables"],
            "checks": facts["checks"],
            "files": {},
        }
        try:
            with partial.open("xb") as sink:
                os.chmod(partial, 0o600)
                envelope = EncryptingWriter(sink)
                with tarfile.open(fileobj=envelope, mode="w|gz", format=tarfile.PAX_FORMAT) as archive:
                    manifest["database"] = {"name": dump.name, **_add_file(archive, dump, dump.name)}
                    # After the database: every file a row of the copy names was there before it.
                    for alias, root in file_storages().items():
                        manifest["files"][alias] = {
                            relative: _add_file(archive, path, f"files/{alias}/{relative}")
                            for relative, path in _walk(root)
                        }
                    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    digest = hashlib.sha256(data).hexdigest()
                    _add_bytes(archive, MANIFEST, data)
                    _add_bytes(archive, MANIFEST_HASH, digest.encode())
                envelope.finish()
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return Made(final, manifest, digest)


# -- Reading a backup ---------------------------------------------------------------------------


@dataclass
class Opened:
    """A backup unpacked into ``root`` (the dump, ``files/<storage>/...``), checked against its
    manifest: ``problems`` lists every file that differs."""

    root: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    problems: list[str] = field(default_factory=list)

    @property
    def dump(self) -> Path:
        return self.root / str(self.manifest["database"]["name"])


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup is damaged: it holds a file named {name!r}.")
    return path


def unpack(backup: Path, into: Path) -> Opened:
    """Decrypt and unpack ``backup`` into the empty folder ``into``, checking every hash."""
    hashes: dict[str, str] = {}
    manifest_data = b""
    manifest_hash = ""
    try:
        with backup.open("rb") as source:
            envelope = io.BufferedReader(DecryptingReader(source), buffer_size=CHUNK)
            with tarfile.open(fileobj=envelope, mode="r|gz") as archive:
                for member in archive:
                    if not member.isfile():
                        raise BackupError(f"The backup is damaged: {member.name!r} is not a file.")
                    name = _safe_name(member.name)
                    extracted = archive.extractfile(member)
                    if extracted is None:  # pragma: no cover - isfile() above
                        continue
                    if member.name in (MANIFEST, MANIFEST_HASH):
                        data = extracted.read()
                        if member.name == MANIFEST:
                            manifest_data = data
                        else:
                            manifest_hash = data.decode().strip()
                        continue
                    target = into.joinpath(*name.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with target.open("xb") as out:
                        while block := extracted.read(CHUNK):
                            digest.update(block)
                            out.write(block)
                    hashes[member.name] = digest.hexdigest()
            # Read to the end: the last chunk (flagged as the last) is authenticated too, so a
            # backup cut short after the archive's own end is refused as well.
            while envelope.read(CHUNK):
                pass
    except (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise BackupError(f"The backup is damaged: {exc}") from exc
    except FileNotFoundError as exc:
        raise BackupError(f"No backup at {backup}.") from exc
    if not manifest_data or hashlib.sha256(manifest_data).hexdigest() != manifest_hash:
        raise BackupError("The backup is damaged: its manifest is missing or does not match its hash.")
    manifest = json.loads(manifest_data)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup is of format {manifest.get('format')}; this version reads {FORMAT}.")
    opened = Opened(into, manifest, manifest_hash)
    expected = {manifest["database"]["name"]: manifest["database"]["sha256"]}
    for alias, files in manifest["files"].items():
        expected.update({f"files/{alias}/{relative}": meta["sha256"] for relative, meta in files.items()})
    for name, digest in expected.items():
        if name not in hashes:
            opened.problems.append(f"{name}: in the manifest, missing from the backup")
        elif hashes[name] != digest:
            opened.problems.append(f"{name}: its SHA-256 differs from the manifest's")
    opened.problems.extend(f"{name}: in the backup, not in the manifest" for name in hashes.keys() - expected)
    return opened


# -- Restoring a database -------------------------------------------------------------------------


def _load_sqlite(dump: Path, target: Path) -> None:
    """Put the copy ``dump`` in place of the SQLite database ``target`` (its old journal files
    go: they belong to the database replaced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{uuid.uuid4().hex}.restoring")
    shutil.copyfile(dump, staged)
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _load_postgresql(dump: Path, db: dict[str, Any]) -> None:
    pg_restore = _pg_tool("pg_restore")
    args, env = _pg_env(db)
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            f"--dbname={db['NAME']}",
            str(dump),
        ],
        env,
    )


@dataclass
class Report:
    manifest: dict[str, Any]
    manifest_sha256: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems


def compare(manifest: dict[str, Any], using: str, report: Report) -> None:
    """Check the database ``using`` against the manifest: migrations, rows per table, and
    every registered check on the facts kept at backup time."""
    state = migration_state(using)
    if state != manifest["migrations"]:
        report.problems.append("the applied migrations differ from the manifest's")
    counts = table_counts(using)
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            report.problems.append(f"table {table}: {found} rows, the manifest says {expected}")
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{a}.{n}" for a, names in state.items() for n in names if (a, n) not in known)
    if unknown:
        report.notes.append(
            "the backup has migrations this code does not know (restore with the release it was "
            f"made with, or newer): {', '.join(unknown[:5])}"
        )
    behind = sorted(f"{a}.{n}" for a, n in known if n not in state.get(a, []))
    if behind:
        report.notes.append(f"{len(behind)} migrations of this code are not applied: run `manage.py migrate`")
    for check in registered_checks():
        facts = manifest["checks"].get(check.name)
        report.problems.extend(f"{check.name}: {problem}" for problem in check.verify(using, facts))


def _check_files_on_disk(manifest: dict[str, Any], report: Report) -> None:
    roots = file_storages()
    for alias, files in manifest["files"].items():
        root = roots.get(alias)
        if root is None:
            report.problems.append(f"storage {alias}: not configured on local disk here")
            continue
        for relative, meta in files.items():
            path = root.joinpath(*PurePosixPath(relative).parts)
            if not path.is_file():
                report.problems.append(f"{alias}/{relative}: missing")
            elif sha256_file(path) != meta["sha256"]:
                report.problems.append(f"{alias}/{relative}: its SHA-256 differs from the manifest's")


def verify_backup(backup: Path, *, scratch: Path | None = None) -> Report:
    """Restore ``backup`` into a scratch database and a scratch folder and check it all: the
    files' hashes, the migrations, the rows of every table, and the registered checks (the
    ledger's root recomputed from the restored leaves equals the checkpoint at backup time)."""
    with tempfile.TemporaryDirectory(prefix="gerbang-verify-", dir=scratch) as work:
        opened = unpack(backup, Path(work))
        report = Report(opened.manifest, opened.manifest_sha256, problems=list(opened.problems))
        if opened.manifest["engine"] != engine():
            report.notes.append(
                f"the backup is of {opened.manifest['engine']}, this instance runs {engine()}: "
                "only the files and the manifest were checked"
            )
            report.problems.append("the database could not be checked on this engine")
            return report
        db = _settings_of("default")
        if engine() == "sqlite":
            scratch_db = {**db, "NAME": str(opened.dump)}
            with scratch_alias(scratch_db) as alias:
                compare(opened.manifest, alias, report)
        else:
            name = f"{db['NAME']}_verify"
            _pg_database(name, create=True)
            try:
                _load_postgresql(opened.dump, {**db, "NAME": name})
                with scratch_alias({**db, "NAME": name}) as alias:
                    compare(opened.manifest, alias, report)
            finally:
                _pg_database(name, create=False)
    return report


def _pg_database(name: str, *, create: bool) -> None:
    connection = connections["default"]
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        if create:
            cursor.execute(f"CREATE DATABASE {quoted}")


def restore(backup: Path, *, force: bool = False) -> Report:
    """Restore ``backup`` into this instance's database and file storages, which must be empty
    (``force``: replace whatever is there), then check them against the manifest. The service
    must be stopped (web, relay and worker)."""
    kind = engine()
    _key_material()
    if not force:
        if has_data():
            raise BackupError(
                "The database of this instance holds data: restore only into an empty instance "
                "(or give --force to replace it)."
            )
        for alias, root in file_storages().items():
            if next(_walk(root), None) is not None:
                raise BackupError(
                    f"The storage {alias!r} ({root}) holds files: restore only into an empty "
                    "instance (or give --force)."
                )
    roots = file_storages()
    staging_parent = next(iter(roots.values()), Path(settings.VAR_DIR)).parent
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".gerbang-restore-", dir=staging_parent) as work:
        opened = unpack(backup, Path(work))
        if opened.problems:
            raise BackupError("The backup does not match its manifest: " + "; ".join(opened.problems[:5]))
        if opened.manifest["engine"] != kind:
            raise BackupError(
                f"This backup is of {opened.manifest['engine']}; this instance runs {kind}. "
                "Restore it into an instance of the same engine."
            )
        missing = set(opened.manifest["files"]) - set(roots)
        if missing:
            raise BackupError(f"This instance has no local storage {sorted(missing)} to restore files into.")
        db = _settings_of("default")
        connections["default"].close()
        if kind == "sqlite":
            _load_sqlite(opened.dump, Path(str(db["NAME"])))
        else:
            _load_postgresql(opened.dump, db)
        for alias, files in opened.manifest["files"].items():
            for relative in files:
                source = opened.root / "files" / alias / relative
                target = roots[alias].joinpath(*PurePosixPath(relative).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
    report = Report(opened.manifest, opened.manifest_sha256)
    compare(opened.manifest, "default", report)
    _check_files_on_disk(opened.manifest, report)
    return report


# -- Retention ------------------------------------------------------------------------------------


def _moment_of(path: Path) -> datetime | None:
    stem = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return datetime.strptime(stem, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def backups_in(directory: Path) -> list[tuple[datetime, Path]]:
    """The backups in ``directory``, newest first (other files are left alone)."""
    if not directory.is_dir():
        return []
    found = [(moment, path) for path in directory.glob(f"{PREFIX}*{SUFFIX}") if (moment := _moment_of(path))]
    return sorted(found, reverse=True)


def to_keep(moments: list[datetime], *, daily: int, weekly: int) -> set[datetime]:
    """The newest backup of each of the ``daily`` newest days and of the ``weekly`` newest ISO
    weeks that have one (days and weeks in office time); the newest backup always."""
    from django.utils import timezone

    keep: set[datetime] = set()
    days: dict[date, datetime] = {}
    weeks: dict[tuple[int, int], datetime] = {}
    for moment in sorted(moments, reverse=True):
        local = timezone.localtime(moment).date()
        days.setdefault(local, moment)
        weeks.setdefault(local.isocalendar()[:2], moment)
    keep.update(list(days.values())[:daily])
    keep.update(list(weeks.values())[:weekly])
    if moments:
        keep.add(max(moments))
    return keep


def prune(directory: Path, *, daily: int, weekly: int) -> list[Path]:
    """Delete the backups retention does not keep; returns them."""
    found = backups_in(directory)
    keep = to_keep([moment for moment, _ in found], daily=daily, weekly=weekly)
    removed = [path for moment, path in found if moment not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# -- Core's own check: this instance's keys read the restored personal data ----------------------


def _keys_facts(using: str) -> dict[str, int]:
    """How many values each encrypted column holds (the key versions are in the values)."""
    return {column.label: column.queryset().using(using).count() for column in encrypted_columns()}


def _keys_problems(using: str, facts: Any) -> list[str]:
    """One value of every encrypted column of each key version found must decrypt with this
    instance's FIELD_ENCRYPTION_KEYS: a backup restored without the keys of its time is
    unreadable, and the drill must say so."""
    problems: list[str] = []
    for column in encrypted_columns():
        raw = raw_text(column.field.attname)
        # One value of each key version ("k3:" from "k3:gAAAA…"; "" for a bare token).
        rows = column.queryset().using(using).annotate(head=Left(raw, StrIndex(raw, models.Value(":"))))
        for head in rows.order_by().values_list("head", flat=True).distinct():
            sample = rows.filter(head=head).values_list("raw", flat=True).first()
            try:
                crypto.decrypt(str(sample))
            except ValueError as exc:
                problems.append(f"{column.label}: {exc}")
    return problems


register_check("field_keys", snapshot=_keys_facts, verify=_keys_problems)
