"""Where a person resides, read from the NIK on their profile: its first four digits are the
province and regency of the KTP, checked against an office's working area."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from gerbang.accounts.selectors import residence_code, resides_in
from gerbang.accounts.tests.factories import UserFactory
from gerbang.catalog.models import Office

MESUJI_NIK = "1811015708900001"  # Kabupaten Mesuji (18.11)


def office(area_codes: str) -> Office:
    return Office(code="mesuji", name_id="Kantor Imigrasi Mesuji", area_codes=area_codes)


def person(nik: str) -> SimpleNamespace:
    return SimpleNamespace(nik=nik, is_authenticated=True)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        (MESUJI_NIK, "1811"),
        ("18.11.01.570890.0001", "1811"),  # written with the dots of a KTP
        ("7371 0123 4567 0001", "7371"),
        ("", ""),  # no NIK on the profile
        ("181101570890000", ""),  # 15 digits
        ("18110157089000012", ""),  # 17 digits
        ("18110157089000AB", ""),  # letters
        ("\uff11\uff18\uff11\uff11" + "015708900001", ""),  # full-width digits are not a NIK
    ],
)
def test_the_residence_is_the_niks_first_four_digits(nik: str, code: str) -> None:
    assert residence_code(person(nik)) == code


def test_people_without_a_nik_field_reside_nowhere() -> None:
    assert residence_code(AnonymousUser()) == ""
    assert not resides_in(AnonymousUser(), office("1811"))


@pytest.mark.parametrize(
    ("nik", "area", "inside"),
    [
        (MESUJI_NIK, "1811,1805,1812", True),
        ("1805015708900001", "1811,1805,1812", True),  # Tulang Bawang, a neighbour served by Mesuji
        ("1871015708900001", "1811,1805,1812", False),  # Kota Bandar Lampung: same province, not the area
        ("7371015708900001", "1811,1805,1812", False),
        (MESUJI_NIK, "", False),  # an office without a working area has no residents
        ("", "1811", False),
        ("1811", "1811", False),  # four digits are not a NIK
    ],
)
def test_resides_in_an_offices_area(nik: str, area: str, inside: bool) -> None:
    assert resides_in(person(nik), office(area)) is inside


@pytest.mark.django_db
def test_read_from_the_encrypted_nik_of_a_stored_account() -> None:
    user = UserFactory.create(nik=MESUJI_NIK)
    user.refresh_from_db()
    assert resides_in(user, office("1812, 1811"))
