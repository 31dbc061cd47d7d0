"""Accepting pictures: judged by their content (not their name), limited in size, and re-encoded,
which drops EXIF and GPS metadata and anything hidden after the image data."""

from __future__ import annotations

import io
import secrets
from typing import IO

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from gerbang.core.exceptions import ValidationError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED = {"JPEG": "jpg", "PNG": "png"}


def clean_image(upload: IO[bytes], *, field: str = "image", max_bytes: int = MAX_BYTES) -> ContentFile[bytes]:
    """A re-encoded copy of an uploaded picture under a random name, or a clear refusal."""
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The picture is larger than %(size)s. Make it smaller and try again.")
            % {"size": filesizeformat(max_bytes)},
            field=field,
        )
    if _is_cut_off(data):
        raise ValidationError(
            _("The picture is incomplete: the file was cut off. Upload it again."), field=field
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED:
            raise ValidationError(_("Upload a JPEG or PNG picture."), field=field)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The picture has too many pixels."), field=field)
        image.load()
    except Image.DecompressionBombError:
        raise ValidationError(_("The picture has too many pixels."), field=field) from None
    except (UnidentifiedImageError, OSError) as error:
        if "truncated" in str(error):
            raise ValidationError(
                _("The picture is incomplete: the file was cut off. Upload it again."), field=field
            ) from None
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG or PNG."), field=field
        ) from None
    out = io.BytesIO()
    extension = ACCEPTED[image.format]
    if image.format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(16)}.{extension}")


def _is_cut_off(data: bytes) -> bool:
    """Whether a JPEG lacks its end marker or a PNG its IEND chunk. Checked on the bytes
    because Pillow would fill a cut-off picture with grey when any library (weasyprint does)
    has set ``ImageFile.LOAD_TRUNCATED_IMAGES``."""
    if data.startswith(b"\xff\xd8"):
        return b"\xff\xd9" not in data[-1024:]
    if data.startswith(b"\x89PNG"):
        return b"IEND" not in data[-1024:]
    return False
