"""What every benchmark needs: production settings (DEBUG off, every secret set) on a
throw-away folder, a free loopback port, Gerbang served by granian as `make run` serves it,
and percentiles."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GRANIAN = ROOT / ".venv" / "bin" / "granian"


def _ledger_signer_key() -> str:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from gerbang.ledger.tlog.note import generate_signer  # the standalone package: no Django

    return generate_signer("127.0.0.1/ledger").signer_key()


def _ed25519_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )


# Made once per run: whatever one process of the run signs or encrypts (sessions, say), every
# other process of the run must read.
SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": secrets.token_hex(32),
    "PAYMENT_PROVIDER_API_KEY": secrets.token_hex(16),
    "PAYMENT_WEBHOOK_SECRET": secrets.token_hex(16),
    "BOOKING_SIGNING_KEY": _ed25519_pem(),
    "EXCHANGE_SIGNING_KEY": _ed25519_pem(),
    "LEDGER_SIGNING_KEY": _ledger_signer_key(),
    "LEDGER_HASH_KEY": secrets.token_hex(32),
    "CACHE_KEY_PREFIX": f"bench{secrets.token_hex(3)}",
    "HUEY_NAME": f"bench-{secrets.token_hex(3)}",
}


def production_env(var_dir: str, *, database: str = "", redis: str = "", **extra: str) -> dict[str, str]:
    """Environment of a production server (DEBUG off) on ``var_dir``: SQLite there unless
    ``database`` is given, Redis only when ``redis`` is."""
    env = {
        **os.environ,
        **SECRETS,
        "GERBANG_VAR_DIR": var_dir,
        "DEBUG": "0",
        "PAYMENT_PROVIDER_URL": "http://127.0.0.1:9/",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(Path(var_dir) / "static"),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "gerbang.settings",
        "DATABASE_URL": database or f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}",
        **extra,
    }
    if redis:
        env["REDIS_URL"] = redis
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *command: str) -> str:
    """Run a management command; what it printed."""
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def free_port() -> int:
    """A port no socket uses on any address: the server listens on all of them, and the crowd's
    client sockets come from many loopback addresses."""
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))  # noqa: S104 - only to find a free port
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Server:
    """Gerbang (or another app of the project) under granian, as `make run` serves it: the
    interface, workers and threads of `make run` unless WEB_WORKERS / WEB_THREADS say otherwise.
    It listens on every loopback address (127.0.0.0/8) and nothing else can reach it."""

    def __init__(
        self,
        env: dict[str, str],
        target: str = "gerbang.wsgi:application",
        *,
        interface: str = "wsgi",
        ready_path: str = "/healthz",
    ) -> None:
        self.env = env
        self.target = target
        self.interface = interface
        self.ready_path = ready_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        for _attempt in range(3):
            if self._start():
                return self
            self.log.seek(0)
            printed = self.log.read().decode(errors="replace")
            self.__exit__()
            if "Address already in use" not in printed:
                break
            # A client socket of an earlier shape (in TIME_WAIT) took the port meanwhile.
            self.port = free_port()
        # The cause is at the start; a panic's backtrace may follow it at length.
        shown = printed if len(printed) <= 6000 else f"{printed[:3000]}\n[...]\n{printed[-3000:]}"
        raise RuntimeError(f"{self.target} did not start:\n{shown}")

    def _start(self) -> bool:
        command = [str(GRANIAN), "--interface", self.interface, "--host", "0.0.0.0", "--port", str(self.port)]  # noqa: S104 - see the class
        command += ["--workers", os.environ.get("WEB_WORKERS", "1"), "--backlog", "4096", "--no-access-log"]
        if self.interface == "wsgi":
            command += ["--blocking-threads", os.environ.get("WEB_THREADS", "4")]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's output for its life; closed on exit
        self.process = subprocess.Popen(  # noqa: S603 - our own server on loopback
            [*command, self.target], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        for _ in range(600):
            if self.process.poll() is not None:
                return False
            try:
                if httpx.get(self.url + self.ready_path, timeout=1).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        return False

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes (Linux /proc)."""
        if self.process is None:
            return 0.0
        family, total = {self.process.pid}, 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        stats = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats.append((int(entry.name), int(fields[1]), int(fields[11]) + int(fields[12])))
        grew = True
        while grew:
            grew = False
            for pid, parent, _ticks in stats:
                if parent in family and pid not in family:
                    family.add(pid)
                    grew = True
        for pid, _parent, used in stats:
            if pid in family:
                total += used / ticks
        return total

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()


def signed_in_session(user: object, hours: float = 24) -> str:
    """The key of a new session of ``user``, as signing in makes one (Django must be set up)."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),  # type: ignore[attr-defined]
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),  # type: ignore[attr-defined]
        }
    )
    store.set_expiry(timezone.now() + dt.timedelta(hours=hours))
    store.create()
    return str(store.session_key)
