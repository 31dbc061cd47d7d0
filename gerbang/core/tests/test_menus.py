"""The back office's menu: the entries the apps register, shown by permission, in order, with
the page being shown marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.core import menus
from gerbang.core.permissions import Perm

pytestmark = pytest.mark.django_db


def menu_of(client: Client, url: str) -> list[tuple[str, bool]]:
    body = client.get(url).content.decode()
    nav = body[body.index('<nav class="subnav"') : body.index("</nav>", body.index('<nav class="subnav"'))]
    return [
        (href, bool(current))
        for href, current in re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav)
    ]


def signed_in(role: Role) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    sign_in_with_2fa(client, staff(role))
    return client


def test_every_app_adds_its_entries_in_order() -> None:
    names = [entry.url_name for entry in menus.registered(menus.BACKOFFICE)]
    assert names[0] == "dashboard"
    for app_page in ("case_queue", "consultations", "reports", "payments", "faq_list", "assistant_questions"):
        assert app_page in names


def test_an_entry_shows_to_whoever_holds_one_of_its_permissions() -> None:
    national = signed_in(Role.NATIONAL_ADMIN)
    links = dict(menu_of(national, "/backoffice/"))
    assert "/backoffice/faq/" in links and "/backoffice/assistant/questions/" in links
    auditor = signed_in(Role.AUDITOR)
    links = dict(menu_of(auditor, "/backoffice/"))
    assert "/backoffice/payments/" in links and "/backoffice/audit/" in links
    assert "/backoffice/faq/" not in links and "/backoffice/reports/" not in links


def test_the_page_shown_is_marked_and_no_other() -> None:
    client = signed_in(Role.NATIONAL_ADMIN)
    marked = [href for href, current in menu_of(client, "/backoffice/reports/counts/") if current]
    assert marked == ["/backoffice/reports/"]


def test_an_entry_is_current_on_the_names_it_begins() -> None:
    entry = menus.Entry(
        menus.BACKOFFICE, "Reports", "reports", permissions=(Perm.REPORT_VIEW,), current=("report",)
    )
    assert entry.is_current("report_verify") and entry.is_current("reports")
    assert not entry.is_current("queue_report") and not entry.is_current(None)
    exact = menus.Entry(menus.BACKOFFICE, "Dashboard", "dashboard")
    assert exact.is_current("dashboard") and not exact.is_current("dashboard_old")
