"""What events about apps a person signed in to mean, in words (``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register
from gerbang.oauth.events import AppEvent


def _authorised(details: Mapping[str, Any]) -> str:
    return _("Gave the app “%(app)s” access to the account.") % {"app": details.get("app") or "—"}


def _signed_out(details: Mapping[str, Any]) -> str:
    return _("Signed the app “%(app)s” out of the account.") % {"app": details.get("app") or "—"}


register(AppEvent.APP_AUTHORISED, gettext_lazy("App given access"), _authorised)
register(AppEvent.APP_SIGNED_OUT, gettext_lazy("App signed out"), _signed_out)
