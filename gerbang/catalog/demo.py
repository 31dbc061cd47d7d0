"""Demo offices: the regencies DESIGN.md names, plus one office in WITA and one in WIT.

Illustrative data for development and demonstrations, not an official office register.
"""

from __future__ import annotations

from gerbang.catalog.models import Office, TimeZone
from gerbang.catalog.services import office_upsert

DEMO_OFFICES = [
    {
        "code": "mesuji",
        "name": "Kantor Imigrasi Kelas III Non TPI Mesuji",
        "province": "Lampung",
        "regency": "Kabupaten Mesuji",
        "address": "Jl. Lintas Timur Sumatera, Simpang Pematang, Mesuji, Lampung",
        "time_zone": TimeZone.WIB,
    },
    {
        "code": "sijunjung",
        "name": "Kantor Imigrasi Kelas III Non TPI Sijunjung",
        "province": "Sumatera Barat",
        "regency": "Kabupaten Sijunjung",
        "address": "Jl. Prof. M. Yamin, Muaro Sijunjung, Sumatera Barat",
        "time_zone": TimeZone.WIB,
    },
    {
        "code": "bengkulu-selatan",
        "name": "Kantor Imigrasi Kelas III Non TPI Manna",
        "province": "Bengkulu",
        "regency": "Kabupaten Bengkulu Selatan",
        "address": "Jl. Affan Bachsin, Manna, Bengkulu Selatan, Bengkulu",
        "time_zone": TimeZone.WIB,
    },
    {
        "code": "makassar",
        "name": "Kantor Imigrasi Kelas I TPI Makassar",
        "province": "Sulawesi Selatan",
        "regency": "Kota Makassar",
        "address": "Jl. Perintis Kemerdekaan Km. 13, Makassar, Sulawesi Selatan",
        "time_zone": TimeZone.WITA,
    },
    {
        "code": "jayapura",
        "name": "Kantor Imigrasi Kelas I TPI Jayapura",
        "province": "Papua",
        "regency": "Kota Jayapura",
        "address": "Jl. Percetakan Negara No. 15, Jayapura, Papua",
        "time_zone": TimeZone.WIT,
    },
]


def load() -> list[Office]:
    return [office_upsert(**office) for office in DEMO_OFFICES]
