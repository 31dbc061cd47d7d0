from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OauthConfig(AppConfig):
    name = "gerbang.oauth"
    label = "oauth"
    verbose_name = _("Sign-in for apps")
