"""An applicant's account, as JSON: register, confirm the email address, ask for the link again,
read one's own profile, and turn two-factor sign-in on with an authenticator app. The same
services and rules as the pages.

Signing in is not an operation here: an app signs its person in through the site's own sign-in
page (with its second factor), as OAuth's authorisation code flow does, and never handles the
password afterwards. Registration answers the same whether or not the address already has an
account, so it tells nobody which addresses are registered. Two-factor sign-in is turned on here
only when it is off: replacing an authenticator (what someone holding a stolen session or token
would want) is done on the security page, with the password.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Field, Router, Schema, Status

from gerbang.accounts import selectors, services
from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.throttling import EMAIL_REQUESTS_PER_IP, client_ip
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import Conflict, RateLimited, ValidationError

router = Router(tags=["account"])


class RegisterIn(Schema):
    full_name: str = Field(max_length=150, examples=["Siti Rahayu"])
    email: str = Field(max_length=254, examples=["siti@example.com"])
    password: str = Field(description="At least 12 characters, not common, not like the name or address.")


class AcceptedOut(Schema):
    detail: str


class VerifyIn(Schema):
    token: str = Field(description="The token from the link in the confirmation email (after /verify/).")


class ResendIn(Schema):
    email: str = Field(max_length=254)


class MeOut(Schema):
    email: str
    full_name: str
    language: str = Field(examples=["id"])
    email_verified: bool
    two_factor: bool = Field(description="Whether two-factor sign-in is on.")
    has_phone: bool = Field(description="Whether a mobile number is on file (for SMS).")


class TwoFactorStartOut(Schema):
    device_id: int
    secret: str = Field(description="The secret to type into the authenticator app, in groups of four.")
    otpauth_uri: str = Field(description="The same as an otpauth:// address, for a QR code or a tap.")


class TwoFactorConfirmIn(Schema):
    device_id: int
    code: str = Field(description="The app's current 6-digit code.", examples=["123456"])


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(
        description="One-time codes for when the phone is lost: keep them safe."
    )


def _address(email: str) -> str:
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationError(_("Enter a valid email address."), field="email") from None
    return email


def _throttle(request: Any) -> None:
    if EMAIL_REQUESTS_PER_IP.hit(client_ip(request)) > EMAIL_REQUESTS_PER_IP.count:
        raise RateLimited()


@router.post("/accounts/register", response={202: AcceptedOut})
def register(request: Any, payload: RegisterIn) -> Status[Any]:
    """Create an applicant's account and email the link that confirms the address."""
    email = _address(payload.email)
    _throttle(request)
    services.applicant_register(
        email=email,
        password=payload.password,
        full_name=payload.full_name,
        language=get_language() or "id",
    )
    return Status(
        202,
        {"detail": _("If the address can be used, a confirmation link was sent to it. Open it to continue.")},
    )


@router.post("/accounts/verify", response=MeOut)
def verify(request: Any, payload: VerifyIn) -> dict[str, Any]:
    """Confirm the email address with the token from the link."""
    return _me(services.email_verify(token=payload.token))


@router.post("/accounts/verify/resend", response={202: AcceptedOut})
def resend(request: Any, payload: ResendIn) -> Status[Any]:
    """Send the confirmation link again (to an address whose account is not confirmed yet)."""
    email = _address(payload.email)
    _throttle(request)
    services.verification_resend(email=email)
    return Status(202, {"detail": _("If that address waits for confirmation, a new link was sent to it.")})


def _me(user: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "email_verified": user.email_verified_at is not None,
        "two_factor": selectors.has_two_factor(user),
        "has_phone": bool(user.phone),
    }


@router.get("/me", response=MeOut, auth=signed_in(Scope.PROFILE))
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    return _me(request.user)


@router.post("/me/two-factor", response={201: TwoFactorStartOut}, auth=signed_in(Scope.PROFILE))
def two_factor_start(request: AuthenticatedRequest) -> Status[Any]:
    """Start turning two-factor sign-in on: a new authenticator secret, to confirm with a code."""
    if selectors.has_two_factor(request.user):
        raise Conflict(
            _("Two-factor sign-in is already on. To change the app, use the security page."),
            field="two_factor",
        )
    device: TOTPDevice = services.totp_enrolment_start(user=request.user)
    return Status(
        201,
        {
            "device_id": device.pk,
            "secret": selectors.totp_secret_base32(device),
            "otpauth_uri": device.config_url,
        },
    )


@router.post("/me/two-factor/confirm", response=RecoveryCodesOut, auth=signed_in(Scope.PROFILE))
def two_factor_confirm(request: AuthenticatedRequest, payload: TwoFactorConfirmIn) -> dict[str, Any]:
    """Confirm with the app's code; answers the recovery codes, shown once."""
    if selectors.has_two_factor(request.user):
        raise Conflict(
            _("Two-factor sign-in is already on. To change the app, use the security page."),
            field="two_factor",
        )
    codes = services.totp_enrolment_confirm(
        user=request.user, device_id=payload.device_id, token=payload.code
    )
    return {"recovery_codes": codes}
