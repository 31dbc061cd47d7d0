"""``services.housekeeping``: unpaid cases expire; files no document refers to are removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from gerbang.applications import services
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def test_expiry_of_unpaid_applications(world: f.World) -> None:
    application = f.submitted(world)
    assert services.expire_unpaid() == 0
    with time_machine.travel(application.payment_due_at + timedelta(minutes=1)):  # type: ignore[operator]
        assert services.expire_unpaid() == 1
    application.refresh_from_db()
    assert application.state == State.EXPIRED


@pytest.mark.django_db
def test_files_of_failed_uploads_are_removed_later() -> None:
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from gerbang.core.storage import private_storage

    world = f.make_world()
    application = f.draft(world)
    f.upload_all(application)
    kept = application.documents.first()
    assert kept is not None
    stray = private_storage().save("documents/2026/11/stray.pdf", ContentFile(f.pdf_bytes()))
    assert services.orphan_documents_remove() == 0  # too recent: its transaction may be open
    assert services.orphan_documents_remove(older_than=timedelta(0)) == 1
    assert not private_storage().exists(stray)
    assert private_storage().exists(str(kept.file.name))
