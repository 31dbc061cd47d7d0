"""Read endpoints of the catalogue: offices and services with fees and standards."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from gerbang.catalog import selectors
from gerbang.catalog.models import Office, Service, ServiceTerms
from gerbang.core.exceptions import NotFound
from gerbang.core.http import public_read

router = Router(tags=["catalogue"])


# Opening hours are wall-clock times at the office, not instants: they carry no offset. The
# office's time zone (``time_zone``) says where they are read.
_LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_LOCAL_TIME_HELP = (
    "Local wall-clock time at the office, HH:MM on the 24-hour clock, in the office's time_zone."
)


class OpeningPeriod(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday, 6 = Sunday.")
    opens: str = Field(pattern=_LOCAL_TIME, description=_LOCAL_TIME_HELP, examples=["08:00"])
    closes: str = Field(pattern=_LOCAL_TIME, description=_LOCAL_TIME_HELP, examples=["16:00"])


class OfficeServiceOut(Schema):
    service: str
    available: bool
    unavailable_reason: str
    unavailable_until: date | None


class OfficeOut(Schema):
    code: str
    name: str
    office_class: str
    province: str
    regency: str
    address: str
    phone: str
    email: str
    latitude: Decimal | None
    longitude: Decimal | None
    time_zone: str = Field(
        description="IANA time zone of the office: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).",
        examples=["Asia/Jakarta"],
    )
    opening_hours: list[OpeningPeriod]


class OfficeDetailOut(OfficeOut):
    services: list[OfficeServiceOut]


class FeePart(Schema):
    label: str
    amount: int


class TermsOut(Schema):
    effective_from: date
    fee: int
    fee_breakdown: list[FeePart]
    standard_working_days: int
    payment_deadline_hours: int
    legal_basis: str


class RequirementOut(Schema):
    name: str
    format: str
    applies_to: str


class ServiceOut(Schema):
    code: str
    category: str
    audience: str
    name: str
    summary: str
    office_visit_required: bool
    online_only: bool
    terms: TermsOut | None
    coming_terms: TermsOut | None


class ServiceDetailOut(ServiceOut):
    eligibility: str
    steps: list[str]
    requirements: list[RequirementOut]
    offices: list[str]


def _office(office: Office) -> dict[str, object]:
    return {
        "code": office.code,
        "name": str(office.name),
        "office_class": office.office_class,
        "province": office.province,
        "regency": office.regency,
        "address": office.address,
        "phone": office.phone,
        "email": office.email,
        "latitude": office.latitude,
        "longitude": office.longitude,
        "time_zone": office.time_zone,
        "opening_hours": [
            {"weekday": p.weekday, "opens": _wall_clock(p.opens), "closes": _wall_clock(p.closes)}
            for p in office.opening_hours.all()
        ],
    }


def _wall_clock(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _terms(terms: ServiceTerms | None) -> dict[str, object] | None:
    if terms is None:
        return None
    english = (translation.get_language() or "id").startswith("en")
    return {
        "effective_from": terms.effective_from,
        "fee": terms.fee,
        "fee_breakdown": [
            {"label": part["label_en"] if english else part["label_id"], "amount": part["amount"]}
            for part in terms.fee_breakdown
        ],
        "standard_working_days": terms.standard_working_days,
        "payment_deadline_hours": terms.payment_deadline_hours,
        "legal_basis": terms.legal_basis,
    }


def _service(service: Service) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "code": service.code,
        "category": service.category,
        "audience": service.audience,
        "name": str(service.name),
        "summary": str(service.summary),
        "office_visit_required": service.office_visit_required,
        "online_only": service.online_only,
        "terms": _terms(selectors.terms_in_force(service, today)),
        "coming_terms": _terms(selectors.terms_coming(service, today)),
    }


@router.get("/offices", response=list[OfficeOut])
@decorate_view(public_read)
@paginate(PageNumberPagination, page_size=50)
def list_offices(request: HttpRequest, q: str = "") -> list[dict[str, object]]:
    return [_office(office) for office in selectors.office_search(q)]


@router.get("/offices/{code}", response=OfficeDetailOut)
@decorate_view(public_read)
def get_office(request: HttpRequest, code: str) -> dict[str, object]:
    office = selectors.office_by_code(code)
    if office is None:
        raise NotFound(field="code")
    return {
        **_office(office),
        "services": [
            {
                "service": link.service.code,
                "available": link.offered_now,
                "unavailable_reason": "" if link.offered_now else link.why_not,
                "unavailable_until": link.back_by,
            }
            for link in office.office_services.all()
        ],
    }


@router.get("/services", response=list[ServiceOut])
@decorate_view(public_read)
@paginate(PageNumberPagination, page_size=50)
def list_services(request: HttpRequest, category: str = "") -> list[dict[str, object]]:
    services = selectors.public_services().prefetch_related("terms")
    if category:
        services = services.filter(category=category)
    return [_service(service) for service in services]


@router.get("/services/{code}", response=ServiceDetailOut)
@decorate_view(public_read)
def get_service(request: HttpRequest, code: str) -> dict[str, object]:
    service = selectors.service_by_code(code)
    if service is None:
        raise NotFound(field="code")
    return {
        **_service(service),
        "eligibility": str(service.eligibility),
        "steps": service.step_list,
        "requirements": [
            {"name": str(r.name), "format": str(r.format), "applies_to": r.applies_to}
            for r in service.requirements.all()
        ],
        "offices": [link.office.code for link in selectors.offices_offering(service)],
    }
