"""Site search behind one small interface: SQLite FTS5 or PostgreSQL full-text search.

Apps register *providers* that yield the documents to index (services, offices, FAQ, guides,
notices), one per object and language. Indexed text and queries pass through the same
*folding*, which turns the variants people type into one form (paspor/passport,
KITAS/ITAS, e-paspor/paspor elektronik/e-passport, hilang/lost, ...), so "paspor hilang" and
"lost passport" find the same service. Ranking is the engine's own (bm25 in SQLite, ts_rank
in PostgreSQL), with the title weighted above the body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from gerbang.core.models import SearchEntry


@dataclass(frozen=True)
class Document:
    kind: str  # service, office, faq, guide, notice, rights, campaign
    key: str  # stable id of the object within its kind
    language: str
    title: str
    body: str
    url: str


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    body: str
    url: str
    language: str
    score: float


Provider = Callable[[], Iterable[Document]]
_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    _providers[kind] = provider


# Phrases first (they span words), then single words. Both sides of the search use these.
PHRASES = [
    (r"\bpaspor elektronik\b|\belectronic passports?\b|\be-?pass?ports?\b|\be-?paspor\b", "epaspor"),
    (r"\bvisa on arrival\b|\be-?voa\b", "voa"),
    (r"\bizin tinggal terbatas\b|\blimited stay permits?\b|\bk?itas\b", "itas"),
    (r"\bizin tinggal tetap\b|\bpermanent stay permits?\b|\bk?itap\b", "itap"),
    (r"\bizin masuk kembali\b|\bexit re-?entry permits?\b|\berp\b", "erp"),
    (r"\balih status\b|\bstatus transfer\b|\btransfer of (?:stay )?status\b", "alihstatus"),
    (r"\bkantor imigrasi\b|\bimmigration offices?\b|\bkanim\b", "kanim"),
    (r"\bcuti bersama\b|\bcollective leave\b", "cutibersama"),
]
WORDS = {
    "passport": "paspor",
    "passports": "paspor",
    "pasport": "paspor",
    "lost": "hilang",
    "damaged": "rusak",
    "broken": "rusak",
    "fee": "biaya",
    "fees": "biaya",
    "cost": "biaya",
    "price": "biaya",
    "tarif": "biaya",
    "child": "anak",
    "children": "anak",
    "renew": "perpanjang",
    "renewal": "perpanjang",
    "extend": "perpanjang",
    "extension": "perpanjang",
    "perpanjangan": "perpanjang",
    "replacement": "penggantian",
    "replace": "penggantian",
    "ganti": "penggantian",
    "office": "kantor",
    "offices": "kantor",
    "payment": "bayar",
    "pay": "bayar",
    "pembayaran": "bayar",
    "membayar": "bayar",
    "appointment": "jadwal",
    "queue": "antrean",
    "antrian": "antrean",
}
_TOKEN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn known variants into one form."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    for pattern, replacement in PHRASES:
        text = re.sub(pattern, replacement, text)
    return " ".join(WORDS.get(token, token) for token in _TOKEN.findall(text))


# --- Index -----------------------------------------------------------------------------------


def _fts_available() -> bool:
    return connection.vendor == "sqlite"


@transaction.atomic
def rebuild() -> int:
    """Re-index everything the providers yield (idempotent)."""
    SearchEntry.objects.all().delete()
    if _fts_available():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_search_fts")
    count = 0
    for provider in _providers.values():
        count += _insert(provider())
    return count


@transaction.atomic
def replace(kind: str, key: str, documents: Iterable[Document]) -> None:
    """Re-index one object (all its languages), e.g. after it was published or changed."""
    stale = list(SearchEntry.objects.filter(kind=kind, key=key).values_list("pk", flat=True))
    if stale and _fts_available():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM core_search_fts WHERE rowid IN ({','.join('%s' for _ in stale)})",  # noqa: S608
                stale,
            )
    SearchEntry.objects.filter(pk__in=stale).delete()
    _insert(documents)


def _insert(documents: Iterable[Document]) -> int:
    entries = [
        SearchEntry(
            kind=d.kind,
            key=d.key,
            language=d.language,
            title=d.title,
            body=d.body,
            url=d.url,
            title_folded=fold(d.title),
            body_folded=fold(d.body),
        )
        for d in documents
    ]
    created = SearchEntry.objects.bulk_create(entries)  # both engines return the new ids
    if _fts_available() and created:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO core_search_fts(rowid, title, body) VALUES (%s, %s, %s)",
                [(e.pk, e.title_folded, e.body_folded) for e in created],
            )
    return len(entries)


# --- Query -----------------------------------------------------------------------------------


# Words too common to tell documents apart; dropped from queries (documents keep them).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
        "ada",
        "apa",
        "bagaimana",
        "dan",
        "dari",
        "di",
        "dengan",
        "ini",
        "itu",
        "ke",
        "kapan",
        "mana",
        "saya",
        "siapa",
        "untuk",
        "yang",
    ]
)


def _terms(query: str) -> list[str]:
    return [term for term in dict.fromkeys(fold(query).split()) if term not in STOP_WORDS][:12]


# What people look for most is a service or an office; among equally good matches those come
# first, then guides, then single answers and notices.
KIND_WEIGHTS = {"service": 2.0, "office": 1.5, "guide": 1.2, "faq": 1.0, "notice": 1.0}


def search(query: str, *, language: str, limit: int = 20) -> list[Hit]:
    """Objects matching the query, best first, one hit per object, shown in ``language``
    when the object has it."""
    terms = _terms(query)
    if not terms:
        return []
    ranked = _rank_sqlite(terms) if _fts_available() else _rank_postgres(terms)
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for entry_id, kind, key, raw_score in ranked:
        score = raw_score * KIND_WEIGHTS.get(kind, 1.0)
        if (kind, key) not in best or score > best[(kind, key)][0]:
            best[(kind, key)] = (score, entry_id)
    order = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
    wanted = {(kind, key) for (kind, key), _ in order}
    entries: dict[tuple[str, str], SearchEntry] = {}
    for entry in SearchEntry.objects.filter(
        kind__in={k for k, _ in wanted}, key__in={key for _, key in wanted}
    ):
        slot = (entry.kind, entry.key)
        if slot in wanted and (slot not in entries or entry.language == language):
            entries[slot] = entry
    return [
        Hit(e.kind, e.key, e.title, e.body, e.url, e.language, score)
        for (slot, (score, _entry_id)) in order
        if (e := entries.get(slot)) is not None
    ]


def _rank_sqlite(terms: list[str]) -> list[tuple[int, str, str, float]]:
    # Any term may match (OR); documents matching more terms, and in the title, rank higher.
    match = " OR ".join(f'"{term}"*' if len(term) >= 3 else f'"{term}"' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id, e.kind, e.key, -bm25(core_search_fts, 8.0, 1.0) AS score "
            "FROM core_search_fts JOIN core_searchentry e ON e.id = core_search_fts.rowid "
            "WHERE core_search_fts MATCH %s ORDER BY score DESC LIMIT 200",
            [match],
        )
        return [(row[0], row[1], row[2], float(row[3])) for row in cursor.fetchall()]


def _rank_postgres(terms: list[str]) -> list[tuple[int, str, str, float]]:
    query = " | ".join(f"{term}:*" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, key, ts_rank(document, to_tsquery('simple', %s)) AS score "
            "FROM core_searchentry WHERE document @@ to_tsquery('simple', %s) "
            "ORDER BY score DESC LIMIT 200",
            [query, query],
        )
        return [(row[0], row[1], row[2], float(row[3])) for row in cursor.fetchall()]
