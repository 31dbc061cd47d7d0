"""How a question (and the knowledge base) becomes index terms.

``fold`` lower-cases, strips accents and punctuation, turns everyday Indonesian into standard
words, then the field's phrases and concepts into one token each (``synonyms.py``, plus the
staff's ``Synonym`` rows given as ``extra``). ``terms`` then drops stop words, corrects typos
against the knowledge base's vocabulary (a light edit distance, only for words it does not
know) and stems: Indonesian with Sastrawi (cached per word: it is slow per call), English with
a light suffix stripper. Questions and entries go through the same steps, so both meet in one
vocabulary whatever language they were written in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from gerbang.assistant.synonyms import CONCEPTS, EVERYDAY, PHRASES

_TOKEN = re.compile(r"[0-9a-z]+")


def word_set(text: str) -> frozenset[str]:
    """The words of a text written as a list of words (the tables below)."""
    return frozenset(text.split())


_COMPILED_PHRASES = [(re.compile(pattern), token) for pattern, token in PHRASES]

# Words that tell no entry from another, in both languages (questions and entries drop them).
STOP_WORDS = word_set("""
    a an and are as at be by can could do does did for from have has had how i im in is it its me
    my of on or our please should the this that there to us we what  where which  why will
    with would you your get got want need am was were if about any some
    ada adakah apa apakah bagaimana bagaimanakah berapa bisa boleh dan dari di dengan dong deh gitu
    ini itu ke kah kak kakak kalau kamu  kenapa kok lah mau mohon nya pak bu sih saja saya
     tanya tolong untuk yang yah ya admin agan halo pagi siang sore malam juga sudah belum
    akan atau oleh pada para punya sama secara tentang tersebut dimana mengapa harus perlu apakah
    ingin min nih tuh lagi terus jadi nah aja kah bang mas mbak sis gan hi hello hey
    karena sebab because since kemana
    """)


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()


def words(text: str) -> list[str]:
    """Lower-case ASCII words, everyday spellings made standard (no phrases, no concepts)."""
    out: list[str] = []
    for token in _TOKEN.findall(strip_accents(text).replace("-", " - ")):
        out.extend(EVERYDAY.get(token, token).split())
    return out


class Folding:
    """The fold of one knowledge-base version: the built-in tables plus staff synonyms, and
    (when given) the vocabulary that corrects typos before anything else."""

    def __init__(self, extra: Mapping[str, str] | None = None, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary
        self.extra = [
            (re.compile(rf"\b{re.escape(' '.join(words(variant)))}\b"), " ".join(words(meaning)))
            for variant, meaning in sorted((extra or {}).items(), key=lambda item: -len(item[0]))
            if words(variant)
        ]

    def corrected_words(self, text: str) -> list[str]:
        """``words``, each unknown one replaced by the nearest known word (then made standard)."""
        found = words(text)
        if self.vocabulary is None:
            return found
        out: list[str] = []
        for token in found:
            out.extend(
                EVERYDAY.get(fixed, fixed).split()
                if (fixed := self.vocabulary.correct(token)) != token
                else [token]
            )
        return out

    def fold(self, text: str) -> str:
        # Hyphens join words people write apart ("e-paspor", "re-entry"): the phrase patterns
        # allow both, so keep them as spaces.
        text = " ".join(self.corrected_words(text.replace("-", " ")))
        for pattern, meaning in self.extra:
            text = pattern.sub(meaning, text)
        for compiled, replacement in _COMPILED_PHRASES:
            text = compiled.sub(replacement, text)
        return " ".join(CONCEPTS.get(token, token) for token in text.split())


def builtin_words() -> frozenset[str]:
    """Every word the tables know: never "corrected" into another one."""
    known = set(STOP_WORDS) | set(EVERYDAY) | set(CONCEPTS) | set(CONCEPTS.values())
    for value in EVERYDAY.values():
        known.update(value.split())
    for pattern, _token in PHRASES:
        known.update(word for word in re.findall(r"[a-z]{3,}", pattern.replace("\\b", " ")) if word != "b")
    return frozenset(known)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions, giving up (limit + 1) once over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def consonants(word: str) -> str:
    """A word without its vowels: what is left when people shorten it ("sttus", "pmbyrn")."""
    return re.sub(r"[aeiou]", "", word)


class Vocabulary:
    """The words the knowledge base knows; corrects an unknown word to its nearest known one."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(known)
        self.by_length: dict[int, list[str]] = {}
        for word in sorted(self.known):
            self.by_length.setdefault(len(word), []).append(word)
        self._corrected: dict[str, str] = {}

    def correct(self, word: str) -> str:
        if word in self.known or len(word) < 4 or word.isdigit():
            return word
        if word in self._corrected:
            return self._corrected[word]
        limit = 1 if len(word) < 7 else 2
        best, best_distance = word, float(limit + 1)
        skeleton = consonants(word)
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self.by_length.get(length, ()):
                # A typo rarely changes the first letter; checking it first keeps this fast.
                if candidate[0] != word[0] and length > 4:
                    continue
                distance: float = edit_distance(word, candidate, limit)
                # People shorten words by dropping vowels ("sttus", "pmbayaran"): among words
                # as near, the one with the same consonants is the one meant.
                if distance <= limit and consonants(candidate) == skeleton:
                    distance -= 0.5
                if distance < best_distance:
                    best, best_distance = candidate, distance
        self._corrected[word] = best
        return best


@lru_cache(maxsize=1)
def _sastrawi() -> object:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]  # slow to build: once

    return StemmerFactory().create_stemmer()


def _indonesian_root(word: str) -> bool:
    """An Indonesian root word (Sastrawi's dictionary): "habis" is not the plural of "habi"."""
    stemmer = _sastrawi()
    dictionary = getattr(getattr(stemmer, "delegatedStemmer", stemmer), "dictionary", None)
    return bool(dictionary is not None and dictionary.contains(word))


_ENGLISH_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Indonesian stem (Sastrawi; unknown words come back unchanged), then English light
    stemming of what is left."""
    if len(word) <= 3 or word.isdigit():
        return word
    stemmed: str = _sastrawi().stem(word)  # type: ignore[attr-defined]
    if stemmed != word or _indonesian_root(word):
        return stemmed
    for suffix in _ENGLISH_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word


def terms(text: str, folding: Folding) -> list[str]:
    """Index terms of ``text``: typos corrected, folded, stop words dropped, stemmed."""
    return [stem(token) for token in folding.fold(text).split() if token not in STOP_WORDS]
