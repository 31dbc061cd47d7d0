"""Fuzz the JSON API with schemathesis, as the public and as a signed-in applicant.

Serves Gerbang as `make run` does (granian, WSGI) with production settings (DEBUG off) on a
throw-away folder with the demo data, and runs schemathesis (pinned in requirements-audit.txt,
installed in .venv-audit by `make audit`) over /api/v1/openapi.json twice: without a session,
with a session of the demo applicant (her cookie and CSRF token sent with every request), and
with an access token of the demo's mobile app for her (sign-in for apps, every scope).
It fails on any answer with a 5xx status and on any answer that the document does not describe
(status, content type, headers, body). Each run is bounded in time, so CI keeps its budget.

  .venv/bin/python scripts/api_fuzz.py [--seconds 60] [--examples 20]
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, manage, production_env, signed_in_session  # noqa: E402 - after the path

SCHEMATHESIS = ROOT / ".venv-audit" / "bin" / "schemathesis"
# Every check but positive_data_acceptance, which tests business rules the document cannot
# state: an answer to data that fits the schema may rightly be 400, 404 or 409 (a case in the
# wrong state, a time already taken). Signed in, negative_data_rejection is left out too: it
# removes the session cookie of the documented scheme and expects a refusal, but the session
# travels in a Cookie header the fuzzer does not control, so the request is still signed in.
EXCLUDED_CHECKS = "positive_data_acceptance"
EXCLUDED_SIGNED_IN = "positive_data_acceptance,negative_data_rejection"


def applicant_session(env: dict[str, str]) -> str:
    """A signed-in session of the demo applicant, as the sign-in page makes one."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from gerbang.accounts.models import User

    session = signed_in_session(User.objects.get(email="pemohon@gerbang.test"), hours=2)
    connections.close_all()
    return session


def app_token(env: dict[str, str]) -> str:
    """An access token of the demo's mobile app for the demo applicant, with every scope, as
    the token endpoint gives one (sign-in for apps, docs/api.md)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from gerbang.accounts.models import User
    from gerbang.core.app_scopes import Scope
    from gerbang.oauth import services
    from gerbang.oauth.demo import mobile_app

    access, _ = services.app_sign_in_issue(
        user=User.objects.get(email="pemohon@gerbang.test"),
        application=mobile_app(),
        scopes=[scope.value for scope in Scope],
    )
    connections.close_all()
    return access


def fuzz(server: Server, who: str, headers: list[str], args: argparse.Namespace, excluded: str) -> int:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        excluded,
        "--max-examples",
        str(args.examples),
        "--max-time",
        str(args.seconds),
        "--seed",
        str(args.seed),
        # One worker: with two, Hypothesis parses lambdas' sources in two threads at once, which
        # CPython 3.11's ast module does not survive ("AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    for header in headers:
        command += ["--header", header]
    print(f"== schemathesis as {who}", flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603 - our pinned tool, fixed arguments


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "25")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "15")))
    args = parser.parse_args()
    if not SCHEMATHESIS.exists():
        print(f"{SCHEMATHESIS} is missing: run `make audit`, which installs it.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as var_dir:
        # Limits high enough that the fuzzer meets the rules, not the throttles (which answer
        # 429, a documented answer, and would leave the rest of the run untested).
        env = production_env(
            var_dir,
            UPLOADS_PER_ACCOUNT="100000",
            UPLOADS_PER_ADDRESS="100000",
            CONSULTATIONS_PER_DAY="100000",
            BOOKING_ADMISSION_RATE="100000",
            # Two months of past cases, not a year: the statistics still have figures to
            # answer with, and the demo loads in a fraction of the time.
            DEMO_HISTORY_MONTHS="2",
        )
        for command in (
            ("migrate", "--no-input"),
            ("createcachetable",),
            ("collectstatic", "--no-input"),
            ("load_demo", "--force"),
        ):
            manage(env, *command)
        session = applicant_session(env)
        token = app_token(env)
        csrf = secrets.token_hex(16)
        with Server(env) as server:
            failed = fuzz(server, "the public", [], args, EXCLUDED_CHECKS)
            failed |= fuzz(
                server,
                "the demo applicant",
                [
                    f"Cookie: sessionid={session}; csrftoken={csrf}; django_language=en",
                    f"X-CSRFToken: {csrf}",
                    f"Referer: {server.url}/",
                ],
                args,
                EXCLUDED_SIGNED_IN,
            )
            # The same person through an app: a bearer token, no cookie, no CSRF token.
            failed |= fuzz(
                server,
                "the demo applicant's app",
                [f"Authorization: Bearer {token}", "Accept-Language: en"],
                args,
                EXCLUDED_SIGNED_IN,
            )
    print("API fuzzing: " + ("failures above" if failed else "no failure"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
