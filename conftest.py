"""Fixtures shared by every test: fast hashing, a clean cache, users of each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

# Months of past cases the demo writes in tests (settings.DEMO_HISTORY_MONTHS): enough for every
# figure, short enough that each test that loads the demo stays quick.
SHORT_DEMO_HISTORY = 2
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_IN_MEMORY = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any, request: pytest.FixtureRequest) -> None:
    """Argon2id is slow by design; tests that do not test hashing use a fast hasher."""
    if "real_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session", autouse=True)
def _flush_to_the_migrated_state() -> Iterator[None]:
    """A transactional test (the browser journeys, the tests of commits) ends with every table
    emptied by Django's flush, which then makes the content types and permissions again. Left
    to itself, the flush keeps the sequences where they were, so those rows come back under new
    ids each time: no two later test modules would start from the same state, and each would
    run the demo's loaders again instead of putting back their snapshot (``demo_snapshot``).
    Here every flush resets the sequences, so each one ends in the same state (on SQLite, with
    the search entries' full-text index emptied too: its rows would clash with the entries made
    again under the same ids).

    On PostgreSQL the flush is also quicker: TRUNCATE of every table costs about 0.6 s each time,
    whatever they hold, and there are hundreds of such tests. Instead, the tables that hold rows
    are emptied with DELETE in one transaction (every foreign key deferred to its end), and
    their sequences are restarted in one statement."""
    # Each backend's base module first: importing its operations module first is circular.
    import django.db.backends.postgresql.base
    import django.db.backends.sqlite3.base  # noqa: F401
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQL
    from django.db.backends.sqlite3.operations import DatabaseOperations as SQLite

    original_postgresql, original_sqlite = PostgreSQL.sql_flush, SQLite.sql_flush

    def sqlite_flush(
        self: SQLite,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements = original_sqlite(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        if "core_searchentry" in tables:  # their full-text index, which is no model's table
            statements.append("DELETE FROM core_search_fts")
        return statements

    def postgresql_flush(
        self: PostgreSQL,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if not tables:
            return []
        quote = self.quote_name
        probes = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - table names
            for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probes, list(tables))
            filled = [row[0] for row in cursor.fetchall()]
        emptied = [f"DELETE FROM {quote(table)}" for table in filled]  # noqa: S608 - table names
        # The sequences of the tables flushed only (not, say, django_migrations' own).
        names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
        restarted = (
            "SELECT setval(s.oid, 1, false) FROM pg_class s "  # noqa: S608 - table names
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            f"WHERE s.relkind = 'S' AND t.relname IN ({names})"
        )
        return ["SET CONSTRAINTS ALL DEFERRED", *emptied, restarted]

    PostgreSQL.sql_flush = postgresql_flush  # type: ignore[method-assign,assignment]
    SQLite.sql_flush = sqlite_flush  # type: ignore[method-assign,assignment]
    yield
    PostgreSQL.sql_flush = original_postgresql  # type: ignore[method-assign]
    SQLite.sql_flush = original_sqlite  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    from gerbang.core.memo import clear_all

    clear_all()  # rows kept in memory by a process must not outlive the test that made them
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.EMAIL_BACKEND = EMAIL_IN_MEMORY
    settings.DEMO_HISTORY_MONTHS = SHORT_DEMO_HISTORY


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_hashing: use the production password hashers")


@pytest.fixture
def office_a(db: None) -> Any:
    from gerbang.catalog.tests.factories import OfficeFactory

    return OfficeFactory.create(code="office-a", name_id="Kantor Imigrasi A")


@pytest.fixture
def office_b(db: None) -> Any:
    from gerbang.catalog.tests.factories import OfficeFactory

    return OfficeFactory.create(code="office-b", name_id="Kantor Imigrasi B", time_zone="Asia/Makassar")


@pytest.fixture
def staff_client() -> Any:
    """Returns a function that signs a staff member in with a verified second factor."""
    from gerbang.accounts.tests.factories import sign_in_with_2fa

    def make(user: Any) -> Client:
        client = Client()
        sign_in_with_2fa(client, user)
        return client

    return make


@pytest.fixture
def client() -> Client:
    """A browser that chose English, so assertions read in the source language. Tests of the
    Indonesian default use ``Client()`` directly."""
    english = Client()
    english.cookies["django_language"] = "en"
    return english


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "gerbang.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture(autouse=True)
def _outside_parties_in_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """HTTP calls to outside parties (the payment provider, the SMS gateways and their
    simulators, which live on this same server) go to the application in-process, inside the test's transaction. The
    browser journeys (e2e) use real HTTP against the live server instead."""
    if "e2e" in request.keywords:
        yield
        return
    import httpx
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.utils import translation

    handlers: list[WSGIHandler] = []  # made at the first call: most tests make none

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if not handlers:
            handlers.append(WSGIHandler())
        handler = handlers[0]
        # As Django's test client does: the nested request must neither close the test's
        # database connection (it runs inside the test's transaction) nor change the caller's
        # language. The response is read and closed inside that window.
        language = translation.get_language()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = handler(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            translation.activate(language)

    def in_process_client() -> httpx.Client:
        return httpx.Client(transport=httpx.WSGITransport(app=app), timeout=10.0)

    for module in (
        "gerbang.payments.providers",
        "gerbang.simulators.payment_provider",
        "gerbang.notifications.sms",
        "gerbang.notifications.push",
    ):
        monkeypatch.setattr(f"{module}.http_client", in_process_client)
    yield


@pytest.fixture(scope="module")
def demo_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, put in once for a whole test module (from a snapshot after its first
    load in the process: ``core.tests.demo_snapshot``). It is
    loaded inside a transaction that is rolled back after the module; each test runs in a
    savepoint within it, so every test sees the demo as loaded, whatever an earlier test did.
    Only for modules whose every test uses it, none of them transactional."""
    from django.db import transaction

    from gerbang.core.tests import demo_snapshot

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # With the settings every test has (the fixtures above), so that this load and a
            # test's own load_demo() fit one snapshot.
            with override_settings(
                DEMO_HISTORY_MONTHS=SHORT_DEMO_HISTORY,
                PASSWORD_HASHERS=FAST_HASHERS,
                EMAIL_BACKEND=EMAIL_IN_MEMORY,
            ):
                demo_snapshot.load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def published() -> Iterator[Callable[[type[Any]], list[Any]]]:
    """``published(EventType)`` starts recording every such event published (in the
    transaction, as it happens) and returns the list it fills; the recording ends with the test."""
    from gerbang.core import events

    before = list(events._subscriptions)

    def record(event_type: type[Any]) -> list[Any]:
        seen: list[Any] = []
        events.subscribe(event_type, seen.append, when=events.When.IN_TRANSACTION)
        return seen

    yield record
    events._subscriptions[:] = before
