"""An id no database column can hold (2**63 and more), typed into every address and every API
body that carries an id, by the public, an applicant and an officer: never a server error.

The addresses come from the URL configuration and the API bodies from the OpenAPI document, so
a new page or endpoint is swept without being listed here."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from gerbang.core.tests import sweep

pytestmark = pytest.mark.django_db

HUGE = 2**63


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module: real offices, cases and people."""


ADDRESSES = sweep.addresses(HUGE)


def test_the_sweep_finds_the_addresses_that_take_ids() -> None:
    assert f"/applications/{HUGE}/" in ADDRESSES
    assert f"/api/v1/applications/{HUGE}/cancel" in ADDRESSES
    assert f"/backoffice/cases/{HUGE}/" in ADDRESSES
    assert len(ADDRESSES) > 40


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_address_with_a_huge_id(address: str, staff_client: Any) -> None:
    for who, client in sweep.people(staff_client).items():
        for method in ("get", "post"):
            response = getattr(client, method)(address)
            assert response.status_code < 500, f"{who} {method.upper()} {address}: {response.status_code}"


def _body(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """An example body whose every whole number is HUGE (and whose texts are plain)."""
    if "$ref" in schema:
        return _body(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _body(schema[key][0], components)
    kind = schema.get("type")
    if kind == "object":
        return {name: _body(sub, components) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_body(schema.get("items", {}), components)]
    if kind == "integer":
        return HUGE
    if kind == "boolean":
        return True
    if "enum" in schema:
        return schema["enum"][0]
    return "x"


def test_every_api_body_with_huge_ids(staff_client: Any) -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    components = spec.get("components", {}).get("schemas", {})
    sent = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _body(content["application/json"]["schema"], components)
            address = re.sub(r"\{\w+\}", "1", path)
            for who, client in sweep.people(staff_client).items():
                response = client.generic(method.upper(), address, json.dumps(body), "application/json")
                assert response.status_code < 500, (
                    f"{who} {method.upper()} {address} {body}: {response.status_code}"
                )
                sent += 1
    assert sent > 0
