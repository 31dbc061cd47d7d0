"""Reading the stored questions: the ones the assistant could not answer (or answered with
little confidence) in a period, grouped by similarity for content staff."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gerbang.accounts.selectors import sessions_of
from gerbang.assistant.masking import PLACEHOLDERS
from gerbang.assistant.models import Conversation, Turn
from gerbang.assistant.normalise import STOP_WORDS, stem, words

# An answer scored below this is worth a look (the engine answers from its threshold up,
# ``engine.ANSWER_THRESHOLDS``: 0.46 lexical, 0.56 fused).
LOW_CONFIDENCE = 0.65
# Two questions are alike when their words (stemmed, without stop words) overlap this much.
ALIKE = 0.5
EXAMPLES = 5
PERIODS = (7, 30, 90)
_PLACEHOLDER_WORDS = frozenset(word for text in PLACEHOLDERS for word in words(text))

# Where a browser session keeps the key of its conversation (``views.conversation_key``).
SESSION_KEY = "assistant_conversation"


def to_improve(*, days: int, now: dt.datetime | None = None) -> QuerySet[Turn]:
    """The questions of the last ``days`` days that were not answered or were answered with low
    confidence, and that staff have not dealt with yet."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    return Turn.objects.filter(asked_at__gte=since, handled_at=None).filter(
        Q(kind="unsure") | Q(kind="answer", score__lt=LOW_CONFIDENCE)
    )


def _terms(question: str) -> frozenset[str]:
    return frozenset(
        stem(word)
        for word in words(question)
        if word not in STOP_WORDS and word not in _PLACEHOLDER_WORDS and len(word) > 1
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class Group:
    """Questions alike: how many, the commonest wording, a few examples (all masked)."""

    terms: frozenset[str]
    turns: list[Turn] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.turns)

    @property
    def wordings(self) -> list[tuple[str, int]]:
        return Counter(turn.question for turn in self.turns).most_common()

    @property
    def wording(self) -> str:
        return self.wordings[0][0]

    @property
    def examples(self) -> list[tuple[str, int]]:
        return self.wordings[:EXAMPLES]

    @property
    def language(self) -> str:
        return Counter(turn.language for turn in self.turns).most_common(1)[0][0]

    @property
    def unsure(self) -> int:
        return sum(1 for turn in self.turns if turn.kind == "unsure")

    @property
    def ids(self) -> list[int]:
        return [turn.pk for turn in self.turns]


def question_groups(turns: Iterable[Turn]) -> list[Group]:
    """``turns`` grouped by the overlap of their words; biggest groups first. A question joins
    the first group whose words it shares enough of (the group's words are its first
    question's), so a group does not drift away from what it started as."""
    groups: list[Group] = []
    for turn in sorted(turns, key=lambda each: (each.asked_at, each.pk)):
        terms = _terms(turn.question)
        best = max(groups, key=lambda group: _jaccard(terms, group.terms), default=None)
        if best is not None and _jaccard(terms, best.terms) >= ALIKE:
            best.turns.append(turn)
        else:
            groups.append(Group(terms, [turn]))
    return sorted(groups, key=lambda group: (-group.count, group.turns[0].asked_at))


# The largest id a database column holds: a larger one typed into a form names no question
# (asked of the database, it would fail instead of finding nothing).
_ID_MAX = 2**63 - 1


def turns_to_improve(ids: Iterable[int]) -> list[Turn]:
    """The questions named by ``ids`` that still wait for staff (a form's hidden fields: anything
    else is ignored)."""
    wanted = [pk for pk in ids if 0 < pk <= _ID_MAX]
    return list(Turn.objects.filter(pk__in=wanted, handled_at=None).order_by("asked_at", "pk"))


# --- A person's questions (UU PDP) -----------------------------------------------------------------


def conversations_of(person: Any) -> QuerySet[Conversation]:
    """The conversations of ``person``'s signed-in sessions. A conversation names no account: its
    key is kept in the browser's session, so it is the person's only while a session signed in
    to their account holds it (and not once the session has ended)."""
    keys = [data[SESSION_KEY] for _key, data in sessions_of(person) if isinstance(data.get(SESSION_KEY), str)]
    return Conversation.objects.filter(key__in=keys)
