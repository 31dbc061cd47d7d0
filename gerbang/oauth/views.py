"""Pages of sign-in for apps: the consent screen (django-oauth-toolkit's authorisation view
behind the site's own sign-in, second factor included), the introspection endpoint for this
server's clients, and the person's signed-in devices."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import get_application_model
from oauth2_provider.views import AuthorizationView, IntrospectTokenView
from oauthlib.oauth2.rfc6749.errors import InvalidRequestError

from gerbang.accounts.http import AuthenticatedRequest, second_factor_verified
from gerbang.accounts.selectors import has_two_factor
from gerbang.core.app_scopes import scope_texts
from gerbang.core.exceptions import ApplicationError
from gerbang.oauth import selectors, services
from gerbang.oauth.validators import is_loopback


def _redirect_origins(application: Any) -> list[str]:
    """Where the consent form may send the browser on (CSP ``form-action``): the origins of
    the app's redirect addresses, a loopback one on any port (RFC 8252 §7.3)."""
    origins = []
    for uri in str(application.redirect_uris or "").split():
        parts = urlsplit(uri)
        if is_loopback(uri):
            if ":" not in str(parts.hostname):  # CSP has no syntax for an IPv6 literal
                origins.append(f"{parts.scheme}://{parts.hostname}:*")
        elif parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class AuthorizeView(AuthorizationView):  # type: ignore[misc]  # the toolkit is untyped
    """The consent screen. Reached signed out, it sends the person through the site's sign-in
    (password, then the authenticator code when the account has one) and back. Only accounts
    that may use apps get this far: staff are refused (they work in the back office)."""

    template_name = "oauth/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if has_two_factor(user) and not second_factor_verified(user):
                # Signed in before a second factor was set up elsewhere: sign in again, fully.
                logout(request)
                return redirect_to_login(request.get_full_path())
            if not getattr(user, "may_use_app_tokens", False):
                return render(request, "oauth/not_for_this_account.html", status=403)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def validate_authorization_request(self, request: HttpRequest) -> Any:
        """The toolkit's checks, and S256 as the only PKCE method (OAuth 2.1): a "plain"
        challenge is refused before the consent screen, back to the app."""
        scopes, credentials = super().validate_authorization_request(request)
        if credentials.get("code_challenge_method") != "S256":
            error = InvalidRequestError(
                description='Use the PKCE code_challenge_method "S256".', state=credentials.get("state")
            )
            error.redirect_uri = credentials.get("redirect_uri")
            raise OAuthToolkitError(error=error, redirect_uri=credentials.get("redirect_uri"))
        return scopes, credentials

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope_texts"] = scope_texts(context.get("scopes") or [])
        return context  # type: ignore[no-any-return]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context.get("error"):
            response.status_code = 400
        application = context.get("application")
        if application is not None:
            response._csp_update = {"form-action": _redirect_origins(application)}
        return response  # type: ignore[no-any-return]

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        location = str(getattr(response, "url", ""))
        if form.cleaned_data.get("allow") and "code=" in urlsplit(location).query:
            application = get_application_model().objects.get(client_id=form.cleaned_data["client_id"])
            services.app_authorised(
                user=self.request.user, application=application, scopes=form.cleaned_data["scope"].split()
            )
        return response  # type: ignore[no-any-return]


def _client_id(request: HttpRequest) -> str:
    """The client that authenticated the request (HTTP Basic, else the form's client_id)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote(decoded.partition(":")[0])
    return str(request.POST.get("client_id", ""))


class OwnTokenIntrospectView(IntrospectTokenView):  # type: ignore[misc]  # the toolkit is untyped
    """RFC 7662 for confidential clients: each learns about its own tokens only (another
    client's token is "not active" to it). The API itself reads tokens directly."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model = get_application_model()
        client = model.objects.filter(client_id=_client_id(request)).first()
        if client is None or client.client_type != model.CLIENT_CONFIDENTIAL:
            return JsonResponse({"error": "invalid_client"}, status=401)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answer = super().post(request, *args, **kwargs)
        return _own_only(request, answer)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return JsonResponse({"error": "invalid_request", "error_description": "Use POST."}, status=405)


def _own_only(request: HttpRequest, answer: HttpResponse) -> HttpResponse:
    if answer.status_code != 200:
        return answer
    body = json.loads(answer.content)
    if body.get("active") and body.get("client_id") != _client_id(request):
        return JsonResponse({"active": False})
    return answer


@login_required
def devices(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "oauth/devices.html", {"apps": selectors.signed_in_apps(request.user)})


@require_POST
@login_required
def device_sign_out(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    try:
        services.app_sign_out(user=request.user, application_id=application_id)
    except ApplicationError:
        messages.info(request, _("That app was already signed out."))
    else:
        messages.success(
            request, _("The app is signed out on every device. It can do nothing more in your name.")
        )
    return redirect("oauth:devices")
