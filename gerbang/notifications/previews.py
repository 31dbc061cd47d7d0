"""Sample renderings of every message template, in both languages, for staff to review."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.utils import timezone, translation

from gerbang.appointments.models import Purpose
from gerbang.core.emails import render_email, render_text
from gerbang.notifications.kinds import KINDS
from gerbang.notifications.rendering import TEMPLATE_DIR

TEMPLATE_NAMES = sorted({kind.template for kind in KINDS.values()})
SAMPLE_KIND = {kind.template: code for code, kind in reversed(list(KINDS.items()))}


def sample_context() -> dict[str, Any]:
    office = SimpleNamespace(name="Kantor Imigrasi Mesuji", time_zone="Asia/Jakarta")
    application = SimpleNamespace(
        number="MESUJI-2026-7K3QH-9TX2M",
        service=SimpleNamespace(name="Paspor biasa / Ordinary passport"),
        office=office,
        fee=350_000,
        due_date=timezone.localdate() + timedelta(days=6),
    )
    bill = SimpleNamespace(
        amount=350_000, billing_code="812345678901234", expires_at=timezone.now() + timedelta(hours=2)
    )
    correction = SimpleNamespace(
        label="KTP-el", correction=SimpleNamespace(message="Pindaian buram. / The scan is blurred.")
    )
    link = f"{settings.SITE_URL}/applications/1/"
    starts_at = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=3)
    booking = SimpleNamespace(
        code="7K3Q-H9TX-M",
        slot=SimpleNamespace(
            starts_at=starts_at, office=SimpleNamespace(**vars(office), address="Jl. Contoh No. 1")
        ),
        get_purpose_display=lambda: str(Purpose.INTERVIEW.label),
    )
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "application": application,
        "bill": bill,
        "billing_code": "8123 4567 8901 234",
        "link": link,
        "pay_link": f"{link}pay/",
        "what_happened": "",
        "reason": "",
        "next_step": None,
        "corrections": [correction],
        "sign_in": f"{settings.SITE_URL}/account/login/",
        "reset": f"{settings.SITE_URL}/account/password/reset/",
        "booking": booking,
        "previous_at": starts_at - timedelta(days=1),
        "notice_title": "Layanan ditutup / Services closed",
        "notice_body": "Banjir. / Flood.",
        "consultation": SimpleNamespace(
            reference="KONS-7K3Q-H9TX", subject="Paspor anak / A child's passport", office=office
        ),
        "answer": "Ya, kedua orang tua hadir saat wawancara. / Yes, both parents come to the interview.",
        "amount": 350_000,
        "paid_case": True,
        "bill_amount": 350_000,
        "underpaid": False,
        "bill_open": True,
        "problem": "after_expiry",
        "failures": 5,
        "attempts": [(timezone.now() - timedelta(minutes=n), "198.51.100.23") for n in range(5, 0, -1)],
        "unlock": f"{settings.SITE_URL}/account/login/unlock/SAMPLE/",
        "unlock_minutes": 60,
        "security": f"{settings.SITE_URL}/account/security/",
    }


def render_samples(template: str) -> list[dict[str, str]]:
    results = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            context = {**sample_context(), "kind": SAMPLE_KIND.get(template, "")}
            name = template if "/" in template else f"{TEMPLATE_DIR}/{template}"
            subject, text, html = render_email(name, context, language)
            try:
                sms = " ".join(render_text(f"{name}_sms.txt", context).split())
            except TemplateDoesNotExist:
                sms = "—"
        results.append({"language": language, "subject": subject, "text": text, "html": html, "sms": sms})
    return results
