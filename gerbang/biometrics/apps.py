from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiometricsConfig(AppConfig):
    """Face checks at the counter (docs/biometrics.md): the officer's live picture compared with
    the case's photo and, for renewals, the previous passport's. dlib is an optional extra,
    imported only when a face is read (``engine``); without it the page says the check is
    unavailable. The case page shows the check through a panel: applications import nothing
    of this app."""

    name = "gerbang.biometrics"
    label = "biometrics"
    verbose_name = _("Biometrics")
