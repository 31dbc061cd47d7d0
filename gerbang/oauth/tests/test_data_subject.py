"""A person's apps in their data export, and signed out when the account is erased."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone, translation
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from gerbang.accounts.tests.factories import UserFactory
from gerbang.core import data_subjects
from gerbang.core.app_scopes import Scope
from gerbang.oauth import data_subject, services
from gerbang.oauth.demo import mobile_app

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_apps_and_erasure_signs_them_out() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    app = mobile_app()
    access, _ = services.app_sign_in_issue(user=person, application=app, scopes=[Scope.PROFILE])
    theirs, _ = services.app_sign_in_issue(user=other, application=app, scopes=[Scope.PROFILE])
    with translation.override("en"):
        (section,) = data_subject.export(person)
    assert section.rows[0]["app"] == app.name
    assert section.rows[0]["may"] == "See your name, email address and language; turn on two-factor sign-in"
    (planned,) = data_subject.erase(person, timezone.now(), True)
    assert planned.erased == 1 and get_access_token_model().objects.filter(user=person).exists()
    (done,) = data_subject.erase(person, timezone.now(), False)
    assert done.erased == 1
    assert not get_access_token_model().objects.filter(user=person).exists()
    assert not get_refresh_token_model().objects.filter(user=person).exists()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {access}").get("/api/v1/me").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {theirs}").get("/api/v1/me").status_code == 200
    assert data_subject.export(person) == []


def test_the_register_lists_the_apps() -> None:
    assert "oauth.apps" in {activity.key for activity in data_subjects.activities()}
