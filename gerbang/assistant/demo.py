"""Demo conversations: questions people asked over the past weeks (kept masked, as every stored
question is), some answered and some not, so the content staff's page shows groups to work on."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gerbang.assistant import engine, services
from gerbang.assistant.models import Conversation, Turn
from gerbang.core import demo

ANSWER, UNSURE, DECLINE = engine.ReplyKind.ANSWER, engine.ReplyKind.UNSURE, engine.ReplyKind.DECLINE

# (days ago, question as typed, what the assistant made of it, score, entry, language)
ASKED: tuple[tuple[int, str, engine.ReplyKind, float, str, str], ...] = (
    (1, "paspor sy ilang gmn", ANSWER, 1.0, "faq:paspor-hilang-apa-yang-dilakukan", "id"),
    (1, "berapa biaya paspor", ANSWER, 1.0, "faq:biaya-paspor-biasa", "id"),
    (1, "bisa bawa kucing ke luar negeri?", UNSURE, 0.29, "faq:paspor-hilang-di-luar-negeri", "id"),
    (2, "bawa kucing ke luar negeri bisa ga", UNSURE, 0.27, "faq:dokumen-asli", "id"),
    (3, "kucing sy mau ikut ke luar negeri gmn", UNSURE, 0.22, "faq:dokumen-asli", "id"),
    (2, "can I bring my cat abroad", UNSURE, 0.31, "faq:dokumen-asli", "en"),
    (1, "paspor anak beda nama ayah gmn", UNSURE, 0.35, "service:paspor-biasa", "id"),
    (4, "paspor anak nama ayah beda di akta", UNSURE, 0.33, "service:paspor-biasa", "id"),
    (2, "nama saya Budi Santoso, paspor anak nama ayah beda", UNSURE, 0.34, "service:paspor-biasa", "id"),
    (5, "ganti nomor hp 081234567890 di paspor bisa?", UNSURE, 0.4, "faq:dokumen-asli", "id"),
    (3, "nomor hp di paspor ganti bisa ga", UNSURE, 0.38, "faq:dokumen-asli", "id"),
    (6, "how long is the e-passport valid", ANSWER, 0.58, "service:paspor-elektronik", "en"),
    (6, "berapa lama berlaku e-paspor", ANSWER, 0.6, "service:paspor-elektronik", "id"),
    (
        2,
        "itas suami wna habis bulan depan perpanjang dimana",
        UNSURE,
        0.41,
        "service:itas-perpanjangan",
        "id",
    ),
    (3, "jam buka kantor imigrasi mesuji", ANSWER, 0.93, "office:mesuji", "id"),
    (1, "siapa juara liga inggris", DECLINE, 0.0, "", "id"),
)
KEY = "demo-{}"


@transaction.atomic
def load() -> int:
    # The demo's catalogue and content are a new knowledge base: its document vectors are
    # computed by the worker now rather than at the periodic task's next run.
    transaction.on_commit(engine.schedule_vectors)
    if Conversation.objects.filter(key__startswith="demo-").exists():
        return Turn.objects.filter(conversation__key__startswith="demo-").count()
    now = timezone.now()
    for number, (days_ago, question, kind, score, entry, language) in enumerate(ASKED):
        source = engine.Source(key=entry, kind=entry.split(":")[0], title="", url="") if entry else None
        reply = engine.Reply(
            kind=kind,
            language=language,
            answer=source if kind == ANSWER else None,
            suggestions=(source,) if source is not None and kind == UNSURE else (),
            score=score,
            retriever="lexical",
        )
        services.turn_record(
            conversation_key=KEY.format(number),
            channel="web",
            question=question,
            reply=reply,
            answer_ms=4 + number % 5,
            asked_at=now - dt.timedelta(days=days_ago, hours=number),
        )
    return len(ASKED)


demo.register(
    "assistant", load, after=["content", "catalog"], summary=lambda count: f"{count} questions asked"
)
