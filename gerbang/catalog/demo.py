"""Demo catalogue: offices serving the regencies DESIGN.md names plus one office in WITA and one
in WIT, their hours, the services each offers, the national calendar and the service list.

Offices, their coordinates and contact details are illustrative, not an official register.
Their working areas are regency and city codes of the Kemendagri list of regional codes
(``catalog/data/regions.csv``, Kepmendagri 300.2.2-2138/2025); the neighbouring regencies each
office serves are illustrative.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from gerbang.catalog.demo_services import SERVICES
from gerbang.catalog.models import HolidayKind, Office, OfficeClass, Service, TimeZone
from gerbang.catalog.services import (
    holiday_upsert,
    office_service_set,
    office_upsert,
    opening_hours_set,
    service_terms_set,
    service_upsert,
)
from gerbang.core import demo
from gerbang.core.actors import DEMO

DEMO_OFFICES: list[dict[str, Any]] = [
    {
        "code": "mesuji",
        "name_id": "Kantor Imigrasi Kelas III Non TPI Mesuji",
        "name_en": "Mesuji Class III Immigration Office",
        "office_class": OfficeClass.CLASS_III,
        "province": "Lampung",
        "regency": "Kabupaten Mesuji",
        "address": "Jl. Lintas Timur Sumatera, Simpang Pematang, Mesuji, Lampung",
        "phone": "0726 7000 100",
        "email": "kanim.mesuji@gerbang.test",
        "latitude": -3.9350,
        "longitude": 105.4350,
        "time_zone": TimeZone.WIB,
        # Kabupaten Mesuji 1811, Tulang Bawang 1805, Tulang Bawang Barat 1812
        "area_codes": "1811,1805,1812",
    },
    {
        "code": "sijunjung",
        "name_id": "Kantor Imigrasi Kelas III Non TPI Sijunjung",
        "name_en": "Sijunjung Class III Immigration Office",
        "office_class": OfficeClass.CLASS_III,
        "province": "Sumatera Barat",
        "regency": "Kabupaten Sijunjung",
        "address": "Jl. Prof. M. Yamin, Muaro Sijunjung, Sumatera Barat",
        "phone": "0754 7000 200",
        "email": "kanim.sijunjung@gerbang.test",
        "latitude": -0.6880,
        "longitude": 100.9520,
        "time_zone": TimeZone.WIB,
        # Kabupaten Sijunjung 1303, Dharmasraya 1310
        "area_codes": "1303,1310",
    },
    {
        "code": "bengkulu-selatan",
        "name_id": "Kantor Imigrasi Kelas III Non TPI Manna",
        "name_en": "Manna Class III Immigration Office",
        "office_class": OfficeClass.CLASS_III,
        "province": "Bengkulu",
        "regency": "Kabupaten Bengkulu Selatan",
        "address": "Jl. Affan Bachsin, Manna, Bengkulu Selatan, Bengkulu",
        "phone": "0739 7000 300",
        "email": "kanim.manna@gerbang.test",
        "latitude": -4.4590,
        "longitude": 102.9060,
        "time_zone": TimeZone.WIB,
        # Kabupaten Bengkulu Selatan 1701, Kaur 1704, Seluma 1705
        "area_codes": "1701,1704,1705",
    },
    {
        "code": "makassar",
        "name_id": "Kantor Imigrasi Kelas I TPI Makassar",
        "name_en": "Makassar Class I Immigration Office (port of entry)",
        "office_class": OfficeClass.CLASS_I_TPI,
        "province": "Sulawesi Selatan",
        "regency": "Kota Makassar",
        "address": "Jl. Perintis Kemerdekaan Km. 13, Makassar, Sulawesi Selatan",
        "phone": "0411 7000 400",
        "email": "kanim.makassar@gerbang.test",
        "latitude": -5.1030,
        "longitude": 119.4950,
        "time_zone": TimeZone.WITA,
        # Kota Makassar 7371, Kabupaten Gowa 7306, Maros 7309, Takalar 7305
        "area_codes": "7371,7306,7309,7305",
    },
    {
        "code": "jayapura",
        "name_id": "Kantor Imigrasi Kelas I TPI Jayapura",
        "name_en": "Jayapura Class I Immigration Office (port of entry)",
        "office_class": OfficeClass.CLASS_I_TPI,
        "province": "Papua",
        "regency": "Kota Jayapura",
        "address": "Jl. Percetakan Negara No. 15, Jayapura, Papua",
        "phone": "0967 7000 500",
        "email": "kanim.jayapura@gerbang.test",
        "latitude": -2.5330,
        "longitude": 140.7170,
        "time_zone": TimeZone.WIT,
        # Kota Jayapura 9171, Kabupaten Jayapura 9103, Keerom 9111 (Kemendagri codes, which a
        # NIK carries; BPS numbers Papua 94)
        "area_codes": "9171,9103,9111",
    },
]

# Monday to Thursday 08.00-16.00; Friday with the Friday-prayer break.
WEEKLY_HOURS = [(weekday, time(8, 0), time(16, 0)) for weekday in range(4)] + [
    (4, time(8, 0), time(11, 30)),
    (4, time(13, 0), time(16, 0)),
]

PASSPORT_SERVICES = ["paspor-biasa", "e-paspor", "paspor-penggantian", "paspor-hilang", "paspor-rusak"]
PORT_OFFICE_SERVICES = [
    *PASSPORT_SERVICES,
    "paspor-percepatan",
    "visa-kunjungan",
    "itas-baru",
    "itas-perpanjangan",
    "itap",
    "izin-masuk-kembali",
    "alih-status",
    "affidavit",
]
OFFICE_SERVICES = {
    "mesuji": PASSPORT_SERVICES,
    "sijunjung": PASSPORT_SERVICES,
    "bengkulu-selatan": PASSPORT_SERVICES,
    "makassar": PORT_OFFICE_SERVICES,
    "jayapura": PORT_OFFICE_SERVICES,
}

# National holidays and collective leave days of 2025 (the demo's past cases reach back into it)
# and 2026 (SKB 3 Menteri), and New Year 2027 so that service standards counted across the year end
# see it. Check against the decree in force.
HOLIDAYS: list[tuple[date, str, str, str]] = [
    (date(2025, 1, 1), HolidayKind.NATIONAL, "Tahun Baru 2025 Masehi", "New Year's Day"),
    (
        date(2025, 1, 27),
        HolidayKind.NATIONAL,
        "Isra Mikraj Nabi Muhammad SAW",
        "Ascension of the Prophet Muhammad",
    ),
    (
        date(2025, 1, 28),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Tahun Baru Imlek",
        "Collective leave for Chinese New Year",
    ),
    (date(2025, 1, 29), HolidayKind.NATIONAL, "Tahun Baru Imlek 2576 Kongzili", "Chinese New Year"),
    (
        date(2025, 3, 28),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Suci Nyepi",
        "Collective leave for Nyepi",
    ),
    (
        date(2025, 3, 29),
        HolidayKind.NATIONAL,
        "Hari Suci Nyepi (Tahun Baru Saka 1947)",
        "Nyepi, Day of Silence",
    ),
    (date(2025, 3, 31), HolidayKind.NATIONAL, "Idulfitri 1446 Hijriah", "Eid al-Fitr"),
    (date(2025, 4, 1), HolidayKind.NATIONAL, "Idulfitri 1446 Hijriah", "Eid al-Fitr"),
    (
        date(2025, 4, 2),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (
        date(2025, 4, 3),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (
        date(2025, 4, 4),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (
        date(2025, 4, 7),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (date(2025, 4, 18), HolidayKind.NATIONAL, "Wafat Yesus Kristus", "Good Friday"),
    (date(2025, 4, 20), HolidayKind.NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday"),
    (date(2025, 5, 1), HolidayKind.NATIONAL, "Hari Buruh Internasional", "International Labour Day"),
    (date(2025, 5, 12), HolidayKind.NATIONAL, "Hari Raya Waisak 2569 BE", "Vesak Day"),
    (
        date(2025, 5, 13),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Raya Waisak",
        "Collective leave for Vesak",
    ),
    (date(2025, 5, 29), HolidayKind.NATIONAL, "Kenaikan Yesus Kristus", "Ascension of Jesus Christ"),
    (
        date(2025, 5, 30),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Kenaikan Yesus Kristus",
        "Collective leave for Ascension Day",
    ),
    (date(2025, 6, 1), HolidayKind.NATIONAL, "Hari Lahir Pancasila", "Pancasila Day"),
    (date(2025, 6, 6), HolidayKind.NATIONAL, "Iduladha 1446 Hijriah", "Eid al-Adha"),
    (
        date(2025, 6, 9),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Iduladha",
        "Collective leave for Eid al-Adha",
    ),
    (date(2025, 6, 27), HolidayKind.NATIONAL, "Tahun Baru Islam 1447 Hijriah", "Islamic New Year"),
    (date(2025, 8, 17), HolidayKind.NATIONAL, "Hari Kemerdekaan Republik Indonesia", "Independence Day"),
    (
        date(2025, 8, 18),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Kemerdekaan",
        "Collective leave for Independence Day",
    ),
    (date(2025, 9, 5), HolidayKind.NATIONAL, "Maulid Nabi Muhammad SAW", "Birthday of the Prophet Muhammad"),
    (date(2025, 12, 25), HolidayKind.NATIONAL, "Hari Raya Natal", "Christmas Day"),
    (
        date(2025, 12, 26),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Raya Natal",
        "Collective leave for Christmas",
    ),
    (date(2026, 1, 1), HolidayKind.NATIONAL, "Tahun Baru 2026 Masehi", "New Year's Day"),
    (
        date(2026, 1, 16),
        HolidayKind.NATIONAL,
        "Isra Mikraj Nabi Muhammad SAW",
        "Ascension of the Prophet Muhammad",
    ),
    (
        date(2026, 2, 16),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Tahun Baru Imlek",
        "Collective leave for Chinese New Year",
    ),
    (date(2026, 2, 17), HolidayKind.NATIONAL, "Tahun Baru Imlek 2577 Kongzili", "Chinese New Year"),
    (
        date(2026, 3, 18),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Suci Nyepi",
        "Collective leave for Nyepi",
    ),
    (
        date(2026, 3, 19),
        HolidayKind.NATIONAL,
        "Hari Suci Nyepi (Tahun Baru Saka 1948)",
        "Nyepi, Day of Silence",
    ),
    (date(2026, 3, 20), HolidayKind.NATIONAL, "Idulfitri 1447 Hijriah", "Eid al-Fitr"),
    (date(2026, 3, 21), HolidayKind.NATIONAL, "Idulfitri 1447 Hijriah", "Eid al-Fitr"),
    (
        date(2026, 3, 23),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (
        date(2026, 3, 24),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Idulfitri",
        "Collective leave for Eid al-Fitr",
    ),
    (date(2026, 4, 3), HolidayKind.NATIONAL, "Wafat Yesus Kristus", "Good Friday"),
    (date(2026, 4, 5), HolidayKind.NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday"),
    (date(2026, 5, 1), HolidayKind.NATIONAL, "Hari Buruh Internasional", "International Labour Day"),
    (date(2026, 5, 14), HolidayKind.NATIONAL, "Kenaikan Yesus Kristus", "Ascension of Jesus Christ"),
    (
        date(2026, 5, 15),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Kenaikan Yesus Kristus",
        "Collective leave for Ascension Day",
    ),
    (date(2026, 5, 27), HolidayKind.NATIONAL, "Iduladha 1447 Hijriah", "Eid al-Adha"),
    (
        date(2026, 5, 28),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Iduladha",
        "Collective leave for Eid al-Adha",
    ),
    (date(2026, 5, 31), HolidayKind.NATIONAL, "Hari Raya Waisak 2570 BE", "Vesak Day"),
    (date(2026, 6, 1), HolidayKind.NATIONAL, "Hari Lahir Pancasila", "Pancasila Day"),
    (date(2026, 6, 16), HolidayKind.NATIONAL, "Tahun Baru Islam 1448 Hijriah", "Islamic New Year"),
    (date(2026, 8, 17), HolidayKind.NATIONAL, "Hari Kemerdekaan Republik Indonesia", "Independence Day"),
    (date(2026, 8, 25), HolidayKind.NATIONAL, "Maulid Nabi Muhammad SAW", "Birthday of the Prophet Muhammad"),
    (
        date(2026, 12, 24),
        HolidayKind.COLLECTIVE_LEAVE,
        "Cuti bersama Hari Raya Natal",
        "Collective leave for Christmas",
    ),
    (date(2026, 12, 25), HolidayKind.NATIONAL, "Hari Raya Natal", "Christmas Day"),
    (date(2027, 1, 1), HolidayKind.NATIONAL, "Tahun Baru 2027 Masehi", "New Year's Day"),
]


def load_services() -> list[Service]:
    services = []
    for spec in SERVICES:
        service = service_upsert(code=spec["code"], fields=spec["fields"], requirements=spec["requirements"])
        for terms in spec["terms"]:
            service_terms_set(service=service, **terms, actor=DEMO)
        services.append(service)
    return services


def load() -> list[Office]:
    for day, kind, name_id, name_en in HOLIDAYS:
        holiday_upsert(day=day, kind=kind, name_id=name_id, name_en=name_en)
    services = {service.code: service for service in load_services()}
    offices = []
    for spec in DEMO_OFFICES:
        office = office_upsert(**spec, actor=DEMO)
        opening_hours_set(actor=DEMO, office=office, periods=WEEKLY_HOURS)
        for code in OFFICE_SERVICES[office.code]:
            office_service_set(actor=DEMO, office=office, service=services[code])
        offices.append(office)
    sijunjung = next(o for o in offices if o.code == "sijunjung")
    office_service_set(
        actor=DEMO,
        office=sijunjung,
        service=services["e-paspor"],
        is_available=False,
        unavailable_reason_id="Blangko e-paspor sedang habis. Paspor biasa tetap dilayani.",
        unavailable_reason_en="The office has run out of e-passport blanks. Ordinary passports are still issued.",
        unavailable_until=date(2026, 12, 31),
    )
    return offices


demo.register("catalog", load, summary=lambda offices: f"{len(offices)} offices")
