"""Suggestions grouped by their words, for staff reading many at once: two suggestions are in
one group when they share enough of their meaningful words (token overlap: at least two words,
and a third of the shorter one's), and groups join through any pair (single link). Simple,
explainable and stable."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from gerbang.core.personal_data import MASK, PATTERNS

T = TypeVar("T")

# Words that say nothing of what a suggestion is about, in Indonesian and English.
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "ini",
        "itu",
        "ada",
        "tidak",
        "bisa",
        "agar",
        "akan",
        "pada",
        "saya",
        "kami",
        "kita",
        "lebih",
        "sangat",
        "juga",
        "atau",
        "sudah",
        "belum",
        "harus",
        "mohon",
        "tolong",
        "supaya",
        "dalam",
        "oleh",
        "karena",
        "jika",
        "kalau",
        "bila",
        "para",
        "nya",
        "lah",
        "pun",
        "lagi",
        "saja",
        "hanya",
        "masih",
        "perlu",
        "dapat",
        "baik",
        "tapi",
        "tetapi",
        "seperti",
        "sehingga",
        "mau",
        "the",
        "and",
        "for",
        "with",
        "this",
        "that",
        "there",
        "not",
        "can",
        "should",
        "would",
        "could",
        "will",
        "more",
        "very",
        "also",
        "please",
        "have",
        "has",
        "had",
        "are",
        "was",
        "were",
        "been",
        "from",
        "into",
        "about",
        "when",
        "what",
        "which",
        "your",
        "you",
        "our",
        "their",
        "they",
        "them",
        "its",
        "it's",
        "than",
        "then",
        "too",
        "saat",
        "sekali",
        "banyak",
        "just",
        "make",
        "made",
    ]
)
MIN_OVERLAP = 0.3
# Placeholders that stand for removed data ("[•••]", "[EMAIL]", "[PHONE]"...): not words.
PLACEHOLDER = re.compile(r"\[[A-Z_]+\]|" + re.escape(MASK))


def scrubbed(text: str) -> str:
    """``text`` without what looks like personal data (an email address, a phone number, a NIK...)
    nor masked placeholders: neither says what a suggestion is about, and a group's label, read by
    staff, must not be made of someone's address ("email, contoh, sediakan")."""
    for _kind, pattern in PATTERNS:
        text = pattern.sub(" ", text)
    return PLACEHOLDER.sub(" ", text)


def _tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[^\W\d_]{3,}", scrubbed(text).lower()) if t not in STOPWORDS]


def words_of(text: str) -> frozenset[str]:
    """The meaningful words of ``text``: lower case, three letters or more, no stopwords, no
    personal data; an Indonesian "-nya" or an English plural "-s" does not hide a shared word."""
    return frozenset(_stem(token) for token in _tokens(text))


def _stem(token: str) -> str:
    if token.endswith("nya") and len(token) > 5:
        return token[:-3]
    if token.endswith("s") and not token.endswith("ss") and len(token) > 4:
        return token[:-1]
    return token


def _written(stem: str, forms: dict[str, Counter[str]]) -> str:
    """The most common way ``stem`` was written (the shortest, then the first alphabetically,
    on a tie)."""
    seen = forms.get(stem)
    if not seen:
        return stem
    return min(seen.items(), key=lambda pair: (-pair[1], len(pair[0]), pair[0]))[0]


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the shorter word set the other shares (0 to 1); 0 when they share fewer
    than two words (one common word is chance), unless one has a single word."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < min(2, len(a), len(b)):
        return 0.0
    return shared / min(len(a), len(b))


@dataclass(frozen=True)
class Group(Generic[T]):
    items: tuple[T, ...]
    # The words most of its suggestions share, most common first, as people wrote them.
    keywords: tuple[str, ...]


def group(items: Sequence[T], texts: Sequence[str], *, threshold: float = MIN_OVERLAP) -> list[Group[T]]:
    """``items`` (each with its text) in groups of similar words: biggest group first, then by
    the position of its first item; items keep their order within a group."""
    words = [words_of(text) for text in texts]
    # How each stem was written: a group is labelled with the most common written form of its
    # key ("khusus", never the stem "khusu").
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        for token in _tokens(text):
            forms.setdefault(_stem(token), Counter())[token] += 1
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if overlap(words[i], words[j]) >= threshold:
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    groups = []
    for indexes in sorted(members.values(), key=lambda found: (-len(found), found[0])):
        counts = Counter(word for i in indexes for word in words[i])
        common = [word for word, count in counts.most_common() if count > 1 or len(indexes) == 1][:3]
        labels = tuple(_written(word, forms) for word in common)
        groups.append(Group(tuple(items[i] for i in indexes), labels))
    return groups
