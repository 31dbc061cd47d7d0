"""The shared cache of public pages and API reads: invalidated by a change, and again when the
change commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from gerbang.catalog.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

VERSION_KEY = "public-pages:version"


def test_a_change_invalidates_again_when_it_commits(django_capture_on_commit_callbacks: Any) -> None:
    """What another thread renders between the save and the commit (from the data still
    committed, under the version the save made) must not outlive the commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        office = OfficeFactory.create(code="baru")
        office.regency = "Kota Baru"
        office.save()
        while_uncommitted = cache.get(VERSION_KEY)
    assert len(callbacks) == 1  # once per transaction, however many rows it saved
    assert cache.get(VERSION_KEY) != while_uncommitted


def test_a_page_with_a_csrf_token_is_never_shared() -> None:
    """A form's token is the visitor's own: a page that used one is not kept for others."""
    from django.http import HttpRequest, HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from gerbang.core.http import public_page

    rendered = []

    @public_page
    def page(request: HttpRequest) -> HttpResponse:
        rendered.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    for _visitor in range(2):
        request = RequestFactory().get("/a-form/")
        request.user = AnonymousUser()
        page(request)
    assert len(rendered) == 2
