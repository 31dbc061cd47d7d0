"""Versioned field encryption keys, their rotation while the service runs, and the re-index of
the blind indexes under a new key (docs/operations.md, "Keys")."""

from __future__ import annotations

import math
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from gerbang.accounts.models import User
from gerbang.accounts.selectors import users_with_nik
from gerbang.accounts.tests.factories import UserFactory
from gerbang.core import crypto
from gerbang.core.key_rotation import EncryptedColumn, encrypted_columns, rotate_batches
from gerbang.core.models import Event

NIK = "3171011508900001"


def new_key() -> str:
    return Fernet.generate_key().decode()


def raw_values(model: type[models.Model], field: str) -> list[str]:
    """The stored text of a column, not decrypted."""
    rows = model._base_manager.annotate(raw=models.functions.Cast(field, models.TextField()))
    return list(rows.order_by("pk").values_list("raw", flat=True))


def column(label: str) -> EncryptedColumn:
    (found,) = [c for c in encrypted_columns() if c.label == label]
    return found


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def keys(settings: Any) -> dict[int, str]:
    """Three keys; the ring starts with version 1 alone."""
    ring = {version: new_key() for version in (1, 2, 3)}
    settings.FIELD_ENCRYPTION_KEYS = [f"1:{ring[1]}"]
    return ring


class TestKeyRing:
    def test_a_value_says_its_key_version_and_comes_back(self, settings: Any, keys: dict[int, str]) -> None:
        settings.FIELD_ENCRYPTION_KEYS = [f"3:{keys[3]}", f"2:{keys[2]}"]
        token = crypto.encrypt("3171011508900001")
        assert token.startswith("k3:gAAAA")
        assert crypto.version_of(token) == 3
        assert crypto.decrypt(token) == "3171011508900001"

    def test_each_version_is_read_with_its_own_key(self, settings: Any, keys: dict[int, str]) -> None:
        under_1 = crypto.encrypt("one")
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        under_2 = crypto.encrypt("two")
        assert (crypto.version_of(under_1), crypto.version_of(under_2)) == (1, 2)
        assert (crypto.decrypt(under_1), crypto.decrypt(under_2)) == ("one", "two")
        assert crypto.version_of(crypto.rotate(under_1)) == 2
        assert crypto.rotate(under_2) == under_2

    def test_an_entry_without_a_version_is_version_1(self, settings: Any, keys: dict[int, str]) -> None:
        settings.FIELD_ENCRYPTION_KEYS = [keys[1]]  # the form of the first releases and the key file
        token = crypto.encrypt("secret")
        assert token.startswith("k1:")
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", keys[1]]
        assert crypto.decrypt(token) == "secret"

    def test_a_bare_token_from_before_versions_is_still_read(
        self, settings: Any, keys: dict[int, str]
    ) -> None:
        legacy = Fernet(keys[1].encode()).encrypt(b"written before versions").decode()
        assert crypto.version_of(legacy) is None
        # Whichever version the old key is given now, and wherever it stands in the ring.
        settings.FIELD_ENCRYPTION_KEYS = [f"3:{keys[3]}", f"7:{keys[1]}", f"2:{keys[2]}"]
        assert crypto.decrypt(legacy) == "written before versions"
        assert crypto.version_of(crypto.rotate(legacy)) == 3

    def test_a_value_under_a_removed_key_is_a_clear_error(self, settings: Any, keys: dict[int, str]) -> None:
        token = crypto.encrypt("secret")
        settings.FIELD_ENCRYPTION_KEYS = [f"3:{keys[3]}", f"2:{keys[2]}"]
        with pytest.raises(crypto.UnknownKeyVersion, match=r"key version 1, which .* lists 3, 2\)"):
            crypto.decrypt(token)

    def test_a_wrong_key_for_a_version_is_a_clear_error(self, settings: Any, keys: dict[int, str]) -> None:
        token = crypto.encrypt("secret")
        settings.FIELD_ENCRYPTION_KEYS = [f"1:{keys[2]}"]
        with pytest.raises(ValueError, match=r"wrong key \(key version 1\) or damaged data"):
            crypto.decrypt(token)
        with pytest.raises(ValueError, match="wrong key"):
            crypto.decrypt(Fernet(keys[3].encode()).encrypt(b"x").decode())

    @pytest.mark.parametrize(
        ("entries", "message"),
        [
            (["{k1}", "{k2}"], "version 1 twice"),
            (["2:{k1}", "2:{k2}"], "version 2 twice"),
            (["2:not-a-key"], "entry 1 \\(version 2\\) is not a Fernet key"),
            ([], "lists no key"),
        ],
    )
    def test_a_bad_ring_is_refused_plainly(
        self, keys: dict[int, str], entries: list[str], message: str
    ) -> None:
        filled = tuple(e.format(k1=keys[1], k2=keys[2]) for e in entries)
        with pytest.raises(ImproperlyConfigured, match=message) as refused:
            crypto.parse_keys(filled)
        assert keys[1] not in str(refused.value)


@pytest.fixture
def people(db: None, keys: dict[int, str]) -> list[User]:
    """Nine accounts whose phone and NIK are under key version 1."""
    return [UserFactory.create(phone=f"+62812000000{n}", nik=f"31710115089000{n:02d}") for n in range(9)]


def under(version: int, model: type[models.Model], field: str) -> list[bool]:
    return [(value or "").startswith(f"k{version}:") for value in raw_values(model, field) if value]


class TestRotation:
    def test_every_encrypted_column_is_found_without_a_list(self, db: None) -> None:
        labels = {c.label for c in encrypted_columns()}
        assert {
            "accounts.User.phone",
            "accounts.User.nik",
            "applications.Application.answers",
            "feedback.Report.subject",
            "participation.Post.body",
        } <= labels

    def test_rotation_re_encrypts_everything_and_keeps_the_plaintext(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        before = {u.pk: (u.phone, u.nik) for u in User.objects.all()}
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        out = run("rotate_keys", "--batch-size", "4")
        assert "accounts.User.phone: re-encrypted 9 values in all." in out
        assert "accounts.User.nik: re-encrypted 9 values in all." in out
        assert all(under(2, User, "phone")) and all(under(2, User, "nik"))
        assert {u.pk: (u.phone, u.nik) for u in User.objects.all()} == before
        # One audit event for the run, with counts only.
        (event,) = Event.objects.filter(code="core.keys_rotated")
        assert event.actor_id is None
        assert event.details["system"] == "rotate_keys"
        assert event.details["key_version"] == 2
        assert event.details["fields"]["accounts.User.nik"] == 9
        assert NIK[:6] not in str(event.details)
        # Again: nothing left to do, nothing rewritten.
        stored = raw_values(User, "nik")
        assert "re-encrypted 0 values under key version 2" in run("rotate_keys")
        assert raw_values(User, "nik") == stored

    def test_reads_keep_working_mid_rotation(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        expected = {u.pk: (u.phone, u.nik) for u in User.objects.all()}
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        nik = column("accounts.User.nik")
        batches = rotate_batches(nik, batch_size=2)
        half = math.ceil(math.ceil(len(people) / 2) / 2)  # 3 batches of the 5
        for _ in range(half):
            next(batches)
        # Stopped mid-way: both versions are stored side by side ...
        assert sum(under(2, User, "nik")) == 2 * half
        assert sum(under(1, User, "nik")) == len(people) - 2 * half
        # ... and every row reads through the ORM, while the service keeps writing.
        assert {u.pk: (u.phone, u.nik) for u in User.objects.all()} == expected
        newcomer = UserFactory.create(nik="3171011508900099")
        assert User.objects.get(pk=newcomer.pk).nik == "3171011508900099"
        assert "accounts.User.nik: version 2: 7, version 1: 3" in run("rotate_keys", "--check")
        # Finish: the rest of this run, then a full run for the other columns.
        assert sum(batch.rotated for batch in batches) == len(people) - 2 * half
        run("rotate_keys")
        assert all(under(2, User, "nik")) and all(under(2, User, "phone"))
        expected[newcomer.pk] = ("", "3171011508900099")
        assert {u.pk: (u.phone, u.nik) for u in User.objects.all()} == expected

    def test_check_counts_what_each_version_holds(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        legacy = Fernet(keys[1].encode()).encrypt(b"+6281200000099").decode()
        User.objects.filter(pk=people[0].pk).update(phone=models.Value(legacy, models.TextField()))
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        out = run("rotate_keys", "--check")
        assert "accounts.User.phone: version 1: 8, unversioned: 1" in out
        assert "  version 2: 0 values" in out
        assert "  version 1: 17 values" in out
        assert "  unversioned (written before key versions): 1 values" in out
        assert "18 values are not under version 2 yet" in out
        run("rotate_keys")
        out = run("rotate_keys", "--check")
        assert "accounts.User.phone: version 2: 9" in out
        assert "Every value is under version 2: the other keys can be removed." in out
        # The legacy value was rotated like the others and still reads.
        assert User.objects.get(pk=people[0].pk).phone == "+6281200000099"

    def test_check_names_values_no_key_can_read(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}"]
        out = run("rotate_keys", "--check")
        assert "version 1: 18 values, UNREADABLE" in out

    def test_a_value_under_a_removed_key_stops_reads_and_rotation_clearly(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}"]
        with pytest.raises(crypto.UnknownKeyVersion, match="key version 1"):
            User.objects.get(pk=people[0].pk)
        with pytest.raises(CommandError, match=r"accounts\.User\.nik \(primary key \d+\): .*key version 1"):
            run("rotate_keys")

    def test_a_dry_run_reads_everything_and_writes_nothing(
        self, settings: Any, keys: dict[int, str], people: list[User]
    ) -> None:
        stored = raw_values(User, "nik")
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        out = run("rotate_keys", "--dry-run", "--batch-size", "5")
        assert "accounts.User.nik: would re-encrypt 9 values in all." in out
        assert raw_values(User, "nik") == stored
        assert not Event.objects.filter(code="core.keys_rotated").exists()

    def test_rotation_skips_save_and_auto_now(self, db: None, settings: Any, keys: dict[int, str]) -> None:
        from gerbang.applications.models import Application
        from gerbang.applications.tests import factories as f

        world = f.make_world()
        case = f.draft(world)
        stamped = Application.objects.get(pk=case.pk).updated_at
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{keys[2]}", f"1:{keys[1]}"]
        run("rotate_keys")
        fresh = Application.objects.get(pk=case.pk)
        assert all(under(2, Application, "answers"))
        assert fresh.answers == case.answers and fresh.answers["nik"] == f.NIK_MAN
        assert fresh.updated_at == stamped


class TestBlindIndexReindex:
    def test_nik_look_ups_work_again_after_the_re_index(self, settings: Any, people: list[User]) -> None:
        person = people[0]
        User.objects.filter(pk=person.pk).update(nik_index=crypto.blind_index(person.nik, purpose="nik"))
        settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
        assert not users_with_nik(person.nik).exists()
        out = run("reindex_blind", "--batch-size", "4")
        assert "accounts.User.nik_index: rewrote 9 hashes in all." in out
        assert list(users_with_nik(person.nik)) == [person]
        assert User.objects.get(pk=people[1].pk).nik_index == crypto.blind_index(people[1].nik, purpose="nik")
        (event,) = Event.objects.filter(code="core.blind_index_rebuilt")
        assert event.details["indexes"]["accounts.User.nik_index"] == 9
        assert "rewrote 0 blind index hashes" in run("reindex_blind")

    def test_previous_keys_keep_look_ups_working_until_the_re_index(
        self, settings: Any, people: list[User]
    ) -> None:
        person = people[0]
        old_key = settings.BLIND_INDEX_KEY
        User.objects.filter(pk=person.pk).update(nik_index=crypto.blind_index(person.nik, purpose="nik"))
        settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_PREVIOUS_KEYS = "a-new-key", [old_key]
        assert list(users_with_nik(person.nik)) == [person]
        out = run("reindex_blind", "--dry-run")
        assert "accounts.User.nik_index: would rewrite 9 hashes in all." in out
        run("reindex_blind")
        settings.BLIND_INDEX_PREVIOUS_KEYS = []
        assert list(users_with_nik(person.nik)) == [person]

    def test_a_case_is_found_by_nik_and_tracked_after_the_re_index(self, db: None, settings: Any) -> None:
        from gerbang.applications import selectors
        from gerbang.applications.models import Application
        from gerbang.applications.tests import factories as f

        world = f.make_world()
        case = f.submitted(world)
        settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
        assert selectors.track(case.number or "", f.BORN) is None
        run("reindex_blind")
        assert selectors.track(case.number or "", f.BORN) is not None
        fresh = Application.objects.get(pk=case.pk)
        assert fresh.subject_nik_index == crypto.blind_index(f.NIK_MAN, purpose="nik")

    def test_ikm_answers_are_re_keyed_with_the_previous_key(self, settings: Any, office_a: Any) -> None:
        from gerbang.core.actors import SystemActor
        from gerbang.ikm import selectors, services
        from gerbang.ikm.models import Response
        from gerbang.ikm.tests.conftest import answers, invite

        answered, waiting = invite(office=office_a), invite(office=office_a)
        services.response_submit(invitation=answered, answers=answers(), actor=SystemActor("tests"))
        old_key = settings.BLIND_INDEX_KEY
        settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
        out = run("reindex_blind")
        assert "ikm.Response.key: skipped, BLIND_INDEX_PREVIOUS_KEYS is empty" in out
        assert not selectors.is_answered(answered)
        settings.BLIND_INDEX_PREVIOUS_KEYS = [old_key]
        assert selectors.is_answered(answered)  # found under the previous key meanwhile
        assert "ikm.Response.key: rewrote 1 hashes in all." in run("reindex_blind")
        settings.BLIND_INDEX_PREVIOUS_KEYS = []
        assert selectors.is_answered(answered) and not selectors.is_answered(waiting)
        assert Response.objects.get().key == selectors.invitation_key(answered)

    def test_an_anonymous_report_code_works_while_the_previous_key_is_listed(
        self, settings: Any, office_a: Any
    ) -> None:
        from gerbang.feedback import report_selectors, report_services
        from gerbang.feedback.models import ReportPrivacy

        filed = report_services.report_submit(
            kind="complaint",
            topic="service",
            office=office_a,
            subject="Waited four hours",
            body="I came at 08:00 with an appointment and was served at noon.",
            privacy=ReportPrivacy.ANONYMOUS,
            actor=AnonymousUser(),
        )
        old_key = settings.BLIND_INDEX_KEY
        settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_PREVIOUS_KEYS = "a-new-key", [old_key]
        out = run("reindex_blind")
        assert "feedback.Report.code_hash: cannot be recomputed" in out
        assert report_selectors.report_by_code(filed.code) == filed.report
        settings.BLIND_INDEX_PREVIOUS_KEYS = []
        assert report_selectors.report_by_code(filed.code) is None
