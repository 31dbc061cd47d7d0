"""The face check's demo: a renewal at Mesuji waiting for its interview and biometrics, whose
previous passport was uploaded as a picture of its data page, so an officer can try the check
(``petugas.mesuji@gerbang.test``: the case page's "Check the face at the counter"). Two past
checks are recorded on it when the biometric extra is installed: a blurred picture (too poor to
judge) and a good one (a match), which the officer confirmed.

The face is the public-domain sample in ``samples/face.jpg`` (see its README)."""

from __future__ import annotations

import io
from pathlib import Path

from mrz.generator.td3 import TD3CodeGenerator  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from gerbang.accounts.demo import demo_applicant
from gerbang.accounts.models import User
from gerbang.applications import demo as case_demo
from gerbang.applications import services as case_services
from gerbang.applications.models import Application
from gerbang.applications.slots import document_slots
from gerbang.biometrics import engine, services
from gerbang.biometrics.models import Decision, Source
from gerbang.biometrics.selectors import is_previous_passport
from gerbang.catalog.models import Office
from gerbang.core import demo

SAMPLE_FACE = Path(__file__).resolve().parent / "samples" / "face.jpg"
# The demo's applicant whose face can be checked: email, name, sex, NIK, date of birth.
PEOPLE = [("dewi.anggraini@gerbang.test", "Dewi Anggraini", "F", "1811014411880005", "04/11/1988")]


def sample_face() -> Image.Image:
    with Image.open(SAMPLE_FACE) as image:
        return image.convert("RGB")


def jpeg(image: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def passport_page(face: Image.Image, *, name: str, number: str) -> bytes:
    """A specimen of a passport's data page: the holder's photo at the left, a few printed lines."""
    page = Image.new("RGB", (1100, 760), (233, 236, 228))
    page.paste(face.resize((330, 424)), (50, 170))
    draw = ImageDraw.Draw(page)
    draw.text((50, 40), "REPUBLIK INDONESIA · PASPOR / PASSPORT · SPECIMEN", fill=(40, 40, 90))
    for row, line in enumerate((f"No. {number}", name.upper(), "INDONESIA", "04 NOV 1988", "MESUJI")):
        draw.text((430, 190 + row * 48), line, fill=(20, 20, 20))
    return jpeg(page)


def _person() -> User:
    email, name, sex, nik, born = PEOPLE[0]
    return demo_applicant(email=email, name=name, sex=sex, nik=nik, born=born, phone="0813 3333 4444")


def _renewal(person: User, office: Office, officer: User) -> Application:
    _email, name, sex, nik, born = PEOPLE[0]
    mrz = str(TD3CodeGenerator("P", "IDN", "ANGGRAINI", "DEWI", "C7654321", "IDN", "881104", "F", "270115"))
    answers = {
        key: value
        for key, value in case_demo._answers(name, sex, nik, born, mother_name="Yuliani").items()
        if key != "previous_passport"
    } | {"old_passport_number": "C7654321", "mrz": mrz}
    case = case_demo._start(person, "paspor-penggantian", office, answers)
    old_passport = next(
        slot
        for slot in document_slots(case)
        if slot.requirement is not None and is_previous_passport(slot.requirement)
    )
    case_services.document_upload(
        application=case,
        slot=old_passport.key,
        upload=io.BytesIO(passport_page(sample_face(), name=name, number="C7654321")),
        file_name="paspor-lama.jpg",
        actor=person,
    )
    case = case_demo._pay(case_demo._submit(Application.objects.get(pk=case.pk)), officer)
    case = case_demo._verify_all(case_demo._act(case, "start_verification", officer), officer)
    return case_demo._act(case, "send_to_interview", officer)


def _past_checks(case: Application, officer: User) -> int:
    face = sample_face()
    blurred = face.filter(ImageFilter.GaussianBlur(3.5))
    services.face_check_run(
        application=case, picture=io.BytesIO(jpeg(blurred)), source=Source.CAMERA, actor=officer
    )
    # The same face under the counter's warmer, brighter light, a little turned.
    lit = ImageEnhance.Brightness(face.rotate(6, fillcolor=(200, 200, 200))).enhance(1.25)
    good = services.face_check_run(
        application=case, picture=io.BytesIO(jpeg(lit)), source=Source.CAMERA, actor=officer
    )
    services.face_check_decide(check=good, decision=Decision.CONFIRMED, actor=officer)
    return 2


def load() -> int:
    """Idempotent: nothing is made again once the demo applicant has her renewal."""
    if Application.objects.filter(applicant__email=PEOPLE[0][0]).exists():
        return 0
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    case = _renewal(_person(), Office.objects.get(code="mesuji"), officer)
    return _past_checks(case, officer) if engine.available() else 0


demo.register("biometrics", load, after=["applications"])
