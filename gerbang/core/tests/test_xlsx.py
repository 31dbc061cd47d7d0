"""The minimal spreadsheet writer: read back by unzipping it and parsing its XML."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from gerbang.core import xlsx

NS = {"m": xlsx.MAIN, "r": xlsx.RELATIONSHIPS}


def read_back(data: bytes) -> dict[str, list[list[object]]]:
    """Each sheet's rows as the XML says (text as str, numbers as Decimal), by sheet name."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert "[Content_Types].xml" in names and "_rels/.rels" in names
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - our own output
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314 - our own output
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    sheets: dict[str, list[list[object]]] = {}
    for sheet in workbook.find("m:sheets", NS) or []:
        target = targets[sheet.get(f"{{{xlsx.RELATIONSHIPS}}}id")]
        root = ElementTree.fromstring(archive.read(f"xl/{target}"))  # noqa: S314 - our own output
        rows = []
        for row in root.iter(f"{{{xlsx.MAIN}}}row"):
            values: list[object] = []
            for cell in row:
                kind = cell.get("t")
                if kind == "inlineStr":
                    values.append("".join(t.text or "" for t in cell.iter(f"{{{xlsx.MAIN}}}t")))
                elif kind == "b":
                    values.append(cell.find("m:v", NS).text == "1")  # type: ignore[union-attr]
                else:
                    values.append(Decimal(cell.find("m:v", NS).text))  # type: ignore[union-attr,arg-type]
            rows.append(values)
        sheets[sheet.get("name") or ""] = rows
    return sheets


def test_text_and_numbers_are_read_back_in_their_sheets() -> None:
    first = xlsx.Sheet("IKM", [["Unsur", "NRR"], ['Persyaratan <& "biaya">', Decimal("3.125")], ["U2", 4]])
    second = xlsx.Sheet("Trend", [["Periode", "IKM", "Di bawah sampel"], ["2026-Q4", 82.5, True]])
    sheets = read_back(xlsx.workbook([first, second]))
    assert list(sheets) == ["IKM", "Trend"]
    assert sheets["IKM"] == [
        ["Unsur", "NRR"],
        ['Persyaratan <& "biaya">', Decimal("3.125")],
        ["U2", Decimal(4)],
    ]
    assert sheets["Trend"][1] == ["2026-Q4", Decimal("82.5"), True]


def test_sheet_names_are_made_acceptable_and_unique() -> None:
    sheets = read_back(xlsx.workbook([xlsx.Sheet("a/b:c" + "x" * 40), xlsx.Sheet("A/B:C" + "x" * 40)]))
    names = list(sheets)
    assert len(names) == 2 and len({n.lower() for n in names}) == 2
    assert all(len(name) <= 31 and "/" not in name and ":" not in name for name in names)


def test_cells_are_addressed_past_z() -> None:
    assert [xlsx.column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    data = xlsx.workbook([xlsx.Sheet("Wide", [list(range(30))])])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="AD1"><v>29</v></c>' in xml


def test_characters_xml_cannot_carry_are_dropped_and_empty_cells_skipped() -> None:
    sheets = read_back(xlsx.workbook([xlsx.Sheet("S", [["a\x00b", None, " spaced "]])]))
    assert sheets["S"] == [["ab", " spaced "]]
