"""Demo cases, so every screen has something to show: the demo applicant's cases in several
states, and a few more applicants' cases in the Mesuji officers' queue. Loaded once (when the
demo applicant has no application yet), always through the services."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db import transaction

from gerbang.accounts.demo import demo_applicant
from gerbang.accounts.models import User
from gerbang.applications import demo_history, selectors, services
from gerbang.applications.models import Application, AssistedIntake
from gerbang.applications.slots import document_slots
from gerbang.catalog.models import Office, Service
from gerbang.core import demo
from gerbang.core.pdf import render_pdf

# The machine-readable lines of Siti Rahmawati's previous passport (a specimen: the number
# belongs to nobody), with correct ICAO check digits.
SITI_MRZ = "P<IDNRAHMAWATI<<SITI<<<<<<<<<<<<<<<<<<<<<<<<\nB1234567<3IDN9008179F2605018<<<<<<<<<<<<<<02"

OTHER_APPLICANTS = [
    ("warga.satu@gerbang.test", "Agus Setiawan", "M", "1811011203850002", "12/03/1985"),
    ("warga.dua@gerbang.test", "Nur Aini", "F", "1811016506920003", "25/06/1992"),
]


def _answers(name: str, sex: str, nik: str, born: str, **extra: str) -> dict[str, str]:
    return {
        "full_name": name,
        "sex": sex,
        "date_of_birth": born,
        "place_of_birth": "Mesuji",
        "nik": nik,
        # Issued in Mesuji on 20 January 2010 (the demo's families share it; the form asks it
        # optionally, and the civil registry compares it).
        "family_card": "1811012001100003",
        "mother_name": "Sri Wahyuni",
        "address": "Jl. Lintas Timur No. 12, RT 002/RW 001, Desa Brabasan, Kec. Tanjung Raya, Mesuji",
        "postal_code": "34598",
        "phone": "0812 3456 7890",
        "purpose": "tourism",
        "previous_passport": "none",
        **extra,
    }


@lru_cache(maxsize=64)
def _specimen(label: str) -> bytes:
    """A specimen scan; the same label gives the same file, so each is rendered once."""
    return render_pdf("applications/demo_document.html", {"label": label})


def _fill(application: Application, who: User, answers: dict[str, str]) -> Application:
    services.application_save_answers(application=application, values=answers, actor=who)
    application.refresh_from_db()
    for slot in document_slots(application):
        services.document_upload(
            application=application,
            slot=slot.key,
            # Each person's scans are their own (one file in two people's cases is a risk flag).
            upload=io.BytesIO(_specimen(f"{slot.label} · {answers.get('full_name', '')}")),
            file_name="scan.pdf",
            actor=who,
        )
    application.refresh_from_db()
    return application


def _start(
    who: User, code: str, office: Office, answers: dict[str, str], *, for_child: bool = False
) -> Application:
    application = services.application_start(
        applicant=who, service=Service.objects.get(code=code), office=office, for_child=for_child
    )
    return _fill(application, who, answers)


def _submit(application: Application) -> Application:
    return services.application_submit(application=application, declaration=True, actor=application.applicant)


# The demo's cases are paid at a bank counter, which payments records: payments hands its service
# over when it is ready (applications knows no payments).
CounterPayment = Callable[..., Application]
_record_counter_payment: CounterPayment | None = None


def counter_payments_from(record: CounterPayment) -> None:
    """Called once, when the payments app is ready."""
    global _record_counter_payment
    _record_counter_payment = record


def _pay(application: Application, officer: User) -> Application:
    if _record_counter_payment is None:
        raise RuntimeError("the demo's cases need the payments app to pay their fees")
    return _record_counter_payment(
        application=application,
        receipt_number=f"DEMO-{application.pk:05d}",
        amount=application.fee or 0,
        paid_on=selectors.office_today(application),
        actor=officer,
        expected_version=application.version,
    )


def _act(application: Application, action: str, actor: User, **kwargs: Any) -> Application:
    return services.application_transition(
        application=application, action=action, actor=actor, expected_version=application.version, **kwargs
    )


def _verify_all(application: Application, officer: User) -> Application:
    for document in application.documents.filter(is_current=True):
        services.document_verify(
            document=document,
            actor=officer,
            expected_version=Application.objects.get(pk=application.pk).version,
        )
    return Application.objects.get(pk=application.pk)


def demo_answers(name: str, sex: str, nik: str, born: str, **extra: str) -> dict[str, str]:
    """A Mesuji citizen's answers to a passport form, for other apps' demo cases."""
    return _answers(name, sex, nik, born, **extra)


def paid_case(who: User, code: str, office: Office, answers: dict[str, str], officer: User) -> Application:
    """A case filled, submitted and paid at the bank counter (for other apps' demo cases)."""
    return _pay(_submit(_start(who, code, office, answers)), officer)


# The walk-in person of the demo's assisted application: no email address, a mobile phone.
ASSISTED_PERSON = "Sutrisno"


def _signature() -> str:
    """A signature as the pad sends it (a PNG data URL), drawn here."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).line(
        [(40, 150), (120, 60), (170, 140), (240, 50), (300, 150), (420, 90), (560, 110)],
        fill="black",
        width=5,
    )
    out = io.BytesIO()
    picture.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def load_assisted(office: Office, officer: User) -> Application | None:
    """An assisted application: an officer of Mesuji entered it for a walk-in farmer without an
    email address, who has not taken it over yet (``manage.py demo_takeover_code`` prints the
    code of the printed summary)."""
    if AssistedIntake.objects.exists():
        return None
    application = services.assisted_application_start(
        officer=officer,
        office=office,
        service=Service.objects.get(code="paspor-biasa"),
        full_name=ASSISTED_PERSON,
        phone="0812 7000 1234",
        email="",
        language="id",
        consent=services.consent_evidence(method="signature", signature=_signature()),
    )
    answers = _answers(ASSISTED_PERSON, "M", "1811010507780001", "05/07/1978", phone="0812 7000 1234")
    _fill(application, officer, answers)
    return services.assisted_application_submit(application=application, declaration=True, actor=officer)


@transaction.atomic
def load() -> int:
    demo_history.load()  # a year of past cases first, for the statistics
    load_assisted(Office.objects.get(code="mesuji"), User.objects.get(email="petugas.mesuji@gerbang.test"))
    siti = User.objects.get(email="pemohon@gerbang.test")
    if siti.applications.exists():
        return 0
    mesuji = Office.objects.get(code="mesuji")
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    supervisor = User.objects.get(email="supervisor.mesuji@gerbang.test")
    siti_answers = _answers("Siti Rahmawati", "F", "1811015708900001", "17/08/1990")

    # 1. Submitted today, waiting for the fee.
    _submit(_start(siti, "paspor-biasa", mesuji, siti_answers))

    # 2. Her son's first passport: paid, an officer is checking it.
    son = _answers("Rizky Pratama", "M", "1811011403150004", "14/03/2015", mother_name="Siti Rahmawati")
    child = _pay(_submit(_start(siti, "paspor-biasa", mesuji, son, for_child=True)), officer)
    _act(child, "start_verification", officer)

    # 3. A replacement with the old passport's lines: the officer asked for a better scan.
    renewal = _pay(
        _submit(
            _start(
                siti,
                "paspor-penggantian",
                mesuji,
                {k: v for k, v in siti_answers.items() if k != "previous_passport"}
                | {"old_passport_number": "B1234567", "mrz": SITI_MRZ},
            )
        ),
        officer,
    )
    renewal = _act(renewal, "start_verification", officer)
    first_slot = document_slots(renewal)[0]
    services.corrections_request(
        application=renewal,
        items=[
            services.CorrectionItem(
                "document",
                first_slot.key,
                "Pindaian buram; unggah ulang dengan resolusi lebih tinggi. / The scan is blurred; upload it again at a higher resolution.",
            )
        ],
        actor=officer,
        expected_version=renewal.version,
    )

    # 4. A draft she has not finished.
    draft = services.application_start(
        applicant=siti, service=Service.objects.get(code="paspor-hilang"), office=mesuji, for_child=False
    )
    services.application_save_answers(
        application=draft, values={"loss_date": "01/11/2026"}, actor=siti, step="travel"
    )

    # 5. Her e-passport: documents verified, she is to book the interview.
    epassport = _pay(_submit(_start(siti, "e-paspor", mesuji, siti_answers)), officer)
    epassport = _verify_all(_act(epassport, "start_verification", officer), officer)
    _act(epassport, "send_to_interview", officer)

    # Other applicants' cases in the Mesuji queue: one approved and ready, one in review.
    for index, (email, name, sex, nik, born) in enumerate(OTHER_APPLICANTS):
        person = demo_applicant(email=email, name=name, sex=sex, nik=nik, born=born, phone="0813 1111 2222")
        case = _pay(_submit(_start(person, "paspor-biasa", mesuji, _answers(name, sex, nik, born))), officer)
        case = _act(case, "start_verification", officer)
        case = _verify_all(case, officer)
        case = _act(case, "send_to_interview", officer)
        case = _act(case, "complete_interview", officer)
        if index == 0:
            case = _act(case, "approve", supervisor)
            _act(case, "mark_ready", officer)
    return Application.objects.count()


demo.register("applications", load, after=["catalog", "accounts"])
