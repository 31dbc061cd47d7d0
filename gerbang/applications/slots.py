"""The documents an application asks for: one upload slot per catalogue requirement that
applies to this case (adult or child, previous passport, lost, damaged), plus a photo where
the form needs one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from gerbang.applications.formspec import FORMS
from gerbang.catalog.models import Requirement, RequirementCase
from gerbang.catalog.selectors import requirements_for

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gerbang.applications.models import Application

PHOTO_SLOT = "photo"


@dataclass(frozen=True)
class Slot:
    key: str
    label: str | Promise
    help: str | Promise
    requirement: Requirement | None = None
    # Only a picture will do (the photo): a PDF is refused before anything is stored.
    images_only: bool = False


def requirement_cases(application: Application) -> set[str]:
    spec = FORMS[application.form_key]
    cases = set(spec.fixed_cases)
    cases.add(RequirementCase.MINOR if application.for_child else RequirementCase.ADULT)
    if application.answers.get("previous_passport") == "has":
        cases.add(RequirementCase.HAS_OLD_PASSPORT)
    return cases


def document_slots(application: Application) -> list[Slot]:
    slots = [
        Slot(f"req-{r.pk}", r.name, r.format, r)
        for r in requirements_for(application.service, requirement_cases(application))
    ]
    if FORMS[application.form_key].photo:
        slots.append(
            Slot(
                PHOTO_SLOT,
                _("Photo"),
                _(
                    "A recent colour photo, face to the front, on a plain light background; JPEG or PNG, "
                    "portrait shape (3.5 x 4.5 cm), at least 400 x 500 pixels."
                ),
                images_only=True,
            )
        )
    return slots
