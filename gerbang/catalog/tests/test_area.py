"""An office's working area: the Kemendagri/BPS codes of the regencies and cities it serves,
validated as 4 digits, kept in order without repeats, set through ``office_upsert``."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.catalog import regions, services
from gerbang.catalog.demo import DEMO_OFFICES
from gerbang.catalog.models import Office
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import DEMO
from gerbang.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("", []),
        ("1811", ["1811"]),
        ("1811,1805,1812", ["1811", "1805", "1812"]),
        (" 18.11 , 1805;1812, ", ["1811", "1805", "1812"]),
        ("1811, 1811, 1805", ["1811", "1805"]),
    ],
)
def test_area_codes_are_cleaned(text: str, codes: list[str]) -> None:
    assert services.clean_area_codes(text) == codes


@pytest.mark.parametrize(
    "bad", ["181", "18111", "18a1", "0911", "1800", "Mesuji", "1811, 99999", "1899", "9471", "1811, 1820"]
)
def test_a_bad_code_is_refused_naming_it_and_the_field(bad: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.clean_area_codes(bad)
    assert refused.value.field == "area_codes"
    wrong = next(part.strip() for part in bad.split(",") if part.strip() not in ("1811",))
    assert f"“{wrong}”" in str(refused.value.message)


def test_the_area_code_list_of_an_office() -> None:
    assert Office(area_codes="1811,1805").area_code_list == ["1811", "1805"]
    assert Office(area_codes="").area_code_list == []


def test_the_area_is_named_from_the_kemendagri_list() -> None:
    assert regions.regency_name("1811") == "Kabupaten Mesuji"
    assert regions.province_name("1811") == "Lampung"
    assert regions.regency_name("9171") == "Kota Jayapura"
    assert regions.regency_name("18") is None and regions.regency_name("1899") is None
    assert Office(area_codes="7371,7306").area_labels == ["Kota Makassar (7371)", "Kabupaten Gowa (7306)"]
    # A code the list no longer has (an area set before it changed) is still shown, as a code.
    assert Office(area_codes="1811,1899").area_labels == ["Kabupaten Mesuji (1811)", "1899"]


def test_the_list_holds_every_province_and_regency_once() -> None:
    names = regions._names()
    provinces = [code for code in names if len(code) == 2]
    regencies = [code for code in names if len(code) == 4]
    # Kepmendagri 300.2.2-2138/2025: 38 provinces, 416 regencies and 98 cities.
    assert len(provinces) == 38 and len(regencies) == 514
    assert sum(names[code].startswith("Kota ") for code in regencies) == 98
    assert all(code[:2] in names for code in regencies)


@pytest.mark.django_db
def test_office_upsert_stores_the_area_and_refuses_a_bad_one() -> None:
    template = OfficeFactory.build(code="mesuji")
    values: dict[str, Any] = {
        "code": "mesuji",
        "name_id": template.name_id,
        "province": template.province,
        "regency": template.regency,
        "address": template.address,
        "time_zone": template.time_zone,
        "actor": DEMO,
    }
    office = services.office_upsert(**values, area_codes="18.11, 1805")
    assert office.area_codes == "1811,1805"
    with pytest.raises(ValidationError) as refused:
        services.office_upsert(**values, area_codes="1811, 18O5")
    assert refused.value.field == "area_codes"
    office.refresh_from_db()
    assert office.area_codes == "1811,1805"


def test_every_demo_office_has_a_valid_area_that_includes_its_own_regency() -> None:
    own = {
        "mesuji": "1811",
        "sijunjung": "1303",
        "bengkulu-selatan": "1701",
        "makassar": "7371",
        "jayapura": "9171",
    }
    for spec in DEMO_OFFICES:
        codes = services.clean_area_codes(spec["area_codes"])
        assert codes[0] == own[spec["code"]], spec["code"]
        assert len(codes) >= 2


@pytest.mark.django_db
def test_an_office_cannot_take_a_code_that_pages_use_for_the_national_figures() -> None:
    template = OfficeFactory.build(code="x")
    with pytest.raises(ValidationError) as refused:
        services.office_upsert(
            code="national",
            name_id=template.name_id,
            province=template.province,
            regency=template.regency,
            address=template.address,
            time_zone=template.time_zone,
            actor=DEMO,
        )
    assert refused.value.field == "code" and "“national”" in str(refused.value.message)
    assert not Office.objects.filter(code="national").exists()
