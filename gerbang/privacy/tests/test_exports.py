from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from gerbang.accounts.tests.factories import UserFactory
from gerbang.core import formatting
from gerbang.core.data_subjects import Section
from gerbang.privacy import exports
from gerbang.privacy.models import Request
from gerbang.privacy.services import Copy

pytestmark = pytest.mark.django_db

WRITTEN = "2026-12-05T21:50:35.346815+00:00"  # 6 December, 04:50 in Jakarta
LONG_ANSWER = "Jalan Kebon Jeruk Raya nomor dua belas " * 40 + "x" * 400


def a_case() -> dict[str, Any]:
    return {
        "number": "MSJ-2026-7K3QA-BCDEFG",
        "state": "submitted",
        "state_label": "Submitted",
        "for_child": True,
        "answers": {"full_name": "Siti Rahmawati", "home_address": LONG_ANSWER, "mother": {"name": "Aminah"}},
        "fee": 350000,
        "created_at": WRITTEN,
        "kept_until": "2036-12-06",
        "personal_data_erased_at": None,
        "deliveries": [{"channel": "Email", "delivered": False}],
    }


def a_copy(*sections: Section) -> Copy:
    request = Request(pk=12, received_at=timezone.now())
    return Copy(request=request, sections=list(sections))


def pdf_text(copy: Copy, language: str) -> str:
    subject = UserFactory.build(full_name="Siti Rahmawati", email="siti@example.com")
    with translation.override(language):
        pdf = exports.as_pdf(copy, subject)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        # Labels whose Indonesian is already in the catalogues.
        ("id", ["Nomor", "Status Submitted", "Dibuat", "Biaya Rp 350.000", "Ya"]),
        ("en", ["Number", "State Submitted", "For a child Yes", "Created", "Kept until", "Fee Rp 350,000"]),
    ],
)
def test_the_pdf_names_every_value_in_the_persons_language(language: str, words: list[str]) -> None:
    text = pdf_text(a_copy(Section("applications", "Applications", [a_case()])), language)
    for word in words:
        assert word in text
    # No code names, no raw ISO times, no JSON.
    for code in (
        "for_child",
        "created_at",
        "kept_until",
        "state_label",
        "personal_data_erased_at",
        "submitted",
        "{",
    ):
        assert code not in text
    assert "2026-12-05" not in text and "21:50" not in text


@pytest.mark.parametrize("language", ["id", "en"])
def test_times_and_days_are_shown_in_the_sites_local_time(language: str) -> None:
    text = pdf_text(a_copy(Section("applications", "Applications", [a_case()])), language)
    with translation.override(language):
        written = formatting.moment(datetime(2026, 12, 5, 21, 50, 35, tzinfo=UTC))
        kept = formatting.day(date(2036, 12, 6))
    assert written.endswith("WIB") and ("04.50" in written or "04:50" in written)
    assert written in text and kept in text


def test_nested_answers_are_lines_of_label_and_value_and_long_ones_wrap() -> None:
    section = Section("applications", "Applications", [a_case()], labels={"home_address": "Home address"})
    text = pdf_text(a_copy(section), "en")
    assert "Full name: Siti Rahmawati" in text
    assert "Home address: Jalan Kebon Jeruk" in text  # the provider's label
    assert "Mother: Name: Aminah" in text  # unknown keys humanised, nesting kept
    assert "Channel: Email Delivered: No" in text
    # The whole long answer is there, wrapped within the page (not cut off at its edge).
    assert text.count("Jalan Kebon Jeruk Raya") == 40


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_value_wraps_within_the_a4_page(tmp_path: Path) -> None:
    subject = UserFactory.build(full_name="Siti", email="siti@example.com")
    with translation.override("en"):
        pdf = exports.as_pdf(a_copy(Section("applications", "Applications", [a_case()])), subject)
    (tmp_path / "copy.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed tool on a file of our own
        ["pdftotext", "-bbox", str(tmp_path / "copy.pdf"), str(tmp_path / "boxes.html")],  # noqa: S607
        check=True,
    )
    boxes = (tmp_path / "boxes.html").read_text()
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes)[1])  # type: ignore[index]
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert round(page_width) == 595  # A4, in points
    # Every word, the 400 x's of the long answer too, ends inside the right margin (14 mm).
    assert right_edges and max(right_edges) <= page_width - 39


def test_labels_the_apps_use_are_all_named_and_unknown_keys_humanised() -> None:
    assert exports.humanise("for_child") == "For child"
    assert exports.humanise("applications.documents") == "Applications documents"
    with translation.override("en"):
        assert str(exports.LABELS["for_child"]) == "For a child"
    with translation.override("en"):
        rows = exports.pdf_sections(a_copy(Section("x", "X", [{"some_new_key": 1, "number": "A"}])))[0][
            "rows"
        ]
    assert rows == [[("Some new key", "1"), ("Number", "A")]]


def test_a_long_section_shows_its_last_records_and_says_where_the_rest_are() -> None:
    rows = [{"number": f"N-{i}"} for i in range(exports.PDF_ROWS + 5)]
    with translation.override("en"):
        section = exports.pdf_sections(a_copy(Section("x", "X", rows)))[0]
    assert len(section["rows"]) == exports.PDF_ROWS and section["left_out"] == 5
    assert section["rows"][-1] == [("Number", f"N-{exports.PDF_ROWS + 4}")]


def test_the_json_keeps_its_keys_and_values() -> None:
    data = exports.as_data(a_copy(Section("applications", "Applications", [a_case()])), UserFactory.create())
    row = data["sections"]["applications"]["rows"][0]
    assert row["for_child"] is True and row["created_at"] == WRITTEN and row["state"] == "submitted"
