"""With DEBUG on (``make run``), a page not found is the site's own page, not Django's."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["/no-such-page/", "/statistik/rilis/2099-13/"])
def test_a_page_not_found_under_debug_is_the_sites_own(client: Any, settings: Any, address: str) -> None:
    settings.DEBUG = True
    answer = client.get(address)
    html = answer.content.decode()
    assert answer.status_code == 404
    assert "The page you asked for does not exist" in html and "URLconf" not in html


def test_the_api_keeps_its_json_error_under_debug(client: Any, settings: Any) -> None:
    settings.DEBUG = True
    answer = client.get("/api/v1/no-such-thing")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")


def test_a_developer_can_ask_for_the_technical_page(client: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404 and "URLconf" in answer.content.decode()
