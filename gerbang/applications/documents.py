"""Accepting an uploaded document: judged by its content (never its name), limited in size,
images re-encoded without metadata, PDFs rebuilt from their pages after refusing encrypted,
broken and scripted ones.

``inspect_upload`` returns what to store, or raises a ValidationError saying what to do.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError

from gerbang.applications import pdfs
from gerbang.core.exceptions import ValidationError
from gerbang.core.heavy import heavy_work
from gerbang.core.images import clean_picture

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 30


@dataclass
class InspectedFile:
    content: ContentFile[bytes]
    content_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    image_hash: str = ""


def max_bytes() -> int:
    return int(settings.APPLICATION_DOCUMENT_MAX_BYTES)


def inspect_upload(upload: IO[bytes], *, field: str, images_only: bool = False) -> InspectedFile:
    """What to store of an upload, or a ValidationError saying what to do. A slot that takes
    only pictures (the photo) refuses a PDF before reading it."""
    limit = max_bytes()
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(_("The file is empty. Choose the scan or photo again."), field=field)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(size)s. Scan at a lower resolution or compress it, then try again.")
            % {"size": filesizeformat(limit)},
            field=field,
        )
    if data.startswith(b"%PDF-"):
        if images_only:
            raise ValidationError(
                _("This must be a JPEG or PNG picture, not a PDF. Upload the photo itself."), field=field
            )
        with heavy_work():
            return _inspect_pdf(data, field=field)
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        with heavy_work():
            return _inspect_image(data, field=field)
    if images_only:
        raise ValidationError(
            _("This file is not a JPEG or PNG picture (whatever its name says). Upload the photo itself."),
            field=field,
        )
    raise ValidationError(
        _(
            "This file is not a PDF, JPEG or PNG (whatever its name says). Upload a scan in one of these formats."
        ),
        field=field,
    )


_PDF_ERRORS = (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


def _refused_kinds(kinds: set[pdfs.Active]) -> str:
    names = {
        pdfs.Active.SCRIPT: _("scripts (JavaScript)"),
        pdfs.Active.LAUNCH: _("commands that open programs or other files"),
        pdfs.Active.EMBEDDED_FILE: _("attached files"),
        pdfs.Active.FORM_SUBMISSION: _("forms that send or fetch data"),
        pdfs.Active.MEDIA: _("embedded video, sound or other media"),
    }
    return ", ".join(str(names[kind]) for kind in pdfs.Active if kind in kinds)


def _damaged(field: str) -> ValidationError:
    return ValidationError(
        _("This PDF is damaged and cannot be opened. Scan or save the document again."), field=field
    )


def _inspect_pdf(data: bytes, *, field: str) -> InspectedFile:
    """A PDF is stored only as a copy rebuilt from its pages (see ``pdfs``), after refusing
    what only a deliberate author puts in one."""
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("The PDF is incomplete: the file was cut off. Save or download it again and upload it."),
            field=field,
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected with a password. Save it without protection and upload it again."),
                field=field,
            )
        pages = len(reader.pages)
        if pages == 0:
            raise ValidationError(_("The PDF has no pages."), field=field)
        if pages > MAX_PDF_PAGES:
            raise ValidationError(
                _("The PDF has more than %(count)s pages; upload only the pages asked for.")
                % {"count": MAX_PDF_PAGES},
                field=field,
            )
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading each page's box proves the page tree parses
        refused = pdfs.active_content(reader) & pdfs.REFUSED
        if refused:
            raise ValidationError(
                _(
                    "This PDF contains %(found)s, which documents may not have. Print it to a new PDF "
                    '("Save as PDF" or "Print to PDF") or scan the paper, and upload that.'
                )
                % {"found": _refused_kinds(refused)},
                field=field,
            )
        clean = pdfs.rebuilt(reader)
        # The copy is what officers receive: it must hold no action of any kind.
        clean_reader = PdfReader(io.BytesIO(clean), strict=False)
        left = pdfs.active_content(clean_reader)
        if left or len(clean_reader.pages) != pages:
            logger.error("rebuilt PDF still active (%s) or lost pages", sorted(left))
            raise _damaged(field)
    except ValidationError:
        raise
    except pdfs.TooComplex:
        raise ValidationError(
            _("This PDF is too complex to check. Print it to a new PDF or scan the paper, and upload that."),
            field=field,
        ) from None
    except _PDF_ERRORS as error:
        logger.info("unreadable PDF refused: %s", type(error).__name__)
        raise _damaged(field) from None
    return InspectedFile(
        content=ContentFile(clean, name=f"{secrets.token_urlsafe(16)}.pdf"),
        content_type="application/pdf",
        size=len(clean),
        sha256=hashlib.sha256(clean).hexdigest(),
        pages=pages,
    )


# A scanned document must be readable by an officer: at least this many pixels on its long side
# (a KTP-el photographed whole at an ordinary phone's resolution has several times more).
MIN_SCAN_LONG_SIDE = 500


def _inspect_image(data: bytes, *, field: str) -> InspectedFile:
    cleaned = clean_picture(io.BytesIO(data), field=field, max_bytes=max_bytes())
    payload = cleaned.content.read()
    width, height = cleaned.image.size
    if max(width, height) < MIN_SCAN_LONG_SIDE:
        raise ValidationError(
            _(
                "The picture is only %(width)s x %(height)s pixels, too small to read. Scan or photograph "
                "the document again, filling the picture (at least %(minimum)s pixels on the long side)."
            )
            % {"width": width, "height": height, "minimum": MIN_SCAN_LONG_SIDE},
            field=field,
        )
    return InspectedFile(
        content=ContentFile(payload, name=cleaned.content.name),
        content_type="image/png" if cleaned.format == "PNG" else "image/jpeg",
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        width=width,
        height=height,
        image_hash=difference_hash(cleaned.image),
    )


def difference_hash(image: Image.Image) -> str:
    """A 64-bit perceptual hash (dHash) as 16 hex digits: each bit says whether a pixel of a
    9x8 grey thumbnail is brighter than its right neighbour. Re-encoding, resizing and small
    edits change few bits; a different picture changes about half of them.

    (A few lines of Pillow; the ``imagehash`` package would bring NumPy, SciPy and PyWavelets.)
    """
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels: list[Any] = list(small.get_flattened_data())
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def hash_bands(image_hash: str) -> list[str]:
    return [image_hash[i : i + 4] for i in range(0, 16, 4)] if image_hash else ["", "", "", ""]


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")
