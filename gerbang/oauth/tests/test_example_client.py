"""scripts/example_client.py against a running server, the browser played by a signed-in HTTP
client: consent, the code back to the script's loopback address, the API, refresh, revocation."""

from __future__ import annotations

import importlib.util
import re
import sys
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client

from gerbang.accounts.tests.factories import UserFactory
from gerbang.oauth.demo import mobile_app

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "example_client.py"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("example_client", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _browser_of(person: Any) -> httpx.Client:
    """A browser signed in as ``person`` (the session made by the test client)."""
    signed_in = Client()
    signed_in.force_login(person)
    browser = httpx.Client(follow_redirects=False)
    browser.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
    return browser


def _allow(browser: httpx.Client, url: str) -> None:
    """What the person does: open the consent page, press Allow, follow back to the app."""
    page = browser.get(url)
    assert page.status_code == 200, page.text
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    }
    fields["allow"] = "Authorize"
    posted = browser.post(url.split("?")[0], data=fields, headers={"Referer": url})
    assert posted.status_code == 302, posted.text
    back = httpx.get(posted.headers["Location"])
    assert back.status_code == 200


def test_the_example_client_runs_the_whole_journey(live_server: Any) -> None:
    mobile_app()
    person = UserFactory.create(full_name="Budi Santoso")
    script = _script()
    browser = _browser_of(person)
    tokens = script.sign_in(live_server.url, open_url=lambda url: _allow(browser, url), timeout=30)
    assert set(tokens.scope.split()) == set(script.SCOPES.split())
    said: list[str] = []
    seen = script.journey(live_server.url, tokens, say=said.append)
    assert said[0] == f"Signed in as Budi Santoso <{person.email}> (scopes: {tokens.scope})"
    assert seen["applications"] == []
    assert (seen["inbox"]["unread"], seen["inbox"]["items"]) == (0, [])
    assert seen["old_token_after_refresh"] == 401
    assert seen["new_token"] == 200
    assert seen["after_revocation"] == 401


def test_a_refusal_reaches_the_script_as_an_error(live_server: Any) -> None:
    mobile_app()
    browser = _browser_of(UserFactory.create())
    script = _script()

    def refuse(url: str) -> None:
        page = browser.get(url)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        posted = browser.post(url.split("?")[0], data={k: unescape(v) for k, v in fields.items()})
        httpx.get(posted.headers["Location"])

    with pytest.raises(SystemExit, match="access_denied"):
        script.sign_in(live_server.url, open_url=refuse, timeout=30)
