"""Configuration from the environment: production refuses to start without its secrets,
and Django's deployment checks report nothing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from gerbang.appointments.tokens import generate_private_pem
from gerbang.ledger.tlog.note import generate_signer

ROOT = Path(__file__).resolve().parents[3]


# Each test runs manage.py in a process of its own, without the suite's database or Redis.
pytestmark = pytest.mark.any_database


def run_manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    unwanted = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.update({"GERBANG_VAR_DIR": str(tmp_path), "GERBANG_TESTING": "0", **env})
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_hex(32),
        "PAYMENT_PROVIDER_API_KEY": secrets.token_hex(32),
        "PAYMENT_WEBHOOK_SECRET": secrets.token_hex(32),
        "PAYMENT_PROVIDER_URL": "https://pay.example.id/v1",
        "BOOKING_SIGNING_KEY": generate_private_pem(),
        "EXCHANGE_SIGNING_KEY": generate_private_pem(),
        "LEDGER_SIGNING_KEY": generate_signer("gerbang.example.id/ledger").signer_key(),
        "LEDGER_HASH_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "gerbang.example.id",
        "LOG_FORMAT": "json",
    }


def test_production_deploy_check_reports_nothing(tmp_path: Path) -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(), tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
        "BLIND_INDEX_KEY",
        "PAYMENT_PROVIDER_API_KEY",
        "PAYMENT_WEBHOOK_SECRET",
        "BOOKING_SIGNING_KEY",
        "EXCHANGE_SIGNING_KEY",
        "LEDGER_SIGNING_KEY",
        "LEDGER_HASH_KEY",
    ],
)
def test_production_refuses_to_start_without_a_secret(tmp_path: Path, missing: str) -> None:
    env = production_env()
    del env[missing]
    result = run_manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "must be set when DEBUG is off" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_versioned_field_keys_pass_the_deploy_check(tmp_path: Path) -> None:
    env = production_env()
    env["FIELD_ENCRYPTION_KEYS"] = f"2:{Fernet.generate_key().decode()},{env['FIELD_ENCRYPTION_KEYS']}"
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_keys_may_come_from_a_key_file(tmp_path: Path) -> None:
    env = production_env()
    ring = tmp_path / "keys" / "field_encryption_keys"
    ring.parent.mkdir()
    ring.write_text(f"2:{Fernet.generate_key().decode()}\n1:{env.pop('FIELD_ENCRYPTION_KEYS')}\n")
    ring.chmod(0o600)
    env["FIELD_ENCRYPTION_KEYS_FILE"] = str(ring)
    script = "from gerbang.core import crypto; print(crypto.key_ring().versions)"
    result = run_manage("shell", "-c", script, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[2, 1]"
    env["FIELD_ENCRYPTION_KEYS_FILE"] = str(tmp_path / "missing")
    result = run_manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS_FILE names" in result.stderr


def test_a_field_key_ring_that_cannot_be_read_stops_the_check(tmp_path: Path) -> None:
    env = production_env()
    second = Fernet.generate_key().decode()
    env["FIELD_ENCRYPTION_KEYS"] = f"{env['FIELD_ENCRYPTION_KEYS']},{second}"  # two keys of version 1
    result = run_manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "gerbang.E001" in result.stderr
    assert "lists key version 1 twice" in result.stderr
    assert second not in result.stderr


def test_the_ledgers_previous_keys_and_transition_key_are_read_and_checked(tmp_path: Path) -> None:
    env = production_env()
    origin = "gerbang.example.id/ledger"
    oldest, previous = generate_signer(origin), generate_signer(origin)
    listed = tmp_path / "ledger_previous_verifier_keys"
    listed.write_text(
        f"{oldest.verifier().verifier_key()} 2025-01-01\n{previous.verifier().verifier_key()} 2026-12-01T03:00:00Z\n"
    )
    env["LEDGER_PREVIOUS_VERIFIER_KEYS_FILE"] = str(listed)
    env["LEDGER_TRANSITION_SIGNING_KEY"] = previous.signer_key()
    script = "from gerbang.ledger import keys; print([len(keys.retired()), len(keys.signers())])"
    result = run_manage("shell", "-c", script, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[2, 2]"
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # A transition key that is not one of the retired keys stops the start, saying so.
    env["LEDGER_TRANSITION_SIGNING_KEY"] = generate_signer(origin).signer_key()
    result = run_manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "gerbang.E201" in result.stderr and "LEDGER_TRANSITION_SIGNING_KEY must be" in result.stderr


def test_local_run_generates_its_secrets_once(tmp_path: Path) -> None:
    first = run_manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    run_manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_bad_boolean_is_a_clear_error(tmp_path: Path) -> None:
    result = run_manage("check", env={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(("level", "logged"), [("ERROR", False), ("INFO", True)])
def test_django_logs_at_the_level_asked(tmp_path: Path, level: str, logged: bool) -> None:
    """LOG_LEVEL governs Django's own lines too (a refused request is a WARNING of Django's)."""
    result = run_manage(
        "shell",
        "-c",
        "from django.test import Client; Client(HTTP_HOST='localhost').get('/no-such-page/')",
        env={"LOG_LEVEL": level, "LOG_FORMAT": "text"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert ("Not Found: /no-such-page/" in result.stderr) is logged
