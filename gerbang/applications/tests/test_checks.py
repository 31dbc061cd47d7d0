"""Automatic checks: passport lines, answers, photo rules, duplicates."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation
from PIL import Image

from gerbang.applications import services
from gerbang.applications.answers import check_answers
from gerbang.applications.checks import photo_findings
from gerbang.applications.fields import clean_name
from gerbang.applications.formspec import FOREIGNER, PASSPORT_NEW, PASSPORT_REPLACEMENT
from gerbang.applications.models import CheckKind, CheckOutcome
from gerbang.applications.mrz import MrzError, parse_td3
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import ValidationError


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


TODAY = date(2026, 11, 23)


class TestMrz:
    def test_icao_specimen(self) -> None:
        lines = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
        td3 = parse_td3(lines)
        assert (td3.document_number, td3.birth_date, td3.sex, td3.nationality) == (
            "L898902C3",
            "740812",
            "F",
            "UTO",
        )

    def test_pasted_on_one_line_with_spaces(self) -> None:
        lines = f.mrz_lines().replace("\n", "")
        assert parse_td3(" ".join([lines[:20], lines[20:]])).document_number == "X1234567"

    @pytest.mark.parametrize(
        ("mutate", "message"),
        [
            (lambda l1, l2: (l1, l2.replace("X1234567", "X1234568")), "passport number"),
            (lambda l1, l2: (l1, l2[:13] + "900816" + l2[19:]), "date of birth"),
            (lambda l1, l2: (l1, l2[:-10]), "has 34 characters"),
            (lambda l1, l2: ("V" + l1[1:], l2), "starts with P"),
        ],
    )
    def test_each_error_says_what(self, mutate: object, message: str) -> None:
        line1, line2 = f.mrz_lines().splitlines()
        bad = mutate(line1, line2)  # type: ignore[operator]
        with pytest.raises(MrzError, match=message):
            parse_td3("\n".join(bad))


class TestAnswers:
    def test_valid_passport_answers(self) -> None:
        assert check_answers(PASSPORT_NEW, f.passport_answers(), today=TODAY, for_child=False).ok

    def test_nik_must_match_birth_date_and_sex(self) -> None:
        errors = check_answers(
            PASSPORT_NEW, f.passport_answers(nik=f.NIK_WOMAN), today=TODAY, for_child=False
        ).errors
        assert "marks a woman" in errors["nik"]
        errors = check_answers(
            PASSPORT_NEW, f.passport_answers(date_of_birth="16/08/1990"), today=TODAY, for_child=False
        ).errors
        assert "does not match the date of birth" in errors["nik"]

    def test_unknown_region_code(self) -> None:
        errors = check_answers(
            PASSPORT_NEW, f.passport_answers(nik="9971011508900001"), today=TODAY, for_child=False
        ).errors
        assert "region code" in errors["nik"]

    def test_the_family_card_number_is_optional_and_checked_when_given(self) -> None:
        assert (
            "family_card"
            not in check_answers(PASSPORT_NEW, f.passport_answers(), today=TODAY, for_child=False).values
        )
        checked = check_answers(
            PASSPORT_NEW, f.passport_answers(family_card="1811.0120.0110.0003"), today=TODAY, for_child=False
        )
        assert checked.ok and checked.values["family_card"] == "1811012001100003"
        errors = check_answers(
            PASSPORT_NEW, f.passport_answers(family_card="18110120011000"), today=TODAY, for_child=False
        ).errors
        assert "16 digits" in errors["family_card"]

    def test_an_official_passport_request_needs_the_ministrys_number(self) -> None:
        errors = check_answers(
            PASSPORT_NEW, f.passport_answers(official_passport="service"), today=TODAY, for_child=False
        ).errors
        assert errors["official_passport_request"] == "This answer is needed."
        errors = check_answers(
            PASSPORT_NEW,
            f.passport_answers(official_passport="service", official_passport_request="PD 2026 #1"),
            today=TODAY,
            for_child=False,
        ).errors
        assert "no spaces" in errors["official_passport_request"]
        checked = check_answers(
            PASSPORT_NEW,
            f.passport_answers(official_passport="diplomatic", official_passport_request="pd/2026/7"),
            today=TODAY,
            for_child=False,
        )
        assert checked.ok and checked.values["official_passport_request"] == "PD/2026/7"
        # Not asked when no such passport is declared.
        assert check_answers(
            PASSPORT_NEW,
            f.passport_answers(official_passport="none", official_passport_request="??"),
            today=TODAY,
            for_child=False,
        ).ok

    def test_names_as_a_passport_allows(self) -> None:
        assert clean_name("Siti Nur'aini Al-Hadi", field="n") == "Siti Nur'aini Al-Hadi"
        assert clean_name("José Müller", field="n") == "José Müller"
        with pytest.raises(ValidationError, match="remove “4”"):
            clean_name("Budi 4", field="n")
        with pytest.raises(ValidationError, match="at most 39"):
            clean_name("Muhammad Abdurrahman Wahid Hasyim Asyari Putra", field="n")

    def test_phone_and_postal_code(self) -> None:
        checked = check_answers(
            PASSPORT_NEW,
            f.passport_answers(phone="0812-3456-7890", postal_code="01234"),
            today=TODAY,
            for_child=False,
        )
        assert checked.values["phone"] == "+6281234567890"
        assert "5 digits" in checked.errors["postal_code"]

    def test_child_and_adult_ages(self) -> None:
        errors = check_answers(PASSPORT_NEW, f.passport_answers(), today=TODAY, for_child=True).errors
        assert "under 17" in errors["date_of_birth"]
        child = f.passport_answers(date_of_birth="15/08/2015", nik="3171011508150001")
        assert (
            "parent applies"
            in check_answers(PASSPORT_NEW, child, today=TODAY, for_child=False).errors["date_of_birth"]
        )
        assert check_answers(PASSPORT_NEW, child, today=TODAY, for_child=True).ok

    def test_previous_passport_lines_compared_with_the_form(self) -> None:
        answers = f.passport_answers(
            previous_passport="has", old_passport_number="X1234567", mrz=f.mrz_lines()
        )
        assert check_answers(PASSPORT_NEW, answers, today=TODAY, for_child=False).ok
        other_name = f.passport_answers(
            previous_passport="has", old_passport_number="X1234567", mrz=f.mrz_lines(given="BUDIMAN")
        )
        assert (
            "name in the lines"
            in check_answers(PASSPORT_NEW, other_name, today=TODAY, for_child=False).errors["mrz"]
        )
        wrong_number = {**answers, "old_passport_number": "X7654321"}
        assert (
            "passport number in the lines"
            in check_answers(PASSPORT_NEW, wrong_number, today=TODAY, for_child=False).errors["mrz"]
        )

    def test_conditional_fields_only_when_they_apply(self) -> None:
        assert (
            "mrz"
            not in check_answers(PASSPORT_NEW, f.passport_answers(), today=TODAY, for_child=False).errors
        )
        errors = check_answers(
            PASSPORT_REPLACEMENT, f.passport_answers(), today=TODAY, for_child=False
        ).errors
        assert set(errors) == {"old_passport_number", "mrz"}

    def test_foreign_passport_validity(self) -> None:
        answers = f.foreigner_answers(
            passport_expiry="15/01/2027",
            mrz=f.mrz_lines(
                surname="ERIKSSON",
                given="ANNA MARIA",
                number="L898902C3",
                nationality="SWE",
                born="740812",
                sex="F",
                expiry="270115",
            ),
        )
        errors = check_answers(FOREIGNER, answers, today=TODAY, for_child=False).errors
        assert list(errors) == ["passport_expiry"]


def test_a_foreigner_is_asked_for_the_name_on_the_passport_not_an_indonesian_card() -> None:
    from django.utils import translation

    name = next(field for step in FOREIGNER.steps for field in step.fields if field.name == "full_name")
    citizen = next(field for step in PASSPORT_NEW.steps for field in step.fields if field.name == "full_name")
    with translation.override("en"):
        assert "passport" in str(name.help) and "KTP" not in str(name.help)
        assert "KTP-el" in str(citizen.help)


class TestPhotoRules:
    def test_good_photo(self) -> None:
        assert photo_findings(Image.open(io.BytesIO(f.photo_bytes()))) == []

    def test_small_wide_dark(self) -> None:
        codes = {
            x["code"]
            for x in photo_findings(
                Image.open(io.BytesIO(f.photo_bytes(width=300, height=200, background="#202020")))
            )
        }
        assert codes == {"photo.too_small", "photo.ratio", "photo.background"}


@pytest.mark.django_db
class TestStoredChecks:
    def test_photo_check_shown_to_applicant_and_blocks_submission(self) -> None:
        world = f.make_world()
        answers = f.foreigner_answers()
        foreigner = f.UserFactory.create(full_name="Anna Maria Eriksson")
        application = f.draft(world, "visa-kunjungan", answers=answers, applicant=foreigner)
        f.upload_all(application)
        services.document_upload(
            application=application,
            slot="photo",
            upload=io.BytesIO(f.photo_bytes(background="#303030")),
            file_name="p.jpg",
            actor=foreigner,
        )
        with pytest.raises(ValidationError, match="background must be plain and light"):
            services.application_submit(application=application, declaration=True, actor=foreigner)
        services.document_upload(
            application=application,
            slot="photo",
            upload=io.BytesIO(f.photo_bytes()),
            file_name="p.jpg",
            actor=foreigner,
        )
        submitted = services.application_submit(application=application, declaration=True, actor=foreigner)
        kinds = dict(submitted.checks.values_list("kind", "outcome"))
        assert kinds[CheckKind.MRZ] == CheckOutcome.PASSED
        assert kinds[CheckKind.PHOTO] == CheckOutcome.PASSED

    def test_the_catalogues_photo_is_the_one_photo_slot(self) -> None:
        from gerbang.applications.slots import PHOTO_SLOT, document_slots

        world = f.make_world()
        foreigner = f.UserFactory.create(full_name="Anna Maria Eriksson")
        application = f.draft(world, "visa-kunjungan", answers=f.foreigner_answers(), applicant=foreigner)
        slots = document_slots(application)
        photos = [slot for slot in slots if slot.requirement is not None and slot.requirement.is_photo]
        assert len(photos) == 1 and photos[0].key == PHOTO_SLOT and photos[0].images_only
        assert [slot.key for slot in slots].count(PHOTO_SLOT) == 1
        assert str(photos[0].label) in ("Recent colour photo", "Pasfoto berwarna terbaru")
        with pytest.raises(ValidationError):
            services.document_upload(
                application=application,
                slot=PHOTO_SLOT,
                upload=io.BytesIO(f.pdf_bytes()),
                file_name="photo.pdf",
                actor=foreigner,
            )

    def test_duplicates_flagged_for_the_officer_only(self) -> None:
        world = f.make_world()
        first = f.submitted(world)
        impostor = f.UserFactory.create()
        second = f.draft(world, applicant=impostor)
        f.upload_all(second)  # the same generated scans: same pictures would match too
        second = services.application_submit(application=second, declaration=True, actor=impostor)
        flagged = second.checks.get(kind=CheckKind.DUPLICATE_NIK)
        assert flagged.outcome == CheckOutcome.FLAGGED and not flagged.visible_to_applicant
        assert flagged.findings[0]["params"]["number"] == first.number
        from gerbang.applications import selectors

        assert all(
            r.kind != CheckKind.DUPLICATE_NIK for r, _lines in selectors.case_checks(second, for_staff=False)
        )
        assert any(
            r.kind == CheckKind.DUPLICATE_NIK for r, _lines in selectors.case_checks(second, for_staff=True)
        )

    def test_same_photo_in_another_application(self) -> None:
        world = f.make_world()
        answers = f.foreigner_answers()
        results = []
        for _ in range(2):
            person = f.UserFactory.create()
            application = f.draft(world, "visa-kunjungan", answers=answers, applicant=person)
            f.upload_all(application)
            # The second one re-saves the same photo smaller: still the same picture.
            results.append(
                services.application_submit(application=application, declaration=True, actor=person)
            )
        assert results[1].checks.filter(kind=CheckKind.DUPLICATE_IMAGE).exists()
        assert not results[0].checks.filter(kind=CheckKind.DUPLICATE_IMAGE).exists()


class TestNumbers:
    def test_forgiving_reading_and_check_character(self) -> None:
        from gerbang.applications import numbers

        number = numbers.new_number(office_code="bengkulu-selatan", year=2026)
        assert number.startswith("BENGKULUSELA-2026-")
        assert numbers.normalize(number.lower().replace("-", " ")) == number
        assert numbers.normalize(number.replace("0", "O").replace("1", "I")) == number
        # Any single mistyped character of the random part is caught by the check character.
        random_part = number.split("-", 2)[2].replace("-", "")
        for position in range(10):
            for replacement in numbers.ALPHABET:
                if replacement != random_part[position]:
                    typo = random_part[:position] + replacement + random_part[position + 1 :]
                    assert numbers.normalize(f"BENGKULUSELA-2026-{typo}") is None
        assert len({numbers.new_number(office_code="mesuji", year=2026) for _ in range(1000)}) == 1000
