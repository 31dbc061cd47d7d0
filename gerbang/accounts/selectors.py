"""Reads of accounts that pages share."""

from __future__ import annotations

import base64

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import STAFF_ROLES, User
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.core.qr import qr_svg


def profile_is_complete(user: User) -> bool:
    basics = bool(user.full_name and user.date_of_birth and user.sex and user.nationality and user.phone)
    return basics and (user.nationality != "ID" or bool(user.nik))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


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
