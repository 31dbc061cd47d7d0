"""The risk flags' demo: a few months of ordinary applicants for the anomaly model to learn
"usual" from, and a few realistic suspicious cases among the demo's cases in the Mesuji queue,
so that `make run` shows flags with their reasons.

- **Ordinary applicants** (``BACKGROUND`` accounts) at the citizen offices, each with a case of
  their own (a fifth also with a child's), written like the applications' year of past cases
  (``applications.demo_history``: each with its steps as events), with the answers, minutes,
  days and hours real people take. The demo's
  own cases were made in an instant by a loader; they are given the few minutes a person takes
  (their ``created_at`` only), so that the model does not call every one of them unusual.
- **Suspicious cases**, made through the services as people would:
  1. one NIK under two names: "Dedi Kurniawan" applies with Agus Setiawan's NIK;
  2. one phone number for many applicants: five new accounts give the same number, each in a
     few minutes (a broker, a *calo*, filling forms for clients);
  3. a NIK whose birth date disagrees with the answers: asked to correct her date of birth,
     "Rina Marlina" typed a date her NIK does not carry;
  4. answers that disagree with the account: "Hendra Gunawan" applies for himself with a NIK
     and date of birth that are not his account's.
  Then the model is fitted and every open case scanned, the events go into the public log and
  the statistics count the new past cases.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gerbang.accounts.demo import DEMO_PASSWORD, demo_applicant
from gerbang.accounts.models import Role, User
from gerbang.analytics.risk import services
from gerbang.applications import numbers
from gerbang.applications import services as cases
from gerbang.applications.blind_indexes import subject_nik_index
from gerbang.applications.demo_history import STAFF_STEPS, handlers
from gerbang.applications.formspec import form_for
from gerbang.applications.models import Application
from gerbang.applications.slots import document_slots
from gerbang.applications.workflow import OPEN_STATES, State
from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import terms_in_force, working_calendar
from gerbang.core.actors import DEMO
from gerbang.core.crypto import blind_index
from gerbang.core.models import Event
from gerbang.core.pdf import render_pdf
from gerbang.payments.services import payment_record_counter

SUBJECT_TYPE = Application._meta.label_lower
SEED = 2121
# Ordinary applicants of the past months (the model needs at least ``model.MIN_TRAINING``).
BACKGROUND = 90
BACKGROUND_EMAIL = "warga.{n:03d}@gerbang.test"
BACKGROUND_OFFICES = ("mesuji", "sijunjung", "bengkulu-selatan", "makassar")
BACKGROUND_SERVICES = (("paspor-biasa", 5), ("e-paspor", 3), ("paspor-penggantian", 2))

MEN = ("Budi", "Agung", "Dwi", "Eko", "Fajar", "Hadi", "Imam", "Joko", "Rudi", "Slamet", "Teguh", "Wahyu")
WOMEN = (
    "Ayu",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Putri",
    "Ratna",
    "Sari",
    "Tuti",
    "Wulan",
    "Yuni",
)
FAMILIES = (
    "Saputra",
    "Hidayat",
    "Wijaya",
    "Susanto",
    "Nugroho",
    "Pratama",
    "Kusuma",
    "Santoso",
    "Lubis",
    "Siregar",
    "Nasution",
    "Putra",
)

# The suspicious cases' people: (email, name, sex, NIK, date of birth).
DEDI = ("dedi.kurniawan@gerbang.test", "Dedi Kurniawan", "M", "1811010502860005", "05/02/1986")
# What Dedi answers: Agus Setiawan's NIK (``applications.demo.OTHER_APPLICANTS``) and birth date.
DEDI_ANSWERS = ("1811011203850002", "12/03/1985")
BROKER_PHONE = "0857 7000 1234"
BROKER_CLIENTS = (
    ("klien.satu@gerbang.test", "Yusuf Maulana", "M", "1811052107880004", "21/07/1988"),
    ("klien.dua@gerbang.test", "Siti Nurhaliza", "F", "1811054902910006", "09/02/1991"),
    ("klien.tiga@gerbang.test", "Ahmad Fauzi", "M", "1812011506930002", "15/06/1993"),
    ("klien.empat@gerbang.test", "Dian Permata", "F", "1812016311950003", "23/11/1995"),
    ("klien.lima@gerbang.test", "Bayu Aji", "M", "1811050303900008", "03/03/1990"),
)
RINA = ("rina.marlina@gerbang.test", "Rina Marlina", "F", "1805016104930002", "21/04/1993")
RINA_CORRECTED_BIRTH = "21/04/1994"
HENDRA = ("hendra.gunawan@gerbang.test", "Hendra Gunawan", "M", "1811011008870003", "10/08/1987")
# What Hendra answers: his brother's NIK and birth date, under his own name.
HENDRA_ANSWERS = ("1811011405890001", "14/05/1989")
PLANTED = (DEDI, *BROKER_CLIENTS, RINA, HENDRA)
# Every account this demo makes (test_demo counts the demo's people).
PEOPLE = BACKGROUND + len(PLANTED)


def _name(generator: random.Random, sex: str) -> str:
    first = generator.choice(MEN if sex == "M" else WOMEN)
    return f"{first} {generator.choice(FAMILIES)}"


def _nik(area: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{area}01{day:02d}{born.month:02d}{born.year % 100:02d}{serial % 10000:04d}"


def _answers(name: str, sex: str, nik: str, born: str, phone: str, **extra: str) -> dict[str, str]:
    return {
        "full_name": name,
        "sex": sex,
        "date_of_birth": born,
        "place_of_birth": "Mesuji",
        "nik": nik,
        "mother_name": "Sri Wahyuni",
        "address": "Jl. Lintas Timur No. 40, RT 001/RW 003, Desa Brabasan, Kec. Tanjung Raya, Mesuji",
        "postal_code": "34598",
        "phone": phone,
        "purpose": "tourism",
        "previous_passport": "none",
        **extra,
    }


def _lognormal_minutes(generator: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(generator.gauss(0, sigma))


# When people submit online (office time): mornings and evenings, rarely at night.
HOURS = list(range(6, 24))
HOUR_WEIGHTS = [1, 2, 4, 6, 7, 7, 6, 5, 5, 5, 4, 4, 4, 5, 6, 6, 4, 2]


@dataclass
class _Past:
    """One ordinary past case being written: the case, and its steps (action, when, from, to)."""

    application: Application
    steps: list[tuple[str, datetime, str, str]] = field(default_factory=list)

    def step(self, action: str, when: datetime, target: State) -> None:
        self.steps.append((action, when, self.application.state, target.value))
        self.application.state = target
        self.application.state_changed_at = when


def _at(day: date, zone: ZoneInfo, minutes: float) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone) + timedelta(minutes=minutes)


def _lifecycle(past: _Past, calendar: Any, zone: ZoneInfo, now: datetime, generator: random.Random) -> bool:
    """The steps after submission, at the office's working hours; False when the case would
    still be open today (the demo's ordinary past cases are all finished)."""
    application = past.application
    submitted = application.submitted_at or now
    terms = application.terms
    roll = generator.random()
    if roll < 0.04:
        past.step("cancel", submitted + timedelta(minutes=generator.randint(5, 90)), State.CANCELLED)
        return True
    if roll < 0.10 and terms is not None:
        past.step(
            "expire", submitted + timedelta(hours=terms.payment_deadline_hours, minutes=5), State.EXPIRED
        )
        return True
    paid = submitted + timedelta(minutes=min(2 * 1440, _lognormal_minutes(generator, 180, 1.0)))
    past.step("record_payment", paid, State.PAID)
    paid_day = paid.astimezone(zone).date()
    standard = terms.standard_working_days if terms else 3
    application.due_date = calendar.add_working_days(paid_day, standard)
    checked = _at(
        calendar.next_working_day(paid_day + timedelta(days=1)), zone, 8 * 60 + 30 + generator.randint(0, 150)
    )
    past.step("start_verification", checked, State.IN_VERIFICATION)
    late = generator.random() < 0.1
    taken = standard + generator.randint(1, 5) if late else generator.randint(max(1, standard - 2), standard)
    decided = _at(calendar.add_working_days(paid_day, taken), zone, 10 * 60 + generator.randint(0, 300))
    if decided <= checked:
        decided = checked + timedelta(hours=3)
    if decided >= now:
        return False
    past.step("send_to_review", decided - timedelta(hours=2), State.IN_REVIEW)
    if generator.random() < 0.07:
        past.step("reject", decided, State.REJECTED)
        application.decided_at = decided
        return True
    past.step("approve", decided, State.APPROVED)
    application.decided_at = decided
    ready = _at(
        calendar.add_working_days(decided.astimezone(zone).date(), generator.randint(1, 2)),
        zone,
        9 * 60 + generator.randint(0, 360),
    )
    collected = ready + timedelta(days=generator.randint(1, 12), hours=1)
    if collected >= now:
        return False
    past.step("mark_ready", ready, State.READY_FOR_PICKUP)
    past.step("mark_collected", collected, State.COLLECTED)
    return True


def _background(now: datetime) -> list[Application]:
    """Ordinary applicants of the past months (``BACKGROUND`` accounts): each applies for
    themselves, a fifth also for a child or two, a few share a phone number with their spouse;
    each case written as the records of the past are (its steps as events), with its answers."""
    generator = random.Random(SEED)  # noqa: S311 - demo data, the same every time
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing ninety takes seconds
    span = max(45, min(150, settings.DEMO_HISTORY_MONTHS * 30))
    offices = list(Office.objects.filter(code__in=BACKGROUND_OFFICES).order_by("code"))
    services_by_code = {
        s.code: s for s in Service.objects.filter(code__in=[c for c, _w in BACKGROUND_SERVICES])
    }
    codes = [code for code, _w in BACKGROUND_SERVICES if code in services_by_code]
    weights = [w for code, w in BACKGROUND_SERVICES if code in services_by_code]
    first_day = (now - timedelta(days=span)).date()
    calendars = {office.pk: working_calendar(office, first_day, horizon_days=span + 60) for office in offices}
    days = [(now - timedelta(days=d)).date() for d in range(25, span)]
    day_weights = [0.5 if d.weekday() >= 5 else 1.0 for d in days]
    people: list[User] = []
    made: list[_Past] = []
    last_phone = ""
    for n in range(BACKGROUND):
        office = generator.choice(offices)
        zone = ZoneInfo(office.time_zone)
        areas = [a.strip() for a in (office.area_codes or "1811").split(",") if a.strip()]
        sex = generator.choice("MF")
        name = _name(generator, sex)
        born = date(generator.randint(1960, 2004), generator.randint(1, 12), generator.randint(1, 28))
        nik = _nik(generator.choice(areas), born, sex, 1000 + n)
        # A tenth share a phone number with the account before (a husband and wife).
        phone = (
            last_phone
            if last_phone and generator.random() < 0.1
            else f"08{generator.randint(11, 59)}{generator.randint(1000000, 9999999)}"
        )
        last_phone = phone
        day = generator.choices(days, day_weights)[0]
        hour = generator.choices(HOURS, HOUR_WEIGHTS)[0]
        submitted = _at(day, zone, hour * 60 + generator.randint(0, 59))
        fill = _lognormal_minutes(generator, 30, 0.7)
        if generator.random() < 0.1:
            fill += generator.uniform(120, 3 * 1440)  # came back to the draft later
        account_minutes = fill + (
            0 if generator.random() < 0.2 else _lognormal_minutes(generator, 200 * 1440, 1.0)
        )
        person = User(
            email=BACKGROUND_EMAIL.format(n=n + 1),
            full_name=name,
            role=Role.APPLICANT,
            password=password,
            email_verified_at=now,
            date_joined=submitted - timedelta(minutes=account_minutes),
            date_of_birth=born,
            sex=sex,
            nationality="ID",
            phone=phone,
            nik=nik,
            nik_index=blind_index(nik, purpose="nik"),
        )
        people.append(person)
        subjects = [(name, sex, nik, born, False)]
        if generator.random() < 0.2:
            for child in range(generator.choice((1, 1, 2))):
                child_sex = generator.choice("MF")
                child_born = date(
                    generator.randint(2010, 2018), generator.randint(1, 12), generator.randint(1, 28)
                )
                child_name = f"{generator.choice(MEN if child_sex == 'M' else WOMEN)} {name.split()[-1]}"
                child_nik = _nik(generator.choice(areas), child_born, child_sex, 5000 + 3 * n + child)
                subjects.append((child_name, child_sex, child_nik, child_born, True))
        for index, (subject, subject_sex, subject_nik, subject_born, for_child) in enumerate(subjects):
            service = services_by_code[generator.choices(codes, weights)[0]]
            terms = terms_in_force(service, day)
            if terms is None:
                continue
            at = submitted + timedelta(minutes=index * (fill + generator.randint(5, 40)))
            born_text = f"{subject_born.day:02d}/{subject_born.month:02d}/{subject_born.year}"
            answers = _answers(subject, subject_sex, subject_nik, born_text, phone)
            if service.code == "paspor-penggantian":
                answers.pop("previous_passport")
            application = Application(
                number=numbers.new_number(office_code=office.code, year=day.year),
                applicant=person,
                for_child=for_child,
                office=office,
                service=service,
                form_key=form_for(service.code, service.audience).key,
                state=State.DRAFT,
                answers=answers,
                subject_nik_index=subject_nik_index(answers),
                terms=terms,
                fee=terms.fee,
                submitted_at=at,
                declared_at=at,
                created_at=at - timedelta(minutes=fill if index == 0 else generator.randint(5, 40)),
            )
            past = _Past(application)
            past.step("submit", at, State.SUBMITTED)
            if _lifecycle(past, calendars[office.pk], zone, now, generator):
                made.append(past)
    User.objects.bulk_create(people, batch_size=200)  # their ids are set: the cases' links follow
    # The office's demo officers took the officers' steps, as in the applications' history.
    handled_by = handlers([(past.application, [a for a, *_rest in past.steps]) for past in made], SEED + 1)
    Application.objects.bulk_create([past.application for past in made], batch_size=200)
    Event.objects.bulk_create(
        [
            Event(
                code=f"application.{action}",
                actor=handler,
                subject_type=SUBJECT_TYPE,
                subject_id=str(past.application.pk),
                office_id=past.application.office_id,
                details={
                    "from": source,
                    "to": target,
                    "reason_code": "data_mismatch" if action == "reject" else "",
                    "public": True,
                    **({} if handler is not None else {"system": "demo"}),
                },
                created_at=when,
            )
            for past, handler_of_case in zip(made, handled_by, strict=True)
            for action, when, source, target in past.steps
            for handler in [handler_of_case if action in STAFF_STEPS else None]
        ],
        batch_size=1000,
    )
    return [past.application for past in made]


def _specimen(label: str, holder: str, variant: int) -> bytes:
    """A specimen scan of one person's document (each person's file differs from the others')."""
    return render_pdf("applications/demo_document.html", {"label": f"{label} · {holder} · {variant}"})


def _person(email: str, name: str, sex: str, nik: str, born: str, *, joined_minutes_ago: float) -> User:
    person = demo_applicant(email=email, name=name, sex=sex, nik=nik, born=born)
    User.objects.filter(pk=person.pk).update(
        date_joined=timezone.now() - timedelta(minutes=joined_minutes_ago)
    )
    person.refresh_from_db()
    return person


def _apply(person: User, office: Office, answers: dict[str, str], *, fill_minutes: float) -> Application:
    application = cases.application_start(
        applicant=person, service=Service.objects.get(code="paspor-biasa"), office=office, for_child=False
    )
    cases.application_save_answers(application=application, values=answers, actor=person)
    application.refresh_from_db()
    for index, slot in enumerate(document_slots(application)):
        cases.document_upload(
            application=application,
            slot=slot.key,
            upload=io.BytesIO(_specimen(str(slot.label), person.full_name, index)),
            file_name="scan.pdf",
            actor=person,
        )
    # The minutes the person took (the loader takes none).
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(minutes=fill_minutes)
    )
    application.refresh_from_db()
    return cases.application_submit(application=application, declaration=True, actor=person)


def _to_verification(application: Application, officer: User) -> Application:
    paid = payment_record_counter(
        application=application,
        receipt_number=f"DEMO-R{application.pk:05d}",
        amount=application.fee or 0,
        paid_on=timezone.localdate(),
        actor=officer,
        expected_version=application.version,
    )
    return cases.application_transition(
        application=paid, action="start_verification", actor=officer, expected_version=paid.version
    )


def _suspicious(mesuji: Office, officer: User) -> list[Application]:
    made = []
    # 1. One NIK under two names.
    email, name, sex, nik, born = DEDI
    dedi = _person(email, name, sex, nik, born, joined_minutes_ago=40)
    stolen_nik, stolen_born = DEDI_ANSWERS
    answers = _answers(name, sex, stolen_nik, stolen_born, "0812 9876 5432")
    made.append(_to_verification(_apply(dedi, mesuji, answers, fill_minutes=12), officer))
    # 2. Five new accounts on one phone number, each form filled in a few minutes.
    for index, (email, name, sex, nik, born) in enumerate(BROKER_CLIENTS):
        client = _person(email, name, sex, nik, born, joined_minutes_ago=30 + 9 * index)
        case = _apply(
            client, mesuji, _answers(name, sex, nik, born, BROKER_PHONE), fill_minutes=2 + index % 3
        )
        made.append(_to_verification(case, officer) if index < 2 else case)
    # 3. A corrected date of birth that the NIK does not carry.
    email, name, sex, nik, born = RINA
    rina = _person(email, name, sex, nik, born, joined_minutes_ago=60 * 24 * 300)
    case = _to_verification(
        _apply(rina, mesuji, _answers(name, sex, nik, born, "0813 5555 0101"), fill_minutes=35), officer
    )
    case = cases.corrections_request(
        application=case,
        items=[
            cases.CorrectionItem(
                "field",
                "date_of_birth",
                "Tanggal lahir berbeda dengan akta kelahiran; periksa lagi. / The date of birth differs from the birth certificate; check it again.",
            )
        ],
        actor=officer,
        expected_version=case.version,
    )
    cases.application_save_answers(
        application=case, values={"date_of_birth": RINA_CORRECTED_BIRTH}, actor=rina, step="identity"
    )
    made.append(case)
    # 4. Applying for himself with a NIK and birth date that are not his account's.
    email, name, sex, nik, born = HENDRA
    hendra = _person(email, name, sex, nik, born, joined_minutes_ago=60 * 24 * 90)
    other_nik, other_born = HENDRA_ANSWERS
    answers = _answers(name, sex, other_nik, other_born, "0812 7777 3131")
    made.append(_to_verification(_apply(hendra, mesuji, answers, fill_minutes=25), officer))
    return made


def _minutes_like_people(now: datetime) -> None:
    """The demo's other cases were started and submitted in the same instant; give each the few
    minutes a person takes (deterministic by id), so the model judges them as people's cases."""
    instant = Application.objects.exclude(state=State.DRAFT).filter(
        submitted_at__isnull=False, submitted_at__gte=now - timedelta(days=1)
    )
    for pk, submitted, created in instant.values_list("pk", "submitted_at", "created_at"):
        if submitted is not None and submitted - created < timedelta(minutes=1):
            minutes = 15 + (pk * 37) % 40
            Application.objects.filter(pk=pk).update(created_at=submitted - timedelta(minutes=minutes))


@transaction.atomic
def load() -> int:
    """Load once (when Dedi's account does not exist yet); returns the flags open afterwards."""
    from gerbang.ledger.demo import demo_witness_cosign
    from gerbang.ledger.services import log_integrate
    from gerbang.transparency.services import case_day_stale, figures_refresh

    if User.objects.filter(email=DEDI[0]).exists():
        return 0
    now = timezone.now()
    background = _background(now)
    _minutes_like_people(now)
    mesuji = Office.objects.get(code="mesuji")
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    _suspicious(mesuji, officer)
    services.fingerprints_refresh(
        applications=list(
            Application.objects.exclude(state=State.DRAFT).select_related("applicant", "office")
        )
    )
    services.risk_model_fit(actor=DEMO)
    model = services.current_model()
    for application in Application.objects.filter(state__in=OPEN_STATES):
        services.risk_case_scan(
            application=application, actor=DEMO, model=model, use_current_model=False, refresh=False
        )
    # The statistics count the new past cases: only the office days their steps fell on.
    steps = Event.objects.filter(
        subject_type=SUBJECT_TYPE, subject_id__in=[str(a.pk) for a in background]
    ).values_list("subject_id", "created_at")
    by_pk = {str(a.pk): a for a in background}
    for subject_id, at in steps:
        case_day_stale(by_pk[subject_id], at)
    while figures_refresh(actor=DEMO):
        pass
    # Into the public log at once, as the ledger's own demo loader does, and cosigned by its
    # demo witness (the checkpoint it cosigned before is no longer the latest).
    log_integrate(actor=DEMO)
    demo_witness_cosign()
    from gerbang.analytics.models import FlagStatus, RiskFlag

    return RiskFlag.objects.filter(status=FlagStatus.OPEN).count()


def summary(flags: Any) -> str:
    return f"{flags} risk flags open"
