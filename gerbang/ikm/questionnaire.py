"""The questionnaire of PermenPANRB No. 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan
Masyarakat Unit Penyelenggara Pelayanan Publik): the nine elements U1-U9, each asked on its
four-point scale with the regulation's words for each answer (1 the worst, 4 the best), and
the respondent's profile.

The source strings are English; the regulation's Indonesian wording, which is the text of
record, is in docs/ikm.md for the Indonesian catalogue (one line per string, in this order).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Element:
    code: str  # "U1" … "U9"
    field: str  # the response's column: "u1" … "u9"
    name: str | Promise
    question: str | Promise
    # The answers for scores 1, 2, 3, 4.
    answers: tuple[str | Promise, str | Promise, str | Promise, str | Promise]


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "u1",
        _("Requirements"),
        _("How well do the service's requirements suit the kind of service?"),
        (
            pgettext_lazy("ikm", "Not suitable"),
            pgettext_lazy("ikm", "Less suitable"),
            pgettext_lazy("ikm", "Suitable"),
            pgettext_lazy("ikm", "Very suitable"),
        ),
    ),
    Element(
        "U2",
        "u2",
        _("System, mechanism and procedure"),
        _("How easy is the service's procedure at this unit?"),
        (
            pgettext_lazy("ikm", "Not easy"),
            pgettext_lazy("ikm", "Less easy"),
            pgettext_lazy("ikm", "Easy"),
            pgettext_lazy("ikm", "Very easy"),
        ),
    ),
    Element(
        "U3",
        "u3",
        _("Completion time"),
        _("How fast was the service given?"),
        (
            pgettext_lazy("ikm", "Not fast"),
            pgettext_lazy("ikm", "Less fast"),
            pgettext_lazy("ikm", "Fast"),
            pgettext_lazy("ikm", "Very fast"),
        ),
    ),
    Element(
        "U4",
        "u4",
        _("Cost or fee"),
        _("How reasonable is the cost or fee of the service?"),
        (
            pgettext_lazy("ikm", "Very expensive"),
            pgettext_lazy("ikm", "Fairly expensive"),
            pgettext_lazy("ikm", "Cheap"),
            pgettext_lazy("ikm", "Free"),
        ),
    ),
    Element(
        "U5",
        "u5",
        _("Products of the service"),
        _("How well does what you received match the product listed in the service standard?"),
        (
            pgettext_lazy("ikm", "Not suitable"),
            pgettext_lazy("ikm", "Less suitable"),
            pgettext_lazy("ikm", "Suitable"),
            pgettext_lazy("ikm", "Very suitable"),
        ),
    ),
    Element(
        "U6",
        "u6",
        _("Competence of the staff"),
        _("How competent were the staff who served you?"),
        (
            pgettext_lazy("ikm", "Not competent"),
            pgettext_lazy("ikm", "Less competent"),
            pgettext_lazy("ikm", "Competent"),
            pgettext_lazy("ikm", "Very competent"),
        ),
    ),
    Element(
        "U7",
        "u7",
        _("Conduct of the staff"),
        _("How polite and friendly were the staff who served you?"),
        (
            pgettext_lazy("ikm", "Not polite and friendly"),
            pgettext_lazy("ikm", "Less polite and friendly"),
            pgettext_lazy("ikm", "Polite and friendly"),
            pgettext_lazy("ikm", "Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        "u8",
        _("Handling of complaints, suggestions and input"),
        _("How are complaints of the service's users handled?"),
        (
            pgettext_lazy("ikm", "There is none"),
            pgettext_lazy("ikm", "There is one, but it does not work"),
            pgettext_lazy("ikm", "It works, but not fully"),
            pgettext_lazy("ikm", "It is well managed"),
        ),
    ),
    Element(
        "U9",
        "u9",
        _("Facilities and infrastructure"),
        _("What is the quality of the facilities and infrastructure?"),
        (
            pgettext_lazy("ikm", "Poor"),
            pgettext_lazy("ikm", "Adequate"),
            pgettext_lazy("ikm", "Good"),
            pgettext_lazy("ikm", "Very good"),
        ),
    ),
)
FIELDS = tuple(element.field for element in ELEMENTS)


class AgeBand(models.TextChoices):
    UNDER_20 = "u20", _("Under 20")
    FROM_20 = "20", _("20-29")
    FROM_30 = "30", _("30-39")
    FROM_40 = "40", _("40-49")
    FROM_50 = "50", _("50-59")
    FROM_60 = "60", _("60 or older")


class Sex(models.TextChoices):
    MALE = "M", pgettext_lazy("ikm", "Male")
    FEMALE = "F", pgettext_lazy("ikm", "Female")


class Education(models.TextChoices):
    # The regulation's bands: SD ke bawah, SMP, SMA, D1-D3-D4, S1, S2, di atas S2.
    PRIMARY = "sd", _("Primary school or less")
    JUNIOR = "smp", _("Junior high school")
    SENIOR = "sma", _("Senior high school")
    DIPLOMA = "diploma", _("Diploma (D1-D4)")
    BACHELOR = "s1", _("Bachelor's degree (S1)")
    MASTER = "s2", _("Master's degree (S2)")
    DOCTORATE = "s3", _("Above a master's degree (S3)")


class Occupation(models.TextChoices):
    # The regulation's bands: PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya.
    CIVIL_SERVANT = "pns", _("Civil servant (PNS)")
    MILITARY = "tni", _("Armed forces (TNI)")
    POLICE = "polri", _("Police (POLRI)")
    PRIVATE = "private", _("Private employee")
    SELF_EMPLOYED = "self", _("Self-employed")
    OTHER = "other", _("Other")
