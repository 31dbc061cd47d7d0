"""Tutorials: for each service, a guide "How to apply for ... online" whose steps each show a
picture of the real page at that step, at a phone's width, in the reader's language.

The pictures are never drawn by hand: ``scripts/tutorial_shots.py`` (``make tutorials``) serves a
fresh copy of the demo, walks through each service's pages as the demo applicant in headless
Chromium, in Indonesian and in English, and keeps what the screen showed as static files
(``content/tutorials/<language>/<picture>.webp``) with a manifest of when they were taken. Run
it again after changing a page a tutorial shows; the suite checks that every picture a
tutorial names exists in both languages, and drives the script's own walk through one service,
so a page it can no longer walk through fails CI.

A tutorial is an ordinary guide (content staff may reword its steps in the back office); each
step names its picture in ``GuideStep.shot``: a step of the service's own pages is
``<service code>-<step>``, a step every service shares (signing in, paying, booking, following
the case) is the step's name alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils import timezone
from django.utils.dateparse import parse_datetime

LANGUAGES = ("id", "en")
FOLDER = "content/tutorials"
MANIFEST = f"{FOLDER}/manifest.json"


@dataclass(frozen=True)
class Step:
    name: str
    shared: bool  # the same page for every service (a picture of its own), or the service's own
    text_id: str
    text_en: str
    alt_id: str
    alt_en: str
    visit_only: bool = False  # only for services that need a visit to an office
    online_id: str = ""  # the text for a service done wholly online, when it differs
    online_en: str = ""
    pictured: bool = True  # said in words only when False


def text_of(step: Step, service: Any) -> tuple[str, str]:
    """The step's words (Indonesian, English) for ``service``."""
    online = not service.office_visit_required and step.online_id
    return (step.online_id, step.online_en) if online else (step.text_id, step.text_en)


# {service} is the service's name in the step's language. A step with ``visit`` wording has
# another text for services done wholly online; a step with no picture (``pictured=False``) is
# said in words only.
STEPS: tuple[Step, ...] = (
    Step(
        "service",
        False,
        "Buka halaman layanan {service} di Gerbang. Di sana tertulis siapa yang boleh mengajukan, "
        "dokumen yang perlu disiapkan, biaya resmi, batas waktu membayar, dan berapa lama layanan "
        'selesai. Tekan "Ajukan secara daring".',
        "Open the page of the service {service} on Gerbang. It says who may apply, the documents to "
        "prepare, the official fee, how long you have to pay and how long the service takes. Press "
        '"Apply online".',
        "Tangkapan layar halaman layanan {service}",
        "Screenshot of the page of the service {service}",
    ),
    Step(
        "signin",
        True,
        "Masuk dengan akun Anda, atau buat akun baru. Bila verifikasi dua langkah Anda aktif, "
        "masukkan juga kode dari aplikasi autentikator di ponsel Anda.",
        "Sign in with your account, or create one. If you turned on two-step sign-in, also enter "
        "the code from the authenticator app on your phone.",
        "Tangkapan layar halaman masuk Gerbang",
        "Screenshot of Gerbang's sign-in page",
    ),
    Step(
        "start",
        False,
        "Pilih kantor imigrasi tempat Anda akan datang, lalu mulai permohonan.",
        "Choose the immigration office you will visit, then start the application.",
        "Tangkapan layar pilihan kantor untuk {service}",
        "Screenshot of choosing the office for {service}",
        online_id="Pilih kantor imigrasi yang akan menangani permohonan Anda, lalu mulai permohonan.",
        online_en="Choose the immigration office that will handle your application, then start it.",
    ),
    Step(
        "form",
        False,
        "Isi formulir langkah demi langkah. Jawaban disimpan di setiap langkah, jadi Anda boleh "
        "berhenti dan melanjutkan nanti. Bila ada isian yang salah, Gerbang langsung memberi tahu "
        "apa yang perlu diperbaiki.",
        "Fill in the form step by step. Your answers are saved at each step, so you may stop and "
        "go on later. If an answer is wrong, Gerbang tells you at once what to fix.",
        "Tangkapan layar formulir permohonan {service}",
        "Screenshot of the application form for {service}",
    ),
    Step(
        "documents",
        False,
        "Unggah dokumen yang diminta (foto atau pindaian PDF). Setiap berkas langsung diperiksa, "
        "misalnya nomor identitas, halaman data paspor, dan aturan pasfoto.",
        "Upload the documents asked for (a photo or a PDF scan). Each file is checked at once, for "
        "instance the identity numbers, the passport's data page and the photo rules.",
        "Tangkapan layar daftar dokumen untuk {service}",
        "Screenshot of the documents to upload for {service}",
    ),
    Step(
        "review",
        False,
        "Periksa ringkasan jawaban Anda, setujui pernyataannya, lalu tekan Kirim. Setelah dikirim, "
        "tagihan langsung dibuat.",
        "Check the summary of your answers, agree to the declaration, then press Submit. As soon as "
        "you submit, the bill is made.",
        "",
        "",
        pictured=False,
    ),
    Step(
        "pay",
        True,
        "Bayar tagihan segera, sebelum batas waktu yang tertera di tagihan, dengan kode billing di "
        "bank atau dengan QRIS; bila tidak dibayar tepat waktu, permohonan berakhir. Bayar hanya "
        "melalui tagihan resmi ini; petugas tidak pernah meminta uang tunai.",
        "Pay the bill straight away, before the deadline shown on it, with its billing code at a "
        "bank or by QRIS; if it is not paid in time, the application lapses. Pay only through this "
        "official bill; officers never ask for cash.",
        "Contoh halaman pembayaran dengan kode billing dan QRIS",
        "An example of the payment page, with the billing code and QRIS",
    ),
    Step(
        "book",
        True,
        "Pilih hari dan jam kedatangan di kantor. Simpan kode QR janji temu untuk lapor diri di kantor.",
        "Choose the day and time of your visit to the office. Keep the appointment's QR code to "
        "check in at the office.",
        "Contoh halaman pemesanan jadwal kedatangan",
        "An example of booking the time of the visit",
        visit_only=True,
    ),
    Step(
        "track",
        True,
        "Ikuti permohonan Anda: setiap tahap tampil di lini waktunya, dan Anda mendapat pesan "
        "setiap kali ada perubahan.",
        "Follow your application: each stage shows on its timeline, and you get a message at each change.",
        "Contoh halaman sebuah permohonan dengan statusnya",
        "An example of an application's page with its status",
    ),
)


def slug(service_code: str) -> str:
    return f"tutorial-{service_code}"


def shot(step: Step, service_code: str) -> str:
    """The name of the step's picture ("" for a step said in words only)."""
    if not step.pictured:
        return ""
    return step.name if step.shared else f"{service_code}-{step.name}"


def applies_to(service: Any) -> bool:
    """Whether the service has a tutorial: offered, and taken at an office through Gerbang
    (one applied for elsewhere, with no office of Gerbang's to choose, has none)."""
    return bool(service.is_active and service.office_services.exists())


def is_example(shot_name: str) -> bool:
    """Whether the picture is of a page every service shares, taken on one demo case (its
    service, fee and codes are that case's, not the reader's)."""
    return any(step.shared and step.name == shot_name for step in STEPS)


def steps_for(service: Any) -> list[Step]:
    return [step for step in STEPS if service.office_visit_required or not step.visit_only]


def picture_name(shot_name: str, language: str) -> str:
    """The static file of a step's picture in ``language``."""
    return f"{FOLDER}/{language}/{shot_name}.webp"


def picture(shot_name: str, language: str) -> tuple[str, str] | None:
    """A step's picture: (its address, its language), in ``language``, else in the other one
    (marked by the caller), or None when the script has not taken it (a service added since)."""
    for each in (language, *(other for other in LANGUAGES if other != language)):
        name = picture_name(shot_name, each)
        if _exists(name):
            return str(staticfiles_storage.url(name)), each
    return None


def taken_at() -> Any:
    """When the pictures were taken (the manifest's time), or None."""
    manifest = _manifest()
    when = parse_datetime(manifest.get("taken_at", "")) if manifest else None
    return timezone.localtime(when) if when else None


@cache
def _exists(name: str) -> bool:
    return finders.find(name) is not None or staticfiles_storage.exists(name)


@cache
def _manifest() -> dict[str, Any]:
    found = finders.find(MANIFEST)
    if not found:
        return {}
    data: dict[str, Any] = json.loads(Path(str(found)).read_text())
    return data
