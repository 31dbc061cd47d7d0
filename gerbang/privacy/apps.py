from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "gerbang.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from gerbang.core import consents
        from gerbang.core.events import When, subscribe
        from gerbang.privacy import subscribers

        # The record of a consent is written with the change that asked for it.
        subscribe(consents.ConsentGiven, subscribers.consent_record, when=When.IN_TRANSACTION)
