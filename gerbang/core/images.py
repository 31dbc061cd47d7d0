"""Accepting pictures: judged by their content (not their name), limited in size, and re-encoded,
which drops EXIF and GPS metadata and anything hidden after the image data.

The work is bounded: a picture is decoded only when its pixels fit the budget, and a large JPEG
is decoded at a reduced scale straight away (JPEG's DCT scaling, far cheaper than decoding it
whole and shrinking it); what is kept is at most ``LONG_SIDE`` pixels on its longer side (an A4
page at 300 dpi), whatever the camera made. ``bench/uploads.py`` measures what it costs.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gerbang.core.exceptions import ValidationError

MAX_BYTES = 5 * 1024 * 1024
ACCEPTED = {"JPEG": "jpg", "PNG": "png"}
# What is kept: an A4 page scanned at 300 dpi is 2480 x 3508.
LONG_SIDE = 3508
# Pixels decoded at most (about 70 MB as RGB). A JPEG may say it has more (phones of 48 or 200
# megapixels): it is decoded at 1/2, 1/4 or 1/8 of its size, so that what is decoded fits.
DECODED_PIXELS = 24_000_000
# Pixels a JPEG may say it has (below Pillow's own bomb limit, 2 x 89 million).
JPEG_PIXELS = 150_000_000


@dataclass
class CleanPicture:
    content: ContentFile[bytes]
    image: Image.Image  # what was saved, decoded: its size, for checks and hashes
    format: str


def clean_image(upload: IO[bytes], *, field: str = "image", max_bytes: int = MAX_BYTES) -> ContentFile[bytes]:
    """A re-encoded copy of an uploaded picture under a random name, or a clear refusal."""
    return clean_picture(upload, field=field, max_bytes=max_bytes).content


def _too_many_pixels(field: str) -> ValidationError:
    return ValidationError(
        _(
            "The picture has too many pixels to check. Scan at 300 dpi or take the photo at a normal "
            "size (up to about 12 megapixels), then upload it again."
        ),
        field=field,
    )


def clean_picture(upload: IO[bytes], *, field: str = "image", max_bytes: int = MAX_BYTES) -> CleanPicture:
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
        fmt = image.format or ""
        if fmt not in ACCEPTED:
            raise ValidationError(_("Upload a JPEG or PNG picture."), field=field)
        declared = image.width * image.height
        if declared > (JPEG_PIXELS if fmt == "JPEG" else DECODED_PIXELS):
            raise _too_many_pixels(field)
        if fmt == "JPEG":
            # The smallest scale still at least as large as what is kept.
            ratio = min(1.0, LONG_SIDE / max(image.size))
            image.draft("RGB", (max(1, int(image.width * ratio)), max(1, int(image.height * ratio))))
            if image.width * image.height > DECODED_PIXELS:
                raise _too_many_pixels(field)
        image.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(field) from None
    except (UnidentifiedImageError, OSError) as error:
        if "truncated" in str(error):
            raise ValidationError(
                _("The picture is incomplete: the file was cut off. Upload it again."), field=field
            ) from None
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG or PNG."), field=field
        ) from None
    colour_profile = image.info.get("icc_profile")
    # Turned as the camera said (the orientation goes with the metadata), no larger than what is
    # kept, and saved with nothing of the original's extras (comments, text chunks, EXIF) but
    # its colour profile.
    ImageOps.exif_transpose(image, in_place=True)
    upright: Image.Image = image
    if fmt == "JPEG" and upright.mode != "RGB":
        upright = upright.convert("RGB")
    if max(upright.size) > LONG_SIDE:
        upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    upright.info = {"icc_profile": colour_profile} if colour_profile else {}
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.save(out, "JPEG", quality=85)
    else:
        upright.save(out, "PNG")
    return CleanPicture(
        content=ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(16)}.{ACCEPTED[fmt]}"),
        image=upright,
        format=fmt,
    )


def _is_cut_off(data: bytes) -> bool:
    """Whether a JPEG or PNG ends before its image does. Checked on the bytes because Pillow
    would fill a cut-off picture with grey when any library (weasyprint does) has set
    ``ImageFile.LOAD_TRUNCATED_IMAGES``. Data after the image's end is no sign of a cut: phones
    append motion-photo videos and maker data there. Re-encoding drops it."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg_end(data) is None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png_end(data) is None
    return False


def _jpeg_end(data: bytes) -> int | None:
    """Where the JPEG's end-of-image marker ends, following its segments (and the coded data
    of each scan) from the start; None when the data stops first. A structure that is not a
    JPEG's answers the data's length: Pillow then says what is wrong."""
    position, size = 2, len(data)
    while position + 1 < size:
        if data[position] != 0xFF:
            return size
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:  # end of image
            return position + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            if position + 4 > size:
                return None
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:  # start of scan: coded data up to the next marker
                position = _next_marker(data, position)
                if position < 0:
                    return None
    return None


def _next_marker(data: bytes, position: int) -> int:
    """The next marker after coded data (0xFF followed by neither 0x00 nor a restart), or -1."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return -1
        following = data[position + 1]
        if following != 0x00 and not 0xD0 <= following <= 0xD7:
            return position
        position += 2


def _png_end(data: bytes) -> int | None:
    """Where the PNG's IEND chunk ends, following its chunks; None when the data stops first."""
    position, size = 8, len(data)
    while position + 12 <= size:
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= size else None
    return None
