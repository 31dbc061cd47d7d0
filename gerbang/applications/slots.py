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


PHOTO_HELP = _(
    "A recent colour photo, face to the front, on a plain light background; JPEG or PNG, "
    "portrait shape (3.5 x 4.5 cm), at least 400 x 500 pixels."
)


def document_slots(application: Application) -> list[Slot]:
    """One slot per requirement; the catalogue's photo requirement is the photo slot itself
    (so a form that needs a photo never asks for it twice)."""
    slots = []
    photo_requirement = None
    for r in requirements_for(application.service, requirement_cases(application)):
        if r.is_photo and photo_requirement is None:
            photo_requirement = r
            slots.append(Slot(PHOTO_SLOT, r.name, PHOTO_HELP, r, images_only=True))
        else:
            slots.append(Slot(f"req-{r.pk}", r.name, r.format, r))
    if FORMS[application.form_key].photo and photo_requirement is None:
        slots.append(Slot(PHOTO_SLOT, _("Photo"), PHOTO_HELP, images_only=True))
    return slots
