"""core.offices: where accounts finds offices without importing the catalogue."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Office
from gerbang.core import offices

pytestmark = pytest.mark.django_db


def test_the_catalogue_provides_the_active_offices(office_a: Office, office_b: Office) -> None:
    Office.objects.filter(pk=office_b.pk).update(is_active=False)
    assert list(offices.active_offices()) == [office_a]
    assert list(offices.offices_visible_to(staff(Role.NATIONAL_ADMIN))) == [office_a]
    assert list(offices.offices_visible_to(staff(Role.OFFICE_ADMIN, [office_b]))) == []
    assert list(offices.offices_visible_to(None)) == []


def test_without_a_provider_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offices, "_active_offices", None)
    with pytest.raises(ImproperlyConfigured):
        offices.active_offices()
