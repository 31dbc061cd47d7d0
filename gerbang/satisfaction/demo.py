"""Demo ratings: the people of the demo were served at Kantor Imigrasi Mesuji and asked to rate
it. Published reviews (one with the office's reply), one waiting for a moderator, one flagged
for a phone number in it, one invitation still to rate on Siti's dashboard, and the suggestion
box with suggestions about the queue grouped together and one done.

Made through the services, by the demo's people and the Mesuji office's staff."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.feedback.models import Report, ReportStatus
from gerbang.satisfaction import services
from gerbang.satisfaction.models import Invitation, Occasion, Rating, Suggestion, SuggestionStatus


def _days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def _case_invitation(case: Application, days_ago: int) -> Invitation:
    return services.invitation_open(
        occasion=Occasion.CASE,
        occasion_id=case.pk,
        person=case.applicant,
        office=case.office,
        service=case.service,
        served_at=_days_ago(days_ago),
        actor=DEMO,
    )


@transaction.atomic
def load() -> int:
    if Rating.objects.exists():
        return 0
    siti = User.objects.get(email="pemohon@gerbang.test")
    agus = User.objects.get(email="warga.satu@gerbang.test")
    nur = User.objects.get(email="warga.dua@gerbang.test")
    admin = User.objects.get(email="admin.mesuji@gerbang.test")
    supervisor = User.objects.get(email="supervisor.mesuji@gerbang.test")
    mesuji = Office.objects.get(code="mesuji")
    sitis = list(Application.objects.filter(applicant=siti, number__isnull=False).order_by("pk"))
    agus_case = Application.objects.filter(applicant=agus, number__isnull=False).order_by("pk").first()
    nur_case = Application.objects.filter(applicant=nur, number__isnull=False).order_by("pk").first()

    # Published, with the office's reply.
    first = _case_invitation(sitis[0], 12)
    praised = services.rating_give(
        invitation=first,
        stars=5,
        review=(
            "Petugasnya ramah dan menjelaskan syarat dengan jelas. Wawancara hanya sepuluh menit, "
            "paspor selesai tepat waktu."
        ),
        suggestion="Antrean pagi di loket lama, banyak yang berdiri; tolong tambah kursi di ruang tunggu.",
        actor=siti,
        now=_days_ago(11),
    )
    services.rating_approve(rating=praised, actor=admin, now=_days_ago(10))
    services.rating_reply(
        rating=praised,
        body="Terima kasih, Ibu. Kami senang layanan kami membantu. Salam, Kantor Imigrasi Mesuji.",
        actor=supervisor,
        now=_days_ago(9),
    )
    # Published, no reply yet.
    if agus_case is not None:
        fair = services.rating_give(
            invitation=_case_invitation(agus_case, 6),
            stars=4,
            review="Prosesnya cepat, tetapi antrean di loket pagi hari cukup lama.",
            suggestion="Antrean pagi terlalu lama, tolong buka loket tambahan saat antrean ramai.",
            actor=agus,
            now=_days_ago(5),
        )
        services.rating_approve(rating=fair, actor=admin, now=_days_ago(4))
    # Waiting for a moderator.
    if nur_case is not None:
        services.rating_give(
            invitation=_case_invitation(nur_case, 3),
            stars=2,
            review="Jadwal wawancara saya diundur tanpa pemberitahuan, saya sudah datang jauh-jauh.",
            suggestion="Kirim pemberitahuan lewat SMS bila jadwal wawancara berubah.",
            actor=nur,
            now=_days_ago(2),
        )
    # Flagged: a phone number in it (masked if a moderator approves it).
    if len(sitis) > 1:
        services.rating_give(
            invitation=_case_invitation(sitis[1], 2),
            stars=3,
            review="Pelayanan cukup baik. Kalau ada kabar soal paspor anak saya hubungi saya di 0812 3456 7890.",
            actor=siti,
            now=_days_ago(1),
        )
    # A report closed by the national unit: rated, no words.
    closed = Report.objects.filter(reporter=siti, status=ReportStatus.CLOSED).first()
    if closed is not None:
        invitation = services.invitation_open(
            occasion=Occasion.REPORT,
            occasion_id=closed.pk,
            person=siti,
            office=closed.office,
            service=None,
            served_at=closed.closed_at or _days_ago(14),
            actor=DEMO,
        )
        services.rating_give(invitation=invitation, stars=4, actor=siti, now=_days_ago(13))
    # Still to rate: on Siti's dashboard and in her inbox.
    if len(sitis) > 2:
        _case_invitation(sitis[2], 1)

    # The suggestion box: two more about the queue (grouped with the ones above), one done.
    services.suggestion_submit(
        text="Antrean di loket pengambilan paspor lama sekali, perlu nomor antrean terpisah.",
        office=mesuji,
        service=None,
        actor=nur,
        now=_days_ago(8),
    )
    parking = services.suggestion_submit(
        text="Tempat parkir motor di depan kantor sempit, mohon diperluas.",
        office=mesuji,
        service=None,
        actor=agus,
        now=_days_ago(30),
    )
    services.suggestion_decide(
        suggestion=parking,
        status=SuggestionStatus.DONE,
        note="Sejak November, halaman samping kantor dibuka untuk parkir motor pengunjung.",
        actor=admin,
        now=_days_ago(7),
    )
    queue = Suggestion.objects.filter(text__isnull=False, office=mesuji, status=SuggestionStatus.NEW)
    first_queue = next((s for s in queue.order_by("created_at") if "loket tambahan" in s.text), None)
    if first_queue is not None:
        services.suggestion_decide(
            suggestion=first_queue, status=SuggestionStatus.CONSIDERING, actor=admin, now=_days_ago(3)
        )
    return Rating.objects.count()


demo.register(
    "satisfaction",
    load,
    after=["applications", "feedback", "queueing"],
    summary=lambda count: f"{count} ratings",
)
