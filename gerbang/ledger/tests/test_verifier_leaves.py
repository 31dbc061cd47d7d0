"""The verifier's own checks, without a server: canonical leaves v1, repeated events, the state file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gerbang.ledger.verifier import StateError, Verifier, check_leaf_v1, load_state

GOOD = {
    "v": 1,
    "id": 12,
    "code": "application.submitted",
    "subject_type": "applications.application",
    "subject_id": "7",
    "office": 3,
    "actor": "a" * 64,
    "system": None,
    "at": "2026-12-05T18:05:07.123456Z",
    "details": "b" * 64,
}


def leaf(**changes: object) -> bytes:
    value = {**GOOD, **changes}
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def test_a_canonical_leaf_v1_passes() -> None:
    assert check_leaf_v1(leaf()) == (12, [])


@pytest.mark.parametrize(
    ("data", "wrong"),
    [
        (b"not json", "is not ASCII JSON text"),
        (b"[1]", "is not a JSON object"),
        (json.dumps(GOOD).encode(), "is not in canonical form (sorted keys, no whitespace)"),
        (leaf(extra=1), "has the wrong keys (missing [], unexpected ['extra'])"),
        (leaf(id=0), "has no valid event id (0)"),
        (leaf(code=""), "code is not a non-empty string"),
        (leaf(office="3"), "office is not a number or null"),
        (leaf(actor="42"), "actor is not a keyed hash or null"),
        (leaf(details=None), "details is not a keyed hash"),
        (leaf(at="2026-12-05 18:05:07"), "at '2026-12-05 18:05:07' is not a UTC time with microseconds"),
        (
            leaf(at="2026-13-05T18:05:07.123456Z"),
            "at '2026-13-05T18:05:07.123456Z' is not a UTC time with microseconds",
        ),
    ],
)
def test_leaves_that_break_a_rule_say_which(data: bytes, wrong: str) -> None:
    assert wrong in check_leaf_v1(data)[1]


def test_a_later_version_is_not_judged() -> None:
    assert check_leaf_v1(leaf(v=2, extra=1)) == (12, ["unknown version 2: not checked"])


def test_an_event_logged_twice_is_reported() -> None:
    run = Verifier("http://log.example/")
    run._leaf_contents([leaf(), leaf(id=13), None, leaf()])
    assert run.report.problems("bad leaf") == ["leaf 3 repeats event 12, already leaf 0"]


def test_a_state_file_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_state(path) is None
    path.write_text('{"size": 3}')
    with pytest.raises(StateError):
        load_state(path)
