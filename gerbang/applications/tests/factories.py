"""Building blocks for application tests: a catalogue with the real services, valid answers,
and files (a photo, a PDF, broken and hostile files) made on the spot."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from mrz.generator.td3 import TD3CodeGenerator  # type: ignore[import-untyped]
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD as PASSWORD
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.applications import selectors, services
from gerbang.applications.models import Application
from gerbang.applications.slots import Slot, document_slots
from gerbang.catalog.demo import load_services
from gerbang.catalog.models import Office, Service
from gerbang.catalog.services import office_service_set
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import SystemActor
from gerbang.core.tests import demo_snapshot
from gerbang.payments import services as payments

BORN = date(1990, 8, 15)
# Jakarta Selatan (31.71.01), born 15/08/1990, man.
NIK_MAN = "3171011508900001"
NIK_WOMAN = "3171015508900001"


# A slot's own file (content, name) for ``upload_all``, or None for the usual one.
Files = Callable[[Slot], tuple[bytes, str] | None]


@dataclass
class World:
    office: Office
    other_office: Office
    services: dict[str, Service]
    applicant: Any
    officer: Any
    supervisor: Any

    def service(self, code: str) -> Service:
        return self.services[code]


def make_world() -> World:
    """The real catalogue at two offices, with an applicant, an officer and a supervisor.
    Hundreds of tests start with it: it is made for real once per starting state, then put back
    from a recording (``demo_snapshot.replay``), which takes a fraction of the time."""
    ids = demo_snapshot.replay("applications.world", _made_world)
    users = User.objects.in_bulk([ids["applicant"], ids["officer"], ids["supervisor"]])
    offices = Office.objects.in_bulk([ids["office"], ids["other_office"]])
    services = Service.objects.in_bulk(list(ids["services"].values()))
    return World(
        office=offices[ids["office"]],
        other_office=offices[ids["other_office"]],
        services={code: services[pk] for code, pk in ids["services"].items()},
        applicant=users[ids["applicant"]],
        officer=users[ids["officer"]],
        supervisor=users[ids["supervisor"]],
    )


def _made_world() -> dict[str, Any]:
    catalogue = {s.code: s for s in load_services()}
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    other = OfficeFactory.create(
        code="makassar", name_id="Kantor Imigrasi Makassar", time_zone="Asia/Makassar"
    )
    for place in (office, other):
        for service in catalogue.values():
            office_service_set(actor=SystemActor("tests"), office=place, service=service)
    return {
        "office": office.pk,
        "other_office": other.pk,
        "services": {code: service.pk for code, service in catalogue.items()},
        "applicant": UserFactory.create(full_name="Budi Santoso").pk,
        "officer": staff(Role.OFFICER, [office], full_name="Petugas Satu").pk,
        "supervisor": staff(Role.SUPERVISOR, [office], full_name="Supervisor Satu").pk,
    }


def passport_answers(**overrides: str) -> dict[str, str]:
    answers = {
        "full_name": "Budi Santoso",
        "sex": "M",
        "date_of_birth": "15/08/1990",
        "place_of_birth": "Jakarta",
        "nik": NIK_MAN,
        "mother_name": "Siti Aminah",
        "address": "Jl. Merdeka No. 1, RT 01/RW 02, Mesuji",
        "postal_code": "34681",
        "phone": "0812 3456 7890",
        "purpose": "tourism",
        "previous_passport": "none",
    }
    answers.update(overrides)
    return answers


def foreigner_answers(**overrides: str) -> dict[str, str]:
    """A Swedish visitor (the ICAO specimen's person), passport valid until 2030."""
    answers = {
        "full_name": "Anna Maria Eriksson",
        "sex": "F",
        "date_of_birth": "12/08/1974",
        "place_of_birth": "Stockholm",
        "nationality": "SE",
        "passport_number": "L898902C3",
        "passport_expiry": "15/01/2030",
        "mrz": mrz_lines(
            surname="ERIKSSON",
            given="ANNA MARIA",
            number="L898902C3",
            nationality="SWE",
            born="740812",
            sex="F",
            expiry="300115",
        ),
        "address": "Jl. Sunset 1, Kuta",
        "postal_code": "80361",
        "phone": "+46701234567",
    }
    answers.update(overrides)
    return answers


def mrz_lines(
    *,
    surname: str = "SANTOSO",
    given: str = "BUDI",
    number: str = "X1234567",
    nationality: str = "IDN",
    born: str = "900815",
    sex: str = "M",
    expiry: str = "320415",
) -> str:
    return str(TD3CodeGenerator("P", nationality, surname, given, number, nationality, born, sex, expiry))


def photo_bytes(
    *, width: int = 600, height: int = 800, background: str = "white", fmt: str = "JPEG", seed: int = 0
) -> bytes:
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    # A "head and shoulders": an ellipse and a trapezoid, placed by the seed so pictures differ.
    shift = (seed * 37) % 60
    draw.ellipse((width * 0.3 + shift, height * 0.2, width * 0.7 + shift, height * 0.6), fill=(120, 80, 60))
    draw.polygon(
        [
            (width * 0.15, height),
            (width * 0.3, height * 0.65),
            (width * 0.7, height * 0.65),
            (width * 0.85, height),
        ],
        fill=(30, 30, 90 + seed % 100),
    )
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def pdf_bytes(*, pages: int = 1, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def draft(
    world: World,
    code: str = "paspor-biasa",
    *,
    answers: dict[str, str] | None = None,
    for_child: bool = False,
    applicant: Any = None,
) -> Application:
    who = applicant or world.applicant
    application = services.application_start(
        applicant=who, service=world.service(code), office=world.office, for_child=for_child
    )
    services.application_save_answers(
        application=application, values=answers if answers is not None else passport_answers(), actor=who
    )
    application.refresh_from_db()
    return application


def upload_all(application: Application, *, seed: int = 0, files: Files | None = None) -> None:
    """A file in every slot; ``files`` may give a slot's own (its content and name), or None."""
    for index, slot in enumerate(document_slots(application)):
        given = files(slot) if files is not None else None
        if given is not None:
            data, name = given
        elif slot.key == "photo":
            data, name = photo_bytes(seed=seed), "photo.jpg"
        else:
            data, name = pdf_bytes(pages=1 + (index + seed) % 3), "scan.pdf"
        services.document_upload(
            application=application,
            slot=slot.key,
            upload=io.BytesIO(data),
            file_name=name,
            actor=application.applicant,
        )


def submitted(
    world: World, code: str = "paspor-biasa", *, files: Files | None = None, **kwargs: Any
) -> Application:
    application = draft(world, code, **kwargs)
    upload_all(application, files=files)
    application.refresh_from_db()
    return services.application_submit(application=application, declaration=True, actor=application.applicant)


def paid(world: World, **kwargs: Any) -> Application:
    application = submitted(world, **kwargs)
    return payments.payment_record_counter(
        application=application,
        receipt_number=f"RCPT{application.pk:06d}",
        amount=application.fee or 0,
        paid_on=selectors.office_today(application),
        actor=world.officer,
        expected_version=application.version,
    )


def in_verification(world: World, **kwargs: Any) -> Application:
    application = paid(world, **kwargs)
    return services.application_transition(
        application=application,
        action="start_verification",
        actor=world.officer,
        expected_version=application.version,
    )


def awaiting_appointment(world: World, **kwargs: Any) -> Application:
    """A case whose documents are verified and which now waits for its interview visit."""
    application = in_verification(world, **kwargs)
    for document in application.documents.filter(is_current=True):
        services.document_verify(
            document=document,
            actor=world.officer,
            expected_version=Application.objects.get(pk=application.pk).version,
        )
    current = Application.objects.get(pk=application.pk)
    return services.application_transition(
        application=current, action="send_to_interview", actor=world.officer, expected_version=current.version
    )
