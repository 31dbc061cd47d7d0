"""Larger text and high contrast: chosen from the footer with a plain link, kept in a cookie,
written into the page by the server (the public pages' cache keeps one copy per choice)."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.core import display

pytestmark = pytest.mark.django_db


def _html_class(client: Client, path: str = "/") -> str:
    html = client.get(path).content.decode()
    head = html[: html.index(">", html.index("<html")) + 1]
    return head.split('class="', 1)[1].split('"', 1)[0] if 'class="' in head else ""


def test_a_choice_persists_in_a_cookie_and_shows_on_every_page() -> None:
    client = Client()
    assert _html_class(client) == ""
    response = client.get("/display?mode=large&next=/services/")
    assert response.status_code == 302 and response["Location"] == "/services/"
    cookie = response.cookies[display.COOKIE]
    assert cookie.value == "large" and int(cookie["max-age"]) == display.COOKIE_AGE
    assert _html_class(client) == "display-large"  # the home page, cached before without it
    assert _html_class(client, "/services/") == "display-large"
    client.get("/display?mode=contrast&next=/")
    assert _html_class(client) == "display-large display-contrast"
    client.get("/display?mode=large&next=/")
    assert _html_class(client) == "display-contrast"
    response = client.get("/display?mode=contrast&next=/")
    assert response.cookies[display.COOKIE].value == ""  # both off: the cookie is gone
    assert _html_class(client) == ""


def test_the_footer_offers_the_opposite_of_each_choice_in_the_pages_language() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/offices/").content.decode()
    assert "Larger text" in html and "High contrast" in html
    assert "/display?mode=large&amp;next=/offices/" in html
    client.cookies[display.COOKIE] = "large.contrast"
    html = client.get("/offices/").content.decode()
    assert "Normal text size" in html and "Normal contrast" in html


@pytest.mark.parametrize("query", ["mode=bold&next=/", "mode=large&next=https://evil.example/"])
def test_an_unknown_mode_changes_nothing_and_a_foreign_next_goes_home(query: str) -> None:
    response = Client().get(f"/display?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/"
