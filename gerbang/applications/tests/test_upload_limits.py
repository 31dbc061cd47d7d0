"""What an upload may cost: pixels decoded within a budget (a large photo decoded at a reduced
scale, what is kept no larger than an A4 page at 300 dpi), a bounded number checked at once per
process, and uploads counted per account and per address."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from PIL import Image

from gerbang.applications import services
from gerbang.applications.documents import inspect_upload
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.core import images
from gerbang.core.exceptions import RateLimited, ValidationError
from gerbang.core.heavy import Busy, heavy_work


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 190, 180)).save(out, "JPEG", quality=70)
    return out.getvalue()


def test_a_large_phone_photo_is_decoded_small_and_kept_at_a4_size() -> None:
    data = _jpeg(8000, 6000)  # 48 megapixels, twice the decoding budget
    inspected = inspect_upload(io.BytesIO(data), field="doc")
    assert max(inspected.width or 0, inspected.height or 0) == images.LONG_SIDE
    assert (inspected.width, inspected.height) == (3508, 2631)


def test_a_png_beyond_the_budget_is_refused_with_what_to_do() -> None:
    out = io.BytesIO()
    Image.new("1", (6000, 4500)).save(out, "PNG")  # 27 megapixels, tiny on disk
    with pytest.raises(ValidationError) as caught:
        inspect_upload(io.BytesIO(out.getvalue()), field="doc")
    assert "too many pixels" in str(caught.value.message) and "300 dpi" in str(caught.value.message)


def test_a_picture_within_the_page_size_keeps_its_size() -> None:
    inspected = inspect_upload(io.BytesIO(_jpeg(2480, 3508)), field="doc")
    assert (inspected.width, inspected.height) == (2480, 3508)


def test_only_so_many_checks_run_at_once(settings: Any) -> None:
    settings.HEAVY_WORK_AT_ONCE = 1
    settings.HEAVY_WORK_WAIT_SECONDS = 0
    inside, leave = threading.Event(), threading.Event()

    def occupy() -> None:
        with heavy_work():
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=occupy)
    worker.start()
    try:
        assert inside.wait(5)
        with pytest.raises(Busy) as caught:
            inspect_upload(io.BytesIO(_jpeg(600, 800)), field="doc")
        assert caught.value.status_code == 429 and "Nothing was saved" in str(caught.value.message)
    finally:
        leave.set()
        worker.join()
    assert inspect_upload(io.BytesIO(_jpeg(600, 800)), field="doc").width == 600


@pytest.mark.django_db
def test_uploads_are_counted_per_account(settings: Any) -> None:
    settings.UPLOADS_PER_ACCOUNT = 3
    world = f.make_world()
    application = f.draft(world)
    slot = document_slots(application)[0].key

    def upload() -> Any:
        return services.document_upload(
            application=application,
            slot=slot,
            upload=io.BytesIO(f.pdf_bytes()),
            file_name="scan.pdf",
            actor=world.applicant,
            client="203.0.113.5",
        )

    for _ in range(3):
        upload()
    with pytest.raises(RateLimited) as caught:
        upload()
    assert "many files" in str(caught.value.message) and caught.value.retry_after > 0
    assert application.documents.filter(slot=slot).count() == 1  # the last good one is kept


@pytest.mark.django_db
def test_uploads_are_counted_per_address_through_the_api(settings: Any) -> None:
    settings.UPLOADS_PER_ADDRESS = 2
    world = f.make_world()
    application = f.draft(world)
    slot = document_slots(application)[0].key
    browser = Client()
    browser.force_login(world.applicant)
    address = f"/api/v1/applications/{application.pk}/documents/{slot}"
    statuses = [
        browser.post(address, {"file": f.upload(f.pdf_bytes())}, HTTP_ACCEPT_LANGUAGE="en").status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    refused = browser.post(address, {"file": f.upload(f.pdf_bytes())}, HTTP_ACCEPT_LANGUAGE="en")
    assert int(refused["Retry-After"]) > 0 and "many files" in refused.json()["detail"]
