"""The OpenAPI document: one name for one schema, every operation's errors documented, and
every error answered with the documented body."""

from __future__ import annotations

import ast
import typing
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from gerbang.accounts.models import User
from gerbang.api import api
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError, ErrorCode


def _models(annotation: Any, seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation, seen)
    for argument in typing.get_args(annotation):
        yield from _models(argument, seen)


def _operations() -> Iterator[Any]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def test_no_two_schemas_share_a_name() -> None:
    """The document keys schemas by class name, so a clash silently documents one as the other
    (a document slot described as an appointment time, once)."""
    names: dict[str, set[str]] = defaultdict(set)
    seen: set[type[BaseModel]] = set()
    for operation in _operations():
        for model in [*operation.response_models.values(), *operation.models]:
            for found in _models(model, seen):
                # ninja's own wrappers of parameters and answers are made per operation and
                # unfolded in the document; they never become schemas of their own.
                if not found.__module__.startswith(("abc", "ninja")):
                    names[found.__name__].add(f"{found.__module__}.{found.__qualname__}")
    clashes = {name: where for name, where in names.items() if len(where) > 1}
    assert clashes == {}
    documented = set(api.get_openapi_schema()["components"]["schemas"])
    assert set(names) <= documented


def test_every_operation_documents_its_errors() -> None:
    schema = api.get_openapi_schema()
    count = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"400", "404", "409", "422", "429"} | (
                {"401", "403"} if operation.get("security") else set()
            )
            assert expected <= codes, f"{method.upper()} {path}"
            for code in expected:
                content = operation["responses"][code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}
            count += 1
    assert count >= 30
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_the_error_body_lists_every_code() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    code = schemas["ErrorOut"]["properties"]["code"]
    listed = next(option for option in code["anyOf"] if "$ref" in option or "enum" in option)
    enum = schemas[listed["$ref"].rsplit("/", 1)[-1]] if "$ref" in listed else listed
    assert enum["enum"] == [member.value for member in ErrorCode]
    assert {"slot_full", "invalid_request", "stale_version", "ValidationError"} <= set(enum["enum"])


def test_every_error_class_name_is_a_listed_code() -> None:
    """An error raised without a code carries its class's name, so each must be listed."""
    seen, todo = set(), [ApplicationError]
    while todo:
        cls = todo.pop()
        seen.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    assert seen <= {member.value for member in ErrorCode}
    with pytest.raises(ValueError):
        ApplicationError(code="no_such_code")  # type: ignore[arg-type]  # what the type forbids, at run time


def test_every_code_raised_in_the_source_is_listed() -> None:
    """A code written as a string (which the type refuses, but code outside the type check could
    still pass) is listed too."""
    names, todo = set(), [ApplicationError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    listed = {member.value for member in ErrorCode}
    root = Path(__file__).resolve().parents[2]
    unlisted = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text()
        ours = (
            names - {"ValidationError"}
            if "from django.core.exceptions import ValidationError" in text
            else names
        )
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for keyword in node.keywords:
                value = keyword.value
                if (
                    callee in ours
                    and keyword.arg == "code"
                    and isinstance(value, ast.Constant)
                    and value.value not in listed
                ):
                    unlisted.append(f"{path.relative_to(root)}:{node.lineno} {value.value!r}")
    assert not unlisted


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "field", "code", "errors"}
    return dict(body)


@pytest.mark.django_db
def test_every_kind_of_error_answers_the_documented_body(client: Client) -> None:
    from gerbang.applications.tests import factories as f

    world = f.make_world()
    application = f.draft(world)
    assert _error(client.get("/api/v1/applications"), 401)["code"] == "not_signed_in"
    assert _error(client.get("/api/v1/offices/no-such-office"), 404)
    assert _error(client.get("/api/v1/guides/no-such-guide"), 404)

    client.force_login(world.applicant)
    missing = _error(client.get("/api/v1/applications/999999"), 404)
    assert missing["code"] in {"not_found", "NotFound"}
    address = f"/api/v1/applications/{application.pk}/appointment/hold"
    wrong = _error(client.post(address, {"slot": "abc"}, content_type="application/json"), 422)
    assert (wrong["field"], wrong["code"]) == ("slot", "invalid_request")
    assert wrong["errors"][0]["type"] == "int_parsing"
    assert "slot" in wrong["detail"]
    unreadable = _error(client.post(address, "{not json", content_type="application/json"), 400)
    assert unreadable["code"] == "unreadable_body"
    absent = _error(client.post(address, {}, content_type="application/json"), 422)
    assert absent["field"] == "slot" and absent["errors"][0]["type"] == "missing"

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(pk=world.applicant.pk))
    refused = _error(strict.post(address, {"slot": 1}, content_type="application/json"), 403)
    assert refused["code"] == "csrf"


@pytest.mark.django_db
def test_opening_hours_are_wall_clock_times_with_their_zone(client: Client) -> None:
    from gerbang.catalog import services
    from gerbang.catalog.tests.factories import OfficeFactory

    office = OfficeFactory.create(code="jayapura", time_zone="Asia/Jayapura")
    import datetime as dt

    services.opening_hours_set(
        actor=SystemActor("tests"), office=office, periods=[(0, dt.time(8, 0), dt.time(12, 30))]
    )
    body = client.get("/api/v1/offices/jayapura").json()
    assert body["time_zone"] == "Asia/Jayapura"
    assert body["opening_hours"] == [{"weekday": 0, "opens": "08:00", "closes": "12:30"}]
    period = api.get_openapi_schema()["components"]["schemas"]["OpeningPeriod"]["properties"]["opens"]
    assert period["type"] == "string" and "format" not in period and "time_zone" in period["description"]


@pytest.mark.django_db
def test_a_query_parameter_given_twice_is_refused(client: Client) -> None:
    """Which of two values counts would depend on who reads them (HTTP parameter pollution)."""
    refused = _error(client.get("/api/v1/notices?page_size=5&page_size=500", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert refused["field"] == "page_size" and "more than once" in refused["detail"]
    assert client.get("/api/v1/notices?page_size=5").status_code == 200


def test_the_document_is_built_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building it takes some 80 ms: it is built once (the operations are fixed at start-up)."""
    built = []
    build = api.get_openapi_schema

    def counted(**kwargs: Any) -> Any:
        built.append(kwargs)
        return build(**kwargs)

    monkeypatch.setattr(api, "get_openapi_schema", counted)
    first = Client().get("/api/v1/openapi.json")
    again = Client().get("/api/v1/openapi.json?anything=1")
    assert first.status_code == again.status_code == 200
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again.content == first.content and again.json()["info"]["title"] == "Gerbang API"
    assert len(built) <= 1  # none when an earlier test of this process had it built
