"""Pictures in and out of the face check: the live picture as uploaded (checked by the core's
picture rules), kept small and encrypted; the reference pictures as the case stores them."""

from __future__ import annotations

import base64
import io
from typing import IO

from PIL import Image, UnidentifiedImageError

from gerbang.applications.models import Document
from gerbang.core.images import clean_picture

# A live picture larger than this is refused (a phone's photo is 2-5 MB; the camera's frame ~0.2 MB).
MAX_CAPTURE_BYTES = 8 * 1024 * 1024
# What is kept of the live picture (longer side, pixels): enough for an officer to see the face.
KEPT_SIDE = 640


def live_picture(upload: IO[bytes], *, field: str = "picture") -> Image.Image:
    """The uploaded picture, decoded and turned upright; a clear refusal (``ValidationError`` on
    ``field``) when it is not a JPEG or PNG picture we can read."""
    return clean_picture(upload, field=field, max_bytes=MAX_CAPTURE_BYTES).image


def kept_capture(image: Image.Image) -> str:
    """The live picture as kept (encrypted by its field): a JPEG, base64."""
    picture = image.convert("RGB")
    picture.thumbnail((KEPT_SIDE, KEPT_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return base64.b64encode(out.getvalue()).decode("ascii")


def capture_bytes(kept: str) -> bytes:
    return base64.b64decode(kept)


def reference_picture(document: Document) -> Image.Image | None:
    """The picture a stored document shows: the image itself, or the largest picture embedded in
    the first page of a PDF scan; None when it holds none."""
    with document.file.open("rb") as stored:
        data = stored.read()
    if document.content_type != "application/pdf":
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError):
            return None
        return image
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.pages:
            return None
        embedded = [picture.image for picture in reader.pages[0].images if picture.image is not None]
    except (PdfReadError, OSError, ValueError):
        return None
    if not embedded:
        return None
    return max(embedded, key=lambda picture: picture.width * picture.height)
