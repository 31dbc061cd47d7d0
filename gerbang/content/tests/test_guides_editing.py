"""Guides with pictures, edited in the back office."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.content.models import Guide, GuideStep, Status
from gerbang.core.exceptions import ValidationError
from gerbang.core.images import clean_image
from gerbang.core.models import Event
from gerbang.core.tests import demo_snapshot

pytestmark = pytest.mark.django_db


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 0.0)}  # GPS info
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
class TestCleanImage:
    def test_exif_and_gps_are_removed(self) -> None:
        original = jpeg_with_gps()
        assert Image.open(io.BytesIO(original)).getexif()
        cleaned = clean_image(io.BytesIO(original))
        assert str(cleaned.name).endswith(".jpg")
        assert not Image.open(io.BytesIO(cleaned.read())).getexif()

    def test_judged_by_content_not_by_name(self) -> None:
        with pytest.raises(ValidationError, match="not a picture"):
            clean_image(io.BytesIO(b"%PDF-1.4 not an image"))
        gif = io.BytesIO()
        Image.new("RGB", (4, 4)).save(gif, "GIF")
        with pytest.raises(ValidationError, match="JPEG or PNG"):
            clean_image(io.BytesIO(gif.getvalue()))

    def test_too_large_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="larger than"):
            clean_image(io.BytesIO(b"x" * 2048), max_bytes=1024)

    def test_truncated_image_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            clean_image(io.BytesIO(jpeg_with_gps()[:200]))


def step_post(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title_id": "Memperbarui data",
        "title_en": "Updating your data",
        "summary_id": "Ringkasan",
        "summary_en": "Summary",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
        "steps-0-text_id": "Buka profil.",
        "steps-0-text_en": "Open your profile.",
        "steps-0-image_alt_id": "Halaman profil",
        "steps-0-image_alt_en": "The profile page",
        "action": "publish",
    }
    data.update(fields)
    return data


class TestGuideEditor:
    def test_national_admin_publishes_a_guide_with_a_picture(self, staff_client, client: Client) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        upload = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
        response = staff_client(admin).post("/backoffice/guides/new/", step_post(**{"steps-0-image": upload}))
        assert response.status_code == 302
        guide = Guide.objects.get(title_en="Updating your data")
        assert guide.status == Status.PUBLISHED
        step = guide.steps.get()
        stored_name = str(step.image.name)
        assert stored_name.startswith("guides/") and "foto" not in stored_name
        page = client.get(f"/guides/{guide.slug}/").content.decode()
        assert 'alt="The profile page"' in page
        image = client.get(f"/guides/{guide.slug}/steps/{step.pk}/image")
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
        assert not Image.open(io.BytesIO(b"".join(image.streaming_content))).getexif()  # type: ignore[attr-defined]
        assert Event.objects.filter(code="content.guide_published", actor=admin).exists()

    def test_a_picture_needs_a_description(self, staff_client) -> None:
        upload = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
        data = step_post(**{"steps-0-image": upload, "steps-0-image_alt_id": "", "steps-0-image_alt_en": ""})
        response = staff_client(staff(Role.NATIONAL_ADMIN)).post("/backoffice/guides/new/", data)
        assert response.status_code == 400
        assert "Describe the picture for people who cannot see it." in response.content.decode()
        assert "Open your profile." in response.content.decode()

    def test_a_file_that_is_not_a_picture_is_refused(self, staff_client) -> None:
        fake = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
        response = staff_client(staff(Role.NATIONAL_ADMIN)).post(
            "/backoffice/guides/new/", step_post(**{"steps-0-image": fake})
        )
        assert response.status_code == 400
        assert "not a picture we can read" in response.content.decode()
        assert not Guide.objects.filter(title_en="Updating your data").exists()

    def test_a_guide_needs_a_step(self, staff_client) -> None:
        data = step_post(
            **{
                "steps-0-text_id": "",
                "steps-0-text_en": "",
                "steps-0-image_alt_id": "",
                "steps-0-image_alt_en": "",
            }
        )
        response = staff_client(staff(Role.NATIONAL_ADMIN)).post("/backoffice/guides/new/", data)
        assert response.status_code == 400
        assert "A guide needs at least one step." in response.content.decode()

    def test_draft_pictures_are_not_public_and_replaced_pictures_are_deleted(
        self, staff_client, client: Client
    ) -> None:
        editor = staff_client(staff(Role.NATIONAL_ADMIN))
        first = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
        editor.post("/backoffice/guides/new/", step_post(**{"steps-0-image": first, "action": "draft"}))
        guide = Guide.objects.get(title_en="Updating your data")
        step = guide.steps.get()
        old_name = str(step.image.name)
        assert client.get(f"/guides/{guide.slug}/").status_code == 404
        assert client.get(f"/guides/{guide.slug}/steps/{step.pk}/image").status_code == 404
        second = SimpleUploadedFile("b.jpg", jpeg_with_gps((80, 60)), content_type="image/jpeg")
        edited = step_post(
            **{
                "steps-INITIAL_FORMS": "1",
                "steps-0-existing_image": old_name,
                "steps-0-image": second,
            }
        )
        with self.captured_commits():
            assert editor.post(f"/backoffice/guides/{guide.pk}/", edited).status_code == 302
        new_step = GuideStep.objects.get(guide=guide)
        assert new_step.image.name != old_name
        assert not new_step.image.storage.exists(old_name)

    def test_only_national_admins_edit_guides(self, staff_client, office_a) -> None:
        assert (
            staff_client(staff(Role.OFFICE_ADMIN, [office_a])).get("/backoffice/guides/").status_code == 403
        )

    @staticmethod
    def captured_commits() -> Any:
        from django.test import TestCase

        return TestCase.captureOnCommitCallbacks(execute=True)


def test_demo_guides_load(client: Client) -> None:
    demo_snapshot.load_demo()
    assert client.get("/guides/paspor-hilang/").status_code == 200
