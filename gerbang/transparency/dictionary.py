"""The data dictionary of the statistics' files: every column of the CSV and JSON, what it
counts, its type and unit, how it is computed and whether it may be withheld.

One description serves three readers: people (the page at ``/statistik/kamus-data/``),
programs (a Frictionless Data Package with its Table Schema, ``datapackage.json``, which tools
such as ``frictionless validate`` check the CSV against) and Satu Data Indonesia's portals (the
statistical indicator metadata, MS-Ind, of Peraturan BPS Nomor 5 Tahun 2020, ``metadata-sdi.json``).
A test holds it to ``exports.COLUMNS``: a column added there without a description fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

PEOPLE, COMPLAINTS, DAYS, WORKING_DAYS, MINUTES, HOURS, SHARE, CODE = (
    "people",
    "complaints",
    "days",
    "working_days",
    "minutes",
    "hours",
    "share",
    "code",
)
UNITS = {
    PEOPLE: gettext_lazy("applications"),
    COMPLAINTS: gettext_lazy("complaints"),
    DAYS: gettext_lazy("calendar days"),
    WORKING_DAYS: gettext_lazy("working days"),
    MINUTES: gettext_lazy("minutes"),
    HOURS: gettext_lazy("hours"),
    SHARE: gettext_lazy("from 0 to 1"),
    CODE: gettext_lazy("code"),
}
# What kind of figure each is (MS-Ind's "ukuran").
COUNT, RATIO, PERCENTILE, LABEL = "count", "ratio", "percentile", "label"
MEASURES = {
    COUNT: gettext_lazy("count"),
    RATIO: gettext_lazy("proportion"),
    PERCENTILE: gettext_lazy("percentile"),
    LABEL: gettext_lazy("classification"),
}
HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # the Table Schema type: string, yearmonth, integer, number, boolean
    measure: str
    unit: str | None
    title: StrPromise
    definition: StrPromise
    method: StrPromise | None = None
    share: int | None = None  # a percentile's share (50 for the median)
    built_from: tuple[str, ...] = ()
    better: str | None = None  # which way is better, where one is
    withheld: bool = True  # may be withheld (empty) by the small-count rule

    def text(self, attribute: str) -> str:
        value = getattr(self, attribute)
        if value is None:
            return ""
        if self.share is None:
            return str(value)
        return str(value) % {"share": self.share}

    @property
    def interpretation(self) -> str:
        if self.better == HIGHER:
            return _("The higher, the better.")
        if self.better == LOWER:
            return _("The lower, the better.")
        return ""


def _percentiles(
    name: str,
    unit: str,
    title: StrPromise,
    definition: StrPromise,
    shares: tuple[int, ...] = (50, 80, 95),
) -> list[Column]:
    return [
        Column(
            f"{name}_p{share}",
            "integer",
            PERCENTILE,
            unit,
            title,
            definition,
            gettext_lazy(
                "The %(share)sth percentile: the smallest value that %(share)s of every 100 "
                "reach or stay under (nearest rank)."
            ),
            share=share,
            better=LOWER,
        )
        for share in shares
    ]


COLUMNS: tuple[Column, ...] = (
    Column(
        "month",
        "yearmonth",
        LABEL,
        None,
        gettext_lazy("Month"),
        gettext_lazy("The calendar month counted (YYYY-MM), each office at its own local time."),
        withheld=False,
    ),
    Column(
        "office",
        "string",
        LABEL,
        CODE,
        gettext_lazy("Office"),
        gettext_lazy("The office's code, as in the addresses of its pages; empty for all offices."),
        withheld=False,
    ),
    Column(
        "service",
        "string",
        LABEL,
        CODE,
        gettext_lazy("Service"),
        gettext_lazy("The service's code, as in the addresses of its pages; empty for all services."),
        withheld=False,
    ),
    Column(
        "submitted",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Applications submitted"),
        gettext_lazy("Applications submitted in the month (drafts never sent are not counted)."),
    ),
    Column(
        "approved",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Approved"),
        gettext_lazy("Decisions to approve taken in the month and still standing."),
    ),
    Column(
        "rejected",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Refused"),
        gettext_lazy("Decisions to refuse taken in the month and still standing."),
    ),
    Column(
        "withdrawn",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Withdrawn"),
        gettext_lazy("Submitted applications the applicant cancelled in the month."),
    ),
    Column(
        "expired",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Expired unpaid"),
        gettext_lazy("Submitted applications whose bill lapsed unpaid in the month."),
    ),
    Column(
        "decided",
        "integer",
        COUNT,
        PEOPLE,
        gettext_lazy("Decisions"),
        gettext_lazy("Decisions taken in the month and still standing."),
        gettext_lazy("approved + rejected"),
        built_from=("approved", "rejected"),
    ),
    Column(
        "approval_rate",
        "number",
        RATIO,
        SHARE,
        gettext_lazy("Approval rate"),
        gettext_lazy("The share of the month's decisions that approved the application."),
        gettext_lazy("approved ÷ decided"),
        built_from=("approved", "decided"),
    ),
    Column(
        "decisions_within_standard",
        "number",
        RATIO,
        SHARE,
        gettext_lazy("Decided within the service standard"),
        gettext_lazy(
            "The share of the month's decisions taken by their due date: the service standard's "
            "working days counted from the payment of the fee."
        ),
        gettext_lazy("decisions by their due date ÷ decisions"),
        better=HIGHER,
    ),
    *_percentiles(
        "decision_days",
        WORKING_DAYS,
        gettext_lazy("Working days to a decision, %(share)sth percentile"),
        gettext_lazy("Working days at the office from the payment of the fee to the decision."),
    ),
    *_percentiles(
        "ready_days",
        WORKING_DAYS,
        gettext_lazy("Working days to ready for pickup, %(share)sth percentile"),
        gettext_lazy("Working days at the office from the payment of the fee to the document being ready."),
    ),
    Column(
        "service_standard_days",
        "integer",
        LABEL,
        WORKING_DAYS,
        gettext_lazy("Service standard"),
        gettext_lazy(
            "The working days the service standard promises, from payment to decision; empty when the "
            "row is for several services."
        ),
        withheld=False,
    ),
    *_percentiles(
        "appointment_lead_days",
        DAYS,
        gettext_lazy("Days to the first free appointment, %(share)sth percentile"),
        gettext_lazy(
            "Calendar days from the booking to the first free day the applicant was shown before choosing."
        ),
    ),
    *_percentiles(
        "wait_minutes",
        MINUTES,
        gettext_lazy("Minutes waited at the office, %(share)sth percentile"),
        gettext_lazy("Whole minutes from taking the ticket at the office to the first call to a counter."),
    ),
    Column(
        "bills_paid_within_deadline",
        "number",
        RATIO,
        SHARE,
        gettext_lazy("Bills paid before their deadline"),
        gettext_lazy(
            "Of the bills that ended in the month (paid or lapsed), the share paid by their deadline."
        ),
        gettext_lazy("bills paid by the deadline ÷ bills paid or lapsed"),
        better=HIGHER,
    ),
    *_percentiles(
        "hours_to_pay",
        HOURS,
        gettext_lazy("Hours to pay, %(share)sth percentile"),
        gettext_lazy("Hours from the bill to its payment, for the bills paid in the month."),
        shares=(50, 80),
    ),
    Column(
        "complaints",
        "integer",
        COUNT,
        COMPLAINTS,
        gettext_lazy("Complaints received"),
        gettext_lazy("Complaints about the office received in the month."),
    ),
    Column(
        "complaints_within_service_level",
        "number",
        RATIO,
        SHARE,
        gettext_lazy("Complaints handled within their service level"),
        gettext_lazy(
            "Of the complaints closed in the month, the share handled within their service level at every step."
        ),
        gettext_lazy("complaints closed never overdue ÷ complaints closed"),
        better=HIGHER,
    ),
    Column(
        "month_complete",
        "boolean",
        LABEL,
        None,
        gettext_lazy("Month complete"),
        gettext_lazy("The present month's rows say False: its figures still grow."),
        withheld=False,
    ),
)


def described(column: Column) -> dict[str, Any]:
    """One column for people, in the active language."""
    return {
        "name": column.name,
        "title": column.text("title"),
        "definition": column.text("definition"),
        "method": column.text("method"),
        "kind": column.kind,
        "measure": str(MEASURES[column.measure]),
        "unit": str(UNITS[column.unit]) if column.unit else "",
        "interpretation": column.interpretation,
        "withheld": column.withheld,
    }


def data_package(site: str, dataset: str, min_cell: int, releases: list[str] | None = None) -> dict[str, Any]:
    """The Frictionless Data Package of the CSV (https://specs.frictionlessdata.io/), in the
    active language: its Table Schema types every column, so a tool can check the file. With
    ``releases`` (the addresses of the latest version of every released period), a second
    resource types them: the same columns, the first one the period."""
    fields = []
    for column in COLUMNS:
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.kind,
            "title": column.text("title"),
            "description": " ".join(
                part for part in (column.text("definition"), column.text("method")) if part
            ),
        }
        if column.unit:
            field["unit"] = str(UNITS[column.unit])
        if column.kind in ("integer", "number") and column.unit != CODE:
            field["constraints"] = {"minimum": 0, **({"maximum": 1} if column.unit == SHARE else {})}
        fields.append(field)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": dataset.split("/")[0],
        "version": dataset.split("/")[1],
        "title": _("Applications per month: volumes, outcomes and working days to a decision"),
        "homepage": f"{site}{reverse('transparency:dictionary')}",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "name": "monthly",
                "profile": "tabular-data-resource",
                "path": f"{site}{reverse('transparency:data_csv')}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields,
                    "missingValues": [""],
                    "primaryKey": ["month", "office", "service"],
                },
                "description": _(
                    "An empty cell is withheld: fewer than %(k)d people are behind it, or it would give one "
                    "that is away."
                )
                % {"k": min_cell},
            }
        ],
    }
    if releases:
        period = {
            "name": "period",
            "type": "string",
            "title": _("Period"),
            "description": _("A month (YYYY-MM), or the months of a quarter or a year (YYYY-MM/YYYY-MM)."),
            "constraints": {"pattern": r"\d{4}-\d{2}(/\d{4}-\d{2})?"},
        }
        package["resources"].append(
            {
                "name": "releases",
                "profile": "tabular-data-resource",
                "path": releases,  # one file per period, all with the same columns
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [period, *fields[1:]],
                    "missingValues": [""],
                    "primaryKey": ["period", "office", "service"],
                },
                "description": _("The latest version of every released period, frozen."),
            }
        )
    return package


def sdi_metadata(site: str, dataset: str, min_cell: int) -> dict[str, Any]:
    """The statistical indicator metadata (MS-Ind) of every figure, in Indonesian, with the
    items of Peraturan BPS Nomor 5 Tahun 2020 on statistical metadata, for Satu Data Indonesia."""
    with translation.override("id"):
        indicators = [
            {
                "kode": column.name,
                "nama_indikator": column.text("title"),
                "konsep": column.text("title"),
                "definisi": column.text("definition"),
                "interpretasi": column.interpretation,
                "metode_perhitungan": column.text("method"),
                "ukuran": str(MEASURES[column.measure]),
                "satuan": str(UNITS[column.unit]) if column.unit else "",
                "klasifikasi_penyajian": ["kantor imigrasi", "layanan", "bulan"],
                "indikator_komposit": bool(column.built_from),
                "indikator_pembangun": list(column.built_from),
                "level_estimasi": "kantor imigrasi dan nasional",
                "akses_umum": True,
                "dapat_disembunyikan": column.withheld,
            }
            for column in COLUMNS
            if column.measure != LABEL
        ]
        return {
            "standar": "Peraturan BPS Nomor 5 Tahun 2020 tentang Petunjuk Teknis Metadata Statistik (MS-Ind)",
            "kegiatan": {
                "judul": _("Applications per month: volumes, outcomes and working days to a decision"),
                "kode_dataset": dataset,
                "penyelenggara": _("Immigration authority"),
                "cara_pengumpulan": _(
                    "Counted every day from the cases themselves (administrative records)."
                ),
                "frekuensi_penyajian": "harian, per bulan",
                "cakupan_wilayah": "Indonesia",
                "kerahasiaan": _(
                    "A count of fewer than %(k)d people is withheld, with the counts that would give it away."
                )
                % {"k": min_cell},
                "lisensi": "https://creativecommons.org/licenses/by/4.0/",
                "halaman": f"{site}{reverse('transparency:dictionary')}",
            },
            "indikator": indicators,
        }
