"""The catalogue: working days, fee versions, offices near and far, service availability."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from gerbang.catalog import selectors, services
from gerbang.catalog.models import HolidayKind, Office, Service
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import SystemActor
from gerbang.core.calendar import WorkingCalendar, local_date
from gerbang.core.exceptions import ValidationError
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


def make_service(code: str = "paspor-biasa") -> Service:
    return services.service_upsert(
        code=code,
        fields={
            "category": "passport",
            "audience": "citizen",
            "name_id": "Paspor biasa",
            "name_en": "Ordinary passport",
            "summary_id": "Ringkas",
            "eligibility_id": "WNI",
            "steps_id": "Isi\nBayar",
        },
        requirements=[
            {"name_id": "KTP-el", "applies_to": "adult"},
            {"name_id": "Kartu Keluarga", "applies_to": "always"},
            {"name_id": "Akta kelahiran anak", "applies_to": "minor"},
        ],
    )


class TestWorkingCalendar:
    def test_weekends_and_holidays_are_skipped(self) -> None:
        # Thursday 24 Dec 2026 (cuti bersama) and Friday 25 Dec (Christmas), then a weekend.
        calendar = WorkingCalendar({date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)})
        wednesday = date(2026, 12, 23)
        assert calendar.add_working_days(wednesday, 1) == date(2026, 12, 28)  # Monday
        assert calendar.add_working_days(wednesday, 4) == date(2026, 12, 31)
        assert calendar.add_working_days(wednesday, 5) == date(2027, 1, 4)  # across New Year
        assert calendar.working_days_between(wednesday, date(2027, 1, 4)) == 5

    def test_zero_days_means_the_same_or_next_working_day(self) -> None:
        calendar = WorkingCalendar()
        assert calendar.add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)  # Monday
        assert calendar.add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 30)  # Saturday

    def test_negative_days_are_refused(self) -> None:
        with pytest.raises(ValueError):
            WorkingCalendar().add_working_days(date(2026, 1, 1), -1)

    def test_dates_are_read_in_the_office_time_zone(self) -> None:
        friday_evening_utc = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)  # 22.30 WIB, 00.30 WIT
        assert local_date(friday_evening_utc, "Asia/Jakarta") == date(2026, 11, 27)
        assert local_date(friday_evening_utc, "Asia/Jayapura") == date(2026, 11, 28)

    def test_due_date_uses_national_holidays_office_closures_and_local_day(self) -> None:
        services.holiday_upsert(day=date(2026, 12, 25), kind=HolidayKind.NATIONAL, name_id="Natal")
        services.holiday_upsert(day=date(2026, 12, 24), kind=HolidayKind.COLLECTIVE_LEAVE, name_id="Cuti")
        jakarta = OfficeFactory.create(time_zone="Asia/Jakarta")
        jayapura = OfficeFactory.create(time_zone="Asia/Jayapura")
        services.office_closure_add(
            actor=SystemActor("tests"),
            office=jayapura,
            start_date=date(2026, 12, 28),
            end_date=date(2026, 12, 28),
            reason_id="Pindah gedung",
        )
        received = datetime(2026, 12, 23, 15, 30, tzinfo=UTC)  # Wed 22.30 WIB = Thu 00.30 WIT
        # Jakarta: counted from Wed 23 Dec; Thu and Fri are holidays -> Mon 28, Tue 29.
        assert selectors.due_date(office=jakarta, standard_working_days=2, received_at=received) == date(
            2026, 12, 29
        )
        # Jayapura: already Thu 24 Dec there; Mon 28 is the office's own closure -> Tue 29, Wed 30.
        assert selectors.due_date(office=jayapura, standard_working_days=2, received_at=received) == date(
            2026, 12, 30
        )

    def test_closure_must_end_after_it_starts(self) -> None:
        office = OfficeFactory.create()
        with pytest.raises(ValidationError):
            services.office_closure_add(
                actor=SystemActor("tests"),
                office=office,
                start_date=date(2026, 12, 2),
                end_date=date(2026, 12, 1),
                reason_id="x",
            )


class TestFeeVersions:
    def test_the_version_in_force_on_a_day(self) -> None:
        service = make_service()
        services.service_terms_set(
            actor=SystemActor("tests"),
            service=service,
            effective_from=date(2019, 5, 7),
            fee=350_000,
            standard_working_days=4,
        )
        services.service_terms_set(
            actor=SystemActor("tests"),
            service=service,
            effective_from=date(2027, 1, 1),
            fee=400_000,
            standard_working_days=3,
        )
        loaded = selectors.service_by_code("paspor-biasa")
        assert loaded is not None
        today, later = (
            selectors.terms_in_force(loaded, date(2026, 12, 31)),
            selectors.terms_in_force(loaded, date(2027, 1, 1)),
        )
        assert today is not None and today.fee == 350_000
        assert later is not None and later.fee == 400_000
        assert selectors.terms_in_force(loaded, date(2019, 5, 6)) is None
        coming = selectors.terms_coming(loaded, date(2026, 11, 23))
        assert coming is not None and coming.fee == 400_000
        assert selectors.terms_coming(loaded, date(2027, 1, 1)) is None

    def test_a_version_is_recorded_once_and_corrections_are_recorded(self) -> None:
        service = make_service()
        services.service_terms_set(
            actor=SystemActor("tests"),
            service=service,
            effective_from=date(2019, 5, 7),
            fee=350_000,
            standard_working_days=4,
        )
        services.service_terms_set(
            actor=SystemActor("tests"),
            service=service,
            effective_from=date(2019, 5, 7),
            fee=350_000,
            standard_working_days=4,
        )
        assert Event.objects.filter(code="service.terms_set").count() == 1
        services.service_terms_set(
            actor=SystemActor("tests"),
            service=service,
            effective_from=date(2019, 5, 7),
            fee=360_000,
            standard_working_days=4,
        )
        assert Event.objects.filter(code="service.terms_set").count() == 2
        assert service.terms.count() == 1

    def test_breakdown_must_add_up(self) -> None:
        service = make_service()
        with pytest.raises(ValidationError):
            services.service_terms_set(
                actor=SystemActor("tests"),
                service=service,
                effective_from=date(2019, 5, 7),
                fee=1_350_000,
                standard_working_days=4,
                fee_breakdown=[{"label_id": "a", "label_en": "a", "amount": 350_000}],
            )

    def test_negative_fee_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            services.service_terms_set(
                actor=SystemActor("tests"),
                service=make_service(),
                effective_from=date(2019, 5, 7),
                fee=-1,
                standard_working_days=4,
            )


class TestRequirements:
    def test_checklist_follows_the_case(self) -> None:
        service = make_service()
        adult = [str(r.name) for r in selectors.requirements_for(service, {"adult"})]
        minor = [str(r.name) for r in selectors.requirements_for(service, {"minor"})]
        assert adult == ["KTP-el", "Kartu Keluarga"]
        assert minor == ["Kartu Keluarga", "Akta kelahiran anak"]


class TestOffices:
    def test_search_by_name_province_or_regency(self) -> None:
        OfficeFactory.create(
            code="mesuji", name_id="Kantor Imigrasi Mesuji", province="Lampung", regency="Kabupaten Mesuji"
        )
        OfficeFactory.create(
            code="makassar",
            name_id="Kantor Imigrasi Makassar",
            province="Sulawesi Selatan",
            regency="Kota Makassar",
        )
        assert [o.code for o in selectors.office_search("lampung")] == ["mesuji"]
        assert [o.code for o in selectors.office_search("kota makassar")] == ["makassar"]
        assert [o.code for o in selectors.office_search("MESUJI")] == ["mesuji"]
        assert list(selectors.office_search("atlantis")) == []

    def test_nearest_first_and_offices_without_coordinates_last(self) -> None:
        makassar = OfficeFactory.create(code="makassar", latitude=-5.103, longitude=119.495)
        jayapura = OfficeFactory.create(code="jayapura", latitude=-2.533, longitude=140.717)
        unknown = OfficeFactory.create(code="unknown")
        ordered = selectors.offices_nearest_first(Office.objects.all(), -5.14, 119.42)  # in Makassar
        assert [item.office for item in ordered] == [makassar, jayapura, unknown]
        assert ordered[0].km is not None and ordered[0].km < 10
        assert ordered[1].km is not None and 2300 < ordered[1].km < 2500
        assert ordered[2].km is None

    def test_haversine_known_distance(self) -> None:
        # Jakarta (Monas) to Bandung (Gedung Sate): about 117 km as the crow flies.
        assert 110 < selectors.distance_km(-6.1754, 106.8272, -6.9025, 107.6188) < 125

    def test_bad_coordinates_are_refused(self) -> None:
        with pytest.raises(ValidationError):
            services.office_upsert(
                actor=SystemActor("tests"),
                code="x",
                name_id="X",
                province="P",
                regency="R",
                address="A",
                time_zone="Asia/Jakarta",
                latitude=95,
            )

    def test_opening_hours_must_make_sense(self) -> None:
        office = OfficeFactory.create()
        with pytest.raises(ValidationError):
            services.opening_hours_set(
                actor=SystemActor("tests"), office=office, periods=[(0, time(16, 0), time(8, 0))]
            )
        with pytest.raises(ValidationError):
            services.opening_hours_set(
                actor=SystemActor("tests"), office=office, periods=[(7, time(8, 0), time(16, 0))]
            )

    def test_unavailable_service_needs_a_reason_and_is_recorded(self) -> None:
        office = OfficeFactory.create()
        service = make_service()
        services.office_service_set(actor=SystemActor("tests"), office=office, service=service)
        with pytest.raises(ValidationError):
            services.office_service_set(
                actor=SystemActor("tests"), office=office, service=service, is_available=False
            )
        services.office_service_set(
            actor=SystemActor("tests"),
            office=office,
            service=service,
            is_available=False,
            unavailable_reason_id="Blangko habis",
        )
        assert (
            Event.objects.filter(code="office.service_availability_changed", office_id=office.pk).count() == 1
        )


def test_loading_a_service_again_keeps_its_requirements_and_the_documents_on_them() -> None:
    """The demo (or an import) loads the catalogue again and again: a requirement still listed
    keeps its row, so what applicants uploaded for it stays attached; a new one is added in its
    place in the order, and one no longer listed goes."""
    service = make_service()
    before = {r.name_id: r.pk for r in service.requirements.all()}
    services.service_upsert(
        code=service.code,
        fields={"category": "passport", "audience": "citizen", "name_id": "Paspor biasa"},
        requirements=[
            {"name_id": "Kartu Keluarga", "applies_to": "always", "name_en": "Family card"},
            {"name_id": "Pas foto", "applies_to": "always"},
            {"name_id": "KTP-el", "applies_to": "adult"},
        ],
    )
    after = list(service.requirements.order_by("order").values_list("name_id", "pk", "name_en"))
    assert [name for name, _pk, _en in after] == ["Kartu Keluarga", "Pas foto", "KTP-el"]
    assert after[0][1:] == (before["Kartu Keluarga"], "Family card")
    assert after[2][1] == before["KTP-el"]
    assert after[1][1] not in before.values()
    assert not service.requirements.filter(name_id="Akta kelahiran anak").exists()


@pytest.mark.parametrize(
    ("language", "written"),
    [("id", "08.00\u201311.30, 13.00\u201316.00"), ("en", "08:00\u201311:30, 13:00\u201316:00")],
)
def test_opening_hours_are_written_as_the_language_writes_times(language: str, written: str) -> None:
    from django.utils import translation

    periods = [(time(8), time(11, 30)), (time(13), time(16))]
    with translation.override(language):
        assert selectors.opening_hours_text(periods) == written
