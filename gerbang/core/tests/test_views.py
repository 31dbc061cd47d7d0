"""Site-wide pages: health probes, request ids, languages, layout, error pages."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestHealth:
    def test_healthz(self, client: Client) -> None:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_readyz_when_database_answers(self, client: Client) -> None:
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["checks"]["database"] == "ok"

    def test_readyz_is_503_when_database_is_down(self, client: Client) -> None:
        with mock.patch("gerbang.core.views.connection.cursor", side_effect=OperationalError("down")):
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert response.json()["checks"]["database"] == "unreachable"

    def test_readyz_is_503_when_redis_is_configured_but_down(self, client: Client, settings) -> None:
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["redis"] == "unreachable"


class TestRequestId:
    def test_every_response_has_a_request_id(self, client: Client) -> None:
        first = client.get("/healthz")["X-Request-ID"]
        second = client.get("/healthz")["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", first)
        assert first != second

    def test_well_formed_incoming_id_is_kept_and_junk_replaced(self, client: Client) -> None:
        assert (
            client.get("/healthz", HTTP_X_REQUEST_ID="edge-proxy-1234")["X-Request-ID"] == "edge-proxy-1234"
        )
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
        assert replaced != "bad id\nwith newline"

    def test_log_lines_carry_the_request_id(self, client: Client, caplog) -> None:
        caplog.set_level("INFO")
        response = client.get("/healthz")
        ids = {getattr(r, "request_id", None) for r in caplog.records if r.name == "gerbang.core.middleware"}
        assert response["X-Request-ID"] in ids


class TestLanguage:
    def test_indonesian_by_default_even_if_the_browser_prefers_english(self) -> None:
        response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert '<html lang="id">' in response.content.decode()
        assert response["Content-Language"] == "id"

    def test_switch_to_english_is_remembered_by_cookie(self) -> None:
        browser = Client()
        response = browser.get(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert browser.cookies["django_language"].value == "en"
        assert '<html lang="en">' in browser.get("/").content.decode()

    def test_switch_is_remembered_on_the_account(self) -> None:
        user = UserFactory.create(language="id")
        browser = Client()
        browser.force_login(user)
        browser.get(reverse("set_language"), {"language": "en", "next": "/"})
        user.refresh_from_db()
        assert user.language == "en"
        # Another device, without the cookie, follows the account's choice.
        other = Client()
        other.force_login(user)
        assert '<html lang="en">' in other.get("/").content.decode()

    def test_unknown_language_is_ignored(self) -> None:
        user = UserFactory.create(language="id")
        browser = Client()
        browser.force_login(user)
        browser.get(reverse("set_language"), {"language": "xx", "next": "/"})
        assert User.objects.get(pk=user.pk).language == "id"

    def test_switch_goes_back_to_the_same_page_but_never_off_site(self) -> None:
        browser = Client()
        back = browser.get(reverse("set_language"), {"language": "en", "next": "/account/login/"})
        assert back["Location"] == "/account/login/"
        off_site = browser.get(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
        assert "evil.example" not in off_site["Location"]

    def test_language_switch_is_a_link_that_works_without_javascript_or_token(self) -> None:
        body = Client().get("/services/").content.decode()
        assert 'href="/language?language=en&amp;next=/services/"' in body
        assert "csrfmiddlewaretoken" not in body  # public pages stay cacheable
        browser = Client(enforce_csrf_checks=True)
        assert browser.get(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302


class TestLayout:
    @pytest.mark.parametrize(
        "url", ["/", "/account/login/", "/account/register/", "/account/password/reset/"]
    )
    def test_pages_have_landmarks_skip_link_and_language(self, client: Client, url: str) -> None:
        body = client.get(url).content.decode()
        assert 'href="#main"' in body and 'id="main"' in body
        assert "<header" in body and "<nav" in body and "<footer" in body
        assert 'name="viewport"' in body
        # Works without JavaScript: the only scripts are the assistant's chat box enhancement
        # (without it the box is a plain form) and the app's service worker registration
        # (without it nothing is kept offline), both deferred.
        scripts = re.findall(r"<script[^>]*>", body)
        allowed = ('src="/static/assistant/assistant.js" defer', 'src="/static/gerbang/pwa.js" defer')
        assert scripts and all(any(one in script for one in allowed) for script in scripts)

    def test_form_fields_have_labels(self, client: Client) -> None:
        body = client.get("/account/register/").content.decode()
        for field in ("id_full_name", "id_email", "id_password"):
            assert f'<label for="{field}">' in body

    def test_first_visit_to_home_is_under_100_kb(self, client: Client) -> None:
        """Budget: HTML plus every stylesheet and script it links, images excluded."""
        response = client.get("/")
        html = response.content.decode()
        total = len(response.content)
        for asset in re.findall(r'<(?:link rel="stylesheet"|script)[^>]+(?:href|src)="([^"]+)"', html):
            asset_response = client.get(asset)
            assert asset_response.status_code == 200
            total += len(b"".join(asset_response.streaming_content))  # type: ignore[attr-defined]
        assert total < 100 * 1024

    def test_unknown_page_is_a_friendly_404(self, client: Client) -> None:
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "does not exist" in response.content.decode()

    def test_csrf_failure_page_explains(self) -> None:
        response = Client(enforce_csrf_checks=True).post("/account/login/", {"email": "a@b.c"})
        assert response.status_code == 403
        assert "expired" in response.content.decode().lower() or "kedaluwarsa" in response.content.decode()
