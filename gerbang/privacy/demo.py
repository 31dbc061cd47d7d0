"""The demo's data-protection requests: the demo applicant asked for two corrections, waiting for
the data-protection officer (the national administrator) on the back office's queue, one of them
already overdue."""

from __future__ import annotations

from gerbang.accounts.models import User
from gerbang.core import demo
from gerbang.privacy import services
from gerbang.privacy.models import Kind, Request

DEMO_APPLICANT = "pemohon@gerbang.test"
# Written as the person wrote it, in Indonesian.
DEMO_CORRECTION = "Permohonan paspor saya: tempat lahir tertulis “Mesuji”, seharusnya “Menggala”."
DEMO_LATE_CORRECTION = "Nomor telepon pada janji temu saya salah satu angka: seharusnya berakhir 7890."


def load() -> int:
    person = User.objects.filter(email=DEMO_APPLICANT).first()
    if person is None:
        return 0
    if not Request.objects.filter(person=person, kind=Kind.CORRECTION).exists():
        services.correction_request(
            subject=person, concerns="application", details=DEMO_CORRECTION, actor=person
        )
    return Request.objects.count()


demo.register("privacy", load, after=("accounts",), summary=lambda n: f"{n} data-protection requests")
