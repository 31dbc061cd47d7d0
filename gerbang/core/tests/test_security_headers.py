"""Security headers on every kind of page: a strict Content-Security-Policy (no inline script
anywhere), never framed, browser features denied but where a page needs them, no referrer to
other sites."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from gerbang.core.http import allow_features
from gerbang.core.middleware import PermissionsPolicyMiddleware

pytestmark = pytest.mark.django_db


def _policy(response: Any) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("address", ["/", "/services/", "/account/login/", "/api/v1/offices", "/track/"])
def test_every_page_has_the_strict_policy(client: Client, address: str) -> None:
    response = client.get(address)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other site
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_documentation_is_served_from_this_site(client: Client) -> None:
    response = client.get("/api/v1/docs")
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn." not in body
    assert "<script>" not in body  # its settings travel as JSON data, read by a script file
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]  # Swagger UI sets styles inline


def test_pages_may_connect_to_the_live_relay(client: Client, settings: Any) -> None:
    settings.LIVE_URL = "https://live.gerbang.example:8443"
    assert _policy(client.get("/"))["connect-src"] == ["'self'", "https://live.gerbang.example:8443"]
    settings.LIVE_URL = ""
    assert _policy(client.get("/"))["connect-src"] == ["'self'"]


def test_a_view_may_use_a_feature_the_others_may_not() -> None:
    @allow_features("camera")
    def counter(request: HttpRequest) -> HttpResponse:
        return HttpResponse("face check")

    def other(request: HttpRequest) -> HttpResponse:
        return HttpResponse("page")

    request = RequestFactory().get("/")
    assert "camera=(self)" in PermissionsPolicyMiddleware(counter)(request)["Permissions-Policy"]
    assert "camera=()" in PermissionsPolicyMiddleware(other)(request)["Permissions-Policy"]
    assert "geolocation=(self)" in PermissionsPolicyMiddleware(other)(request)["Permissions-Policy"]


def test_no_template_has_inline_script_or_style() -> None:
    """The policy refuses them; a page that had one would break for people (the browser
    journeys also fail on any refusal the browser reports). E-mails and PDFs are not pages."""
    import re
    from pathlib import Path

    offenders = []
    for path in Path("gerbang").rglob("templates/**/*.html"):
        text = path.read_text()
        if "/messages/" in path.as_posix() or path.name.endswith("_pdf.html") or "/email/" in path.as_posix():
            continue
        if path.name == "demo_document.html":  # a demo scan, rendered to PDF
            continue
        for found in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|\sstyle=\"|\son[a-z]+=\"|<style",
            text,
        ):
            offenders.append(f"{path}: {found.group(0)}")
    assert offenders == []
