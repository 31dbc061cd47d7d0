from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from gerbang.accounts import views as account_views

# The Django admin is a technical tool for superusers only, and it too demands 2FA.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("gerbang.core.urls")),
    path("language", account_views.set_language, name="set_language"),
    path("", include("gerbang.catalog.urls")),
    path("", include("gerbang.content.urls")),
    path("account/", include("gerbang.accounts.urls")),
    path("backoffice/", include("gerbang.accounts.backoffice_urls")),
    path("django-admin/", admin.site.urls),
]
