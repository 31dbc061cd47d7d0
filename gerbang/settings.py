"""Gerbang settings: the one module that reads configuration, and only from the environment.

Local development needs no variables at all: the defaults give a SQLite database and keys
generated under ``var/``. Production sets ``DEBUG=0`` and must then provide every secret
explicitly (see docs/operations.md); nothing secret is ever read from code.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gerbang.core.app_scopes import DEFAULT_SCOPES, SCOPE_TEXTS

# Lets generic classes such as ModelAdmin[User] be subscripted at run time (typing only).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GERBANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Tests run under pytest; GERBANG_TESTING=1 forces test mode from elsewhere.
TESTING = env_bool("GERBANG_TESTING", "pytest" in sys.modules)


def given_secret(name: str) -> str:
    """A secret from the environment, or from the file named by ``<name>_FILE`` (a key file
    outside the database, e.g. a container secret); "" when neither is given."""
    value = os.environ.get(name, "")
    key_file = os.environ.get(f"{name}_FILE", "")
    if value or not key_file:
        return value
    try:
        return Path(key_file).read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE names {key_file!r}, which cannot be read: {exc}") from exc


def secret_list(raw: str) -> list[str]:
    # Entries of a list of keys are separated by commas or white space (one a line in a file).
    return [entry for entry in re.split(r"[,\s]+", raw) if entry]


def local_secret(name: str, generate: Any) -> str:
    """A given secret (``given_secret``); locally (DEBUG on) one generated once into var/."""
    value = given_secret(name)
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name.lower().removesuffix("s")
    if not path.exists():
        # Exclusive create so two processes starting together cannot write different keys.
        try:
            with path.open("x") as handle:
                handle.write(generate())
            path.chmod(0o600)
        except FileExistsError:
            pass
    return path.read_text().strip()


SECRET_KEY = local_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Comma-separated Fernet keys for personal data at rest, each with its version
# ("3:<key>,2:<key>"; an entry without one is version 1): the first encrypts, all decrypt. Key
# rotation (docs/operations.md, "Keys"): put the new key first, run `manage.py rotate_keys`,
# remove the old key once `rotate_keys --check` shows it holds nothing. Parsed by core.crypto.
FIELD_ENCRYPTION_KEYS = secret_list(
    local_secret("FIELD_ENCRYPTION_KEYS", lambda: Fernet.generate_key().decode())
)
# Key of the keyed hash (blind index) used to look up encrypted values such as NIK.
BLIND_INDEX_KEY = local_secret("BLIND_INDEX_KEY", lambda: secrets.token_hex(32))
# Blind index keys used before BLIND_INDEX_KEY, newest first: look-ups still match their hashes
# (rows not re-indexed yet by `manage.py reindex_blind`, and hashes of values that are not kept,
# such as an anonymous report's code), and the re-index uses them to re-key such hashes.
BLIND_INDEX_PREVIOUS_KEYS = secret_list(given_secret("BLIND_INDEX_PREVIOUS_KEYS"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of the site, used in links inside emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- The public ledger (gerbang.ledger, docs/ledger.md) -------------------------------------------
# The log's name: the first line of every checkpoint and the name of its signing key.
LEDGER_ORIGIN = os.environ.get("LEDGER_ORIGIN", "") or f"{urlsplit(SITE_URL).netloc}/ledger"


def _ledger_signer_key() -> str:
    from gerbang.ledger.tlog.note import generate_signer

    return generate_signer(LEDGER_ORIGIN).signer_key()


# The log's Ed25519 signer key (a C2SP signer key string, PRIVATE+KEY+...); only its seed is used,
# under the name LEDGER_ORIGIN. Never stored in the database.
LEDGER_SIGNING_KEY = local_secret("LEDGER_SIGNING_KEY", _ledger_signer_key)
# The keys the log signed with before LEDGER_SIGNING_KEY (public verifier keys, not secrets), each
# with when it was retired: "<verifier key> <retired at>", one a line or separated by commas, the
# time in ISO 8601 (2026-12-01T03:00:00Z; a date alone is midnight in TIME_ZONE). Checkpoints
# they signed keep verifying, and /ledger/key lists them with their periods (docs/operations.md,
# "The public ledger's key").
LEDGER_PREVIOUS_VERIFIER_KEYS = [
    entry.strip()
    for entry in re.split(r"[,;\n]+", given_secret("LEDGER_PREVIOUS_VERIFIER_KEYS"))
    if entry.strip()
]
# During a routine key change only: the previous signer key (one of the retired keys above). Every
# new checkpoint is signed by it too, so witnesses and verifiers that know only the old key keep
# working while they learn the new one. Never set it after a compromise.
LEDGER_TRANSITION_SIGNING_KEY = given_secret("LEDGER_TRANSITION_SIGNING_KEY")
# Key of the keyed hashes (HMAC-SHA256) that stand for actors and details in the log's leaves.
LEDGER_HASH_KEY = local_secret("LEDGER_HASH_KEY", lambda: secrets.token_hex(32))
# How long an event may stay uncommitted: the sequencer looks again at events created in the
# last LEDGER_SETTLE_SECONDS, so one committed late (PostgreSQL ids are taken before commit)
# still gets into the log, with a later sequence number.
LEDGER_SETTLE_SECONDS = env_int("LEDGER_SETTLE_SECONDS", 600)
# Events appended per transaction (each batch ends with a signed checkpoint).
LEDGER_BATCH_SIZE = env_int("LEDGER_BATCH_SIZE", 200)
# ``manage.py ledger_integrate --follow`` (started by ``make run``; one per deployment) brings the
# log up to date this often, so a step is in the log about a second after its commit; the
# worker's periodic run stays as the fallback.
LEDGER_FOLLOW_SECONDS = float(os.environ.get("LEDGER_FOLLOW_SECONDS", "0.5"))
# How old a witness's cosignature may be when it arrives (seconds; a witness signs just before
# it sends), and how far ahead of this server's clock its timestamp may be.
LEDGER_COSIGNATURE_MAX_AGE = env_int("LEDGER_COSIGNATURE_MAX_AGE", 600)
LEDGER_COSIGNATURE_CLOCK_SKEW = env_int("LEDGER_COSIGNATURE_CLOCK_SKEW", 60)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "huey.contrib.djhuey",
    "django_countries",
    "csp",
    # Only for its static files: the API documentation page serves Swagger UI from this site.
    "ninja",
    # The domain apps, each after those it builds on (the demo data loads in this order).
    "gerbang.core",
    "gerbang.catalog",
    "gerbang.content",
    "gerbang.accounts",
    # After gerbang.accounts, whose createsuperuser and changepassword commands replace auth's
    # (the app listed first wins): they create and change accounts through the services.
    "django.contrib.auth",
    # Sign-in for apps (OAuth 2.1 with PKCE): django-oauth-toolkit's clients and tokens, and
    # gerbang.oauth's consent screen and signed-in devices (its templates override the toolkit's).
    "gerbang.oauth",
    "oauth2_provider",
    "gerbang.applications",
    # Face checks at the counter (an optional extra: requirements-biometrics.txt).
    "gerbang.biometrics",
    "gerbang.appointments",
    "gerbang.payments",
    "gerbang.notifications",
    "gerbang.queueing",
    "gerbang.feedback",
    "gerbang.satisfaction",
    "gerbang.assistant",
    "gerbang.ikm",
    "gerbang.participation",
    "gerbang.privacy",
    # After every app that records events: its demo loader logs the others' demo events.
    "gerbang.ledger",
    # Above every app: the statistics count what the others did (their demo data included).
    "gerbang.transparency",
    # Staff analytics above everything, the statistics included (forecasts read their daily figures).
    "gerbang.analytics",
    "gerbang.integrations",
    # The training office (synthetic cases for staff to learn on) above everything: it makes
    # its set through every app's services, and every app's public numbers leave it out.
    "gerbang.training",
    "gerbang.live",
    "gerbang.simulators",
]

MIDDLEWARE = [
    "gerbang.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gerbang.core.middleware.ContentSecurityPolicy",
    "gerbang.core.middleware.PermissionsPolicyMiddleware",
    # Compresses what every middleware below and the views answer (so it comes before those
    # that read the body, such as ConditionalGetMiddleware's ETag), static files included.
    "gerbang.core.middleware.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a booking attempt from someone still in line costs one cache read.
    "gerbang.appointments.middleware.WaitingRoomGate",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the session: an API booking attempt is admitted or refused before the user.
    "gerbang.appointments.middleware.WaitingRoomAdmission",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gerbang.accounts.middleware.StaffSessionTimeoutMiddleware",
    "gerbang.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gerbang.accounts.middleware.BackofficeGuardMiddleware",
    "gerbang.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gerbang.urls"
WSGI_APPLICATION = "gerbang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gerbang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gerbang.core.context_processors.site",
                "gerbang.content.context_processors.emergencies",
                "gerbang.notifications.context_processors.inbox",
            ],
        },
    },
    {
        # Plain text (email text, subjects, SMS, inbox): the same templates without HTML
        # escaping, so a name like O'Brien is not written as O&#x27;Brien.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gerbang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gerbang.sqlite3'}")
VAR_DIR.mkdir(parents=True, exist_ok=True)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so concurrent writers queue on the busy timeout instead of failing on lock upgrade. The
    # timeout is long: while `make run` loads the demo, its loader and the worker's first tasks
    # (the search index, the assistant's vectors, the statistics) each write for many seconds on
    # a busy machine, and a writer that gave up after 20 s stopped the demo's load.
    _db["OPTIONS"] = {
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 90),
    }
else:
    _db["CONN_HEALTH_CHECKS"] = True
if TESTING:
    # Threads of the live test server must not keep connections, or the test database
    # cannot be dropped at the end of the run.
    _db["CONN_MAX_AGE"] = 0
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not Django's shared in-memory database: with shared cache, SQLite answers a
        # second connection's read "database table is locked" at once instead of waiting, and
        # the browser journeys' live server serves requests on several threads at a time.
        _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, task queue -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            # Django's, with one client per connection pool (see gerbang.core.cache).
            "BACKEND": "gerbang.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gerbang"),
        }
    }
else:
    # The database cache is shared by the web server and the worker (local memory is not).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gerbang_cache",
        }
    }
    if TESTING:
        CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# Counters on every hot path (rate limits, the booking waiting room): Redis, shared by every
# process, when configured; otherwise the memory of each process, never the database (a counter
# there costs a write transaction per request, and on SQLite the single write lock). Without
# Redis, several web processes therefore count apart: deployments with more than one set
# REDIS_URL (docs/operations.md).
CACHES["counters"] = (
    {**CACHES["default"], "KEY_PREFIX": f"{CACHES['default'].get('KEY_PREFIX', 'gerbang')}-counters"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "gerbang-counters",
        # A rush keeps a few entries per person (rate-limit windows, a place in line, a pass),
        # and an entry pushed out too early would send someone to the back of the line: room
        # for a large crowd (entries are small and expire within minutes).
        "OPTIONS": {"MAX_ENTRIES": env_int("COUNTER_CACHE_ENTRIES", 2_000_000)},
    }
)

HUEY_WORKERS = env_int("HUEY_WORKERS", 2)
# Tests use their own queue, so they never hand work to a worker of `make run`.
HUEY_NAME = os.environ.get("HUEY_NAME", "gerbang-test" if TESTING else "gerbang")
if REDIS_URL:
    # The priority queue (Redis 5 or later): notifications people wait for go ahead of a
    # backlog (gerbang/notifications/tasks.py). Workers block on the queue, so a task starts
    # the moment it is queued.
    HUEY: dict[str, Any] = {"huey_class": "huey.PriorityRedisHuey", "name": HUEY_NAME, "url": REDIS_URL}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / f"huey-{HUEY_NAME}.sqlite3"),
    }
HUEY.update(
    {
        # Tests run tasks in-line; everywhere else a worker (``manage.py run_huey``) runs them.
        "immediate": TESTING,
        # An idle worker looks at the SQLite queue again after at most HUEY_MAX_DELAY seconds
        # (huey's default lets it sleep 10 s, the whole of a notification's time to arrive);
        # a look is one indexed read of the queue file.
        "consumer": {
            "workers": HUEY_WORKERS,
            "worker_type": "thread",
            "initial_delay": 0.05,
            "backoff": 1.5,
            "max_delay": float(os.environ.get("HUEY_MAX_DELAY", "0.5")),
        },
    }
)

# --- Accounts, passwords, 2FA, lockout --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # argon2id
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B: length and a blocklist, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gerbang.accounts.passwords.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=env_int("EMAIL_VERIFICATION_DAYS", 3))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Failed sign-ins: per account (gerbang/accounts/lockout.py: after this many in a row, browsers
# new to the account wait, longer after each failure up to this many minutes; the owner is never
# locked out) and per IP address (core rate limit, looser, because many mobile users share one
# carrier-grade NAT address).
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_LONGEST_WAIT = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# django-axes keeps the record of sign-in attempts (the admin's "Access attempts"); it locks
# nobody out, since a lock by account alone would let anyone lock out anyone.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_VERBOSE = False
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 50)
# axes warns when it does not count by IP address: the per-IP limit is the core rate limit above.
# auth.W004: the sign-in address is unique where one is given (``accounts.User``'s constraint
# "unique_email_when_given"); people registered at the office without one have it empty.
# oauth2_provider.W008: apps redirect to a loopback http address (RFC 8252), checked by
# gerbang.oauth.validators instead of the provider's scheme gate.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "auth.W004", "oauth2_provider.W008"]

OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Gerbang")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin lists two-factor devices, never their secrets (TOTP keys, QR codes, recovery codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10

# --- Sign-in for apps: OAuth 2.1 (django-oauth-toolkit; docs/api.md) --------------------------
# Authorization code with PKCE (S256 only) and refresh tokens, nothing else: no implicit or
# password grant (the RFC 9700 gates, all enforced), public clients (the mobile app, a loopback
# redirect per RFC 8252) and confidential ones (partners' apps). Access tokens live minutes; each
# refresh gives a new refresh token, and replaying a used one revokes the whole family. Tokens
# are stored only as their SHA-256 (RFC 9700 token storage).
OAUTH2_PROVIDER = {
    "SCOPES": dict(SCOPE_TEXTS),
    "DEFAULT_SCOPES": DEFAULT_SCOPES,
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_ACCESS_TOKEN_SECONDS", 15 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_REFRESH_TOKEN_DAYS", 30) * 24 * 60 * 60,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    # The consent screen every time: its page is the one whose CSP form-action lets the browser
    # go on to the app (a redirect straight from the sign-in form would be blocked), and a
    # person sees each time what the app gets.
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "ALLOW_LOCALHOST_LOOPBACK": True,  # RFC 8252 §7.3: any port on 127.0.0.1 / [::1]
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post", "none"],
    "OAUTH2_VALIDATOR_CLASS": "gerbang.oauth.validators.GerbangValidator",
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    # Kept off: native apps need http loopback redirects (RFC 8252 §7.3); gerbang.oauth's
    # validator accepts http only for 127.0.0.1 / [::1] (its deploy warning W008 is silenced).
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": False,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# --- Sessions and security headers -------------------------------------------------------------
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 7)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), the same in development and production so that a
# violation shows while developing: scripts, styles, fonts and images only from this site (no
# inline script or style: every script is a file), no plugins, never framed, forms posted only
# here, and connections only here and to the live relay (LIVE_URL, added by
# gerbang.core.middleware.ContentSecurityPolicy). A view that needs more says so with
# csp.decorators.csp_update (the API documentation page, the staff's email previews).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({} if DEBUG else {"upgrade-insecure-requests": True}),
    },
}
# Browser features pages may use (Permissions-Policy): none but finding the nearest office. A
# view that needs one (a camera at a counter) names it with core.http.allow_features.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
}
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Gerbang <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages, time -------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# Gerbang's own catalogues first (they win); then Indonesian for strings of the libraries
# Gerbang uses (country names, Django's own strings in Gerbang's words), which makemessages
# leaves alone.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
# The nationality lists start with Indonesia, then every country by its name in the page's language.
COUNTRIES_FIRST = ["ID"]
# Names as people write them, where the library's English is a native or an ISO-list form.
COUNTRIES_OVERRIDE = {"NR": _("Nauru"), "BS": _("Bahamas")}
USE_I18N = True
# One format per kind of moment and language (see gerbang/formats and gerbang/core/formatting.py).
FORMAT_MODULE_PATH = ["gerbang.formats"]
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

# --- Applications ----------------------------------------------------------------------------
# Largest document an applicant may upload (a scanned page at 300 dpi is well under it).
APPLICATION_DOCUMENT_MAX_BYTES = int(os.environ.get("APPLICATION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))
# Uploads one account, and one network address (an office's assisted-application desk shares
# one), may send in ten minutes: enough to redo every document of an application twice over.
UPLOADS_PER_ACCOUNT = env_int("UPLOADS_PER_ACCOUNT", 40)
UPLOADS_PER_ADDRESS = env_int("UPLOADS_PER_ADDRESS", 200)
# Checking and re-encoding uploads (pictures, PDFs) is CPU work (gerbang/core/heavy.py): this
# many run at once in each server process, this many more wait for their turn (holding a server
# thread each) up to this many seconds; the others are asked to try again in a moment. One
# running and one waiting leave the other core and two of make run's four threads to every
# other request on the 2-core machines (bench/uploads.py).
HEAVY_WORK_AT_ONCE = env_int("HEAVY_WORK_AT_ONCE", 1)
HEAVY_WORK_QUEUE = env_int("HEAVY_WORK_QUEUE", 1)
HEAVY_WORK_WAIT_SECONDS = env_int("HEAVY_WORK_WAIT_SECONDS", 20)

# --- Payments ----------------------------------------------------------------------------------
# The payment provider (its name is kept on each bill) and how we talk to it: signed JSON over
# HTTPS (see gerbang/payments/providers.py). Locally the provider is the simulator, mounted at
# /simulator/ on the same server, and the shared secrets are generated into var/.
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "simulator")
PAYMENT_PROVIDER_URL = os.environ.get("PAYMENT_PROVIDER_URL", "")
PAYMENT_PROVIDER_API_KEY = local_secret("PAYMENT_PROVIDER_API_KEY", lambda: secrets.token_hex(32))
PAYMENT_WEBHOOK_SECRET = local_secret("PAYMENT_WEBHOOK_SECRET", lambda: secrets.token_hex(32))
# A notification whose timestamp is further than this from now is a replay and is refused.
PAYMENT_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("PAYMENT_WEBHOOK_TOLERANCE_SECONDS", 300))
# The merchant data in every QRIS payload (issued by the acquiring bank and QRIS).
QRIS_ACQUIRER_DOMAIN = os.environ.get("QRIS_ACQUIRER_DOMAIN", "ID.CO.BANKSIMULASI.WWW")
QRIS_MERCHANT_PAN = os.environ.get("QRIS_MERCHANT_PAN", "9360000000000000001")
QRIS_MERCHANT_ID = os.environ.get("QRIS_MERCHANT_ID", "GERBANG001")
QRIS_NMID = os.environ.get("QRIS_NMID", "ID1020000000001")
QRIS_MERCHANT_NAME = os.environ.get("QRIS_MERCHANT_NAME", "DITJEN IMIGRASI PNBP")
QRIS_MERCHANT_CITY = os.environ.get("QRIS_MERCHANT_CITY", "JAKARTA")
# Simulators of outside parties (payment provider, SMS gateways): local development and tests
# only, never in production.
SIMULATORS = env_bool("SIMULATORS", DEBUG)
# With DEBUG on, a page not found is the site's own 404 page (``core.debug``); 1: Django's
# technical page with the routes tried.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)


# --- Partner agencies (integrations) -----------------------------------------------------------
# Gerbang's Ed25519 key that signs its questions to partner agencies and its answers to them
# (RFC 9421); partners find its public half, with EXCHANGE_KEY_ID, at /api/v1/exchange/keys.
# Generated into var/ locally. Rotation: docs/partners.md.
def _exchange_pem() -> str:
    from gerbang.core.exchange_protocol import generate_private_pem

    return generate_private_pem()


EXCHANGE_SIGNING_KEY = local_secret("EXCHANGE_SIGNING_KEY", _exchange_pem)
EXCHANGE_KEY_ID = os.environ.get("EXCHANGE_KEY_ID", "gerbang-1")
# Public keys Gerbang signed with before (JSON {key id: PEM}), still published while partners
# may hold answers signed with them.
EXCHANGE_PREVIOUS_KEYS: dict[str, str] = json.loads(os.environ.get("EXCHANGE_PREVIOUS_KEYS", "{}"))
# One question to a partner: seconds to wait for it, attempts in a row (with backoff between
# them, from EXCHANGE_RETRY_SECONDS doubling), and the circuit breaker: after this many failures
# in a row nobody asks that partner for EXCHANGE_BREAKER_SECONDS, then one question probes it.
EXCHANGE_TIMEOUT = float(os.environ.get("EXCHANGE_TIMEOUT", "5"))
EXCHANGE_ATTEMPTS = env_int("EXCHANGE_ATTEMPTS", 3)
EXCHANGE_RETRY_SECONDS = float(os.environ.get("EXCHANGE_RETRY_SECONDS", "0.5"))
EXCHANGE_BREAKER_FAILURES = env_int("EXCHANGE_BREAKER_FAILURES", 5)
EXCHANGE_BREAKER_SECONDS = env_int("EXCHANGE_BREAKER_SECONDS", 60)
# The simulators of the partner agencies (a separate small server, ``python -m
# gerbang.simulators.partners``), which `make run` starts; the demo registers them as agencies.
# Tests start their own (``integrations/tests/conftest.py``) and never reach one `make run` started.
PARTNER_SIMULATOR_URL = os.environ.get(
    "PARTNER_SIMULATOR_URL", "http://127.0.0.1:8002" if SIMULATORS and not TESTING else ""
)

# --- Notifications -----------------------------------------------------------------------------
# SMS gateways, tried in order (the second takes over when the first fails): a JSON list of
# {"name", "url", "api_key"}. Locally two simulated gateways on this server stand in for them.
SMS_GATEWAYS: list[dict[str, str]] = json.loads(os.environ.get("SMS_GATEWAYS", "[]")) or (
    [
        {
            "name": "sms-a",
            "url": "",
            "api_key": local_secret("SMS_GATEWAY_A_KEY", lambda: secrets.token_hex(16)),
        },
        {
            "name": "sms-b",
            "url": "",
            "api_key": local_secret("SMS_GATEWAY_B_KEY", lambda: secrets.token_hex(16)),
        },
    ]
    if SIMULATORS
    else []
)


# Web Push (VAPID): the private key as PEM, and the contact the push services may write to.
# Locally a key is generated into var/; in production browser notifications are offered only
# when VAPID_PRIVATE_KEY is set.
def _vapid_pem() -> str:
    from py_vapid import Vapid02  # type: ignore[import-untyped]

    key = Vapid02()
    key.generate_keys()
    return str(key.private_pem().decode())


VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "") or (
    local_secret("VAPID_PRIVATE_KEY", _vapid_pem) if DEBUG else ""
)


# Appointments: the Ed25519 key that signs the QR token of every booking (offices verify it
# offline with the public key at /appointments/verification-key.pem). Generated into var/ locally.
def _ed25519_pem() -> str:
    from gerbang.appointments.tokens import generate_private_pem

    return generate_private_pem()


BOOKING_SIGNING_KEY = local_secret("BOOKING_SIGNING_KEY", _ed25519_pem)
# People admitted to booking per second by the waiting room (what the servers can serve; measure
# it with bench/booking_rush.py). In quiet times nobody waits.
BOOKING_ADMISSION_RATE = float(os.environ.get("BOOKING_ADMISSION_RATE", 200))
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@gerbang.test")
# Deliveries that fail temporarily are retried this many times, waiting longer each time.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", 10))

# --- Live updates -------------------------------------------------------------------------------
# Where browsers reach the live relay (gerbang.live.asgi, served by granian in ASGI mode beside
# the WSGI app). Empty: the same address as the pages, under /live/ (a proxy sends /live/ to the
# relay). `make run` serves it on the next port and sets this.
LIVE_URL = os.environ.get("LIVE_URL", "").rstrip("/")


# Pages of these origins may read the streams (the site itself; locally another port).
def _local_aliases(url: str) -> list[str]:
    """Locally the site is reached as 127.0.0.1 or as localhost: both are its own origin."""
    aliases = [url]
    for one, other in (("//127.0.0.1", "//localhost"), ("//localhost", "//127.0.0.1")):
        if one in url:
            aliases.append(url.replace(one, other))
    return aliases


LIVE_ALLOWED_ORIGINS = env_list("LIVE_ALLOWED_ORIGINS", _local_aliases(SITE_URL) if DEBUG else [SITE_URL])
# Without Redis the relay looks for new messages in the database this often.
LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", 0.2))
# Streams one relay process holds at most; beyond, new ones are answered 503 with Retry-After.
LIVE_MAX_STREAMS = env_int("LIVE_MAX_STREAMS", 20000)
LIVE_CHANNEL_PREFIX = f"{os.environ.get('CACHE_KEY_PREFIX', 'gerbang')}:live:"
# Without JavaScript a visitor's ticket page reloads itself this often.
QUEUE_PAGE_REFRESH_SECONDS = env_int("QUEUE_PAGE_REFRESH_SECONDS", 15)

# Consultations: the office answers a question within this many of its working days, and one
# account may ask this many questions a day (follow-ups in a thread are not counted).
CONSULTATION_ANSWER_DAYS = env_int("CONSULTATION_ANSWER_DAYS", 3)
CONSULTATIONS_PER_DAY = env_int("CONSULTATIONS_PER_DAY", 5)
# Reports (SP4N-LAPOR!): verified within these working days; closed on their own after this
# many working days of the reporter's silence after an answer; an overdue report escalated to
# the office's supervisors goes on to the national unit after this many more working days.
REPORT_VERIFY_DAYS = env_int("REPORT_VERIFY_DAYS", 3)
REPORT_SILENCE_DAYS = env_int("REPORT_SILENCE_DAYS", 10)
REPORT_ESCALATE_AFTER_DAYS = env_int("REPORT_ESCALATE_AFTER_DAYS", 2)
REPORTS_PER_DAY = env_int("REPORTS_PER_DAY", 5)
# Ratings: a person may change their rating for this many days after first giving it; and
# write this many suggestions a day.
RATING_CHANGE_DAYS = env_int("RATING_CHANGE_DAYS", 7)
SUGGESTIONS_PER_DAY = env_int("SUGGESTIONS_PER_DAY", 5)
# The IKM (PermenPANRB 14/2017): each element's weight 1/9 is rounded to this many decimals
# (3: 0.111, 2: 0.11, as the regulation's worked examples do; "exact": 1/9 unrounded), and how
# many days after being served a person may still answer the questionnaire.
IKM_WEIGHT_DECIMALS: int | None = (
    None if os.environ.get("IKM_WEIGHT_DECIMALS") == "exact" else env_int("IKM_WEIGHT_DECIMALS", 3)
)
IKM_ANSWER_DAYS = env_int("IKM_ANSWER_DAYS", 30)
# Participation: a proposal with this many supports goes to its unit, which answers it within
# this many of its working days.
PROPOSAL_SUPPORT_THRESHOLD = env_int("PROPOSAL_SUPPORT_THRESHOLD", 50)
PROPOSAL_ANSWER_DAYS = env_int("PROPOSAL_ANSWER_DAYS", 10)
# A closed survey answered by fewer people than this publishes only how many answered: with so
# few answers, someone could be recognised from them (staff still see the results).
SURVEY_RESULTS_MIN_RESPONDENTS = env_int("SURVEY_RESULTS_MIN_RESPONDENTS", 5)

# --- Static files ----------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Applicants' documents: outside MEDIA_ROOT, never served by a web server, only by views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "gerbang.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Backups (gerbang/core/backups.py; docs/operations.md, "Backups and the restore drill") ---
# The key that encrypts backups (any long random string; NOT a field encryption key). Locally
# generated into var/; in production `manage.py backup` refuses to run without it. Keep a copy in
# escrow with the other keys: a backup is useless without it.
BACKUP_KEY = (
    local_secret("BACKUP_KEY", lambda: secrets.token_urlsafe(32)) if DEBUG else given_secret("BACKUP_KEY")
)
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
# The periodic backup keeps the newest backup of each of this many days and ISO weeks.
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env_int("BACKUP_KEEP_WEEKLY", 4)

# --- Logging: one line per event, request id on every line; JSON lines in production -----------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gerbang.core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "gerbang.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default config adds its own console handler; route it through ours once.
        # Its level is LOG_LEVEL too: at ERROR, every refused request (a full slot in a rush,
        # a 404) would otherwise still cost a WARNING line.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # weasyprint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # run_huey adds its own handler only when the logger has none: give it ours.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Data protection (UU PDP No. 27/2022; gerbang.privacy, docs/privacy.md).
# How long each kind of record is kept after it ended (a case decided or withdrawn, a payment
# settled, a report closed, ...), in years. These are the authority's records-retention schedule
# (Jadwal Retensi Arsip, UU No. 43/2009 on archives): set them from the schedule in force. After
# its period a record loses its personal fields in the nightly retention sweep, and an erasure
# request erases at once whatever is not kept for one of these.
DATA_RETENTION_YEARS = {
    # Decided, withdrawn or expired applications with their answers and documents.
    "cases": env_int("RETENTION_CASES_YEARS", 10),
    # Bills, payments and refunds (state non-tax revenue records).
    "payments": env_int("RETENTION_PAYMENTS_YEARS", 10),
    # Complaints and consultations after they close.
    "reports": env_int("RETENTION_REPORTS_YEARS", 5),
    # Bookings and on-site tickets after the visit's day.
    "visits": env_int("RETENTION_VISITS_YEARS", 2),
    # Messages sent and the in-app inbox.
    "messages": env_int("RETENTION_MESSAGES_YEARS", 2),
}
# Biometric data (face checks at the counter, gerbang.biometrics; docs/biometrics.md): the live
# picture and its embedding are erased this many days after the check (set it from the law in
# force; the result of the check, which holds no biometric data, stays with the case).
BIOMETRIC_RETENTION_DAYS = env_int("BIOMETRIC_RETENTION_DAYS", 30)
# The distance at or below which two faces are called a match; empty: the calibrated value
# (gerbang/biometrics/thresholds.py). Change it only after measuring on your own data.
BIOMETRIC_FACE_THRESHOLD = float(os.environ.get("BIOMETRIC_FACE_THRESHOLD") or 0) or None
# How long the authority has to answer a data-protection request, in hours: 3 x 24 hours for
# access (Pasal 32), correction (Pasal 30), withdrawing consent (Pasal 40) and, by the same
# measure, erasure.
PRIVACY_REQUEST_HOURS = env_int("PRIVACY_REQUEST_HOURS", 72)

# Public statistics: a count of fewer people than this is withheld wherever it is published
# (pages, files, API), with the counts that would give it away (docs/transparency.md).
STATISTICS_MIN_CELL = int(os.environ.get("STATISTICS_MIN_CELL", "10"))
# How many months of past cases the demo writes for the statistics (a year; the tests take two,
# which is enough to show every figure and keeps each loading of the demo short).
DEMO_HISTORY_MONTHS = int(os.environ.get("DEMO_HISTORY_MONTHS", "12"))
