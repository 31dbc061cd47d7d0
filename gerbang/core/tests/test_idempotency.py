"""Exactly once (core.idempotency): a form sent twice writes once and gets the first result, even
when the two sends race; the API's Idempotency-Key header replays the first answer, refuses the
same key with another request (422), and keys are forgotten after a day."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone, translation

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications import services as applications
from gerbang.applications.models import Document
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.applications.tests.factories import photo_bytes
from gerbang.core import idempotency
from gerbang.core.exceptions import ErrorCode
from gerbang.core.models import Event, IdempotencyKey
from gerbang.core.tests.concurrency import in_parallel
from gerbang.feedback import services as feedback
from gerbang.feedback.models import Consultation, ConsultationMessage


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _ask(world: f.World, key: str | None, **more: Any) -> Consultation:
    values: dict[str, Any] = {
        "asker": world.applicant,
        "office": world.office,
        "topic": "requirements",
        "subject": "Damaged passport",
        "body": "My passport got wet. Is it a damaged-passport replacement?",
        **more,
    }
    return feedback.consultation_open(idempotency_key=key, **values)


# --- Services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_question_sent_twice_with_its_key_is_asked_once() -> None:
    world = f.make_world()
    key = idempotency.new_key()
    first = _ask(world, key)
    again = _ask(world, key, subject="Something else entirely")
    assert again.pk == first.pk
    assert Consultation.objects.count() == 1
    assert ConsultationMessage.objects.count() == 1
    assert Event.objects.filter(code="consultation.opened").count() == 1
    # Another key (another display of the form) is another question.
    _ask(world, idempotency.new_key())
    assert Consultation.objects.count() == 2
    # Without a key, as before: each send is a question.
    _ask(world, None)
    _ask(world, None)
    assert Consultation.objects.count() == 4


@pytest.mark.django_db
def test_a_follow_up_sent_twice_is_added_once_even_after_the_question_closed() -> None:
    world = f.make_world()
    consultation = _ask(world, None)
    key = idempotency.new_key()
    message = feedback.consultation_follow_up(
        consultation=consultation, body="One more thing.", actor=world.applicant, idempotency_key=key
    )
    consultation.refresh_from_db()
    feedback.consultation_close(consultation=consultation, actor=world.applicant)
    # The replay (the queued form sent again) gets the first message; the closed question refuses nothing.
    again = feedback.consultation_follow_up(
        consultation=consultation, body="One more thing.", actor=world.applicant, idempotency_key=key
    )
    assert again.pk == message.pk
    assert consultation.messages.count() == 2


@pytest.mark.django_db
def test_keys_are_per_person() -> None:
    world = f.make_world()
    key = idempotency.new_key()
    mine = _ask(world, key)
    assert IdempotencyKey.objects.get(key=key).owner == f"user:{world.applicant.pk}"
    someone = UserFactory.create()
    theirs = feedback.consultation_open(
        asker=someone,
        office=world.office,
        topic="other",
        subject="My visa",
        body="When does it end, please?",
        idempotency_key=key,
    )
    assert theirs.pk != mine.pk
    assert theirs.asker_id == someone.pk


@pytest.mark.django_db
def test_an_upload_sent_twice_stores_one_document() -> None:
    world = f.make_world()
    case = f.draft(world)
    slot = document_slots(case)[0]
    data, name = (photo_bytes(), "photo.jpg") if slot.images_only else (f.pdf_bytes(), "scan.pdf")
    key = idempotency.new_key()

    def upload() -> Document:
        return applications.document_upload(
            application=case,
            slot=slot.key,
            upload=io.BytesIO(data),
            file_name=name,
            actor=world.applicant,
            idempotency_key=key,
        )

    first = upload()
    assert upload().pk == first.pk
    assert Document.objects.filter(application=case).count() == 1


def test_a_form_key_must_be_a_uuid() -> None:
    key = str(uuid.uuid4())
    assert idempotency.form_key({"idempotency_key": key.upper()}) == key
    assert idempotency.form_key({"idempotency_key": "not-a-key"}) is None
    assert idempotency.form_key({}) is None


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_writes_once() -> None:
    """Two sends of one form at the same moment (the queue and a reload): the unique constraint
    lets one write; the other waits for it and gets its question."""
    world = f.make_world()
    key = idempotency.new_key()

    def send() -> int:
        try:
            return _ask(world, key).pk
        finally:
            connections.close_all()

    results = in_parallel([send, send, send, send])
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Consultation.objects.count() == 1
    assert ConsultationMessage.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_purged_after_a_day() -> None:
    world = f.make_world()
    _ask(world, idempotency.new_key())
    kept = _ask(world, idempotency.new_key())
    IdempotencyKey.objects.exclude(result_id=kept.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert idempotency.purge() == 1
    assert list(IdempotencyKey.objects.values_list("result_id", flat=True)) == [kept.pk]


# --- The API's Idempotency-Key header -----------------------------------------------------------


def _api_ask(client: Client, key: str | None, subject: str = "Damaged passport", office: str = "") -> Any:
    headers = {"Accept-Language": "en", **({"Idempotency-Key": key} if key is not None else {})}
    body = {
        "office": office,
        "topic": "requirements",
        "subject": subject,
        "body": "My passport got wet, what now?",
    }
    return client.post(
        "/api/v1/consultations", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def signed_in() -> tuple[f.World, Client]:
    world = f.make_world()
    client = Client()
    client.force_login(world.applicant)
    return world, client


@pytest.mark.django_db
def test_the_same_key_and_request_answer_the_first_response(signed_in: tuple[f.World, Client]) -> None:
    world, client = signed_in
    key = f'"{uuid.uuid4()}"'  # a structured-field string, as the draft writes it
    first = _api_ask(client, key, office=world.office.code)
    assert first.status_code == 201, first.content
    again = _api_ask(client, key, office=world.office.code)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Consultation.objects.count() == 1
    # Without the header, every request is its own.
    assert _api_ask(client, None, office=world.office.code).status_code == 201
    assert Consultation.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(signed_in: tuple[f.World, Client]) -> None:
    world, client = signed_in
    key = str(uuid.uuid4())
    assert _api_ask(client, key, office=world.office.code).status_code == 201
    other = _api_ask(client, key, subject="Another question", office=world.office.code)
    assert other.status_code == 422
    assert other.json()["code"] == ErrorCode.IDEMPOTENCY_KEY_REUSED
    assert other.json()["field"] == "Idempotency-Key"
    assert "already used for another request" in other.json()["detail"]
    assert Consultation.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_key_is_refused_and_errors_that_took_nothing_up_are_not_kept(
    signed_in: tuple[f.World, Client],
) -> None:
    world, client = signed_in
    assert _api_ask(client, "", office=world.office.code).status_code == 400
    assert (
        _api_ask(client, "x" * 256, office=world.office.code).json()["code"]
        == ErrorCode.IDEMPOTENCY_KEY_INVALID
    )
    # Not signed in: a 401, not kept; signed in, the same key goes through.
    key = str(uuid.uuid4())
    assert _api_ask(Client(), key, office=world.office.code).status_code == 401
    assert _api_ask(client, key, office=world.office.code).status_code == 201
    # A rule refused it (400): kept, and said again.
    key = str(uuid.uuid4())
    refused = _api_ask(client, key, office="NOPE")
    assert refused.status_code == 400
    assert _api_ask(client, key, office="NOPE").json() == refused.json()


@pytest.mark.django_db
def test_keys_belong_to_their_user(signed_in: tuple[f.World, Client]) -> None:
    world, client = signed_in
    key = str(uuid.uuid4())
    assert _api_ask(client, key, office=world.office.code).status_code == 201
    stranger = UserFactory.create()
    other = Client()
    other.force_login(stranger)
    answer = _api_ask(other, key, office=world.office.code)
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer
    assert Consultation.objects.count() == 2


@pytest.mark.django_db
def test_a_request_still_being_answered_gets_409(signed_in: tuple[f.World, Client]) -> None:
    world, client = signed_in
    key = str(uuid.uuid4())
    assert _api_ask(client, key, office=world.office.code).status_code == 201
    IdempotencyKey.objects.filter(key=key).update(status=None)
    busy = _api_ask(client, key, office=world.office.code)
    assert busy.status_code == 409
    assert busy["Retry-After"] == "1"
    assert busy.json()["code"] == ErrorCode.IDEMPOTENCY_KEY_IN_USE
    # Left unanswered (its process ended): after a while the key is taken over.
    IdempotencyKey.objects.filter(key=key).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert _api_ask(client, key, office=world.office.code).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_api_requests_with_one_key_write_once() -> None:
    world = f.make_world()
    key = str(uuid.uuid4())

    def post() -> int:
        client = Client()
        client.force_login(world.applicant)
        return int(_api_ask(client, key, office=world.office.code).status_code)

    codes = in_parallel([post, post, post, post])
    assert Consultation.objects.count() == 1
    # The first answered 201; each other got it again, or was told it is still being answered.
    assert codes.count(201) >= 1
    assert set(codes) <= {201, 409}


@pytest.mark.django_db
def test_the_openapi_document_offers_the_header_on_every_post() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    posts = [
        operation
        for operations in document["paths"].values()
        for method, operation in operations.items()
        if method == "post"
    ]
    assert posts
    for operation in posts:
        assert any(parameter["name"] == "Idempotency-Key" for parameter in operation.get("parameters", [])), (
            operation
        )


@pytest.mark.django_db
def test_a_body_too_large_is_answered_by_the_operation(
    signed_in: tuple[f.World, Client], settings: Any
) -> None:
    world, client = signed_in
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    answer = _api_ask(client, str(uuid.uuid4()), subject="x" * 200, office=world.office.code)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json")
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_an_upload_repeated_with_its_key_stores_one_file(signed_in: tuple[f.World, Client]) -> None:
    """Form data is compared field by field and file by file: the same file sent again (with
    another boundary) is the same request; another file under the same key is not."""
    world, client = signed_in
    case = f.draft(world)
    slot = next(s for s in document_slots(case) if not s.images_only)
    url = f"/api/v1/applications/{case.pk}/documents/{slot.key}"
    key = str(uuid.uuid4())
    headers = {"Idempotency-Key": key, "Accept-Language": "en"}
    scan = f.pdf_bytes(pages=2)
    first = client.post(url, {"file": f.upload(scan)}, headers=headers)
    assert first.status_code == 201, first.content
    again = client.post(url, {"file": f.upload(scan)}, headers=headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Document.objects.filter(application=case).count() == 1
    other = client.post(url, {"file": f.upload(f.pdf_bytes(pages=3))}, headers=headers)
    assert other.status_code == 422
    assert Document.objects.filter(application=case).count() == 1
