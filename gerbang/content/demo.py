"""Demo content: the FAQ, a few guides, notices (one emergency for one office), the official
channels, the rights and duties and the scam-awareness campaigns. Loaded by ``manage.py load_demo``; running it again creates no duplicates."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.utils import timezone

from gerbang.catalog.models import Office, Service
from gerbang.content.demo_campaigns import CAMPAIGNS
from gerbang.content.demo_faq import CATEGORIES, FAQ
from gerbang.content.demo_rights import RIGHTS
from gerbang.content.models import Announcement, ChannelKind, GuideStep, Level, ScamCampaign
from gerbang.content.services import (
    announcement_create,
    campaign_create,
    faq_category_upsert,
    faq_upsert,
    guide_step_picture_set,
    guide_upsert,
    official_channel_upsert,
    rights_entry_upsert,
    tutorials_refresh,
)
from gerbang.core import demo
from gerbang.core.actors import DEMO

GUIDES: list[dict[str, Any]] = [
    {
        "slug": "mengajukan-paspor-pertama",
        "title_id": "Mengajukan paspor pertama, langkah demi langkah",
        "title_en": "Applying for your first passport, step by step",
        "summary_id": "Dari membuat akun sampai mengambil paspor, dengan hal-hal yang sering terlewat.",
        "summary_en": "From creating an account to collecting the passport, with the things people often miss.",
        "services": ["paspor-biasa", "e-paspor"],
        "steps": [
            (
                "Buat akun Gerbang dan konfirmasi email Anda.",
                "Create a Gerbang account and confirm your e-mail.",
            ),
            (
                "Lengkapi profil: tanggal lahir, jenis kelamin, kewarganegaraan, nomor telepon, dan NIK.",
                "Complete your profile: date of birth, sex, nationality, phone number and NIK.",
            ),
            (
                "Pilih layanan paspor dan kantor, isi formulir, dan unggah KTP-el, Kartu Keluarga, serta akta kelahiran atau ijazah.",
                "Choose the passport service and an office, fill in the form, and upload your KTP-el, family card and birth certificate or diploma.",
            ),
            (
                "Bayar dengan kode billing atau QRIS sebelum batas waktu.",
                "Pay with the billing code or QRIS before the deadline.",
            ),
            (
                "Pilih jadwal kedatangan. Datang 15 menit lebih awal dengan dokumen asli.",
                "Choose a time to visit. Come 15 minutes early with the original documents.",
            ),
            (
                "Ikuti wawancara, foto, dan pengambilan sidik jari.",
                "Attend the interview, photo and fingerprints.",
            ),
            (
                "Ambil paspor setelah Anda menerima pemberitahuan bahwa paspor siap.",
                "Collect the passport when you are told it is ready.",
            ),
        ],
    },
    {
        "slug": "paspor-hilang",
        "title_id": "Bila paspor Anda hilang",
        "title_en": "If your passport is lost",
        "summary_id": "Apa yang dilakukan pertama kali, dokumen yang diperlukan, dan berapa biayanya.",
        "summary_en": "What to do first, the documents you need, and what it costs.",
        "services": ["paspor-hilang"],
        "steps": [
            (
                "Laporkan kehilangan ke kantor polisi dan minta surat keterangan hilang.",
                "Report the loss at a police station and ask for a loss report letter.",
            ),
            (
                "Ajukan penggantian paspor hilang di Gerbang dan unggah surat keterangan hilang.",
                "Apply for the replacement of a lost passport on Gerbang and upload the loss report.",
            ),
            (
                "Bayar Rp 1.350.000 (paspor Rp 350.000 ditambah biaya beban Rp 1.000.000).",
                "Pay Rp 1,350,000 (the Rp 350,000 passport plus the Rp 1,000,000 surcharge).",
            ),
            (
                "Datang untuk pemeriksaan kehilangan dan wawancara sesuai jadwal.",
                "Come to the examination of the loss and the interview at your appointment.",
            ),
        ],
    },
    {
        "slug": "membayar-dengan-qris",
        "title_id": "Membayar biaya dengan QRIS",
        "title_en": "Paying the fee with QRIS",
        "summary_id": "Membayar dari aplikasi bank atau dompet digital dalam satu menit.",
        "summary_en": "Pay from a banking or e-wallet app in a minute.",
        "services": [],
        "steps": [
            ("Buka permohonan Anda dan pilih Bayar.", "Open your application and choose Pay."),
            (
                "Pindai kode QRIS dengan aplikasi bank atau dompet digital.",
                "Scan the QRIS code with your banking or e-wallet app.",
            ),
            (
                "Pastikan nama penerima dan jumlahnya sesuai, lalu konfirmasi.",
                "Check that the payee and the amount match, then confirm.",
            ),
            (
                "Status permohonan berubah menjadi Dibayar dalam beberapa saat.",
                "The application shows Paid within moments.",
            ),
        ],
    },
]

CHANNELS = [
    (
        ChannelKind.WEBSITE,
        "imigrasi.go.id",
        "Situs resmi Direktorat Jenderal Imigrasi",
        "Official website of the Directorate General of Immigration",
    ),
    (
        ChannelKind.WEBSITE,
        "evisa.imigrasi.go.id",
        "Situs resmi e-Visa dan e-VoA",
        "Official e-Visa and e-VoA website",
    ),
    (
        ChannelKind.SOCIAL,
        "@ditjen_imigrasi",
        "Akun media sosial resmi Direktorat Jenderal Imigrasi",
        "Official social-media account of the Directorate General of Immigration",
    ),
]


def load() -> None:
    categories = {}
    for order, (slug, name_id, name_en) in enumerate(CATEGORIES):
        categories[slug] = faq_category_upsert(slug=slug, name_id=name_id, name_en=name_en, order=order)
    services = {s.code: s for s in Service.objects.all()}
    for order, (slug, category, q_id, q_en, a_id, a_en, codes) in enumerate(FAQ):
        faq_upsert(
            actor=DEMO,
            slug=slug,
            category=categories[category],
            question_id=q_id,
            question_en=q_en,
            answer_id=a_id,
            answer_en=a_en,
            services=[services[code] for code in codes if code in services],
            order=order,
        )
    for spec in GUIDES:
        guide_upsert(
            slug=spec["slug"],
            title_id=spec["title_id"],
            title_en=spec["title_en"],
            summary_id=spec["summary_id"],
            summary_en=spec["summary_en"],
            steps=[{"text_id": t_id, "text_en": t_en} for t_id, t_en in spec["steps"]],
            services=[services[code] for code in spec["services"] if code in services],
        )
    _load_guide_pictures()
    tutorials_refresh(Service.objects.filter(is_active=True).order_by("order", "code"))
    site_host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    for kind, value, label_id, label_en in [
        *CHANNELS,
        (ChannelKind.WEBSITE, site_host, "Gerbang, situs ini", "Gerbang, this site"),
    ]:
        official_channel_upsert(actor=DEMO, kind=kind, value=value, label_id=label_id, label_en=label_en)
    _load_notices()
    _load_rights()
    _load_campaigns()


def _load_guide_pictures() -> None:
    """The QRIS guide shows what a payment code looks like: a sample that pays nothing."""
    step = GuideStep.objects.filter(guide__slug="membayar-dengan-qris", order=1).first()
    if step is None or step.image:
        return
    out = io.BytesIO()
    segno.make("CONTOH GERBANG - BUKAN UNTUK PEMBAYARAN / SAMPLE - NOT FOR PAYMENT", error="m").save(
        out, kind="png", scale=6, border=4
    )
    guide_step_picture_set(
        step=step,
        picture=out.getvalue(),
        alt_id="Contoh kode QRIS berbentuk kotak hitam-putih (contoh, tidak untuk pembayaran)",
        alt_en="A sample QRIS code, a black-and-white square (a sample, not for payment)",
    )


def _load_notices() -> None:
    now = timezone.now()
    if not Announcement.objects.filter(title_en="Passport services stopped after flooding").exists():
        jayapura = Office.objects.filter(code="jayapura").first()
        announcement_create(
            actor=DEMO,
            office=jayapura,
            level=Level.EMERGENCY,
            title_id="Layanan paspor dihentikan sementara karena banjir",
            title_en="Passport services stopped after flooding",
            body_id="Banjir merendam lantai dasar kantor. Jadwal kedatangan minggu ini dipindahkan; Anda akan menerima jadwal baru melalui email dan SMS.",
            body_en="Flooding has reached the ground floor of the office. This week's appointments are moved; you will receive a new time by e-mail and SMS.",
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(days=7),
            suspends=["passport"],
        )
    if not Announcement.objects.filter(title_en="Collective leave at the end of the year").exists():
        announcement_create(
            actor=DEMO,
            level=Level.INFO,
            title_id="Cuti bersama akhir tahun",
            title_en="Collective leave at the end of the year",
            body_id="Kantor imigrasi tutup pada 24 dan 25 Desember 2026 serta 1 Januari 2027. Layanan daring tetap dapat diakses.",
            body_en="Immigration offices are closed on 24 and 25 December 2026 and on 1 January 2027. Online services stay available.",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=45),
        )


def _load_rights() -> None:
    orders: dict[tuple[str, str], int] = {}
    for audience, kind, title_id, title_en, body_id, body_en, basis_id, basis_en in RIGHTS:
        order = orders[audience, kind] = orders.get((audience, kind), -1) + 1
        rights_entry_upsert(
            actor=DEMO,
            key=(audience, kind, order),
            data={
                "title_id": title_id,
                "title_en": title_en,
                "body_id": body_id,
                "body_en": body_en,
                "basis_id": basis_id,
                "basis_en": basis_en,
            },
        )


def _load_campaigns() -> None:
    now = timezone.now()
    for spec in CAMPAIGNS:
        if ScamCampaign.objects.filter(title_en=spec["title_en"]).exists():
            continue
        office = Office.objects.filter(code=spec["office"]).first() if spec["office"] else None
        if spec["office"] and office is None:
            continue
        campaign_create(
            actor=DEMO,
            offices=[office] if office else [],
            data={
                **{k: v for k, v in spec.items() if k not in {"office", "start", "end"}},
                "starts_at": now + timedelta(days=spec["start"]),
                "ends_at": now + timedelta(days=spec["end"]),
            },
        )


demo.register("content", load, after=["catalog"])
