"""What account and staff events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import Role
from gerbang.core.event_text import register


def _role(value: Any) -> str:
    return str(Role(value).label) if value in Role.values else str(value or "—")


def _profile(details: Mapping[str, Any]) -> str:
    fields = ", ".join(details.get("fields") or []) or "—"
    return _("Profile updated (changed: %(fields)s).") % {"fields": fields}


def _signed_in(details: Mapping[str, Any]) -> str:
    way = details.get("second_factor")
    if way == "totp":
        return _("Signed in with an authenticator code.")
    if way == "recovery":
        return _("Signed in with a recovery code.")
    return _("Signed in.")


def _staff_created(details: Mapping[str, Any]) -> str:
    return _("Staff account created with the role “%(role)s”.") % {"role": _role(details.get("role"))}


def _offices_changed(details: Mapping[str, Any]) -> str:
    return _("Offices of a staff member changed: %(added)s added, %(removed)s removed.") % {
        "added": len(details.get("added") or []),
        "removed": len(details.get("removed") or []),
    }


def _access_changed(details: Mapping[str, Any]) -> str:
    parts = []
    if "role" in details:
        old, new = details["role"]
        parts.append(_("role “%(old)s” → “%(new)s”") % {"old": _role(old), "new": _role(new)})
    if "is_active" in details:
        parts.append(_("account activated") if details["is_active"][1] else _("account deactivated"))
    return _("Access changed: %(changes)s.") % {"changes": "; ".join(parts) or "—"}


def _provisioned(details: Mapping[str, Any]) -> str:
    return _("Account provisioned with the role “%(role)s”.") % {"role": _role(details.get("role"))}


register(AccountEvent.REGISTERED, gettext_lazy("Account registered"))
register(AccountEvent.EMAIL_VERIFIED, gettext_lazy("E-mail address confirmed"))
register(AccountEvent.PROFILE_UPDATED, gettext_lazy("Profile updated"), _profile)
register(AccountEvent.SIGNED_IN, gettext_lazy("Signed in"), _signed_in)
register(AccountEvent.PASSWORD_CHANGED, gettext_lazy("Password changed"))
register(AccountEvent.PASSWORD_RESET, gettext_lazy("Password reset"))
register(AccountEvent.TWO_FACTOR_ENABLED, gettext_lazy("Two-factor sign-in turned on"))
register(AccountEvent.TWO_FACTOR_DISABLED, gettext_lazy("Two-factor sign-in turned off"))
register(AccountEvent.TWO_FACTOR_RESET, gettext_lazy("Two-factor sign-in reset by an administrator"))
register(AccountEvent.RECOVERY_CODES_CREATED, gettext_lazy("New recovery codes created"))
register(AccountEvent.PROVISIONED, gettext_lazy("Account provisioned"), _provisioned)
register(AccountEvent.STAFF_CREATED, gettext_lazy("Staff account created"), _staff_created)
register(AccountEvent.STAFF_OFFICES_CHANGED, gettext_lazy("Staff offices changed"), _offices_changed)
register(AccountEvent.ACCESS_CHANGED, gettext_lazy("Access changed"), _access_changed)
register(AccountEvent.ERASED, gettext_lazy("Account erased at the person's request (pseudonymised)"))
register(
    AccountEvent.ASSISTED_REGISTERED,
    gettext_lazy("Registered at the office by an officer (assisted application)"),
)
register(AccountEvent.TAKEN_OVER, gettext_lazy("Account taken over online by its owner"))
