"""One way to write money and moments per language (gerbang.core.formatting, gerbang.formats),
and nothing else writes them: no template formats a day or a time by hand."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from gerbang.core import formatting

ROOT = Path(__file__).resolve().parents[3]
MOMENT = datetime(2026, 12, 3, 16, 29, tzinfo=UTC)  # 23:29 in Jakarta, 00:29 the next day in Makassar


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            [
                "3 Desember 2026, 23.29 WIB",
                "4 Desember 2026, 00.29 WITA",
                "23.29",
                "08.30",
                "3 Desember 2026",
            ],
        ),
        (
            "en",
            [
                "3 December 2026, 23:29 WIB",
                "4 December 2026, 00:29 WITA",
                "23:29",
                "08:30",
                "3 December 2026",
            ],
        ),
    ],
)
def test_one_format_per_kind_of_moment(language: str, expected: list[str]) -> None:
    with translation.override(language):
        assert [
            formatting.moment(MOMENT),
            formatting.moment(MOMENT, "Asia/Makassar"),
            formatting.clock(MOMENT),
            formatting.clock(time(8, 30)),
            formatting.day(date(2026, 12, 3)),
        ] == expected
        # The day of a moment is its day where it happens.
        assert formatting.day(MOMENT, "Asia/Jayapura") == formatting.day(date(2026, 12, 4))


def test_weekday_and_the_template_filters_agree() -> None:
    template = Template(
        "{% load gerbang %}{{ d|weekday }}|{{ m|office_time:office }}|{{ m|office_clock:office }}|{{ m|office_time }}"
    )

    class Office:
        time_zone = "Asia/Jayapura"

    with translation.override("id"):
        rendered = template.render(Context({"d": date(2026, 12, 3), "m": MOMENT, "office": Office()}))
    assert rendered == "Kamis, 3 Desember 2026|4 Desember 2026, 01.29 WIT|01.29|3 Desember 2026, 23.29 WIB"
    with translation.override("en"):
        assert formatting.weekday(date(2026, 12, 3)) == "Thursday, 3 December 2026"


def test_money_is_written_as_each_language_writes_it() -> None:
    text = formatting.money_text("Fee %(fee)s", fee=1_350_000)
    with translation.override("id"):
        assert formatting.rupiah(350_000) == "Rp 350.000" and str(text) == "Fee Rp 1.350.000"
    with translation.override("en"):
        assert formatting.rupiah(350_000) == "Rp 350,000" and str(text) == "Fee Rp 1,350,000"


# What a template may still give Django's own date filter: machine-readable forms only.
MACHINE_FORMATS = {"c", "Y-m-d", "U", "r"}


def test_decimals_are_written_with_each_languages_mark_and_rounded_half_up() -> None:
    from decimal import Decimal

    with translation.override("id"):
        assert formatting.number(3.67, 1) == "3,7"
        assert formatting.number(Decimal("0.111"), 3) == "0,111"
        assert formatting.number(1234.5, 1) == "1234,5"
    with translation.override("en"):
        assert formatting.number(3.65, 1) == "3.7"
        assert formatting.number(4, 1) == "4.0"
        assert formatting.number(None, 1) == ""


def test_no_template_formats_a_day_or_time_by_hand() -> None:
    found = []
    templates = [t for t in ROOT.glob("gerbang/**/templates/**/*") if t.suffix in {".html", ".txt", ".xml"}]
    assert len(templates) > 100
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"\|(date|time)\b(?::[\"']([^\"']*)[\"'])?", text):
            if match.group(1) == "time" or match.group(2) not in MACHINE_FORMATS:
                found.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not found, "use |day, |weekday, |office_time or |office_clock:\n" + "\n".join(found)


def test_no_python_writes_a_day_or_time_for_people_by_hand() -> None:
    """strftime is for machines (MRZ, iCalendar, a form's own input format), never for text."""
    allowed = {"%y%m%d", "%Y%m%dT%H%M%SZ", "%d/%m/%Y"}
    found = []
    modules = [m for m in ROOT.glob("gerbang/**/*.py") if not {"tests", "migrations"} & set(m.parts)]
    assert len(modules) > 100
    for module in modules:
        for fmt in re.findall(r"strftime\(\"([^\"]*)\"\)", module.read_text(encoding="utf-8")):
            if fmt not in allowed:
                found.append(f"{module.relative_to(ROOT)}: {fmt}")
    assert not found, "use gerbang.core.formatting:\n" + "\n".join(found)
