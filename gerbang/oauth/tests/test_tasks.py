"""The nightly clean-up of tokens that no longer work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from gerbang.accounts.tests.factories import UserFactory
from gerbang.core.app_scopes import Scope
from gerbang.oauth import services, tasks
from gerbang.oauth.demo import mobile_app

pytestmark = pytest.mark.django_db


def test_expired_and_long_revoked_tokens_go_and_working_ones_stay() -> None:
    person = UserFactory.create()
    app = mobile_app()
    services.app_sign_in_issue(user=person, application=app, scopes=[Scope.PROFILE])
    services.app_sign_in_issue(user=person, application=app, scopes=[Scope.PROFILE])
    tokens = get_access_token_model().objects
    working, stale = tokens.order_by("pk")
    tokens.filter(pk=stale.pk).update(expires=timezone.now() - timedelta(hours=1))
    long_ago = timezone.now() - timedelta(days=400)
    refreshes = get_refresh_token_model().objects
    refreshes.filter(access_token=stale).update(revoked=long_ago)
    tasks.clear_expired_tokens.call_local()
    assert list(tokens.values_list("pk", flat=True)) == [working.pk]
    assert refreshes.filter(access_token=working, revoked=None).exists()
    assert not refreshes.filter(revoked=long_ago).exists()
