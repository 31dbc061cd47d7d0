"""Reads of accounts that pages share."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import STAFF_ROLES, Role, User
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.core import crypto
from gerbang.core.qr import qr_svg
from gerbang.core.validators import normalize_nik

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gerbang.catalog.models import Office


def why_cannot_apply(user: User, *, assisted: bool = False) -> str | Promise | None:
    """What stops this person from starting an application, or None. The service that starts
    one (``applications.services.application_start``) refuses for exactly these reasons. When
    an officer opens it for them at the office (``assisted``), the officer has seen the person
    and no email address is needed."""
    if user.role != Role.APPLICANT:
        return _("Staff accounts cannot apply; use a personal account.")
    if not assisted and not user.email_verified:
        return _("Confirm your e-mail address first; we sent you a link when you registered.")
    return None


@dataclass(frozen=True)
class ProfileUse:
    """What one part of the profile is for: none of it is needed to apply (the application form
    asks for what it needs); it fills in the application (``applications.services.drafts._prefill``)
    and, for the phone, lets messages come by SMS."""

    field: str
    label: str | Promise
    # A few words beside the field's label: "fills in your applications".
    short: str | Promise
    # Whether ``user`` lacks it (the NIK only for Indonesian citizens).
    missing: Callable[[User], bool]


_FILLS_IN = _("fills in your applications")
PROFILE_USES: tuple[ProfileUse, ...] = (
    ProfileUse("date_of_birth", _("Date of birth"), _FILLS_IN, lambda u: not u.date_of_birth),
    ProfileUse("sex", _("Sex"), _FILLS_IN, lambda u: not u.sex),
    ProfileUse("nationality", _("Nationality"), _FILLS_IN, lambda u: not u.nationality),
    ProfileUse(
        "phone",
        _("Phone number"),
        _("for SMS messages; fills in your applications"),
        lambda u: not u.phone,
    ),
    ProfileUse(
        "nik",
        _("NIK"),
        _("Indonesian citizens give it; it fills in your applications"),
        lambda u: u.nationality == "ID" and not u.nik,
    ),
)


def profile_gaps(user: User) -> list[ProfileUse]:
    """The parts of the profile this person has not given, each with what it is for."""
    return [use for use in PROFILE_USES if use.missing(user)]


def profile_is_complete(user: User) -> bool:
    return bool(user.full_name) and not profile_gaps(user)


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code (no image request, works offline)."""
    return qr_svg(device.config_url)


def staff_visible_to(viewer: User) -> QuerySet[User]:
    """Staff of the viewer's offices (all staff for national roles); nobody for others."""
    if not has_permission(viewer, Perm.STAFF_VIEW):
        return User.objects.none()
    staff = User.objects.filter(role__in=STAFF_ROLES)
    # National staff belong to no office; only national roles may see them.
    scoped = scope_to_offices(staff, viewer, office_field="office_memberships__office")
    return scoped.prefetch_related("office_memberships__office").order_by("full_name")


def users_with_nik(nik: str) -> Any:
    """Accounts that gave this NIK, found through its keyed hash, never the plain value."""
    # Previous blind index keys too, so a re-index under way (reindex_blind) misses nobody.
    return User.objects.filter(nik_index__in=crypto.blind_index_candidates(nik, purpose="nik"))


def residence_code(user: Any) -> str:
    """Where a person resides, as the regency or city code (Kemendagri/BPS, 4 digits) that
    opens the NIK on their profile: the KTP's province and regency. "" when they gave no NIK
    (or an account without one, such as a foreigner's or an anonymous visitor)."""
    nik = normalize_nik(getattr(user, "nik", "") or "")
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return ""
    return nik[:4]


def resides_in(user: Any, office: Office) -> bool:
    """Whether ``user`` resides in ``office``'s working area: the regency of their NIK is one of
    the office's area codes (never, without a NIK or an area)."""
    code = residence_code(user)
    return bool(code) and code in office.area_code_list


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


# --- What erasure leaves of an account (UU PDP Pasal 43-44) -----------------------------------------

# The address an erased account keeps: unique, and never deliverable (".invalid" is reserved by
# RFC 2606 for names that must not resolve).
ERASED_DOMAIN = "erased.invalid"
# The name an erased account keeps: a dash, the same in every language.
ERASED_NAME = "\u2014"


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def is_erased(user: Any) -> bool:
    return bool(user.pk) and user.email == erased_email(user.pk)


def sessions_of(user: Any) -> list[tuple[str, dict[str, Any]]]:
    """The unexpired sessions signed in to ``user`` (key and data). The session table keys no
    user, so each is decoded: for the rare requests of one person (export, erasure), not pages."""
    found = []
    wanted = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) == wanted:
            found.append((session.session_key, data))
    return found


def sign_in_records(email: str) -> dict[str, QuerySet[Any]]:
    """django-axes' records of sign-ins to an address (attempts, failures, successful sign-ins):
    they name the address typed, the network address and the browser."""
    return {
        "attempts": AccessAttempt.objects.filter(username__iexact=email),
        "failures": AccessFailureLog.objects.filter(username__iexact=email),
        "sign_ins": AccessLog.objects.filter(username__iexact=email),
    }


def acted_as(user: Any, office: Any = None) -> str:
    """Who acted, as a person may be told in a copy of their data: the role, and for staff the
    office (``office``), never the name; "" for no one."""
    if user is None:
        return ""
    label = str(Role(user.role).label) if user.role in Role.values else str(user.role)
    if user.role == Role.APPLICANT or office is None:
        return label
    return f"{label}, {office.name}"
