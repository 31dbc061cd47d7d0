"""Sign-in for apps end to end with the test client: the authorisation code flow with PKCE, the
token's use on the API, refresh rotation, revocation, scopes, CSRF, staff, introspection."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import get_access_token_model, get_application_model, get_refresh_token_model

from gerbang.accounts import services as accounts
from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa, staff
from gerbang.core.app_scopes import Scope
from gerbang.core.models import Event
from gerbang.oauth import services
from gerbang.oauth.demo import mobile_app
from gerbang.oauth.events import AppEvent

pytestmark = pytest.mark.django_db

REDIRECT = "http://127.0.0.1:8765/callback"
ALL_SCOPES = " ".join(scope.value for scope in Scope)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(
    challenge: str | None, *, method: str = "S256", scope: str = ALL_SCOPES, **more: str
) -> str:
    query = {
        "response_type": "code",
        "client_id": "gerbang-mobile",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
        **more,
    }
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": method}
    return "/oauth/authorize/?" + urlencode(query)


def consent(browser: Client, challenge: str, *, scope: str = ALL_SCOPES) -> str:
    """Open the consent screen, allow, and return the code from the app's redirect."""
    page = browser.get(authorize_query(challenge, scope=scope))
    assert page.status_code == 200, page.content
    form = page.context["form"]
    fields = {name: value for name, value in form.initial.items() if value is not None}
    posted = browser.post("/oauth/authorize/", {**fields, "allow": "Authorize"})
    assert posted.status_code == 302, posted.content
    location = urlsplit(posted["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def exchange(code: str, verifier: str) -> Any:
    return Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "gerbang-mobile",
            "code_verifier": verifier,
        },
    )


def refresh(token: str) -> Any:
    return Client().post(
        "/oauth/token/",
        {"grant_type": "refresh_token", "refresh_token": token, "client_id": "gerbang-mobile"},
    )


def bearer(token: str) -> Client:
    """An app: no cookie, no CSRF token, English answers."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def app() -> Any:
    return mobile_app()


@pytest.fixture
def applicant() -> Any:
    return UserFactory.create(full_name="Budi Santoso")


@pytest.fixture
def browser(applicant: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_with_2fa(client, applicant)
    return client


def signed_in_tokens(browser: Client) -> dict[str, Any]:
    verifier, challenge = pkce()
    answer = exchange(consent(browser, challenge), verifier)
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def test_the_code_flow_with_pkce_gives_tokens_the_api_takes(
    app: Any, browser: Client, applicant: Any
) -> None:
    tokens = signed_in_tokens(browser)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 15 * 60
    assert set(tokens["scope"].split()) == {scope.value for scope in Scope}
    assert tokens["refresh_token"]
    phone = bearer(tokens["access_token"])
    me = phone.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == applicant.email
    assert phone.get("/api/v1/applications").json() == []
    inbox = phone.get("/api/v1/inbox").json()
    assert (inbox["unread"], inbox["items"]) == (0, [])
    event = Event.objects.get(code=AppEvent.APP_AUTHORISED)
    assert event.details["client_id"] == "gerbang-mobile"
    # Stored only as a checksum (RFC 9700 token storage).
    assert get_access_token_model().objects.get(user=applicant).token == ""


def test_the_authorize_page_needs_sign_in_through_the_site_login(app: Any) -> None:
    _, challenge = pkce()
    answer = Client().get(authorize_query(challenge))
    assert answer.status_code == 302
    login = urlsplit(answer["Location"])
    assert login.path == "/account/login/"
    assert parse_qs(login.query)["next"][0].startswith("/oauth/authorize/?")


def test_an_account_with_a_second_factor_not_yet_passed_signs_in_again(app: Any, applicant: Any) -> None:
    staff_like = Client()
    staff_like.force_login(applicant)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=applicant, name="authenticator", confirmed=True)
    _, challenge = pkce()
    answer = staff_like.get(authorize_query(challenge))
    assert answer.status_code == 302
    assert urlsplit(answer["Location"]).path == "/account/login/"


def test_pkce_is_required(app: Any, browser: Client) -> None:
    answer = browser.get(authorize_query(None))
    assert answer.status_code in {302, 400}
    if answer.status_code == 302:
        assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["invalid_request"]
    assert not get_access_token_model().objects.exists()


def test_the_plain_method_is_refused(app: Any, browser: Client) -> None:
    verifier, _ = pkce()
    answer = browser.get(authorize_query(verifier, method="plain"))
    assert answer.status_code in {302, 400}
    if answer.status_code == 302:
        assert "error" in parse_qs(urlsplit(answer["Location"]).query)
    else:
        assert answer.context["error"]


def test_a_wrong_verifier_is_refused(app: Any, browser: Client) -> None:
    _, challenge = pkce()
    code = consent(browser, challenge)
    other_verifier, _ = pkce()
    answer = exchange(code, other_verifier)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_a_redirect_elsewhere_than_registered_is_refused(app: Any, browser: Client) -> None:
    _, challenge = pkce()
    query = authorize_query(challenge).replace("127.0.0.1%3A8765", "evil.example")
    answer = browser.get(query)
    assert answer.status_code == 400
    assert answer.context["error"]


def test_plain_http_redirects_go_only_to_loopback(browser: Client) -> None:
    model = get_application_model()
    model.objects.create(
        client_id="partner-http",
        name="Partner",
        client_type=model.CLIENT_PUBLIC,
        authorization_grant_type=model.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://partner.example/callback",
    )
    _, challenge = pkce()
    query = authorize_query(challenge, client_id="partner-http").replace(
        urlencode({"redirect_uri": REDIRECT}), urlencode({"redirect_uri": "http://partner.example/callback"})
    )
    answer = browser.get(query)
    assert answer.status_code == 400


def test_refresh_rotates_and_a_replayed_refresh_token_ends_the_family(app: Any, browser: Client) -> None:
    first = signed_in_tokens(browser)
    second = refresh(first["refresh_token"])
    assert second.status_code == 200, second.content
    renewed = second.json()
    assert renewed["refresh_token"] != first["refresh_token"]
    assert bearer(first["access_token"]).get("/api/v1/me").status_code == 401
    assert bearer(renewed["access_token"]).get("/api/v1/me").status_code == 200
    # The old refresh token again: a thief's replay. The whole family ends.
    replay = refresh(first["refresh_token"])
    assert replay.status_code == 400
    assert bearer(renewed["access_token"]).get("/api/v1/me").status_code == 401
    assert refresh(renewed["refresh_token"]).status_code == 400


def test_revocation_ends_the_token(app: Any, browser: Client) -> None:
    tokens = signed_in_tokens(browser)
    revoked = Client().post(
        "/oauth/revoke/",
        {"token": tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": "gerbang-mobile"},
    )
    assert revoked.status_code == 200
    answer = bearer(tokens["access_token"]).get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["code"] == "invalid_token"
    assert 'error="invalid_token"' in answer["WWW-Authenticate"]
    assert refresh(tokens["refresh_token"]).status_code == 400


@pytest.mark.parametrize("change", ["password", "two_factor_disabled"])
def test_new_credentials_sign_every_app_out(app: Any, browser: Client, applicant: Any, change: str) -> None:
    tokens = signed_in_tokens(browser)
    assert bearer(tokens["access_token"]).get("/api/v1/me").status_code == 200
    if change == "password":
        accounts.password_change(user=applicant, new_password="teh-manis-di-sijunjung-2026", actor=applicant)
    else:
        accounts.two_factor_disable(user=applicant)
    assert bearer(tokens["access_token"]).get("/api/v1/me").status_code == 401
    assert refresh(tokens["refresh_token"]).status_code == 400


def test_each_endpoint_wants_its_scope(app: Any, browser: Client) -> None:
    tokens = signed_in_tokens_with(browser, Scope.APPLICATIONS_READ)
    phone = bearer(tokens["access_token"])
    assert phone.get("/api/v1/applications").status_code == 200
    refused = phone.post(
        "/api/v1/applications", {"service": "paspor-biasa", "office": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    assert 'scope="applications:write"' in refused["WWW-Authenticate"]
    assert phone.get("/api/v1/inbox").json()["code"] == "insufficient_scope"
    assert phone.get("/api/v1/me").status_code == 403


def signed_in_tokens_with(browser: Client, *scopes: Scope) -> dict[str, Any]:
    verifier, challenge = pkce()
    answer = exchange(consent(browser, challenge, scope=" ".join(scopes)), verifier)
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def test_a_bearer_request_needs_no_csrf_token_a_session_request_still_does(
    app: Any, browser: Client, applicant: Any
) -> None:
    tokens = signed_in_tokens(browser)
    posted = bearer(tokens["access_token"]).post("/api/v1/inbox/read", {}, content_type="application/json")
    assert posted.status_code == 200, posted.content
    session = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    session.force_login(applicant)
    refused = session.post("/api/v1/inbox/read", {}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    assert session.get("/api/v1/me").status_code == 200  # a read needs no token


def test_a_token_in_the_query_string_is_not_taken(app: Any, applicant: Any) -> None:
    access, _ = services.app_sign_in_issue(user=applicant, application=app, scopes=[Scope.PROFILE])
    assert Client().get(f"/api/v1/me?access_token={access}").status_code == 401


def test_staff_get_no_token(app: Any, staff_client: Any, office_a: Any) -> None:
    officer = staff(Role.OFFICER, [office_a])
    _, challenge = pkce()
    page = staff_client(officer).get(authorize_query(challenge))
    assert page.status_code == 403
    assert not get_access_token_model().objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - the service refuses (PermissionDenied)
        services.app_sign_in_issue(user=officer, application=app, scopes=[Scope.PROFILE])


def test_a_token_of_an_account_that_became_staff_is_refused(app: Any, applicant: Any) -> None:
    access, _ = services.app_sign_in_issue(user=applicant, application=app, scopes=[Scope.PROFILE])
    applicant.role = Role.OFFICER
    applicant.save(update_fields=["role"])
    answer = bearer(access).get("/api/v1/me")
    assert answer.status_code == 403
    assert answer.json()["code"] == "token_not_allowed"


def test_introspection_is_for_a_confidential_client_about_its_own_tokens(app: Any, applicant: Any) -> None:
    model = get_application_model()
    partner = model(
        client_id="partner",
        name="Partner",
        client_type=model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=model.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://partner.example/callback",
        client_secret="partner-secret",
    )
    partner.save()
    own, _ = services.app_sign_in_issue(user=applicant, application=partner, scopes=[Scope.PROFILE])
    others, _ = services.app_sign_in_issue(user=applicant, application=app, scopes=[Scope.PROFILE])
    basic = "Basic " + base64.b64encode(b"partner:partner-secret").decode()
    about_own = Client().post("/oauth/introspect/", {"token": own}, HTTP_AUTHORIZATION=basic)
    assert about_own.status_code == 200
    assert about_own.json()["active"] is True
    about_others = Client().post("/oauth/introspect/", {"token": others}, HTTP_AUTHORIZATION=basic)
    assert about_others.json() == {"active": False}
    public = Client().post("/oauth/introspect/", {"token": others, "client_id": "gerbang-mobile"})
    assert public.status_code in {401, 403}


def test_signed_in_devices_and_signing_one_out(app: Any, browser: Client, applicant: Any) -> None:
    tokens = signed_in_tokens_with(browser, Scope.PROFILE, Scope.NOTIFICATIONS)
    assert bearer(tokens["access_token"]).get("/api/v1/me").status_code == 200
    page = browser.get("/account/devices/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gerbang (aplikasi seluler)" in text
    assert "Read your inbox and choose how the service tells you (email, SMS, this device)" in text
    assert "See your name, email address and language; turn on two-factor sign-in" in text
    assert "Start, fill in, submit" not in text
    signed_out = browser.post(f"/account/devices/{app.pk}/sign-out/", follow=True)
    assert "signed out on every device" in signed_out.content.decode()
    assert bearer(tokens["access_token"]).get("/api/v1/me").status_code == 401
    assert refresh(tokens["refresh_token"]).status_code == 400
    assert "No app is signed in" in browser.get("/account/devices/").content.decode()
    assert Event.objects.filter(code=AppEvent.APP_SIGNED_OUT, actor=applicant).exists()
    # Someone else's device list is their own: nothing to sign out here.
    again = browser.post(f"/account/devices/{app.pk}/sign-out/", follow=True)
    assert "already signed out" in again.content.decode()


def test_signing_out_touches_no_one_elses_tokens(app: Any, browser: Client) -> None:
    other = UserFactory.create()
    theirs, _ = services.app_sign_in_issue(user=other, application=app, scopes=[Scope.PROFILE])
    signed_in_tokens(browser)
    browser.post(f"/account/devices/{app.pk}/sign-out/")
    assert bearer(theirs).get("/api/v1/me").status_code == 200


def test_the_devices_page_is_indonesian_by_default(app: Any, applicant: Any) -> None:
    services.app_sign_in_issue(user=applicant, application=app, scopes=[Scope.PROFILE])
    browser = Client()
    browser.force_login(applicant)
    applicant.language = "id"
    applicant.save(update_fields=["language"])
    page = browser.get("/account/devices/")
    assert "Perangkat yang masuk" in page.content.decode()


def test_the_refresh_tokens_live_rows_are_in_one_family(app: Any, browser: Client) -> None:
    first = signed_in_tokens(browser)
    refresh(first["refresh_token"])
    families = set(get_refresh_token_model().objects.values_list("token_family", flat=True))
    assert len(families) == 1
