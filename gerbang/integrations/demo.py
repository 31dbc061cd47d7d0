"""The demo's partner agencies: the civil registry, the police and the foreign ministry, with
their grants; when the partner simulators run (`make run` starts them), their keys, Gerbang's
key given to them, the demo's citizens in the simulated registry, and three paid cases: one whose
identity check was answered (a field does not match), one whose applicant declared a service
passport the foreign ministry has issued, and one that waits because the civil registry is down
(bring it back up at /simulator/partners/ and the case goes on by itself)."""

from __future__ import annotations

import sys
from typing import Any

import httpx
from django.conf import settings

from gerbang.accounts.demo import DEMO_PASSWORD
from gerbang.accounts.models import Role, User
from gerbang.accounts.services import account_provision
from gerbang.applications import demo as case_demo
from gerbang.applications.models import Application
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core import exchange_protocol as protocol
from gerbang.core.actors import DEMO
from gerbang.integrations import checks, keys, services
from gerbang.integrations.models import Agency, CheckKind, CheckStatus, ExternalCheck, InboundService

AGENCIES = (
    ("dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil (Dukcapil)"),
    ("polri", "Kepolisian Negara Republik Indonesia (Polri)"),
    ("kemlu", "Kementerian Luar Negeri (Kemlu)"),
)
# The police may ask whether a passport was reported lost or replaced (UU 2/2002 on the police,
# Pasal 14 ayat (1) huruf g: investigating offences); the foreign ministry is granted nothing
# inbound, so its questions are refused (the simulator page shows it).
POLICE_BASIS = "UU 2/2002 Pasal 14 ayat (1) huruf g"

# More citizens of Mesuji: one whose birth place the registry holds otherwise, a regency official
# who holds a service passport besides the ordinary one he applies for, and one whose case waits
# for the civil registry.
MISMATCHED = ("sari.handayani@gerbang.test", "Sari Handayani", "F", "1811014411940005", "04/11/1994")
OFFICIAL = ("rudi.hartono@gerbang.test", "Rudi Hartono", "M", "1811011203750007", "12/03/1975")
OFFICIAL_REQUEST = "PD-2026-004512"
WAITING = ("bambang.sutrisno@gerbang.test", "Bambang Sutrisno", "M", "1811010207800006", "02/07/1980")


def _simulator(path: str, data: Any = None) -> Any:
    base = settings.PARTNER_SIMULATOR_URL.rstrip("/")
    with httpx.Client(timeout=5) as client:
        response = (
            client.post(f"{base}{path}", json=data) if data is not None else client.get(f"{base}{path}")
        )
        response.raise_for_status()
        return response.json()


def _registry_person(answers: dict[str, Any]) -> dict[str, str]:
    payload, _fields = checks.BY_KIND[CheckKind.IDENTITY].payload_of(answers)
    return dict(payload["fields"])


# Each their own phone (the demo applicant's would flag them all as sharing one).
PHONES = {
    MISMATCHED[0]: "0813 7001 2201",
    OFFICIAL[0]: "0813 7001 2202",
    WAITING[0]: "0813 7001 2203",
}


def _paid_case(email: str, name: str, sex: str, nik: str, born: str, **extra: str) -> Application:
    person = account_provision(
        email=email, full_name=name, role=Role.APPLICANT, password=DEMO_PASSWORD, actor=DEMO
    )
    existing = person.applications.first()
    if existing is not None:
        return existing
    mesuji = Office.objects.get(code="mesuji")
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    answers = case_demo.demo_answers(name, sex, nik, born, phone=PHONES[email], **extra)
    return case_demo.paid_case(person, "paspor-biasa", mesuji, answers, officer)


def load() -> int:
    """The agencies and their checks; then, as the ledger's own demo loader does, their events
    into the public log at once, cosigned by its demo witness."""
    from gerbang.ledger.demo import demo_witness_cosign
    from gerbang.ledger.services import log_integrate

    answered = _load()
    log_integrate(actor=DEMO)
    demo_witness_cosign()
    return answered


def _load() -> int:
    for code, name in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name})
    police = Agency.objects.get(code="polri")
    if not police.grants.filter(revoked_at__isnull=True).exists():
        services.grant_set(
            agency=police,
            service=InboundService.PASSPORT_CANCELLATION,
            legal_basis=POLICE_BASIS,
            per_minute=30,
            actor=DEMO,
        )
    if not settings.PARTNER_SIMULATOR_URL:
        return _answered()
    try:
        published = _simulator("/keys")
    except httpx.HTTPError as error:
        print(
            f"The partner simulators do not answer ({error}); the demo's agencies get no keys.",
            file=sys.stderr,
        )
        return _answered()
    base = settings.PARTNER_SIMULATOR_URL.rstrip("/")
    for code, name in AGENCIES:
        agency = services.agency_register(code=code, name=name, base_url=f"{base}/{code}", actor=DEMO)
        key = published[code]
        if not agency.keys.filter(key_id=key["key_id"]).exists():
            for old in agency.keys.filter(retired_at__isnull=True):
                services.agency_key_retire(key=old, actor=DEMO)  # the simulator's state was reset
            services.agency_key_add(agency=agency, key_id=key["key_id"], public_pem=key["pem"], actor=DEMO)
    _simulator("/_control/clients", {keys.own_key_id(): protocol.public_pem(keys.own_key())})
    # The registry knows the demo's citizens as they applied; Sari Handayani was born elsewhere.
    people = {}
    for application in Application.objects.exclude(number=None).only("answers"):
        answers = application.answers
        nik = str(answers.get("nik", "")).replace(" ", "")
        if len(nik) == 16 and nik.isdigit():
            people[nik] = _registry_person(answers)
    for _email, name, sex, nik, born in (MISMATCHED, OFFICIAL, WAITING):
        people[nik] = _registry_person(case_demo.demo_answers(name, sex, nik, born))
    people[MISMATCHED[3]]["place_of_birth"] = "Bandar Lampung"
    _simulator("/_control/people", people)
    # The police list someone of Sari Handayani's name, born otherwise: a possible hit to resolve.
    _simulator(
        "/_control/watchlist",
        [
            {
                "full_name": "Sari Handayani",
                "date_of_birth": "1971-05-20",
                "reference": "DPO/0412/XI/2026/Reskrim",
            }
        ],
    )
    _simulator("/_control/sponsors", {"PT Sinar Mesuji Lestari": "good", "CV Angin Timur": "suspended"})
    _simulator(
        "/_control/official-passports",
        {OFFICIAL_REQUEST: {"nik": OFFICIAL[3], "type": "service", "status": "issued"}},
    )
    if not Application.objects.filter(applicant__email=WAITING[0]).exists():
        _simulator("/_control/dukcapil/mode", {"mode": "up"})
        checks.checks_run_for(_paid_case(*MISMATCHED).pk)
        official = _paid_case(
            *OFFICIAL, official_passport="service", official_passport_request=OFFICIAL_REQUEST
        )
        checks.checks_run_for(official.pk)
        _simulator("/_control/dukcapil/mode", {"mode": "down"})
        checks.checks_run_for(_paid_case(*WAITING).pk)
    return _answered()


def _answered() -> int:
    return ExternalCheck.objects.filter(status=CheckStatus.ANSWERED).count()


def summary(answered: int) -> str:
    return f"{answered} checks with partner agencies answered"


# Last: the other apps' demo cases were paid before the agencies were connected (their cases
# would otherwise wait for the civil registry), and the checks are today's, after the history.
demo.register(
    "integrations", load, after=["applications", "payments", "accounts", "analytics"], summary=summary
)
