"""Signing in to an app: the example client asks, the person signs in on the site (password and
authenticator code), reads the consent screen and allows; the app uses the API with its token;
then the person signs the app out from the account's signed-in devices, and the token stops
working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.tests.factories import UserFactory, current_code
from gerbang.oauth.demo import mobile_app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _example_client() -> Any:
    spec = importlib.util.spec_from_file_location("example_client", ROOT / "scripts" / "example_client.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sign_in_to_the_app_through_the_site_and_sign_it_out(
    browser_context: Any, page: Any, live_server: Any, artifacts: Path
) -> None:
    mobile_app()
    person = UserFactory.create(full_name="Budi Santoso", email="budi@example.test")
    device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    client = _example_client()

    def person_in_the_browser(url: str) -> None:
        page.goto(url)
        # Not signed in: the site's own sign-in, with the second factor, comes first.
        assert "/account/login/" in page.url
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password").fill("a-long-test-passphrase")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
        # The consent screen: who asks, and what for, in words.
        page.get_by_role("heading", name="Sign in to Gerbang (aplikasi seluler)").wait_for()
        assert page.get_by_text(
            "See your name, email address and language; turn on two-factor sign-in"
        ).is_visible()
        assert page.get_by_text(
            "Read your inbox and choose how the service tells you (email, SMS, this device)"
        ).is_visible()
        page.screenshot(path=str(artifacts / "app-consent-360.png"), full_page=True)
        page.get_by_role("button", name="Allow", exact=True).click()
        page.get_by_text("Signed in. You can close this tab").wait_for()

    tokens = client.sign_in(base, open_url=person_in_the_browser, timeout=60)
    me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {tokens.access_token}"})
    assert me.status_code == 200
    assert me.json()["full_name"] == "Budi Santoso"

    page.goto(base + "/account/")
    page.get_by_role("link", name="Signed-in devices").click()
    page.get_by_role("heading", name="Gerbang (aplikasi seluler)").wait_for()
    assert page.get_by_text("See your applications, their documents and their progress").is_visible()
    page.screenshot(path=str(artifacts / "app-devices-360.png"), full_page=True)
    page.get_by_role("button", name="Sign out this device").click()
    page.get_by_text("The app is signed out on every device.").wait_for()
    assert page.get_by_text("No app is signed in to your account.").is_visible()

    gone = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {tokens.access_token}"})
    assert gone.status_code == 401
    renewed = httpx.post(
        f"{base}/oauth/token/",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "client_id": "gerbang-mobile",
        },
    )
    assert renewed.status_code == 400


def test_the_app_sign_in_speaks_indonesian_by_default(
    browser_context: Any, page: Any, live_server: Any
) -> None:
    mobile_app()
    person = UserFactory.create(language="id")
    device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
    base = live_server.url
    client = _example_client()

    def person_in_the_browser(url: str) -> None:
        page.goto(url)
        page.locator("input[name=email]").fill(person.email)
        page.locator("input[name=password]").fill("a-long-test-passphrase")
        page.locator("form button[type=submit]").first.click()
        page.locator("input[name=otp_token]").fill(current_code(device))
        page.locator("form button[type=submit]").first.click()
        page.get_by_role("heading", name="Masuk ke Gerbang (aplikasi seluler)").wait_for()
        assert page.get_by_text("Aplikasi akan dapat").is_visible()
        page.get_by_role("button", name="Jangan izinkan").click()
        page.get_by_text("Signed in. You can close this tab").wait_for()  # the script's own page

    with pytest.raises(SystemExit, match="access_denied"):
        client.sign_in(base, open_url=person_in_the_browser, timeout=60)
