"""The assistant's labelled evaluation set and the code that scores the engine on it.

``questions.jsonl`` holds one question per line, written the way people ask (Indonesian formal
and everyday, English, mixed, typos, no punctuation)::

    {"question": "paspor sy ilang gmn", "expected": ["faq:paspor-hilang-apa-yang-dilakukan",
     "guide:paspor-hilang", "service:paspor-hilang"], "language": "id", "style": "everyday",
     "split": "calibration"}

``expected`` is every entry key that answers it (``notice:*``: any notice in force), or
``"decline"`` (outside immigration) or ``"personal"`` (about the asker's own data, with the
``topic``). ``notices: true`` marks questions whose reply must carry the live notices.
``split`` keeps half of each kind and style for calibrating the threshold (``calibration``)
and half to report on honestly (``held-out``).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gerbang.assistant import engine, knowledge
from gerbang.assistant.engine import Reply, ReplyKind

QUESTIONS = Path(__file__).with_name("questions.jsonl")

# The goals of issue 18.
GOAL_TOP1 = 0.92
GOAL_DECLINES = 0.95
GOAL_P95_LEXICAL_MS = 50.0
GOAL_P95_FUSED_MS = 200.0


@dataclass(frozen=True)
class Question:
    question: str
    expected: tuple[str, ...] | str
    language: str
    style: str
    split: str
    topic: str = ""
    notices: bool = False

    @property
    def kind(self) -> str:
        return self.expected if isinstance(self.expected, str) else "answer"

    def accepts(self, key: str) -> bool:
        if isinstance(self.expected, str):
            return False
        return any(
            key == wanted or (wanted.endswith(":*") and key.startswith(wanted[:-1]))
            for wanted in self.expected
        )


def load(path: Path = QUESTIONS) -> list[Question]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data: dict[str, Any] = json.loads(line)
        expected = data["expected"]
        rows.append(
            Question(
                question=data["question"],
                expected=expected if isinstance(expected, str) else tuple(expected),
                language=data["language"],
                style=data["style"],
                split=data.get("split", "held-out"),
                topic=data.get("topic", ""),
                notices=bool(data.get("notices", False)),
            )
        )
    return rows


@dataclass
class Outcome:
    question: Question
    reply: Reply
    milliseconds: float

    @property
    def top1(self) -> bool:
        return (
            self.reply.kind == ReplyKind.ANSWER
            and self.reply.answer is not None
            and self.question.accepts(self.reply.answer.key)
        )

    @property
    def top3(self) -> bool:
        shown = ([self.reply.answer] if self.reply.answer else []) + list(self.reply.suggestions)
        return any(self.question.accepts(source.key) for source in shown[:3])

    @property
    def correct(self) -> bool:
        kind = self.question.kind
        if kind == "decline":
            return self.reply.kind == ReplyKind.DECLINE
        if kind == "personal":
            return self.reply.kind == ReplyKind.PERSONAL
        return self.top1

    def invented(self, figures: knowledge.Figures | None = None) -> list[str]:
        shown = (
            ([self.reply.answer] if self.reply.answer else [])
            + list(self.reply.suggestions)
            + list(self.reply.notices)
        )
        return [fact for source in shown for fact in knowledge.invented_figures(source, figures)]


@dataclass
class Report:
    retriever: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _share(self, found: Iterable[bool]) -> float:
        values = list(found)
        return sum(values) / len(values) if values else 0.0

    def answerable(self, split: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.kind == "answer" and split in (None, o.question.split)]

    def of_kind(self, kind: str, split: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.kind == kind and split in (None, o.question.split)]

    def top1(self, split: str | None = None) -> float:
        return self._share(o.top1 for o in self.answerable(split))

    def top3(self, split: str | None = None) -> float:
        return self._share(o.top3 for o in self.answerable(split))

    def declines(self, split: str | None = None) -> float:
        return self._share(o.correct for o in self.of_kind("decline", split))

    def personal(self, split: str | None = None) -> float:
        return self._share(o.correct for o in self.of_kind("personal", split))

    def personal_topics(self) -> float:
        return self._share(
            o.reply.personal_topic is not None and o.reply.personal_topic.value == o.question.topic
            for o in self.of_kind("personal")
        )

    def false_declines(self) -> list[Outcome]:
        return [
            o for o in self.outcomes if o.question.kind != "decline" and o.reply.kind == ReplyKind.DECLINE
        ]

    def false_personal(self) -> list[Outcome]:
        return [
            o for o in self.outcomes if o.question.kind != "personal" and o.reply.kind == ReplyKind.PERSONAL
        ]

    def wrong_answers(self) -> list[Outcome]:
        """Answers given with confidence that are not the right entry (the worse kind of error)."""
        return [o for o in self.outcomes if o.reply.kind == ReplyKind.ANSWER and not o.top1]

    def notices_missing(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.notices and not o.reply.notices]

    def invented(self) -> list[tuple[Outcome, str]]:
        figures = knowledge.all_figures_in_force()
        return [(o, fact) for o in self.outcomes for fact in o.invented(figures)]

    def by(self, attribute: str) -> dict[str, tuple[int, float, float]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.answerable():
            groups[getattr(outcome.question, attribute)].append(outcome)
        return {
            name: (len(found), self._share(o.top1 for o in found), self._share(o.top3 for o in found))
            for name, found in sorted(groups.items())
        }

    def latency(self, percentile: float) -> float:
        times = sorted(o.milliseconds for o in self.outcomes)
        if not times:
            return 0.0
        if len(times) == 1:
            return times[0]
        return statistics.quantiles(times, n=100, method="inclusive")[int(percentile) - 1]


def run(questions: list[Question], *, retriever: str = "lexical") -> Report:
    report = Report(retriever)
    engine.current_index()  # built (and its vectors loaded) before the clock starts
    for question in questions:
        reply, milliseconds = engine.timed_reply(question.question, retriever=retriever)
        report.outcomes.append(Outcome(question, reply, milliseconds))
    return report


def calibrate(
    questions: list[Question], *, retriever: str = "lexical"
) -> tuple[float, list[tuple[float, int, int, int]]]:
    """The answer threshold that serves the calibration questions best: each answerable
    question answered right counts one, each wrong answer (a wrong entry, or an answer to a
    question that should be declined) costs two; below the threshold the reply is unsure. Also
    the table of candidates: (threshold, right, wrong, unsure)."""
    index = engine.current_index()
    seen: list[tuple[float, bool | None]] = []  # (score, right?) ; None: should not be answered
    for question in questions:
        if question.kind == "personal" or engine.is_greeting(question.question):
            continue
        if engine.personal_topic(question.question) or engine.outside_immigration(question.question):
            continue
        ranked, _used = index.rank(question.question, retriever=retriever)
        if not ranked:
            continue
        seen.append(
            (ranked[0].score, question.accepts(ranked[0].entry.key) if question.kind == "answer" else None)
        )
    table = []
    for step in range(0, 101, 2):
        threshold = step / 100
        answered_right = sum(1 for score, ok in seen if score >= threshold and ok)
        answered_wrong = sum(1 for score, ok in seen if score >= threshold and not ok)
        unsure = sum(1 for score, ok in seen if score < threshold and ok is not None)
        table.append((threshold, answered_right, answered_wrong, unsure))
    best = max(table, key=lambda row: (row[1] - 2 * row[2], -row[0]))
    return best[0], table
