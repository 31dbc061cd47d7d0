"""Every event code the codebase records is decided by the registry: logged, or explicitly
excluded. A new code fails here until someone decides whether the public log takes it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gerbang.core import events
from gerbang.core.actors import DEMO
from gerbang.core.models import Event
from gerbang.ledger import registry

GERBANG = Path(__file__).resolve().parents[2]
CODE = re.compile(r"[a-z]+(?:_[a-z]+)*\.[a-z_]+(?:\.[a-z_]+)*")
PREFIX = re.compile(r"[a-z]+(?:_[a-z]+)*\.")
# Strings in the files that record events which look like codes and are not (message kinds,
# model labels, settings): they are not codes, so they need no decision.
NOT_CODES = re.compile(
    r"(accounts|catalog|applications|appointments|payments|queueing|feedback|core)\.[a-z_]+"
)


def _records_events(path: Path, text: str) -> bool:
    return path.name == "events.py" or any(
        needle in text for needle in ("events.record(", "events.record_many(", "_record(")
    )


def recorded_codes() -> dict[str, str]:
    """Every event code (or code prefix, ending with a dot, from an f-string) written in a module
    that records events, with the module it is in."""
    found: dict[str, str] = {}
    for path in sorted(GERBANG.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts) or path.parent.name == "ledger":
            continue
        text = path.read_text()
        if not _records_events(path, text):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value):
                found.setdefault(node.value, str(path.relative_to(GERBANG)))
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if (
                    isinstance(head, ast.Constant)
                    and isinstance(head.value, str)
                    and PREFIX.fullmatch(head.value)
                ):
                    found.setdefault(head.value, str(path.relative_to(GERBANG)))
    return {code: where for code, where in found.items() if not NOT_CODES.fullmatch(code)}


def test_the_census_finds_the_codes_it_should() -> None:
    codes = recorded_codes()
    for code in (
        "application.",
        "application.created",
        "payment.refunded",
        "queue.called",
        "account.signed_in",
    ):
        assert code in codes
    assert "report.viewed" in codes and "participation.texts_read" in codes
    assert "consultation.attachment_viewed" in codes and "report.attachment_viewed" in codes


def test_every_recorded_code_is_decided() -> None:
    undecided = {code: where for code, where in recorded_codes().items() if not registry.is_decided(code)}
    assert not undecided, (
        "Event codes the ledger's registry does not decide (add each to LOGGED_PREFIXES, "
        f"STAFF_READ_*, EXCLUDED_CODES or EXCLUDED_PREFIXES in gerbang/ledger/registry.py): {undecided}"
    )


@pytest.mark.parametrize(
    ("code", "logged"),
    [
        ("application.created", True),
        ("application.approved", True),
        ("application.case_viewed", True),
        ("application.document_viewed", True),
        ("payment.refunded", True),
        ("application.personal_data_erased", True),
        ("application.draft_deleted", True),
        ("payment.personal_data_erased", True),
        ("appointment.personal_data_erased", True),
        ("queue.personal_data_erased", True),
        ("payment.anomaly.settlement_mismatch", True),
        ("appointment.booked", True),
        ("appointment.cancelled_by_office", True),
        ("appointment.quota_set", False),
        ("forecast.quotas_applied", False),
        ("queue.walk_in", True),
        ("queue.counter_opened", False),
        ("report.submitted", True),
        ("report.viewed", True),
        ("consultation.viewed", True),
        ("consultation.attachment_viewed", True),
        ("report.attachment_viewed", True),
        ("suggestion.decided", True),
        ("rating.viewed", True),
        ("rating.given", False),
        ("participation.texts_read", True),
        ("participation.results_exported", True),
        ("participation.posted", False),
        ("account.signed_in", False),
        ("content.faq_saved", False),
        ("risk.flag_raised", True),
        ("risk.flag_decided", True),
        ("risk.flag_withdrawn", True),
        ("risk.model_fitted", False),
        ("unknown.thing", False),
    ],
)
def test_what_is_logged(code: str, logged: bool) -> None:
    assert registry.is_logged(code) is logged


@pytest.mark.django_db
def test_the_database_filter_says_what_is_logged_says(office_a: object) -> None:
    codes = sorted(
        {*recorded_codes(), "unknown.thing", "application_x.created", "payment%.x", "queue_walk_in"}
    )
    codes = [code + "x" if code.endswith(".") else code for code in codes]
    for code in codes:
        events.record(code, actor=DEMO, subject=office_a)  # type: ignore[arg-type]
    selected = set(Event.objects.filter(registry.logged_events_q()).values_list("code", flat=True))
    assert selected == {code for code in codes if registry.is_logged(code)}
