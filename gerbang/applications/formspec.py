"""The application forms of every service, as data, in one place.

A form is a list of steps, each a list of fields; a field has a kind (which decides how it is
checked), a label, inline help, and optionally a condition on another field. Services map to
forms by code. One generic view and one service read these; there is no view per service.
Document upload slots are not listed here: they come from the catalogue's requirements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, textarea, name, nik, family_card, date_past, date_future, phone, email, postal_code,
    # choice, country, passport_number, mrz, reference (a number another office gave: letters,
    # digits, - / and .)
    label: str | Promise
    help: str | Promise = ""
    required: bool = True
    choices: tuple[tuple[str, str | Promise], ...] = ()
    # Shown and checked only when another field has one of the given values.
    show_if: tuple[str, tuple[str, ...]] | None = None
    max_length: int = 200


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    intro: str | Promise
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class FormSpec:
    key: str
    steps: tuple[Step, ...]
    # Whether the applicant uploads a photo (checked against the photo rules).
    photo: bool = False
    # Fixed requirement cases of the service (e.g. a lost passport), besides those from answers.
    fixed_cases: frozenset[str] = field(default_factory=frozenset)

    def field_map(self) -> dict[str, Field]:
        return {f.name: f for step in self.steps for f in step.fields}

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)


SEX_CHOICES = (("M", _("Male")), ("F", _("Female")))
PURPOSE_CHOICES = (
    ("tourism", _("Tourism or family visit")),
    ("work", _("Work")),
    ("study", _("Study")),
    ("pilgrimage", _("Hajj or umrah")),
    ("business", _("Business")),
    ("other", _("Other")),
)
OFFICIAL_PASSPORT_CHOICES = (
    ("none", _("No")),
    ("diplomatic", _("Yes, a diplomatic passport")),
    ("service", _("Yes, a service passport")),
)
PREVIOUS_PASSPORT_CHOICES = (
    ("none", _("This is my first passport")),
    ("has", _("I have (or had) a passport")),
)

FULL_NAME = Field(
    "full_name",
    "name",
    _("Full name"),
    _("As on the identity card (KTP-el) or birth certificate. Letters, spaces, - and ' only."),
)
# A foreigner's name, as on the passport (a KTP-el is an Indonesian's card).
FULL_NAME_AS_ON_PASSPORT = Field(
    "full_name",
    "name",
    _("Full name"),
    _("As printed on the passport's data page. Letters, spaces, - and ' only."),
)
SEX = Field("sex", "choice", _("Sex"), choices=SEX_CHOICES)
DATE_OF_BIRTH = Field("date_of_birth", "date_past", _("Date of birth"), _("DD/MM/YYYY, e.g. 17/08/1990."))
PLACE_OF_BIRTH = Field("place_of_birth", "text", _("Place of birth"), _("City or regency."), max_length=80)
NIK = Field(
    "nik",
    "nik",
    _("NIK"),
    _("Your own 16-digit number, on your KTP-el (and beside your name on the family card)."),
)
FAMILY_CARD = Field(
    "family_card",
    "family_card",
    _("Family card number"),
    _(
        "The 16-digit number at the top of the family card (Kartu Keluarga). Optional, but with it "
        "the civil registry confirms your data sooner."
    ),
    required=False,
)
MOTHER_NAME = Field("mother_name", "name", _("Mother's full name"), _("As on the family card."))
ADDRESS = Field(
    "address",
    "textarea",
    _("Address"),
    _("Street, number, RT/RW, village, district, regency."),
    max_length=300,
)
POSTAL_CODE = Field("postal_code", "postal_code", _("Postal code"), _("5 digits."))
PHONE = Field("phone", "phone", _("Mobile phone number"), _("We send updates about this application to it."))
PURPOSE = Field("purpose", "choice", _("Main purpose of travel"), choices=PURPOSE_CHOICES)
MRZ_HELP = _(
    "The two lines of 44 characters at the bottom of the passport's data page, each on its own "
    "line. Type < exactly as printed."
)

IDENTITY_CITIZEN = Step(
    "identity",
    _("About the applicant"),
    _("The person the passport is for. If you apply for your child, enter the child's data."),
    (FULL_NAME, SEX, DATE_OF_BIRTH, PLACE_OF_BIRTH, NIK, FAMILY_CARD, MOTHER_NAME),
)
CONTACT = Step(
    "contact",
    _("Address and contact"),
    _("Where we can reach you about this application."),
    (ADDRESS, POSTAL_CODE, PHONE),
)


def _passport_step(*, previous: str) -> Step:
    """The travel step of citizen passport forms; ``previous`` = optional, required, lost."""
    fields: list[Field] = [PURPOSE]
    if previous == "optional":
        fields.append(
            Field("previous_passport", "choice", _("Previous passport"), choices=PREVIOUS_PASSPORT_CHOICES)
        )
        condition: tuple[str, tuple[str, ...]] | None = ("previous_passport", ("has",))
    else:
        condition = None
    if previous == "lost":
        fields += [
            Field(
                "old_passport_number",
                "passport_number",
                _("Number of the lost passport"),
                _("If you know it; the office can also look it up."),
                required=False,
            ),
            Field("loss_date", "date_past", _("Date of the loss")),
            Field(
                "police_report_number",
                "text",
                _("Police report number"),
                _("From the police loss report (surat keterangan hilang)."),
                max_length=60,
            ),
        ]
    else:
        fields += [
            Field("old_passport_number", "passport_number", _("Previous passport number"), show_if=condition),
            Field(
                "mrz",
                "mrz",
                _("Machine-readable lines of the previous passport"),
                MRZ_HELP,
                show_if=condition,
            ),
        ]
    fields += [
        Field(
            "official_passport",
            "choice",
            _(
                "Has the Ministry of Foreign Affairs issued you a diplomatic or service passport, or "
                "is a request for one in progress?"
            ),
            _(
                "State officials on duty abroad, and their families, receive these from the ministry, "
                "not from an immigration office."
            ),
            required=False,
            choices=OFFICIAL_PASSPORT_CHOICES,
        ),
        Field(
            "official_passport_request",
            "reference",
            _("The ministry's request number"),
            _(
                "Only if you answered yes above: as on the ministry's receipt of the request, e.g. PD-2026-004512."
            ),
            show_if=("official_passport", ("diplomatic", "service")),
            max_length=30,
        ),
    ]
    return Step(
        "travel",
        _("Travel and previous passport"),
        _("Tell us about your trip and any passport you hold."),
        tuple(fields),
    )


PASSPORT_NEW = FormSpec("passport_new", (IDENTITY_CITIZEN, CONTACT, _passport_step(previous="optional")))
PASSPORT_REPLACEMENT = FormSpec(
    "passport_replacement",
    (IDENTITY_CITIZEN, CONTACT, _passport_step(previous="required")),
    fixed_cases=frozenset({"has_passport"}),
)
PASSPORT_DAMAGED = FormSpec(
    "passport_damaged",
    (IDENTITY_CITIZEN, CONTACT, _passport_step(previous="required")),
    fixed_cases=frozenset({"has_passport", "damaged"}),
)
PASSPORT_LOST = FormSpec(
    "passport_lost",
    (IDENTITY_CITIZEN, CONTACT, _passport_step(previous="lost")),
    fixed_cases=frozenset({"lost"}),
)

FOREIGNER = FormSpec(
    "foreigner",
    (
        Step(
            "identity",
            _("About the applicant"),
            _("As printed on the passport's data page."),
            (
                FULL_NAME_AS_ON_PASSPORT,
                SEX,
                DATE_OF_BIRTH,
                PLACE_OF_BIRTH,
                Field("nationality", "country", _("Nationality")),
            ),
        ),
        Step(
            "passport",
            _("Passport"),
            _("The passport you travel with; it must be valid for at least six more months."),
            (
                Field("passport_number", "passport_number", _("Passport number")),
                Field("passport_expiry", "date_future", _("Passport valid until"), _("DD/MM/YYYY.")),
                Field("mrz", "mrz", _("Machine-readable lines of the passport"), MRZ_HELP),
            ),
        ),
        Step(
            "stay",
            _("Stay in Indonesia"),
            _("Your address and sponsor in Indonesia."),
            (
                ADDRESS,
                POSTAL_CODE,
                PHONE,
                Field(
                    "sponsor_name",
                    "text",
                    _("Sponsor (person or company)"),
                    _("Leave empty if you have none."),
                    required=False,
                    max_length=150,
                ),
            ),
        ),
    ),
    photo=True,
)

AFFIDAVIT = FormSpec(
    "affidavit",
    (
        Step(
            "identity",
            _("About the child"),
            _("The child with dual citizenship the affidavit is for."),
            (
                FULL_NAME,
                SEX,
                DATE_OF_BIRTH,
                PLACE_OF_BIRTH,
                Field("nationality", "country", _("Other nationality of the child")),
                Field("passport_number", "passport_number", _("The child's foreign passport number")),
            ),
        ),
        CONTACT,
    ),
    photo=True,
)

SERVICE_FORMS: dict[str, FormSpec] = {
    "paspor-biasa": PASSPORT_NEW,
    "e-paspor": PASSPORT_NEW,
    "paspor-percepatan": PASSPORT_NEW,
    "paspor-penggantian": PASSPORT_REPLACEMENT,
    "paspor-rusak": PASSPORT_DAMAGED,
    "paspor-hilang": PASSPORT_LOST,
    "affidavit": AFFIDAVIT,
}
FORMS: dict[str, FormSpec] = {
    spec.key: spec
    for spec in (PASSPORT_NEW, PASSPORT_REPLACEMENT, PASSPORT_DAMAGED, PASSPORT_LOST, FOREIGNER, AFFIDAVIT)
}
# Services that only a parent applies for (the subject is always a child).
CHILD_ONLY_SERVICES = frozenset({"affidavit"})
# Below this age a parent applies on the child's behalf.
ADULT_AGE = 17


def form_for(service_code: str, audience: str) -> FormSpec:
    if service_code in SERVICE_FORMS:
        return SERVICE_FORMS[service_code]
    return FOREIGNER if audience == "foreigner" else PASSPORT_NEW
