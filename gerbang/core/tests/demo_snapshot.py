"""The demo data for tests: loaded by its loaders once per test process, put back from a
snapshot after that.

Loading the demo runs every app's loader and takes about twenty seconds; about thirty test
modules need it. The first load in a process runs the real loaders (``manage.py load_demo``)
and keeps what they wrote: every table's new rows, and the files they put in the storages.
Every later load inserts those rows again, in a few hundred statements, writes the files back
and fills SQLite's full-text index from the search entries put back.

A snapshot is put back only where it was taken: the same database state before the load (a
digest of every row of every table), the same day, the same settings, and the same kind of
transaction (inside a test's transaction, work queued for after a commit never runs;
in autocommit it does, and writes more). Anything else runs the loaders again and keeps a new
snapshot. The tests of the loaders themselves (``core/tests/test_demo.py``) call the command.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import importlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone, translation

# Kept out of the snapshot: SQLite's full-text index (a virtual table and its shadow tables),
# filled again from the search entries.
SKIPPED_PREFIXES = ("core_search_fts",)
STORAGES = ("default", "private")
# Where files go: a test's own folder; the files are written back wherever the storages point.
FILE_SETTINGS = frozenset({"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "STORAGES"})
KEPT = 4  # snapshots kept per process (one per state seen; in practice one or two)
T = TypeVar("T")


@dataclass
class _Table:
    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    replace: bool  # the loaders changed or removed rows that were there: put the whole table back
    # PostgreSQL: the rows in COPY's binary format, when they are the whole table (put back
    # in one COPY, about twenty times quicker than inserting them with parameters).
    copied: bytes | None = None


@dataclass
class _Snapshot:
    tables: list[_Table]
    files: list[tuple[str, str, bytes]] = field(default_factory=list)  # storage, name, content


# A state's key (``_key``) -> what was recorded from it and what its maker returned.
_Store = dict[tuple[Any, ...], tuple[_Snapshot, Any]]
_snapshots: _Store = {}  # the demo's: large, a state or two
_recordings: _Store = {}  # ``replay``'s: small sets of rows (a test's world), many states
RECORDINGS_KEPT = 32


def load_demo() -> None:
    """The demo, as ``manage.py load_demo --force`` would load it, from a snapshot when one fits.

    Outside a transaction (the browser journeys, whose live server reads what is committed), the
    database is first emptied to its state after migrations, its sequences reset: each such test
    leaves rows and moved sequences behind (a flush re-creates the content types under new ids),
    and without this no two of them would start from the same state, and none would fit the
    snapshot. Call it first in such a test: what was written before is gone."""
    if not connection.in_atomic_block:
        _as_migrated()
    _recorded(
        _snapshots,
        KEPT,
        ("demo", connection.in_atomic_block),
        lambda: call_command("load_demo", "--force", stdout=StringIO()),
    )


def replay(name: str, make: Callable[[], T]) -> T:
    """What ``make()`` writes to the database and the storages, and what it returns: made for
    real the first time from a given state, put back from the recording after that (a few
    inserts instead of the work of services, events and checks that made the rows).

    The same rules as the demo's snapshot: the same database state before (every row), the
    same day and the same settings. Only inside a transaction (a test's own): in autocommit, work
    queued for after the commit would run, whose effects outside the database a recording does
    not hold. ``make`` returns plain data (ids, codes), which the caller turns into rows again."""
    if not connection.in_atomic_block:
        return make()
    return _recorded(_recordings, RECORDINGS_KEPT, (name,), make)


def _recorded(store: _Store, kept: int, name: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``'s rows, files and result put back from ``store`` when the state before, the
    day and the settings are those of a recording; otherwise made, and recorded."""
    rows_before = _rows()
    key = (*name, connection.vendor, timezone.localdate(), _settings(), _digest(rows_before))
    found = store.get(key)
    if found is not None:
        _restore(found[0])
        return copy.deepcopy(found[1])
    files_before = _files()
    made = make()
    if len(store) >= kept:
        store.pop(next(iter(store)))
    snapshot = _Snapshot(tables=_changes(rows_before, _rows()), files=_new_files(files_before))
    store[key] = (snapshot, copy.deepcopy(made))
    return made


def _as_migrated() -> None:
    """Every table emptied with its sequence reset, then what the post-migrate handlers make
    (content types, permissions) made again, under the same ids each time."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal, sql_flush

    from gerbang.core import search

    connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=True))
    if search._fts_available():  # SQLite's full-text index is no model's table: a flush leaves it
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_search_fts")
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def _settings() -> str:
    """A digest of the project's settings, which the loaders may read (a test's override of
    the password hashers or of the months of history makes other rows), but for where files go.
    Not the settings a library adds as it is first imported (they change nothing of the demo)."""
    project = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    names = sorted(name for name in dir(project) if name.isupper() and name not in FILE_SETTINGS)
    # In one language: some settings hold translatable words (COUNTRIES_OVERRIDE's names), whose
    # repr is in the language active when asked, which the test before may have left otherwise.
    with translation.override("en"):
        text = repr([(name, getattr(settings, name)) for name in names])
    return hashlib.sha256(text.encode()).hexdigest()


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith(SKIPPED_PREFIXES))


def _rows() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table's rows, but for the columns the database computes (which take no value)."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        generated = _generated_columns(cursor)
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608
            columns = [c[0] for c in cursor.description if (table, c[0]) not in generated]
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608
            found[table] = (columns, [tuple(row) for row in cursor.fetchall()])
    return found


def _generated_columns(cursor: Any) -> set[tuple[str, str]]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
        )
        return {(table, column) for table, column in cursor.fetchall()}
    found = set()
    for table in _tables():  # SQLite: table_xinfo marks generated columns hidden 2 or 3
        cursor.execute(f"PRAGMA table_xinfo({connection.ops.quote_name(table)})")
        found |= {(table, row[1]) for row in cursor.fetchall() if row[6] in (2, 3)}
    return found


def _digest(rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> str:
    digest = hashlib.sha256()
    for table, (columns, values) in rows.items():
        digest.update(repr((table, columns, sorted(map(repr, values)))).encode())
    return digest.hexdigest()


def _changes(
    before: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
    after: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
) -> list[_Table]:
    changed = _changed_rows(before, after)
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in changed:
                if table.replace or not before.get(table.name, ([], []))[1]:
                    columns = ", ".join(map(quote, table.columns))
                    sql = f"COPY {quote(table.name)} ({columns}) TO STDOUT (FORMAT BINARY)"
                    with cursor.cursor.copy(sql) as copy:
                        table.copied = b"".join(bytes(chunk) for chunk in copy)
    return changed


def _changed_rows(
    before: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
    after: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
) -> list[_Table]:
    changed = []
    for table, (columns, rows) in after.items():
        old = Counter(map(repr, before.get(table, (columns, []))[1]))
        new = Counter(map(repr, rows))
        if old == new:
            continue
        if old - new:  # a row was changed or removed
            changed.append(_Table(table, columns, rows, replace=True))
            continue
        added = new - old
        fresh = []
        for row in rows:
            text = repr(row)
            if added[text] > 0:
                added[text] -= 1
                fresh.append(row)
        changed.append(_Table(table, columns, fresh, replace=False))
    return changed


def _restore(snapshot: _Snapshot) -> None:
    from gerbang.core import search

    quote = connection.ops.quote_name
    limit = connection.features.max_query_params or 10_000
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            if table.replace:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608
            if table.copied is not None:
                columns = ", ".join(quote(column) for column in table.columns)
                with cursor.cursor.copy(
                    f"COPY {quote(table.name)} ({columns}) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.write(table.copied)
                continue
            if not table.rows:
                continue
            columns = ", ".join(quote(column) for column in table.columns)
            one = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
            batch = max(1, min(500, limit // len(table.columns)))
            for start in range(0, len(table.rows), batch):
                rows = table.rows[start : start + batch]
                cursor.execute(
                    f"INSERT INTO {quote(table.name)} ({columns}) VALUES {', '.join([one] * len(rows))}",  # noqa: S608
                    [_stored(value) for row in rows for value in row],
                )
        _reset_sequences(cursor, {table.name for table in snapshot.tables})
        if search._fts_available():  # the full-text index, from the search entries put back
            cursor.execute("DELETE FROM core_search_fts")
            cursor.execute(
                "INSERT INTO core_search_fts(rowid, title, body) "
                "SELECT id, title_folded, body_folded FROM core_searchentry"
            )
    for alias, name, content in snapshot.files:
        path = Path(storages[alias].location) / name  # type: ignore[attr-defined]
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def _stored(value: Any) -> Any:
    """A value as read back, as the database takes it: SQLite hands days, times and decimals
    back parsed (Django's converters) but takes them only as the text Django writes."""
    if connection.vendor == "sqlite" and isinstance(value, datetime.date | datetime.time | Decimal):
        return str(value)
    return value


def _reset_sequences(cursor: Any, tables: set[str]) -> None:
    """PostgreSQL's identity sequences do not follow rows inserted with their ids (SQLite's do)."""
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(statement)


def _files() -> dict[tuple[str, str], tuple[float, int]]:
    found = {}
    for alias in STORAGES:
        root = Path(storages[alias].location)  # type: ignore[attr-defined]
        if root.exists():
            for path in root.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    found[(alias, str(path.relative_to(root)))] = (stat.st_mtime, stat.st_size)
    return found


def _new_files(before: dict[tuple[str, str], tuple[float, int]]) -> list[tuple[str, str, bytes]]:
    return [
        (alias, name, (Path(storages[alias].location) / name).read_bytes())  # type: ignore[attr-defined]
        for (alias, name), seen in _files().items()
        if before.get((alias, name)) != seen
    ]
