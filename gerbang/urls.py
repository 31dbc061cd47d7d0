from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django_otp.admin import OTPAdminSite

from gerbang.accounts import views as account_views
from gerbang.api import api, unmatched
from gerbang.oauth import urls as oauth_urls
from gerbang.sitemaps import SITEMAPS

# The Django admin is a technical tool for superusers only, and it too demands 2FA.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    # First: Django tries the patterns in order, and the API (the mobile app, partner agencies,
    # booking in a rush) is the busiest; its prefix costs a page one failed match.
    # Partner agencies' signed questions (RFC 9421) and Gerbang's published keys, before the
    # JSON API: their answers are signed byte for byte, so they are plain views (docs/partners.md).
    path("api/v1/exchange/", include("gerbang.integrations.urls")),
    path("api/v1/", api.urls),
    path("", include("gerbang.core.urls")),
    path("language", account_views.set_language, name="set_language"),
    path("", include("gerbang.catalog.urls")),
    path("", include("gerbang.content.urls")),
    path("account/", include("gerbang.accounts.urls")),
    path("oauth/", include((oauth_urls.authorisation_server, "oauth2_provider"))),
    path("", include("gerbang.oauth.urls")),
    path("", include("gerbang.applications.urls")),
    path("", include("gerbang.appointments.urls")),
    path("", include("gerbang.queueing.urls")),
    path("", include("gerbang.payments.urls")),
    path("", include("gerbang.notifications.urls")),
    path("", include("gerbang.feedback.urls")),
    path("", include("gerbang.assistant.urls")),
    path("", include("gerbang.satisfaction.urls")),
    path("", include("gerbang.ikm.urls")),
    path("", include("gerbang.transparency.urls")),
    path("", include("gerbang.participation.urls")),
    path("", include("gerbang.ledger.urls")),
    path("", include("gerbang.privacy.urls")),
    path("backoffice/", include("gerbang.backoffice_urls")),
    path("sitemap.xml", cache_page(60 * 60)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("django-admin/", admin.site.urls),
]

if settings.SIMULATORS:
    # Stand-ins for outside parties, for local development and tests (never in production).
    urlpatterns.append(path("simulator/", include("gerbang.simulators.urls")))

# An address that matches no route: the API's JSON error under /api/, the site's page elsewhere.
handler404 = unmatched
