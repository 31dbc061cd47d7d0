from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OauthConfig(AppConfig):
    name = "gerbang.oauth"
    label = "oauth"
    verbose_name = _("Sign-in for apps")

    def ready(self) -> None:
        from gerbang.accounts.events import CredentialsChanged
        from gerbang.core.events import When, subscribe
        from gerbang.oauth import subscribers

        # A new password or second factor ends every app's sign-in, in the same transaction:
        # a token taken with the old credentials must not outlive them.
        subscribe(CredentialsChanged, subscribers.credentials_changed, when=When.IN_TRANSACTION)
