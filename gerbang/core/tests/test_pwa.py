"""The installable app: its manifest in both languages with icons that exist at their sizes, the
service worker (the pages it keeps, the push part notifications adds), the offline page, and
the tags every page carries for Android and iOS."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from gerbang.applications.tests import factories as f
from gerbang.core import pwa
from gerbang.feedback.models import Consultation

pytestmark = pytest.mark.django_db


def _manifest(language: str) -> dict[str, Any]:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    return json.loads(response.content)


def test_the_manifest_makes_an_installable_app_in_each_language() -> None:
    indonesian, english = _manifest("id"), _manifest("en")
    assert (indonesian["lang"], english["lang"]) == ("id", "en")
    assert indonesian["name"] != english["name"] and indonesian["short_name"] == "Gerbang"
    for manifest in (indonesian, english):
        assert manifest["display"] == "standalone" and manifest["start_url"] == "/account/"
        assert manifest["scope"] == "/" and manifest["theme_color"].startswith("#")


def test_every_icon_of_the_manifest_exists_at_its_size() -> None:
    icons = _manifest("id")["icons"]
    purposes = {icon["purpose"] for icon in icons}
    assert {"any", "maskable"} <= purposes
    sizes = set()
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
                sizes.add(image.width)
    assert {192, 512} <= sizes  # what Chrome asks of an installable app


def test_the_worker_keeps_the_applicants_pages_and_never_the_back_office() -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    kept = json.loads(script.split("var KEPT = ", 1)[1].split(";\n", 1)[0])
    never = json.loads(script.split("var NEVER = ", 1)[1].split(";\n", 1)[0])
    assert {"/account/", "/applications/"} <= set(kept)
    assert not any(prefix.startswith(("/backoffice", "/api", "/simulator")) for prefix in kept)
    assert {"/account/login", "/account/logout", "/account/security"} <= set(never)
    assert "caches.delete(PAGES_CACHE)" in script  # signing out empties what was kept
    assert "showNotification" in script  # notifications' part
    shell = json.loads(script.split("var SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in shell and all(Client().get(url).status_code == 200 for url in shell)


def test_the_offline_page_and_the_pages_tags() -> None:
    client = Client()
    offline = client.get("/offline/")
    assert offline.status_code == 200
    html = client.get("/").content.decode()
    for tag in (
        'rel="manifest" href="/manifest.webmanifest"',
        'rel="apple-touch-icon"',
        'name="apple-mobile-web-app-capable" content="yes"',
        'name="theme-color"',
        "data-offline-note hidden",
        "gerbang/pwa.js",
    ):
        assert tag in html, tag


def test_an_app_adds_its_part_to_the_worker_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pwa, "_worker_parts", list(pwa.worker_parts()))
    pwa.register_worker_part("core/robots.txt")
    pwa.register_worker_part("core/robots.txt")
    assert pwa.worker_parts().count("core/robots.txt") == 1


def test_the_worker_queues_only_the_forms_that_may_wait() -> None:
    script = Client().get("/sw.js").content.decode()
    queued = json.loads(script.split("var QUEUED = ", 1)[1].split(".map(", 1)[0])
    patterns = [re.compile(path) for path in queued]

    def waits(path: str) -> bool:
        return any(pattern.search(path) for pattern in patterns)

    for path in ("/consultations/new/", "/consultations/12/", "/applications/3/documents/"):
        assert waits(path), path
    # Payments, bookings, signing in, cancelling, the back office: never kept to be sent later.
    for path in (
        "/applications/3/appointment/hold/",
        "/applications/3/appointment/confirm/",
        "/applications/3/pay/",
        "/applications/3/cancel/",
        "/applications/3/review/",
        "/account/login/",
        "/account/logout/",
        "/consultations/12/close/",
        "/backoffice/cases/3/",
    ):
        assert not waits(path), path
    assert json.loads(script.split("var NEVER_QUEUED = ", 1)[1].split(";\n", 1)[0]) == ["remove"]
    assert "store.clear()" in script  # signing out deletes what waits


def test_the_offline_page_can_say_a_form_was_not_sent() -> None:
    html = Client().get("/offline/").content.decode()
    assert "data-not-sent hidden" in html


def test_the_forms_that_may_wait_carry_a_fresh_key_and_the_persons_tag() -> None:
    world = f.make_world()
    client = Client()
    client.force_login(world.applicant)
    keys = []
    for _ in range(2):
        html = client.get("/consultations/new/").content.decode()
        assert 'id="ask-form" data-queue' in html
        keys.append(re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html).group(1))  # type: ignore[union-attr]
        owner = pwa.outbox_owner(world.applicant)
        assert f'name="outbox_owner" value="{owner}"' in html
        assert f'id="outbox" data-owner="{owner}"' in html
    assert keys[0] != keys[1]
    assert str(world.applicant.pk) != owner and len(owner) == 20
    # Officers have no outbox; nor has a visitor.
    assert 'id="outbox"' not in Client().get("/").content.decode()
    officer = Client()
    officer.force_login(world.officer)
    assert 'id="outbox"' not in officer.get("/account/").content.decode()


def test_a_question_form_sent_twice_asks_once() -> None:
    world = f.make_world()
    client = Client()
    client.force_login(world.applicant)
    html = client.get("/consultations/new/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html).group(1)  # type: ignore[union-attr]
    form = {
        "office": world.office.code,
        "topic": "requirements",
        "subject": "Damaged passport",
        "body": "My passport got wet. What should I do?",
        "idempotency_key": key,
    }
    first = client.post("/consultations/new/", form)
    again = client.post("/consultations/new/", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Consultation.objects.count() == 1
