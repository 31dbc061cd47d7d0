"""Uploads: judged by content, limited in size, images re-encoded, hostile files refused with a
clear message and nothing else lost."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.utils import translation
from PIL import Image

from gerbang.applications.documents import difference_hash, hamming, inspect_upload
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import ValidationError


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(io.BytesIO(data), field="doc")
    return str(caught.value.message)


class TestRefusals:
    def test_executable_renamed_pdf(self) -> None:
        assert "not a PDF, JPEG or PNG" in refused(b"MZ\x90\x00\x03" + b"\x00" * 500)

    def test_empty_file(self) -> None:
        assert "empty" in refused(b"")

    def test_oversized_file(self, settings: object) -> None:
        settings.APPLICATION_DOCUMENT_MAX_BYTES = 10_000  # type: ignore[attr-defined]
        assert "larger than" in refused(b"%PDF-1.4" + b"0" * 20_000)

    def test_truncated_jpeg(self) -> None:
        data = f.photo_bytes()
        assert "cut off" in refused(data[: len(data) // 2])

    def test_encrypted_pdf(self) -> None:
        assert "password" in refused(f.pdf_bytes(password="secret"))

    def test_truncated_pdf(self) -> None:
        data = f.pdf_bytes()
        assert "cut off" in refused(data[: len(data) // 2])

    def test_garbage_after_pdf_header(self) -> None:
        assert "damaged" in refused(b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n")

    def test_pdf_with_javascript(self) -> None:
        data = f.pdf_bytes().replace(
            b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
        )
        assert "scripts" in refused(data)

    def test_decompression_bomb(self) -> None:
        # A PNG that says 30000 x 30000 pixels but is tiny on disk.
        image = Image.new("1", (30_000, 30_000))
        out = io.BytesIO()
        image.save(out, "PNG")
        assert len(out.getvalue()) < 5 * 1024 * 1024
        assert "too many pixels" in refused(out.getvalue())


class TestAccepted:
    def test_image_reencoded_without_metadata(self) -> None:
        image = Image.open(io.BytesIO(f.photo_bytes()))
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # camera maker
        out = io.BytesIO()
        image.save(out, "JPEG", exif=exif)
        assert b"SpyCam" in out.getvalue()
        inspected = inspect_upload(io.BytesIO(out.getvalue()), field="doc")
        assert b"SpyCam" not in inspected.content.read()
        assert inspected.content_type == "image/jpeg"
        assert (inspected.width, inspected.height) == (600, 800)

    def test_pdf_kept_with_page_count(self) -> None:
        inspected = inspect_upload(io.BytesIO(f.pdf_bytes(pages=3)), field="doc")
        assert inspected.pages == 3
        assert str(inspected.content.name).endswith(".pdf")

    def test_perceptual_hash_survives_resizing_but_not_another_picture(self) -> None:
        original = Image.open(io.BytesIO(f.photo_bytes(seed=1)))
        resized = original.resize((300, 400))
        other = Image.open(io.BytesIO(f.photo_bytes(seed=7, background="#3050a0")))
        assert hamming(difference_hash(original), difference_hash(resized)) <= 3
        assert hamming(difference_hash(original), difference_hash(other)) > 10


@pytest.mark.django_db
def test_private_files_have_no_public_address() -> None:
    world = f.make_world()
    application = f.draft(world)
    f.upload_all(application)
    document = application.documents.first()
    assert document is not None
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018


def test_a_picture_too_small_to_read_is_refused_as_a_scan() -> None:
    from gerbang.applications.documents import inspect_upload

    tiny = io.BytesIO(f.photo_bytes(width=40, height=30))
    with pytest.raises(ValidationError, match="only 40 x 30 pixels"):
        inspect_upload(tiny, field="scan")
    assert inspect_upload(io.BytesIO(f.photo_bytes(width=640, height=400)), field="scan").width == 640
