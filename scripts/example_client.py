#!/usr/bin/env python3
"""An example app signing in to Gerbang: OAuth 2.1 authorization code with PKCE (RFC 7636, S256),
a loopback redirect (RFC 8252), then a few applicant endpoints with the token, a refresh (the
refresh token rotates) and a revocation (RFC 7009). See docs/api.md.

    make run                                   # in another terminal (http://127.0.0.1:8000)
    .venv/bin/python scripts/example_client.py [--base http://127.0.0.1:8000] [--no-browser]

It opens the consent page in the browser (or prints its address with --no-browser): sign in
there as the demo applicant (pemohon@gerbang.test, password gerbang-demo-2026) and allow. The
page sends the browser back to this script, listening on 127.0.0.1 on a free port.

Tests drive it without a person: ``sign_in(..., open_url=...)`` takes the function that plays
the browser.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

CLIENT_ID = "gerbang-mobile"  # the mobile app, registered by the demo data
SCOPES = "profile applications:read appointments notifications"


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str


@dataclass
class _Callback:
    """What the browser brought back to the loopback address."""

    query: dict[str, str] = field(default_factory=dict)
    arrived: threading.Event = field(default_factory=threading.Event)


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _listen(callback: _Callback) -> http.server.HTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/callback":
                self.send_error(404)
                return
            callback.query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"Signed in. You can close this tab and go back to the app.\n")
            callback.arrived.set()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def sign_in(
    base: str,
    *,
    open_url: Callable[[str], Any],
    client_id: str = CLIENT_ID,
    scopes: str = SCOPES,
    timeout: float = 300,
) -> Tokens:
    """The authorization code flow with PKCE: the person consents in a browser (``open_url``
    opens the address), the code comes back to a loopback address, and is exchanged."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    callback = _Callback()
    server = _listen(callback)
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
    try:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scopes,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        open_url(f"{base}/oauth/authorize/?{urlencode(query)}")
        if not callback.arrived.wait(timeout):
            raise SystemExit("No answer from the browser in time.")
    finally:
        server.shutdown()
    answer = callback.query
    if answer.get("state") != state:
        raise SystemExit("The state does not match: not our sign-in.")
    if "error" in answer:
        raise SystemExit(f"Not signed in: {answer['error']} {answer.get('error_description', '')}")
    if answer.get("iss") and answer["iss"].rstrip("/") != base.rstrip("/"):  # RFC 9207
        raise SystemExit(f"The code came from another server: {answer['iss']}")
    response = httpx.post(
        f"{base}/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "code_verifier": verifier,
        },
    )
    response.raise_for_status()
    return _tokens(response.json())


def _tokens(body: dict[str, Any]) -> Tokens:
    return Tokens(body["access_token"], body["refresh_token"], int(body["expires_in"]), body["scope"])


def refresh(base: str, tokens: Tokens, *, client_id: str = CLIENT_ID) -> Tokens:
    """A new access token; the refresh token is replaced too (the old one must not be used again:
    replaying it signs the app out)."""
    response = httpx.post(
        f"{base}/oauth/token/",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": client_id},
    )
    response.raise_for_status()
    return _tokens(response.json())


def revoke(base: str, tokens: Tokens, *, client_id: str = CLIENT_ID) -> None:
    """Sign out: the refresh token revoked ends its access token too (RFC 7009)."""
    response = httpx.post(
        f"{base}/oauth/revoke/",
        data={"token": tokens.refresh_token, "token_type_hint": "refresh_token", "client_id": client_id},
    )
    response.raise_for_status()


def api(base: str, tokens: Tokens, path: str) -> httpx.Response:
    return httpx.get(
        f"{base}/api/v1{path}",
        headers={"Authorization": f"Bearer {tokens.access_token}", "Accept-Language": "en"},
    )


def journey(base: str, tokens: Tokens, say: Callable[[str], Any] = print) -> dict[str, Any]:
    """What the example app does once signed in; returns what it saw (for tests)."""
    seen: dict[str, Any] = {}
    me = api(base, tokens, "/me").json()
    say(f"Signed in as {me['full_name']} <{me['email']}> (scopes: {tokens.scope})")
    applications = api(base, tokens, "/applications").json()
    seen["applications"] = applications
    say(f"{len(applications)} application(s)")
    for application in applications[:3]:
        detail = api(base, tokens, f"/applications/{application['id']}").json()
        say(f"  {detail['number'] or '(draft)'}: {detail['state_label']}")
        for step in detail["timeline"][-3:]:
            say(f"    {step['at']}  {step['text']}")
    inbox = api(base, tokens, "/inbox").json()
    seen["inbox"] = inbox
    say(f"Inbox: {inbox['unread']} unread of {len(inbox['items'])}")
    renewed = refresh(base, tokens)
    say(f"Refreshed: a new access token for {renewed.expires_in} s, and a new refresh token")
    seen["old_token_after_refresh"] = api(base, tokens, "/me").status_code
    seen["new_token"] = api(base, renewed, "/me").status_code
    revoke(base, renewed)
    seen["after_revocation"] = api(base, renewed, "/me").status_code
    say(f"Revoked: the API now answers {seen['after_revocation']} to the token")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="Gerbang's address (make run)")
    parser.add_argument("--client-id", default=CLIENT_ID)
    parser.add_argument("--scope", default=SCOPES)
    parser.add_argument("--no-browser", action="store_true", help="print the address instead of opening it")
    arguments = parser.parse_args()
    base = arguments.base.rstrip("/")

    def open_url(url: str) -> None:
        print(f"Open this address, sign in and allow:\n  {url}")
        if not arguments.no_browser:
            webbrowser.open(url)

    tokens = sign_in(base, open_url=open_url, client_id=arguments.client_id, scopes=arguments.scope)
    journey(base, tokens)


if __name__ == "__main__":
    main()
