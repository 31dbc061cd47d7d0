"""``services.drafts``: uploads into a draft's slots lose nothing when refused."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.utils import translation

from gerbang.applications import services
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import ValidationError


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_a_refused_upload_loses_nothing(tmp_path: object) -> None:
    world = f.make_world()
    application = f.draft(world)
    f.upload_all(application)
    slot = document_slots(application)[0].key
    before = application.documents.get(slot=slot, is_current=True)
    answers = dict(application.answers)
    with pytest.raises(ValidationError):
        services.document_upload(
            application=application,
            slot=slot,
            upload=io.BytesIO(b"MZ" + b"\x00" * 100),
            file_name="virus.pdf",
            actor=world.applicant,
        )
    application.refresh_from_db()
    assert application.documents.get(slot=slot, is_current=True).pk == before.pk
    assert before.file.storage.exists(str(before.file.name))
    assert application.answers == answers


@pytest.mark.django_db
def test_the_photo_slot_stores_no_pdf() -> None:
    world = f.make_world()
    foreigner = f.UserFactory.create(full_name="Anna Maria Eriksson")
    application = f.draft(world, "visa-kunjungan", answers=f.foreigner_answers(), applicant=foreigner)
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            application=application,
            slot="photo",
            upload=io.BytesIO(f.pdf_bytes()),
            file_name="photo.pdf",
            actor=foreigner,
        )
    assert caught.value.field == "photo"
    assert "not a PDF" in str(caught.value.message)
    assert not application.documents.filter(slot="photo").exists()
