"""Cases at the counter with pictures of faces: the sample face (``samples/face.jpg``), the
same face under other conditions, another person's face (from scikit-image's sample data, a dev
dependency) and pictures with no face or two."""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageEnhance, ImageFilter

from gerbang.applications.models import Application
from gerbang.applications.slots import PHOTO_SLOT, Slot
from gerbang.applications.tests.factories import World, awaiting_appointment, mrz_lines, passport_answers
from gerbang.biometrics.demo import jpeg, passport_page, sample_face
from gerbang.biometrics.selectors import is_previous_passport


def renewal_answers() -> dict[str, str]:
    answers = passport_answers()
    answers.pop("previous_passport")
    return answers | {"old_passport_number": "X1234567", "mrz": mrz_lines()}


def case_at_counter(
    world: World,
    *,
    code: str = "paspor-penggantian",
    answers: dict[str, str] | None = None,
    photo: bytes | None = None,
    previous_passport: bytes | None = None,
) -> Application:
    """A case waiting for its interview and biometrics, with these pictures on file (the other
    documents: PDF scans)."""

    def pictures(slot: Slot) -> tuple[bytes, str] | None:
        if slot.key == PHOTO_SLOT and photo is not None:
            return photo, "photo.jpg"
        if (
            slot.requirement is not None
            and is_previous_passport(slot.requirement)
            and previous_passport is not None
        ):
            return previous_passport, "passport.jpg"
        return None

    return awaiting_appointment(
        world, code=code, answers=answers if answers is not None else renewal_answers(), files=pictures
    )


def renewal_with_face(world: World, **kwargs: Any) -> Application:
    page = passport_page(sample_face(), name="Budi Santoso", number="X1234567")
    return case_at_counter(world, previous_passport=page, **kwargs)


def same_face_at_counter() -> bytes:
    """The sample face, brighter and a little turned: the same person under the counter's light."""
    face = sample_face().rotate(8, fillcolor=(190, 190, 190))
    return jpeg(ImageEnhance.Brightness(face).enhance(1.2))


def other_face() -> bytes:
    """Another person: a face of scikit-image's LFW sample (25 x 25 grey pixels), enlarged."""
    from skimage import data

    faces = data.lfw_subset()
    # One of the sample's faces least like the sample face (distance about 0.97; bench/face.py).
    picture = Image.fromarray((faces[71] * 255).astype("uint8")).convert("RGB")
    # As a passport photo: portrait, on a plain light background.
    canvas = Image.new("RGB", (460, 600), (236, 236, 236))
    canvas.paste(picture.resize((300, 300), Image.Resampling.BICUBIC), (80, 150))
    return jpeg(canvas)


def two_faces() -> bytes:
    face = sample_face().resize((320, 412))
    canvas = Image.new("RGB", (680, 440), (220, 220, 220))
    canvas.paste(face, (10, 14))
    canvas.paste(face.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (350, 14))
    return jpeg(canvas)


def dark_face() -> bytes:
    return jpeg(ImageEnhance.Brightness(sample_face()).enhance(0.15))


def blurred_face() -> bytes:
    return jpeg(sample_face().filter(ImageFilter.GaussianBlur(4)))


def no_face() -> bytes:
    return jpeg(Image.new("RGB", (640, 480), (120, 160, 90)))


def closed_eyes() -> bytes:
    """The sample face with its eyelids painted shut over the eyes its landmarks find: a blink."""
    from PIL import ImageDraw

    from gerbang.biometrics import engine

    face = sample_face()
    landmarks = engine.read_face(face).landmarks
    draw = ImageDraw.Draw(face)
    for first, last in ((36, 42), (42, 48)):
        xs = [x for x, _y in landmarks[first:last]]
        ys = [y for _x, y in landmarks[first:last]]
        skin = face.getpixel((int(sum(xs) / len(xs)), int(max(ys) + 12)))
        draw.ellipse((min(xs) - 3, min(ys) - 6, max(xs) + 3, max(ys) + 6), fill=skin)
        middle = (min(ys) + max(ys)) / 2
        draw.line([(min(xs), middle), (max(xs), middle)], fill=(60, 40, 30), width=2)
    return jpeg(face)


def blinking_frames() -> list[bytes]:
    open_eyes = jpeg(sample_face())
    return [open_eyes, open_eyes, closed_eyes(), open_eyes]
