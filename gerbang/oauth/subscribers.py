"""What sign-in for apps does when accounts change (subscribed in ``apps.py``)."""

from __future__ import annotations

from gerbang.accounts.events import CredentialsChanged
from gerbang.oauth import services


def credentials_changed(event: CredentialsChanged) -> None:
    services.apps_sign_out_everywhere(user=event.person)
