"""Menus offer only what the person may open: every back-office link a role is shown, followed
as that role, opens (no "not allowed" behind a link). Menus and views ask one permission table."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

import pytest

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Office

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/backoffice/[^"#?]*)')
# Pages a role visits, at most: enough to reach every menu and sub-menu of the demo.
MAX_PAGES = 45


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR]
)
def test_every_link_a_role_is_shown_opens(role: Role, staff_client: Any) -> None:
    offices = [] if role in (Role.NATIONAL_ADMIN, Role.AUDITOR) else [Office.objects.get(code="mesuji")]
    client = staff_client(staff(role, offices))
    seen = {"/backoffice/"}
    todo = deque([("/backoffice/", "")])
    refused = []
    while todo and len(seen) <= MAX_PAGES:
        url, shown_on = todo.popleft()
        response = client.get(url)
        if response.status_code == 403:
            refused.append(f"{url} (linked from {shown_on})")
            continue
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            # Documents' files live in the per-test media folder, not the shared demo's.
            if link not in seen and "/logout" not in link and "/documents/" not in link:
                seen.add(link)
                todo.append((link, url))
    assert not refused, f"{role} is shown links it may not open: {refused}"
