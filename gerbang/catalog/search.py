"""What the catalogue gives the site search: services and offices, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import terms_in_force
from gerbang.core.bilingual import LANGUAGE_CODES, pick
from gerbang.core.search import Document


def service_documents(service: Service) -> Iterator[Document]:
    url = reverse("catalog:service_detail", args=[service.code])
    terms = terms_in_force(service, timezone.localdate())
    fee = f"biaya fee {terms.fee}" if terms is not None else ""
    for language in LANGUAGE_CODES:
        requirements = " ".join(str(pick(r, "name", language)) for r in service.requirements.all())
        yield Document(
            kind="service",
            key=service.code,
            language=language,
            title=str(pick(service, "name", language)),
            body=" ".join(
                [
                    str(pick(service, "summary", language)),
                    str(pick(service, "eligibility", language)),
                    requirements,
                    service.get_category_display(),
                    fee,
                ]
            ),
            url=url,
        )


def office_documents(office: Office) -> Iterator[Document]:
    url = reverse("catalog:office_detail", args=[office.code])
    for language in LANGUAGE_CODES:
        yield Document(
            kind="office",
            key=office.code,
            language=language,
            title=str(pick(office, "name", language)),
            body=f"{office.regency} {office.province} {office.address}",
            url=url,
        )


def documents() -> Iterator[Document]:
    for service in Service.objects.filter(is_active=True).prefetch_related("requirements"):
        yield from service_documents(service)
    for office in Office.objects.public():
        yield from office_documents(office)
