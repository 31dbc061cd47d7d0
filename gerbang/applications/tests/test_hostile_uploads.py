"""Every specimen of the hostile-upload corpus (``hostile.py``), on every slot type it applies
to: refused with its message, or stored only as a clean copy."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from gerbang.applications import pdfs
from gerbang.applications.documents import inspect_upload
from gerbang.applications.tests.hostile import CORPUS, Specimen
from gerbang.core.exceptions import ValidationError

CASES = [
    pytest.param(specimen, slot, id=f"{specimen.name}@{slot}")
    for specimen in CORPUS
    for slot in specimen.slots
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("specimen", "slot"), CASES)
def test_specimen(specimen: Specimen, slot: str) -> None:
    data = specimen.make()
    upload = io.BytesIO(data)
    refusal = specimen.refusal_on(slot)
    if refusal:
        with pytest.raises(ValidationError) as caught:
            inspect_upload(upload, field=slot, images_only=slot == "photo")
        assert refusal in str(caught.value.message)
        assert caught.value.field == slot
        return
    inspected = inspect_upload(upload, field=slot, images_only=slot == "photo")
    stored = inspected.content.read()
    for forbidden in specimen.never_stored:
        assert forbidden in data, f"the specimen itself lacks {forbidden!r}"
        assert forbidden not in stored, f"{forbidden!r} was stored"
    if inspected.content_type == "application/pdf":
        assert pdfs.active_content(PdfReader(io.BytesIO(stored))) == set()


def test_the_corpus_covers_every_refused_kind_of_pdf() -> None:
    found: set[pdfs.Active] = set()
    for specimen in CORPUS:
        if specimen.is_pdf and "PDF contains" in _refusal_text(specimen):
            found |= pdfs.active_content(PdfReader(io.BytesIO(specimen.make()), strict=False))
    assert found >= pdfs.REFUSED


def _refusal_text(specimen: Specimen) -> str:
    try:
        inspect_upload(io.BytesIO(specimen.make()), field="doc")
    except ValidationError as refusal:
        return str(refusal.message)
    return ""


def test_a_filled_form_keeps_its_look() -> None:
    specimen = next(s for s in CORPUS if s.name == "pdf-filled-form-with-actions")
    stored = inspect_upload(io.BytesIO(specimen.make()), field="doc").content.read()
    page = PdfReader(io.BytesIO(stored)).pages[0]
    annotations: Any = page["/Annots"]
    (annotation,) = [a.get_object() for a in annotations]
    assert set(annotation) <= {"/Type", "/Subtype", "/Rect", "/AP"}
    assert b"Budi Santoso" in annotation["/AP"]["/N"].get_data()


def test_the_rebuilt_copy_keeps_every_page_and_its_text() -> None:
    from gerbang.applications.tests.hostile import raw_pdf

    stored = inspect_upload(io.BytesIO(raw_pdf()), field="doc").content.read()
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1
    assert "Scan" in reader.pages[0].extract_text()


def test_an_upright_photo_is_turned_as_the_camera_said() -> None:
    from PIL import Image

    from gerbang.applications.tests.hostile import photo

    # A portrait stored landscape with "rotate 90" in its EXIF, as phones do.
    landscape = Image.open(io.BytesIO(photo())).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 clockwise to view
    out = io.BytesIO()
    landscape.save(out, "JPEG", exif=exif)
    inspected = inspect_upload(io.BytesIO(out.getvalue()), field="photo", images_only=True)
    assert (inspected.width, inspected.height) == (600, 800)
