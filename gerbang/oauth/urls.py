"""Sign-in for apps (OAuth 2.1): the authorisation server's endpoints and the signed-in devices.

Only the authorisation code flow's endpoints are mounted, in django-oauth-toolkit's own
namespace (its metadata view names them there): no device flow, no client management pages
(operators register clients in the admin)."""

from django.urls import path
from oauth2_provider import views as toolkit

from gerbang.oauth import views

app_name = "oauth"

# Mounted under /oauth/ as the namespace "oauth2_provider" (gerbang/urls.py).
authorisation_server = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", toolkit.TokenView.as_view(), name="token"),
    path("revoke/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.OwnTokenIntrospectView.as_view(), name="introspect"),
]

urlpatterns = [
    # RFC 8414: where clients discover the endpoints, scopes and methods above.
    path(
        ".well-known/oauth-authorization-server", toolkit.OAuthServerMetadataView.as_view(), name="metadata"
    ),
    path("account/devices/", views.devices, name="devices"),
    path("account/devices/<int:application_id>/sign-out/", views.device_sign_out, name="device_sign_out"),
]
