from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkmConfig(AppConfig):
    name = "gerbang.ikm"
    label = "ikm"
    verbose_name = _("Satisfaction index (IKM)")
