"""Demo consultations: the demo applicant asked Mesuji about her son's passport and was answered,
and asked about an e-passport question still waiting; another applicant's question waits too.
Loaded once (when the demo applicant has asked nothing yet), always through the services."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone, translation

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.feedback import demo_history, report_services, services
from gerbang.feedback.models import (
    Consultation,
    ConsultationTopic,
    Report,
    ReportKind,
    ReportPrivacy,
    ReportTier,
    ReportTopic,
)
from gerbang.feedback.report_selectors import code_hash


@transaction.atomic
def load_consultations() -> int:
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


# The demo anonymous report's follow-up code (a real one is random and shown once).
DEMO_CODE = "DEMO-LAPR-2026-ANON"


def _days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@transaction.atomic
def load_reports() -> int:
    """Reports in several states: one waiting past its verification date (overdue), one
    escalated to Mesuji's supervisors, one anonymous (followed with ``DEMO_CODE``) answered,
    one confidential, one about staff for the national unit only, and one closed."""
    siti = User.objects.get(email="pemohon@gerbang.test")
    if Report.objects.filter(reporter=siti).exists():
        return Report.objects.count()
    mesuji = Office.objects.get(code="mesuji")
    officer = User.objects.get(email="petugas.mesuji@gerbang.test")
    national = User.objects.get(email="admin.nasional@gerbang.test")
    with translation.override("id"):
        report_services.report_submit(
            kind=ReportKind.INFORMATION,
            topic=ReportTopic.SERVICE,
            office=mesuji,
            subject="Jadwal layanan paspor pada hari Sabtu",
            body="Apakah Kantor Imigrasi Mesuji membuka layanan paspor pada hari Sabtu bulan depan?",
            privacy=ReportPrivacy.OPEN,
            actor=siti,
            now=_days_ago(9),
        )
        escalated = report_services.report_submit(
            kind=ReportKind.COMPLAINT,
            topic=ReportTopic.SERVICE,
            office=mesuji,
            subject="Antrean loket pengambilan paspor sangat lama",
            body="Saya menunggu lebih dari empat jam di loket pengambilan, padahal sudah memiliki jadwal.",
            privacy=ReportPrivacy.OPEN,
            actor=siti,
            now=_days_ago(14),
        ).report
        report_services.report_verify(
            report=escalated, actor=officer, outcome="verify", tier=ReportTier.LIGHT, now=_days_ago(13)
        )
        report_services.report_escalate(report=escalated, actor=DEMO, now=_days_ago(1))
        anonymous = report_services.report_submit(
            kind=ReportKind.COMPLAINT,
            topic=ReportTopic.BROKERS,
            office=mesuji,
            subject="Calo menawarkan jasa di depan kantor",
            body="Ada orang yang menawarkan jasa pengurusan paspor cepat dengan bayaran di depan pintu masuk.",
            privacy=ReportPrivacy.ANONYMOUS,
            actor=AnonymousUser(),
            client="demo",
            now=_days_ago(6),
        ).report
        Report.objects.filter(pk=anonymous.pk).update(code_hash=code_hash(DEMO_CODE))
        report_services.report_verify(report=anonymous, actor=officer, outcome="verify", now=_days_ago(5))
        report_services.report_answer(
            report=anonymous,
            actor=officer,
            body=(
                "Terima kasih atas laporan Anda. Petugas keamanan kini berjaga di depan pintu masuk dan "
                "pengumuman bahwa layanan paspor tidak memakai perantara dipasang di halaman kantor."
            ),
            now=_days_ago(2),
        )
        report_services.report_submit(
            kind=ReportKind.COMPLAINT,
            topic=ReportTopic.CHARGES,
            office=mesuji,
            subject="Petugas meminta uang tambahan",
            body="Saat wawancara, seseorang meminta uang tambahan agar paspor cepat selesai.",
            privacy=ReportPrivacy.CONFIDENTIAL,
            actor=siti,
            about_staff=True,
        )
        report_services.report_submit(
            kind=ReportKind.COMPLAINT,
            topic=ReportTopic.SERVICE,
            office=mesuji,
            subject="Foto paspor anak saya ditolak tanpa penjelasan",
            body="Foto paspor anak saya ditolak dua kali, tetapi tidak dijelaskan apa yang salah.",
            privacy=ReportPrivacy.CONFIDENTIAL,
            actor=siti,
        )
        closed = report_services.report_submit(
            kind=ReportKind.ASPIRATION,
            topic=ReportTopic.ONLINE,
            office=None,
            subject="Usul: pengingat jadwal wawancara lewat SMS sehari sebelumnya",
            body="Akan sangat membantu bila pengingat jadwal dikirim lewat SMS sehari sebelum wawancara.",
            privacy=ReportPrivacy.OPEN,
            actor=siti,
            now=_days_ago(20),
        ).report
        report_services.report_verify(report=closed, actor=national, outcome="verify", now=_days_ago(19))
        report_services.report_answer(
            report=closed,
            actor=national,
            body="Terima kasih. Pengingat lewat SMS sehari sebelum wawancara kini dikirim bila Anda memilihnya.",
            now=_days_ago(15),
        )
        report_services.report_confirm(report=closed, actor=siti, now=_days_ago(14))
    return Report.objects.count()


def load() -> int:
    demo_history.load()  # complaints about the past cases, for the statistics
    load_consultations()
    return load_reports()


demo.register(
    "feedback",
    load,
    after=["catalog", "accounts", "applications"],
    summary=lambda count: f"{count} reports (anonymous follow-up code {DEMO_CODE})",
)
