"""Indonesia's provinces, regencies and cities by their Kemendagri codes (see data/README.md).

``regency_name("1811")`` is "Kabupaten Mesuji"; ``province_name("1811")`` is "Lampung". The table
is read once per process from the CSV carried with the app.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions.csv"
SOURCE = "Kepmendagri No. 300.2.2-2138 Tahun 2025"


@cache
def _names() -> dict[str, str]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def is_regency(code: str) -> bool:
    """Whether ``code`` (4 digits) is a regency or city in the list."""
    return len(code) == 4 and code in _names()


def regency_name(code: str) -> str | None:
    """The regency or city of a 4-digit code, or None when the list has no such code."""
    return _names().get(code) if len(code) == 4 else None


def province_name(code: str) -> str | None:
    """The province of a code's first two digits, or None when the list has no such province."""
    return _names().get(code[:2])


def area_label(code: str) -> str:
    """How a page names one code of a working area: "Kabupaten Mesuji (1811)", or the code alone
    when the list does not know it (an area set before the list changed)."""
    name = regency_name(code)
    return f"{name} ({code})" if name else code
