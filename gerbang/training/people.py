"""The training office's synthetic people: obviously not real, and unreachable.

Every address is under ``core.training.SYNTHETIC_EMAIL_DOMAIN`` (the reserved ``.example``
top-level domain, RFC 2606), so nothing sent to them can leave the system
(``notifications`` gives such an address the in-app inbox only). Every name says "Latihan"
(training). The NIKs have the structure python-stdnum checks (a real region code, the birth
date, sex) because the forms check it, and serial numbers from 9901 up, which the civil
registry does not hand out in the demo's small regencies; they are never sent to a partner
agency (``integrations`` leaves the training office's cases alone).
"""

from __future__ import annotations

from dataclasses import dataclass

from gerbang.accounts.models import Role
from gerbang.core.training import SYNTHETIC_EMAIL_DOMAIN


def synthetic_email(local: str) -> str:
    return f"{local}@{SYNTHETIC_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Staff:
    local: str
    full_name: str
    role: str


@dataclass(frozen=True)
class Applicant:
    local: str
    full_name: str
    sex: str
    nik: str
    born: str  # DD/MM/YYYY


# The synthetic staff who made the cases (each action's actor on the timelines); they cannot
# sign in (a random password nobody knows).
STAFF = (
    Staff("petugas", "Petugas Latihan", Role.OFFICER),
    Staff("supervisor", "Supervisor Latihan", Role.SUPERVISOR),
    Staff("admin", "Admin Latihan", Role.OFFICE_ADMIN),
)

# One applicant per case of the set (``cases.STAGES``).
APPLICANTS = (
    Applicant("ani", "Ani Latihan", "F", "1811014101909901", "01/01/1990"),
    Applicant("budi", "Budi Latihan", "M", "1811010202859902", "02/02/1985"),
    Applicant("citra", "Citra Latihan", "F", "1811014303929903", "03/03/1992"),
    Applicant("dodi", "Dodi Latihan", "M", "1811010404889904", "04/04/1988"),
    Applicant("eka", "Eka Latihan", "F", "1811014505959905", "05/05/1995"),
    Applicant("fajar", "Fajar Latihan", "M", "1811010606809906", "06/06/1980"),
    Applicant("gita", "Gita Latihan", "F", "1811014707979907", "07/07/1997"),
    Applicant("hadi", "Hadi Latihan", "M", "1811010808879908", "08/08/1987"),
    Applicant("indah", "Indah Latihan", "F", "1811014909919909", "09/09/1991"),
)

PHONE = "0812 0000 0000"
