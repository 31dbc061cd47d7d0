"""The open-data catalogue of the public statistics in DCAT (W3C Data Catalog Vocabulary, the
DCAT-AP profile's classes and properties), as JSON-LD at ``/statistik/katalog.jsonld``: each
dataset with its licence, how often it changes, the period it covers and its distributions
(the page, CSV and JSON for the whole country and for every office, the API, and the latest
version of every release), each with its media type, so that a data portal (Satu Data
Indonesia, data.go.id, a harvester) can list them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gerbang.catalog.models import Office
from gerbang.transparency.releases import published
from gerbang.transparency.selectors import DEFAULT_PERIOD, months_back

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
DAILY = "http://publications.europa.eu/resource/authority/frequency/DAILY"
MEDIA = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _both(text: Any) -> list[dict[str, str]]:
    """A text in Indonesian and English, as JSON-LD language-tagged strings."""
    found = []
    for language in ("id", "en"):
        with translation.override(language):
            found.append({"@language": language, "@value": str(text())})
    return found


def _distribution(site: str, title: str, path: str, query: dict[str, str], media: str) -> dict[str, Any]:
    address = f"{site}{path}" + (f"?{urlencode(query)}" if query else "")
    found = {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": f"{site}{reverse('transparency:statistics')}"},
        "dcat:downloadURL": {"@id": address},
        "dcat:mediaType": {"@id": MEDIA + media},
        "dct:license": {"@id": LICENCE},
    }
    if media == "text/csv":  # the CSV's columns are typed by its Table Schema
        found["dct:conformsTo"] = {"@id": f"{site}{reverse('transparency:data_package')}"}
    return found


def catalogue(site: str, today: date) -> dict[str, Any]:
    """The catalogue, its addresses under ``site`` (the site's address without the final /)."""
    months = months_back(DEFAULT_PERIOD, today)
    csv, data = reverse("transparency:data_csv"), reverse("transparency:data_json")
    distributions = [
        _distribution(site, "CSV", csv, {"periode": str(DEFAULT_PERIOD)}, "text/csv"),
        _distribution(site, "JSON", data, {"periode": str(DEFAULT_PERIOD)}, "application/json"),
        _distribution(site, "API (JSON)", "/api/v1/statistics/applications", {}, "application/json"),
        _distribution(
            site, "Data Package (Table Schema)", reverse("transparency:data_package"), {}, "application/json"
        ),
        _distribution(
            site,
            "Metadata MS-Ind (Satu Data Indonesia)",
            reverse("transparency:sdi_metadata"),
            {},
            "application/json",
        ),
    ]
    for office in Office.objects.public().order_by("code"):
        query = {"kantor": office.code, "periode": str(DEFAULT_PERIOD)}
        distributions.append(_distribution(site, f"CSV — {office.name}", csv, query, "text/csv"))
    # The latest version of every released period: a frozen file that never changes.
    for each in published():
        latest = each.versions[0]
        release = _distribution(
            site,
            f"CSV — {each.period.label} (v{latest.version})",
            reverse("transparency:release_csv", args=[each.period.slug, latest.version]),
            {},
            "text/csv",
        )
        release["dct:issued"] = {"@value": latest.published_at.isoformat(), "@type": "xsd:dateTime"}
        release["dcat:accessURL"] = {"@id": f"{site}{reverse('transparency:releases')}"}
        distributions.append(release)
    return {
        "@context": CONTEXT,
        "@id": f"{site}{reverse('transparency:catalogue')}",
        "@type": "dcat:Catalog",
        "dct:title": _both(lambda: _("Gerbang open data: immigration public services")),
        "dct:description": _both(
            lambda: _(
                "Statistics of the immigration offices' public services, counted every day from the cases."
            )
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _both(lambda: _("Immigration authority"))},
        "dct:language": [
            {"@id": "http://id.loc.gov/vocabulary/iso639-1/id"},
            {"@id": "http://id.loc.gov/vocabulary/iso639-1/en"},
        ],
        "dct:license": {"@id": LICENCE},
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "@id": f"{site}{reverse('transparency:statistics')}#applications",
                "dct:identifier": "gerbang-applications-monthly",
                "dct:title": _both(
                    lambda: _("Applications per month: volumes, outcomes and working days to a decision")
                ),
                "dct:description": _both(
                    lambda: _(
                        "Per office and service and month: applications submitted, approved, refused, "
                        "withdrawn and expired unpaid; the share decided within the service standard; "
                        "working days from payment to decision and to ready for pickup (p50, p80, p95). "
                        "Counts of fewer than ten people are withheld."
                    )
                ),
                "dcat:keyword": [
                    "imigrasi",
                    "paspor",
                    "pelayanan publik",
                    "immigration",
                    "passport",
                    "public service",
                ],
                "dct:accrualPeriodicity": {"@id": DAILY},
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {"@value": months[0].isoformat(), "@type": "xsd:date"},
                    "dcat:endDate": {"@value": today.isoformat(), "@type": "xsd:date"},
                },
                "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/IDN"},
                "dct:modified": {"@value": today.isoformat(), "@type": "xsd:date"},
                "dcat:landingPage": {"@id": f"{site}{reverse('transparency:statistics')}"},
                # What every column means (the data dictionary), for people.
                "foaf:page": {"@id": f"{site}{reverse('transparency:dictionary')}"},
                "dct:license": {"@id": LICENCE},
                "dcat:distribution": distributions,
            }
        ],
    }
