"""Demo participation, always through the services: an open national survey on the passport
service (every kind of question), a closed survey of the Mesuji office with its results and what
came of it, a draft survey Mesuji's staff are preparing, a debate with posts (one thread answered
officially by the Mesuji office; two posts hidden by three readers' reports and waiting in the
moderation queue: a fair complaint a moderator should restore, and a broker's advert to remove),
and two proposals (one past its threshold waiting for Mesuji's answer, one answered and carried
out). Loaded once.

Everything staff write is in Indonesian and English, except the closed waiting-room survey of
Mesuji (its title, description, questions and choices): it was never translated, so a reader in
English sees it in Indonesian, marked as such (the fallback), on its page and its results."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gerbang.accounts.demo import DEMO_PASSWORD
from gerbang.accounts.models import Role, User
from gerbang.accounts.services import account_provision
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.participation import services
from gerbang.participation.models import Answer, QuestionKind, Stage, Survey

OPEN_TITLE = "Survei layanan paspor 2026"
# The survey left without English (the fallback to Indonesian shows on its public pages).
UNTRANSLATED_TITLE = "Survei ruang tunggu Kantor Imigrasi Mesuji"
# Citizens who take part in the demo besides the demo applicants.
CITIZENS = (
    ("warga.tiga@gerbang.test", "Rina Kusuma"),
    ("warga.empat@gerbang.test", "Andi Saputra"),
    ("warga.lima@gerbang.test", "Dewi Lestari"),
    ("warga.enam@gerbang.test", "Bambang Hartono"),
)


def _people() -> list[User]:
    people = [
        User.objects.get(email=email)
        for email in ("warga.satu@gerbang.test", "warga.dua@gerbang.test")
        if User.objects.filter(email=email).exists()
    ]
    for email, name in CITIZENS:
        people.append(
            account_provision(
                email=email, full_name=name, role=Role.APPLICANT, password=DEMO_PASSWORD, actor=DEMO
            )
        )
    return people


def _open_survey(people: list[User]) -> Survey:
    now = timezone.now()
    survey = services.survey_create(
        actor=DEMO,
        title_id=OPEN_TITLE,
        title_en="Passport service survey 2026",
        description_id=(
            "Bantu kami memperbaiki layanan paspor: persyaratan, antrean daring, waktu tunggu dan "
            "informasi. Jawaban Anda tidak ditampilkan bersama nama Anda."
        ),
        description_en=(
            "Help us improve the passport service: requirements, the online queue, waiting times and "
            "information. Your answers are never shown with your name."
        ),
        office=None,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
    )
    single = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SINGLE,
        text_id="Bagaimana Anda mendaftar permohonan paspor?",
        text_en="How did you apply for your passport?",
        choices_id=["Aplikasi/portal daring", "Datang langsung (walk-in)", "Melalui biro jasa"],
        choices_en=["Online app or portal", "In person (walk-in)", "Through an agency"],
    )
    multiple = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.MULTIPLE,
        text_id="Informasi apa yang paling sulit ditemukan?",
        text_en="What information was hardest to find?",
        choices_id=["Persyaratan dokumen", "Biaya", "Jadwal kuota", "Status permohonan"],
        choices_en=["Document requirements", "Fees", "Quota schedule", "Application status"],
    )
    scale = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SCALE,
        text_id="Seberapa mudah mendapatkan jadwal kedatangan?",
        text_en="How easy was it to get an appointment?",
    )
    ranking = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.RANKING,
        text_id="Urutkan perbaikan yang paling Anda harapkan",
        text_en="Rank the improvements you want most",
        choices_id=["Kuota antrean lebih banyak", "Layanan akhir pekan", "Pembayaran lebih mudah"],
        choices_en=["A larger queue quota", "Weekend service", "Easier payment"],
    )
    text = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.TEXT,
        text_id="Saran lain untuk layanan paspor",
        text_en="Other suggestions for the passport service",
        required=False,
    )
    # Made as a draft, published once its questions are in.
    survey = services.survey_publish(actor=DEMO, survey=survey)
    for number, person in enumerate(people[2:4]):
        services.survey_answer(
            actor=person,
            survey=survey,
            answers={
                single.pk: number % 2,
                multiple.pk: [0, 2],
                scale.pk: 3 + number,
                ranking.pk: [0, 2, 1],
                text.pk: "Mohon kuota antrean ditambah menjelang musim umrah." if number == 0 else "",
            },
        )
    return survey


def _closed_survey(people: list[User], mesuji: Office) -> None:
    now = timezone.now()
    survey = services.survey_create(
        actor=DEMO,
        # Not translated (see the module's docstring): Indonesian only.
        title_id=UNTRANSLATED_TITLE,
        description_id="Pendapat pemohon tentang ruang tunggu, papan antrean dan fasilitas keluarga.",
        office=mesuji,
        opens_at=now - timedelta(days=45),
        closes_at=now + timedelta(days=1),
    )
    comfort = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SCALE,
        text_id="Seberapa nyaman ruang tunggu kami?",
    )
    need = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SINGLE,
        text_id="Fasilitas apa yang paling dibutuhkan?",
        choices_id=["Ruang laktasi", "Tempat bermain anak", "Kursi tambahan"],
    )
    said = services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.TEXT,
        text_id="Apa yang perlu kami perbaiki?",
        required=False,
    )
    survey = services.survey_publish(actor=DEMO, survey=survey)
    texts = [
        "Papan antrean kurang terlihat dari kursi belakang.",
        "Perlu ruang laktasi, saya datang bersama bayi.",
        "Hubungi saya di 081234567890 kalau butuh masukan.",
        "",
    ]
    for number, person in enumerate(people):
        services.survey_answer(
            actor=person,
            survey=survey,
            answers={
                comfort.pk: 2 + number % 3,
                need.pk: 0 if number % 3 else 1,
                said.pk: texts[number % len(texts)],
            },
        )
    for answer in Answer.objects.filter(question=said).exclude(text="").order_by("id"):
        # The one with a phone number stays out of the results.
        services.text_answer_moderate(actor=DEMO, answer=answer, approve="0812" not in answer.text)
    services.survey_close(actor=DEMO, survey=survey)
    services.outcome_publish(
        actor=DEMO,
        subject=survey,
        decided_id="Ruang laktasi dibuka dan papan antrean kedua dipasang di bagian belakang ruang tunggu.",
        decided_en=(
            "A nursing room was opened and a second queue display was put up at the back of the waiting room."
        ),
        changed_id="Sejak bulan ini ruang laktasi tersedia di lantai 1 dan nomor antrean terlihat dari semua kursi.",
        changed_en=(
            "Since this month the nursing room is open on the ground floor and queue numbers can be seen "
            "from every seat."
        ),
        stage=Stage.DONE,
    )


def _draft_survey(mesuji: Office) -> None:
    """A draft the Mesuji staff are still preparing: seen in the back office, not by the public.
    It asks the residents of the office's working area (Mesuji, Tulang Bawang, Tulang Bawang
    Barat), who come by road; the demo applicant's NIK is from Mesuji."""
    now = timezone.now()
    survey = services.survey_create(
        actor=DEMO,
        title_id="Survei parkir Kantor Imigrasi Mesuji",
        title_en="Mesuji Immigration Office parking survey",
        description_id="Pendapat warga wilayah kerja kami tentang lahan parkir dan tempat menurunkan penumpang.",
        description_en=("What residents of our working area think of the car park and the drop-off point."),
        office=mesuji,
        opens_at=now + timedelta(days=7),
        closes_at=now + timedelta(days=37),
        residents_only=True,
    )
    services.question_add(
        actor=DEMO,
        survey=survey,
        kind=QuestionKind.SINGLE,
        text_id="Dengan apa Anda datang ke kantor kami?",
        text_en="How do you come to our office?",
        choices_id=["Mobil pribadi", "Sepeda motor", "Angkutan umum atau ojek daring"],
        choices_en=["By car", "By motorbike", "By public transport or ride-hailing motorbike"],
    )


def _debate(people: list[User], mesuji: Office) -> None:
    debate = services.debate_create(
        actor=DEMO,
        title_id="Jadwal kedatangan paspor: kuota pagi atau sore?",
        title_en="Passport appointments: morning or afternoon quota?",
        description_id=(
            "Kantor Imigrasi Mesuji menimbang untuk membagi kuota antrean paspor menjadi sesi pagi dan "
            "sore. Apa pendapat Anda?"
        ),
        description_en=(
            "The Mesuji Immigration Office is considering splitting the passport queue quota into a "
            "morning and an afternoon session. What do you think?"
        ),
        office=mesuji,
    )
    first = services.post_publish(
        actor=people[0],
        debate=debate,
        body="Sesi sore sangat membantu pekerja kantoran seperti saya, tidak perlu izin seharian.",
    ).post
    services.post_publish(
        actor=people[1],
        debate=debate,
        body="Setuju, asalkan kuota pagi tidak dikurangi terlalu banyak.",
        parent=first,
    )
    services.post_publish(
        actor=people[2], debate=debate, body="Mohon ada kuota khusus lansia dan ibu hamil di pagi hari."
    )
    services.post_support(actor=people[3], post=first)
    services.post_support(actor=people[2], post=first)
    # The office answers the first thread on its own behalf (its staff member is not named).
    supervisor = User.objects.filter(email="supervisor.mesuji@gerbang.test").first()
    if supervisor is not None:
        services.post_publish_official(
            actor=supervisor,
            debate=debate,
            body=(
                "Terima kasih atas masukannya. Mulai bulan depan kami mencoba sesi sore pukul 13.00 sampai 15.00 "
                "dengan 40 kuota, tanpa mengurangi kuota pagi."
            ),
            body_en=(
                "Thank you for your suggestions. From next month we are trying an afternoon session from 13.00"
                " to 15.00 with 40 places, without reducing the morning places."
            ),
            parent=first,
        )
    # A genuine complaint that three readers took for an insult: a moderator should restore it.
    fair = services.post_publish(
        actor=people[4],
        debate=debate,
        body=(
            "Minggu lalu saya antre tiga jam di sesi pagi dan loket 2 kosong hampir satu jam. Kalau ada "
            "sesi sore, mohon petugasnya cukup supaya antrean tidak menumpuk."
        ),
    ).post
    for reporter in people[1:4]:
        services.post_report(actor=reporter, post=fair, reason="abuse", note="Menjelekkan petugas.")
    # A broker's advert: a moderator should remove it.
    spam = services.post_publish(
        actor=people[5],
        debate=debate,
        body="Jasa percepatan paspor 1 hari jadi, pasti beres tanpa antre! Hubungi agen kami sekarang.",
    ).post
    for reporter in people[1:4]:
        services.post_report(actor=reporter, post=spam, reason="spam", note="Calo menawarkan jasa.")


def _proposals(people: list[User], mesuji: Office) -> None:
    waiting = services.proposal_submit(
        actor=people[0],
        title="Layanan paspor pada hari Sabtu",
        body=(
            "Banyak pekerja sulit datang pada hari kerja. Usul agar Kantor Imigrasi Mesuji membuka "
            "layanan paspor terbatas pada Sabtu pagi sebulan dua kali."
        ),
        office=mesuji,
        threshold=3,
    ).proposal
    for supporter in people[1:4]:
        services.proposal_support(actor=supporter, proposal=waiting)
    answered = services.proposal_submit(
        actor=people[2],
        title="Pengingat jadwal kedatangan lewat WhatsApp",
        body=(
            "Pengingat sehari sebelum jadwal kedatangan lewat pesan singkat akan mengurangi pemohon "
            "yang lupa datang dan kuota yang terbuang."
        ),
        office=None,
        threshold=3,
    ).proposal
    for supporter in (people[0], people[3], people[4]):
        answered = services.proposal_support(actor=supporter, proposal=answered)
    services.proposal_answer(
        actor=DEMO,
        proposal=answered,
        accepted=True,
        answer_id=(
            "Usulan diterima. Pengingat sehari sebelum jadwal dikirim melalui kanal yang dipilih pemohon "
            "(email, SMS atau notifikasi aplikasi)."
        ),
        answer_en=(
            "Accepted. A reminder is sent the day before the appointment through the channel the "
            "applicant chose (email, SMS or app notification)."
        ),
    )
    services.outcome_publish(
        actor=DEMO,
        subject=answered,
        decided_id="Pengingat jadwal kedatangan dikirim otomatis sehari sebelumnya.",
        decided_en="Appointment reminders are sent automatically the day before.",
        changed_id="Pengingat berjalan di semua kantor sejak bulan lalu.",
        changed_en="Reminders have been running at every office since last month.",
        stage=Stage.IN_PROGRESS,
    )


@transaction.atomic
def load() -> int:
    if Survey.objects.filter(title_id=OPEN_TITLE).exists():
        return Survey.objects.count()
    people = _people()
    mesuji = Office.objects.get(code="mesuji")
    _open_survey(people)
    _closed_survey(people, mesuji)
    _draft_survey(mesuji)
    _debate(people, mesuji)
    _proposals(people, mesuji)
    return Survey.objects.count()


demo.register("participation", load, after=["accounts", "catalog"], summary=lambda count: f"{count} surveys")
