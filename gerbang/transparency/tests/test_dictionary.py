"""The data dictionary describes every column of the files, and the files keep to it: the CSV of
the demo's figures (national, and one office and service) checked against the Table Schema the
dictionary publishes, as a validating tool would."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client

from gerbang.transparency import dictionary, exports

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_every_column_of_the_files_is_described_once_in_order() -> None:
    assert [column.name for column in dictionary.COLUMNS] == list(exports.COLUMNS)


def _valid(field: dict[str, Any], text: str) -> bool:
    kind, limits = field["type"], field.get("constraints", {})
    if kind == "yearmonth":
        return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text) is not None
    if kind == "boolean":
        return text in ("True", "False")
    if kind == "string":
        return re.fullmatch(limits.get("pattern", r"[a-z0-9-]+"), text) is not None
    number = int(text) if kind == "integer" else float(text)
    return limits.get("minimum", number) <= number <= limits.get("maximum", number)


@pytest.mark.parametrize("query", [{}, {"kantor": "mesuji", "layanan": "paspor-biasa"}])
def test_the_csv_keeps_to_its_table_schema(client: Client, query: dict[str, str]) -> None:
    package = client.get("/statistik/datapackage.json").json()
    resource = package["resources"][0]
    assert resource["path"].endswith("/statistik/data.csv")
    fields = resource["schema"]["fields"]
    missing = resource["schema"]["missingValues"]
    may_be_empty = {c.name for c in dictionary.COLUMNS if c.withheld} | {
        "office",
        "service",
        "service_standard_days",
    }
    response = client.get("/statistik/data.csv", query)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [field["name"] for field in fields]
    assert len(rows) > 2
    shown = 0
    for row in rows[1:]:
        for field, text in zip(fields, row, strict=True):
            if text in missing:
                assert field["name"] in may_be_empty, (field["name"], row)
                continue
            assert _valid(field, text), (field["name"], text)
            shown += 1
    assert shown > len(rows)  # not a file of empty cells


def test_the_releases_keep_to_their_table_schema(client: Client) -> None:
    package = client.get("/statistik/datapackage.json").json()
    resource = next(r for r in package["resources"] if r["name"] == "releases")
    fields = resource["schema"]["fields"]
    assert resource["path"] and [f["name"] for f in fields][:3] == ["period", "office", "service"]
    for address in resource["path"]:
        rows = list(csv.reader(io.StringIO(client.get(address).content.decode())))
        assert rows[0] == [field["name"] for field in fields]
        for row in rows[1:]:
            for field, text in zip(fields, row, strict=True):
                assert text in resource["schema"]["missingValues"] or _valid(field, text), (field, text)


def test_the_page_explains_every_column_in_both_languages(client: Client) -> None:
    english = client.get("/statistik/kamus-data/")
    assert english.status_code == 200
    page = english.content.decode()
    for column in dictionary.COLUMNS:
        assert f'id="{column.name}"' in page
    assert "Working days to a decision, 80th percentile" in page
    assert "approved ÷ decided" in page
    assert "/statistik/datapackage.json" in page and "/statistik/metadata-sdi.json" in page
    indonesian = Client().get("/statistik/kamus-data/").content.decode()
    assert "Kamus data" in indonesian and "persentil ke-80" in indonesian
    # Reached from the statistics page.
    assert "/statistik/kamus-data/" in client.get("/statistik/").content.decode()


def test_the_indicator_metadata_for_satu_data_indonesia_is_in_indonesian(client: Client) -> None:
    metadata = client.get("/statistik/metadata-sdi.json").json()
    assert "Peraturan BPS Nomor 5 Tahun 2020" in metadata["standar"]
    indicators = {each["kode"]: each for each in metadata["indikator"]}
    assert "month" not in indicators and "office" not in indicators  # classifications, not figures
    rate = indicators["approval_rate"]
    assert rate["indikator_komposit"] is True and rate["indikator_pembangun"] == ["approved", "decided"]
    assert rate["metode_perhitungan"] == "disetujui ÷ diputuskan"
    assert indicators["decisions_within_standard"]["interpretasi"] == "Makin tinggi makin baik."
    assert indicators["wait_minutes_p80"]["satuan"] == "menit"


def test_the_catalogue_links_the_dictionary_and_types_its_csv(client: Client) -> None:
    catalogue = client.get("/statistik/katalog.jsonld").json()
    dataset = catalogue["dcat:dataset"][0]
    assert dataset["foaf:page"]["@id"].endswith("/statistik/kamus-data/")
    csvs = [d for d in dataset["dcat:distribution"] if d["dcat:mediaType"]["@id"].endswith("text/csv")]
    assert csvs and all(d["dct:conformsTo"]["@id"].endswith("/statistik/datapackage.json") for d in csvs)
    titles = {d["dct:title"] for d in dataset["dcat:distribution"]}
    assert "Metadata MS-Ind (Satu Data Indonesia)" in titles


def test_the_catalogue_lists_every_release(client: Client) -> None:
    from gerbang.transparency.releases import published

    catalogue = client.get("/statistik/katalog.jsonld").json()
    addresses = {d["dcat:downloadURL"]["@id"] for d in catalogue["dcat:dataset"][0]["dcat:distribution"]}
    for each in published():
        assert any(
            a.endswith(f"/statistik/rilis/{each.period.slug}/v{each.versions[0].version}.csv")
            for a in addresses
        )
