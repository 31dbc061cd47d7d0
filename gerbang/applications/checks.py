"""Automatic checks of an application: photo rules, the passport lines (MRZ), and duplicates.

Each check stores a ``CheckResult`` with message codes; ``describe`` turns them into text in
the reader's language. Duplicate flags concern other people, so only officers see them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageStat

from gerbang.applications.documents import hamming, hash_bands
from gerbang.applications.models import Application, CheckKind, CheckOutcome, CheckResult, Document
from gerbang.applications.workflow import State

if TYPE_CHECKING:
    from django.utils.functional import Promise

# Photo rules: a 3.5 x 4.5 cm (or 4 x 6 cm) portrait, sharp enough to print, on a plain light
# background. Width / height of 0.64-0.80 admits both sizes with some cropping slack.
PHOTO_MIN_WIDTH = 400
PHOTO_MIN_HEIGHT = 500
PHOTO_RATIO = (0.64, 0.80)
BACKGROUND_MIN_BRIGHTNESS = 170
BACKGROUND_MAX_SPREAD = 40
# Two pictures whose perceptual hashes differ in at most this many of 64 bits are the same
# picture (re-saved, resized or lightly edited). Four 16-bit bands find every such pair.
SAME_IMAGE_MAX_DISTANCE = 3

MESSAGES: dict[str, str | Promise] = {
    "photo.not_image": _("The photo must be a JPEG or PNG picture, not a PDF."),
    "photo.too_small": _(
        "The photo is %(width)s x %(height)s pixels; it needs at least %(min_width)s x %(min_height)s. Take it again with a better camera or scan it at 300 dpi."
    ),
    "photo.ratio": _(
        "The photo must be a portrait (taller than wide, like 3.5 x 4.5 cm or 4 x 6 cm); crop it to that shape."
    ),
    "photo.background": _(
        "The background must be plain and light (white or light grey). Stand in front of a plain light wall and take the photo again."
    ),
    "photo.ok": _("The photo meets the format, size, shape and background rules."),
    "mrz.ok": _("The passport lines are valid (check digits correct) and match the answers."),
    "duplicate_image.match": _(
        "The same picture (%(slot)s) is in application %(number)s of another applicant."
    ),
    "duplicate_nik.match": _("The same NIK is in application %(number)s of another applicant."),
}


def describe(result: CheckResult) -> list[str]:
    """The findings of a result as sentences in the active language."""
    return [str(MESSAGES[item["code"]]) % item.get("params", {}) for item in result.findings]


def _store(
    application: Application,
    kind: CheckKind,
    findings: list[dict[str, Any]],
    *,
    outcome: CheckOutcome,
    document: Document | None = None,
    visible: bool = True,
) -> CheckResult:
    CheckResult.objects.filter(application=application, kind=kind, document=document).delete()
    return CheckResult.objects.create(
        application=application,
        document=document,
        kind=kind,
        outcome=outcome,
        findings=findings,
        visible_to_applicant=visible,
    )


def photo_findings(image: Image.Image) -> list[dict[str, Any]]:
    """What breaks the photo rules; an empty list when the photo passes."""
    findings: list[dict[str, Any]] = []
    width, height = image.size
    if width < PHOTO_MIN_WIDTH or height < PHOTO_MIN_HEIGHT:
        findings.append(
            {
                "code": "photo.too_small",
                "params": {
                    "width": width,
                    "height": height,
                    "min_width": PHOTO_MIN_WIDTH,
                    "min_height": PHOTO_MIN_HEIGHT,
                },
            }
        )
    if not PHOTO_RATIO[0] <= width / height <= PHOTO_RATIO[1]:
        findings.append({"code": "photo.ratio"})
    grey = image.convert("L")
    # The band above the head and the strips beside it, where only background should be.
    band_w, band_h = max(1, width // 10), max(1, height // 10)
    regions = [
        grey.crop((0, 0, width, band_h)),
        grey.crop((0, band_h, band_w, height * 6 // 10)),
        grey.crop((width - band_w, band_h, width, height * 6 // 10)),
    ]
    for region in regions:
        stat = ImageStat.Stat(region)
        if stat.mean[0] < BACKGROUND_MIN_BRIGHTNESS or stat.stddev[0] > BACKGROUND_MAX_SPREAD:
            findings.append({"code": "photo.background"})
            break
    return findings


def check_photo(document: Document) -> CheckResult:
    if not document.is_image:
        return _store(
            document.application,
            CheckKind.PHOTO,
            [{"code": "photo.not_image"}],
            outcome=CheckOutcome.FAILED,
            document=document,
        )
    with document.file.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        findings = photo_findings(image)
    return _store(
        document.application,
        CheckKind.PHOTO,
        findings or [{"code": "photo.ok"}],
        outcome=CheckOutcome.FAILED if findings else CheckOutcome.PASSED,
        document=document,
    )


def record_mrz_passed(application: Application) -> CheckResult:
    """Stored at submission, when the answers (MRZ included) have passed every check."""
    return _store(application, CheckKind.MRZ, [{"code": "mrz.ok"}], outcome=CheckOutcome.PASSED)


def _others(application: Application) -> Q:
    return ~Q(application__applicant_id=application.applicant_id) & ~Q(
        application__state__in=[State.DRAFT, State.CANCELLED]
    )


def check_duplicates(application: Application) -> list[CheckResult]:
    """Flag the same picture or the same NIK in another applicant's application."""
    results: list[CheckResult] = []
    image_findings: list[dict[str, Any]] = []
    for document in application.documents.filter(is_current=True).exclude(image_hash=""):
        bands = hash_bands(document.image_hash)
        candidates = (
            Document.objects.filter(is_current=True)
            .filter(_others(application))
            .filter(
                Q(hash_band_0=bands[0])
                | Q(hash_band_1=bands[1])
                | Q(hash_band_2=bands[2])
                | Q(hash_band_3=bands[3])
            )
            .select_related("application")
        )
        for other in candidates:
            if hamming(other.image_hash, document.image_hash) <= SAME_IMAGE_MAX_DISTANCE:
                image_findings.append(
                    {
                        "code": "duplicate_image.match",
                        "params": {"slot": document.slot, "number": other.application.number or "-"},
                        "application_id": other.application_id,
                    }
                )
    CheckResult.objects.filter(application=application, kind=CheckKind.DUPLICATE_IMAGE).delete()
    if image_findings:
        results.append(
            _store(
                application,
                CheckKind.DUPLICATE_IMAGE,
                image_findings,
                outcome=CheckOutcome.FLAGGED,
                visible=False,
            )
        )
    CheckResult.objects.filter(application=application, kind=CheckKind.DUPLICATE_NIK).delete()
    if application.subject_nik_index:
        same_nik = (
            Application.objects.filter(subject_nik_index=application.subject_nik_index)
            .exclude(applicant_id=application.applicant_id)
            .exclude(state__in=[State.DRAFT, State.CANCELLED])
        )
        nik_findings = [
            {
                "code": "duplicate_nik.match",
                "params": {"number": other.number or "-"},
                "application_id": other.pk,
            }
            for other in same_nik
        ]
        if nik_findings:
            results.append(
                _store(
                    application,
                    CheckKind.DUPLICATE_NIK,
                    nik_findings,
                    outcome=CheckOutcome.FLAGGED,
                    visible=False,
                )
            )
    return results
