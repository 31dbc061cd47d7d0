"""Each rule raises its flag when it should, with the reasons and cases it should name, and
stays quiet on the ordinary cases that look like it (families, the same person again, a couple
on one phone)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from axes.models import AccessLog
from django.utils import timezone
from PIL import Image

from gerbang.accounts.tests.factories import UserFactory
from gerbang.analytics.models import RiskKind
from gerbang.analytics.risk import rules
from gerbang.analytics.tests.risk_factories import (
    answers_for,
    codes,
    make_nik,
    scan,
    upload_unique,
    written_case,
)
from gerbang.applications import services as cases
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.core.crypto import blind_index

pytestmark = pytest.mark.django_db

BORN = date(1990, 8, 15)


class TestSameNik:
    def test_the_same_nik_under_another_name_flags_both_cases(self, world) -> None:
        first = written_case(world, answers=answers_for("Budi Santoso", BORN))
        scan(first)
        second = written_case(world, answers=answers_for("Dedi Kurniawan", BORN))
        flag = scan(second)[RiskKind.SAME_NIK]
        assert codes(flag) == ["nik.other_name"]
        assert flag.reasons[0]["cases"] == [first.pk]
        assert scan(first)[RiskKind.SAME_NIK].reasons[0]["cases"] == [second.pk]

    def test_another_birth_date_and_both_are_told_apart(self, world) -> None:
        nik = make_nik(BORN)
        written_case(world, answers=answers_for("Budi Santoso", BORN) | {"date_of_birth": "16/08/1990"})
        written_case(world, answers=answers_for("Rudi Hartono", BORN) | {"date_of_birth": "17/08/1990"})
        mine = written_case(world, answers=answers_for("Budi Santoso", BORN) | {"nik": nik})
        for other in mine.__class__.objects.exclude(pk=mine.pk):
            scan(other)
        flag = scan(mine)[RiskKind.SAME_NIK]
        assert sorted(codes(flag)) == ["nik.other_birth_date", "nik.other_name_and_birth_date"]

    def test_the_same_person_again_or_written_another_way_is_no_flag(self, world) -> None:
        parent_one, parent_two = UserFactory.create(), UserFactory.create()
        first = written_case(world, answers=answers_for("Siti Rahmawati", BORN, "F"), applicant=parent_one)
        scan(first)
        # The other parent applies for the same child another year; names fold alike.
        again = written_case(world, answers=answers_for("RAHMAWATI  siti", BORN, "F"), applicant=parent_two)
        assert RiskKind.SAME_NIK not in scan(again)
        other_nik = written_case(world, answers=answers_for("Dedi Kurniawan", BORN, serial=2))
        assert RiskKind.SAME_NIK not in scan(other_nik)

    def test_a_nik_registered_to_an_account_holder_by_another_name(self, world) -> None:
        nik = make_nik(BORN)
        UserFactory.create(full_name="Agus Setiawan", nik=nik, nik_index=blind_index(nik, purpose="nik"))
        case = written_case(world, answers=answers_for("Dedi Kurniawan", BORN))
        assert codes(scan(case)[RiskKind.SAME_NIK]) == ["nik.account_other_name"]
        holder_herself = UserFactory.create(
            full_name="Dedi Kurniawan",
            nik=make_nik(BORN, serial=3),
            nik_index=blind_index(make_nik(BORN, serial=3), purpose="nik"),
        )
        own = written_case(
            world, answers=answers_for("Dedi Kurniawan", BORN, serial=3), applicant=holder_herself
        )
        assert RiskKind.SAME_NIK not in scan(own)


def _resaved(picture: bytes) -> bytes:
    """The same picture made smaller and saved again at a lower quality."""
    image = Image.open(io.BytesIO(picture)).resize((480, 640))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _submit(world, person, answers, *, variant: int, code: str = "paspor-biasa", for_child: bool = False):
    application = f.draft(world, code, answers=answers, applicant=person, for_child=for_child)
    upload_unique(application, variant=variant)
    return cases.application_submit(application=application, declaration=True, actor=person)


class TestSameImage:
    def test_the_same_photo_about_another_person(self, world) -> None:
        first = _submit(world, UserFactory.create(), f.foreigner_answers(), variant=1, code="visa-kunjungan")
        scan(first)
        other = f.foreigner_answers(
            full_name="Maria Svensson",
            date_of_birth="01/02/1980",
            passport_number="X1234567",
            mrz=f.mrz_lines(
                surname="SVENSSON",
                given="MARIA",
                number="X1234567",
                nationality="SWE",
                born="800201",
                sex="F",
                expiry="300115",
            ),
        )
        second = f.draft(world, "visa-kunjungan", answers=other, applicant=UserFactory.create())
        upload_unique(second, variant=2)
        # The same photo as the first person's (re-encoded by the upload, still the same picture).
        cases.document_upload(
            application=second,
            slot="photo",
            upload=io.BytesIO(_resaved(f.photo_bytes(seed=1))),
            file_name="photo.jpg",
            actor=second.applicant,
        )
        second = cases.application_submit(application=second, declaration=True, actor=second.applicant)
        flag = scan(second)[RiskKind.SAME_IMAGE]
        assert codes(flag) == ["image.photo"] and flag.reasons[0]["cases"] == [first.pk]

    def test_the_same_photo_of_the_same_person_is_no_flag(self, world) -> None:
        _first = _submit(world, UserFactory.create(), f.foreigner_answers(), variant=1, code="visa-kunjungan")
        scan(_first)
        again = f.draft(
            world, "visa-kunjungan", answers=f.foreigner_answers(), applicant=UserFactory.create()
        )
        upload_unique(again, variant=1)
        again = cases.application_submit(application=again, declaration=True, actor=again.applicant)
        assert RiskKind.SAME_IMAGE not in scan(again)

    def test_one_document_file_in_two_peoples_cases_but_not_within_a_family(self, world) -> None:
        budi = _submit(world, UserFactory.create(), answers_for("Budi Santoso", BORN), variant=1)
        scan(budi)
        parent = UserFactory.create()
        dedi = _submit(world, parent, answers_for("Dedi Kurniawan", BORN, serial=2), variant=1)
        flag = scan(dedi)[RiskKind.SAME_IMAGE]
        assert codes(flag) == ["image.document"] and flag.reasons[0]["cases"] == [budi.pk]
        # The same parent's case for their child, with the family's papers: no flag.
        child_born = date(2015, 3, 14)
        child = _submit(world, parent, answers_for("Rizky Kurniawan", child_born), variant=1, for_child=True)
        assert RiskKind.SAME_IMAGE not in scan(child)
        fresh = _submit(world, UserFactory.create(), answers_for("Rudi Hartono", BORN, serial=4), variant=7)
        assert RiskKind.SAME_IMAGE not in scan(fresh)

    def test_a_family_card_shared_by_two_households_is_no_flag(self, world) -> None:
        husband = _submit(world, UserFactory.create(), answers_for("Budi Santoso", BORN), variant=1)
        scan(husband)
        wife = f.draft(
            world, answers=answers_for("Sari Dewi", BORN, "F", serial=2), applicant=UserFactory.create()
        )
        upload_unique(wife, variant=2)
        card = next(
            s for s in document_slots(wife) if s.requirement and s.requirement.name_id == "Kartu Keluarga"
        )
        shared = husband.documents.get(slot=card.key)
        with shared.file.open("rb") as handle:
            data = handle.read()
        cases.document_upload(
            application=wife, slot=card.key, upload=io.BytesIO(data), file_name="kk.pdf", actor=wife.applicant
        )
        wife = cases.application_submit(application=wife, declaration=True, actor=wife.applicant)
        assert wife.documents.get(slot=card.key).sha256 == shared.sha256
        assert RiskKind.SAME_IMAGE not in scan(wife)


class TestSharedContact:
    def test_one_phone_for_four_households_but_not_for_a_couple(self, world) -> None:
        phone = "0857 7000 1234"
        made = [
            written_case(world, answers=answers_for(name, BORN, serial=n, phone=phone))
            for n, name in enumerate(("Yusuf Maulana", "Ahmad Fauzi"), start=1)
        ]
        for case in made:
            assert RiskKind.SHARED_CONTACT not in scan(case)
        made += [
            written_case(world, answers=answers_for(name, BORN, serial=n, phone=phone))
            for n, name in enumerate(("Bayu Aji", "Dian Permata"), start=3)
        ]
        for case in made[2:]:
            scan(case)
        flag = scan(made[0])[RiskKind.SHARED_CONTACT]
        assert codes(flag) == ["contact.phone"]
        assert flag.reasons[0]["params"] == {"accounts": 3, "applications": 3, "days": 90}
        assert sorted(flag.reasons[0]["cases"]) == sorted(c.pk for c in made[1:])

    def test_a_phone_used_long_ago_does_not_count(self, world) -> None:
        phone = "0857 7000 1234"
        long_ago = timezone.now() - timedelta(days=200)
        for n in range(1, 4):
            scan(
                written_case(
                    world,
                    answers=answers_for("Ahmad Fauzi", BORN, serial=n, phone=phone),
                    submitted_at=long_ago,
                )
            )
        case = written_case(world, answers=answers_for("Bayu Aji", BORN, serial=9, phone=phone))
        assert RiskKind.SHARED_CONTACT not in scan(case)

    def test_one_mailbox_behind_two_addresses(self, world) -> None:
        first = written_case(
            world,
            answers=answers_for("Budi Santoso", BORN),
            applicant=UserFactory.create(email="budi.santoso@gmail.com"),
        )
        scan(first)
        alias = UserFactory.create(email="BudiSantoso+paspor@googlemail.com")
        case = written_case(world, answers=answers_for("Rudi Hartono", BORN, serial=2), applicant=alias)
        assert codes(scan(case)[RiskKind.SHARED_CONTACT]) == ["contact.mailbox"]
        other = UserFactory.create(email="budi.santosa@gmail.com")
        unrelated = written_case(world, answers=answers_for("Eko Prasetyo", BORN, serial=3), applicant=other)
        assert RiskKind.SHARED_CONTACT not in scan(unrelated)

    def test_one_account_for_five_people_but_not_for_a_family_of_four(self, world) -> None:
        parent = UserFactory.create()
        names = ("Rizky Pratama", "Ayu Pratama", "Dwi Pratama", "Fajar Pratama", "Putri Pratama")
        made = []
        for n, name in enumerate(names, start=1):
            case = written_case(
                world, answers=answers_for(name, date(2012, 1, n), serial=n), applicant=parent, for_child=True
            )
            made.append(case)
            flags = scan(case)
            assert (RiskKind.SHARED_CONTACT in flags) == (n >= 5)
        flag = scan(made[-1])[RiskKind.SHARED_CONTACT]
        assert codes(flag) == ["contact.account_people"] and flag.reasons[0]["params"] == {"people": 5}

    def test_accounts_signed_in_from_one_browser(self, world) -> None:
        browser = {"ip_address": "36.72.10.5", "user_agent": "Mozilla/5.0 (Linux; Android 13) Chrome/120"}
        people = [UserFactory.create() for _ in range(4)]
        for n, person in enumerate(people, start=1):
            AccessLog.objects.create(username=person.email, **browser)
            scan(written_case(world, answers=answers_for("Ahmad Fauzi", BORN, serial=n), applicant=person))
        case = written_case(world, answers=answers_for("Yusuf Maulana", BORN, serial=9), applicant=people[0])
        flag = scan(case)[RiskKind.SHARED_CONTACT]
        assert codes(flag) == ["contact.device"] and flag.reasons[0]["params"]["accounts"] == 3
        # Another browser behind the same address (a carrier's shared address) is no match.
        elsewhere = UserFactory.create()
        AccessLog.objects.create(
            username=elsewhere.email, ip_address="36.72.10.5", user_agent="Mozilla/5.0 (iPhone)"
        )
        lone = written_case(world, answers=answers_for("Bayu Aji", BORN, serial=10), applicant=elsewhere)
        assert RiskKind.SHARED_CONTACT not in scan(lone)


def _found(finding: rules.Finding | None) -> list[str]:
    assert finding is not None
    return [reason["code"] for reason in finding.reasons]


class TestIdMismatch:
    def test_a_consistent_case_is_no_flag(self, world) -> None:
        case = written_case(world, answers=answers_for("Budi Santoso", BORN))
        assert rules.id_mismatch(case) is None

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"date_of_birth": "16/08/1990"}, "nik.birth_date"),
            ({"sex": "F"}, "nik.sex"),
            ({"nik": "9971011508900001"}, "nik.invalid"),
        ],
    )
    def test_the_nik_against_the_answers(self, world, change, code) -> None:
        case = written_case(world, answers=answers_for("Budi Santoso", BORN) | change)
        assert code in _found(rules.id_mismatch(case))

    def test_the_account_of_someone_applying_for_themselves(self, world) -> None:
        own = make_nik(date(1987, 8, 10), serial=3)
        person = UserFactory.create(
            date_of_birth=date(1987, 8, 10), nik=own, nik_index=blind_index(own, purpose="nik")
        )
        case = written_case(world, answers=answers_for("Hendra Gunawan", BORN), applicant=person)
        assert _found(rules.id_mismatch(case)) == ["profile.nik", "profile.birth_date"]
        # For a child, the parent's own NIK and birth date are not compared.
        child = written_case(
            world, answers=answers_for("Rizky Gunawan", date(2015, 3, 14)), applicant=person, for_child=True
        )
        assert rules.id_mismatch(child) is None

    def test_the_passport_lines_against_the_answers_and_the_nik(self, world) -> None:
        lines = f.mrz_lines(surname="SANTOSO", given="BUDI", number="B1234567", born="900815", sex="M")
        answers = answers_for("Budi Santoso", BORN) | {
            "previous_passport": "has",
            "old_passport_number": "B1234567",
            "mrz": lines,
        }
        assert rules.id_mismatch(written_case(world, answers=answers)) is None
        wrong = f.mrz_lines(surname="KURNIAWAN", given="DEDI", number="C7654321", born="910816", sex="F")
        finding = rules.id_mismatch(written_case(world, answers=answers | {"mrz": wrong}))
        assert _found(finding) == [
            "mrz.birth_date",
            "mrz.nik_birth_date",
            "mrz.sex",
            "mrz.name",
            "mrz.number",
        ]
        broken = lines.replace("B1234567", "B1234568")
        finding = rules.id_mismatch(written_case(world, answers=answers | {"mrz": broken}))
        assert _found(finding) == ["mrz.invalid"]

    def test_a_foreigners_nationality_and_expiry(self, world) -> None:
        answers = f.foreigner_answers()
        assert rules.id_mismatch(written_case(world, answers=answers, code="visa-kunjungan")) is None
        changed = answers | {"nationality": "NO", "passport_expiry": "16/01/2030"}
        finding = rules.id_mismatch(written_case(world, answers=changed, code="visa-kunjungan"))
        assert _found(finding) == ["mrz.nationality", "mrz.expiry"]
