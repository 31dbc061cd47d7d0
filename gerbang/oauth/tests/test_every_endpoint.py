"""Every applicant endpoint of the API takes an app's token with its scope, and refuses one
without it. The endpoints are read from the OpenAPI document, so a new one is covered as soon
as it exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gerbang.accounts.tests.factories import UserFactory
from gerbang.api import OAUTH2, api
from gerbang.core.app_scopes import Scope
from gerbang.oauth import services
from gerbang.oauth.demo import mobile_app


def _operations() -> list[tuple[str, str, str | None, bool]]:
    """(method, path, the OAuth2 scope or None, whether the session is an alternative) of every
    operation that asks for any sign-in."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security") or []
            if not security:
                continue
            scopes = [scope for entry in security for scope in entry.get(OAUTH2, [])]
            session = any("SessionAuth" in entry for entry in security)
            found.append((method, path, scopes[0] if scopes else None, session))
    return found


OPERATIONS = _operations()


def test_the_document_finds_the_signed_in_operations() -> None:
    paths = {path for _, path, _, _ in OPERATIONS}
    assert {"/api/v1/applications", "/api/v1/inbox", "/api/v1/me", "/api/v1/consultations"} <= paths
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize(("method", "path", "scope", "session"), OPERATIONS, ids=lambda v: str(v))
def test_every_signed_in_operation_takes_a_token_or_the_session(
    method: str, path: str, scope: str | None, session: bool
) -> None:
    assert scope in {s.value for s in Scope}, f"{method.upper()} {path} takes no app token"
    assert session, f"{method.upper()} {path} no longer takes the session"


def _call(client: Client, method: str, path: str) -> Any:
    # Ids no one has: the operation answers 404 (or 422 for a body it cannot read), never 401/403,
    # once the token is accepted.
    url = re.sub(r"\{(int:)?pk\}|\{[^}]*id\}", "999999", path)
    url = re.sub(r"\{[^}]+\}", "nothing", url)
    return getattr(client, method)(url, {}, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "scope", "session"), OPERATIONS, ids=lambda v: str(v))
def test_every_applicant_endpoint_takes_a_token_with_its_scope(
    method: str, path: str, scope: str | None, session: bool
) -> None:
    assert scope is not None
    person = UserFactory.create()
    app = mobile_app()
    right, _ = services.app_sign_in_issue(user=person, application=app, scopes=[scope])
    others = [s.value for s in Scope if s.value != scope]
    wrong, _ = services.app_sign_in_issue(user=person, application=app, scopes=others)

    accepted = _call(Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {right}"), method, path)
    assert accepted.status_code not in {401, 403}, (accepted.status_code, accepted.content)

    refused = _call(Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {wrong}"), method, path)
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"

    nobody = _call(Client(HTTP_AUTHORIZATION="Bearer not-a-token"), method, path)
    assert nobody.status_code == 401
    assert nobody.json()["code"] == "invalid_token"


def test_the_document_describes_the_oauth2_scheme() -> None:
    scheme = api.get_openapi_schema()["components"]["securitySchemes"][OAUTH2]
    flow = scheme["flows"]["authorizationCode"]
    assert scheme["type"] == "oauth2"
    assert flow["authorizationUrl"] == "/oauth/authorize/"
    assert flow["tokenUrl"] == flow["refreshUrl"] == "/oauth/token/"
    assert set(flow["scopes"]) == {scope.value for scope in Scope}
    assert (
        flow["scopes"]["profile"] == "See your name, email address and language; turn on two-factor sign-in"
    )
    assert "AppToken" not in api.get_openapi_schema()["components"]["securitySchemes"]
