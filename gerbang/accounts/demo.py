"""Demo accounts, one per role; the README lists them. Never loaded in production."""

from __future__ import annotations

import base64
from datetime import date, datetime

from gerbang.accounts.models import Role, User
from gerbang.accounts.services import account_provision, profile_update
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.notifications.demo import sign_up_demo_phone

DEMO_PASSWORD = "gerbang-demo-2026"
# The account the other demo loaders act as when they set offices up through the services.
DEMO_ADMINISTRATOR = "admin.nasional@gerbang.test"
# Shared TOTP secret of the demo staff accounts (hex, as django-otp stores it). Add it to an
# authenticator app with the base32 form in the README, or print the current code with
# `make demo-totp`.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def demo_totp_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


DEMO_ACCOUNTS: list[dict[str, object]] = [
    {"email": "pemohon@gerbang.test", "full_name": "Siti Rahmawati", "role": Role.APPLICANT, "offices": []},
    {
        "email": "petugas.mesuji@gerbang.test",
        "full_name": "Andi Pratama",
        "role": Role.OFFICER,
        "offices": ["mesuji"],
    },
    {
        "email": "supervisor.mesuji@gerbang.test",
        "full_name": "Dewi Lestari",
        "role": Role.SUPERVISOR,
        "offices": ["mesuji"],
    },
    {
        "email": "admin.mesuji@gerbang.test",
        "full_name": "Budi Santoso",
        "role": Role.OFFICE_ADMIN,
        "offices": ["mesuji", "sijunjung"],
    },
    {
        "email": "petugas.makassar@gerbang.test",
        "full_name": "Andi Nurhaliza",
        "role": Role.OFFICER,
        "offices": ["makassar"],
    },
    {
        "email": DEMO_ADMINISTRATOR,
        "full_name": "Rina Wulandari",
        "role": Role.NATIONAL_ADMIN,
        "offices": [],
    },
    {"email": "auditor@gerbang.test", "full_name": "Hendra Gunawan", "role": Role.AUDITOR, "offices": []},
    {
        "email": "mitra.dukcapil@gerbang.test",
        "full_name": "Dukcapil (API)",
        "role": Role.PARTNER_API,
        "offices": [],
    },
]


def demo_applicant(*, email: str, name: str, sex: str, nik: str, born: str, phone: str = "") -> User:
    """An applicant of the demo with the demo password and a complete profile (``born``:
    DD/MM/YYYY), as the apps' demo loaders make them."""
    person = account_provision(
        email=email, full_name=name, role=Role.APPLICANT, password=DEMO_PASSWORD, actor=DEMO
    )
    profile_update(
        user=person,
        full_name=name,
        date_of_birth=datetime.strptime(born, "%d/%m/%Y").date(),  # noqa: DTZ007 - a calendar date
        sex=sex,
        nationality="ID",
        phone=phone,
        nik=nik,
    )
    return person


def load() -> list[User]:
    office_ids = dict(Office.objects.values_list("code", "pk"))
    users = []
    for account in DEMO_ACCOUNTS:
        role = str(account["role"])
        staff = role not in {Role.APPLICANT, Role.PARTNER_API}
        user = account_provision(
            actor=DEMO,
            email=str(account["email"]),
            full_name=str(account["full_name"]),
            role=role,
            password=DEMO_PASSWORD,
            office_ids=[office_ids[code] for code in account["offices"]],  # type: ignore[attr-defined]
            totp_key=DEMO_TOTP_KEY if staff else None,
        )
        users.append(user)
    applicant = users[0]
    profile_update(
        user=applicant,
        full_name=applicant.full_name,
        date_of_birth=date(1990, 8, 17),
        sex="F",
        nationality="ID",
        phone="0812 3456 7890",
        nik="1811015708900001",
    )
    sign_up_demo_phone(applicant)
    return users


demo.register("accounts", load, after=["catalog"], summary=lambda users: f"{len(users)} accounts")
