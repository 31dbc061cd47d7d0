"""The core's questions about people (permissions, office scope) ask the user object and fail
closed for anyone who cannot answer: nobody signed in, no user, or an object without answers."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.models import Office
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.permissions import Perm, has_permission, require_permission
from gerbang.core.scoping import NO_OFFICE, office_ids_of, office_scope, scope_to_offices

pytestmark = pytest.mark.django_db

# Signed in as far as a careless check would see, but unable to answer for itself.
MUTE = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.NATIONAL_ADMIN)


@pytest.mark.parametrize("nobody", [None, AnonymousUser(), MUTE], ids=["none", "anonymous", "mute"])
def test_nobody_holds_any_permission(nobody: Any, office_a: Office) -> None:
    for perm in Perm:
        assert not has_permission(nobody, perm)
        assert not has_permission(nobody, perm, office_id=office_a.pk)
        with pytest.raises(PermissionDenied):
            require_permission(nobody, perm)


@pytest.mark.parametrize("nobody", [None, AnonymousUser(), MUTE], ids=["none", "anonymous", "mute"])
def test_nobody_sees_any_office(nobody: Any, office_a: Office) -> None:
    assert office_scope(nobody) == NO_OFFICE
    assert office_ids_of(nobody) == []
    assert not scope_to_offices(Office.objects.all(), nobody, office_field="pk").exists()


def test_the_user_answers_from_its_role_and_offices(office_a: Office, office_b: Office) -> None:
    supervisor = staff(Role.SUPERVISOR, [office_a])
    assert has_permission(supervisor, Perm.CASE_ASSIGN, office_id=office_a.pk)
    assert not has_permission(supervisor, Perm.CASE_ASSIGN, office_id=office_b.pk)
    assert not has_permission(supervisor, Perm.CATALOG_MANAGE)
    assert office_ids_of(supervisor) == [office_a.pk]
    assert list(scope_to_offices(Office.objects.all(), supervisor, office_field="pk")) == [office_a]

    auditor = staff(Role.AUDITOR)
    assert office_scope(auditor).every_office
    assert (
        scope_to_offices(Office.objects.all(), auditor, office_field="pk").count() == Office.objects.count()
    )


def test_an_inactive_user_or_an_applicant_holds_nothing(office_a: Office) -> None:
    gone = staff(Role.NATIONAL_ADMIN, is_active=False)
    applicant = UserFactory.create()
    for user in (gone, applicant):
        assert not has_permission(user, Perm.BACKOFFICE_ACCESS)
    assert not scope_to_offices(Office.objects.all(), applicant, office_field="pk").exists()
