"""Demo consultations: the demo applicant asked Mesuji about her son's passport and was answered,
and asked about an e-passport question still waiting; another applicant's question waits too.
Loaded once (when the demo applicant has asked nothing yet), always through the services."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.feedback import services
from gerbang.feedback.models import Consultation, ConsultationTopic


@transaction.atomic
def load() -> int:
    siti = User.objects.get(email="pemohon@gerbang.test")
    if siti.consultations.exists():
        return 0
    mesuji = Office.objects.get(code="mesuji")
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    child_case = siti.applications.filter(for_child=True, number__isnull=False).first()
    with translation.override("id"):
        answered = services.consultation_open(
            asker=siti,
            office=mesuji,
            topic=ConsultationTopic.APPLICATION,
            subject="Apakah ayah harus ikut wawancara paspor anak?",
            body=(
                "Suami saya bekerja di luar kota. Apakah untuk wawancara paspor anak kami cukup saya "
                "saja yang datang bersama anak?"
            ),
            application=child_case,
        )
        services.consultation_answer(
            consultation=answered,
            body=(
                "Selamat siang Ibu Siti. Untuk paspor anak, kedua orang tua hadir saat wawancara. Bila ayah "
                "berhalangan, bawa surat pernyataan izin dari ayah bermeterai beserta fotokopi KTP-el ayah. "
                "Salam, Kantor Imigrasi Mesuji."
            ),
            actor=officer,
        )
        services.consultation_open(
            asker=siti,
            office=mesuji,
            topic=ConsultationTopic.REQUIREMENTS,
            subject="Paspor lama saya rusak terkena air",
            body=(
                "Paspor lama saya sedikit rusak terkena air, tetapi halaman identitas masih terbaca. "
                "Apakah penggantiannya dikenai biaya paspor rusak?"
            ),
        )
    other = User.objects.filter(email="warga.dua@gerbang.test").first()
    if other is not None:
        with translation.override("en"):
            services.consultation_open(
                asker=other,
                office=mesuji,
                topic=ConsultationTopic.APPOINTMENT,
                subject="Can I come earlier than my appointment?",
                body="My appointment is in the afternoon. Can I come in the morning instead if I have to travel?",
            )
    return Consultation.objects.count()


demo.register("feedback", load, after=["catalog", "accounts"])
