"""Every change to accounts goes through these services (keyword-only, one transaction each)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import lockout, selectors
from gerbang.accounts.events import AccountEvent, CredentialsChanged
from gerbang.accounts.models import OfficeMembership, Role, User
from gerbang.accounts.notifications import account_message
from gerbang.accounts.permissions import (
    Perm,
    assignable_roles,
    require_permission,
    role_needs_office,
)
from gerbang.accounts.scoping import can_access_office
from gerbang.accounts.throttling import email_budget_left
from gerbang.catalog.models import Office
from gerbang.core import crypto, events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied, Problems, ValidationError
from gerbang.core.permissions import require_permission_unless_system
from gerbang.core.validators import normalize_phone, validate_nik

logger = logging.getLogger(__name__)

EMAIL_VERIFICATION_SALT = "gerbang.accounts.email-verification"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), field="password") from exc


def registration_password_problem(*, password: str, email: str, full_name: str) -> str | None:
    """What is wrong with a new applicant's password, by the same rules registration applies,
    so a form can say it together with its other problems; None when it is fine."""
    candidate = User(email=normalize_email(email), full_name=full_name.strip(), role=Role.APPLICANT)
    try:
        _check_password(password, candidate)
    except ValidationError as exc:
        return str(exc.message)
    return None


# --- Registration and email verification ----------------------------------------------------


def applicant_register(*, email: str, password: str, full_name: str, language: str) -> User | None:
    """Register an applicant and send the verification email.

    If the address already has an account, nothing is created and the owner of the address
    gets a notice instead; the caller shows the same page either way, so the page never
    reveals whether an address is registered. Returns the new user, or None.
    """
    email = normalize_email(email)
    candidate = User(email=email, full_name=full_name.strip(), role=Role.APPLICANT, language=language)
    _check_password(password, candidate)
    candidate.set_password(password)
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise IntegrityError("email taken")
            candidate.save()
            events.record(AccountEvent.REGISTERED, actor=candidate, subject=candidate)
    except IntegrityError:
        # Taken, possibly by a registration that raced this one: tell the owner instead.
        logger.info("registration attempted for an existing address")
        owner = User.objects.filter(email__iexact=email).first()
        if owner is not None and email_budget_left(email):
            with transaction.atomic():
                account_message(owner, "account.already_registered")
        return None
    if email_budget_left(email):
        account_message(candidate, "account.verify_email")
    return candidate


def email_verification_token(user: User) -> str:
    """A signed, timestamped token naming the user and the address being verified."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT)


def email_verify(*, token: str) -> User:
    try:
        payload = signing.loads(
            token,
            salt=EMAIL_VERIFICATION_SALT,
            max_age=settings.EMAIL_VERIFICATION_MAX_AGE,
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This verification link has expired. Request a new one below."), code=ErrorCode.EXPIRED
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _(
                "This verification link is not valid. Copy the whole link from the email, or request a new one."
            ),
            code=ErrorCode.INVALID,
        ) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload.get("user")).first()
        if user is None or user.email != payload.get("email"):
            raise ValidationError(
                _(
                    "This verification link is not valid. Copy the whole link from the email, or request a new one."
                ),
                code=ErrorCode.INVALID,
            )
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            events.record(AccountEvent.EMAIL_VERIFIED, actor=user, subject=user)
    return user


def verification_resend(*, email: str) -> None:
    """Send a fresh verification link if the address belongs to an unverified account."""
    user = User.objects.filter(email__iexact=normalize_email(email), is_active=True).first()
    if user is not None and user.email_verified_at is None and email_budget_left(user.email):
        account_message(user, "account.verify_email")


# --- Profile and preferences -----------------------------------------------------------------


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), field="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    full_name: str,
    date_of_birth: date | None,
    sex: str,
    nationality: str,
    phone: str,
    nik: str,
) -> User:
    """Update a person's own profile. Indonesian citizens give their NIK, checked against
    the date of birth and sex they entered."""
    full_name = " ".join(full_name.split())
    nik = nik.strip()
    # Every problem is said at once (the name, the date, the phone and the NIK).
    with Problems() as problems:
        if not full_name:
            problems.add(ValidationError(_("Enter your full name."), field="full_name"))
        if date_of_birth is not None and date_of_birth > timezone.localdate():
            problems.add(
                ValidationError(_("The date of birth cannot be in the future."), field="date_of_birth")
            )
            date_of_birth = None
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            problems.add(error)
        if nationality == "ID":
            if not nik:
                problems.add(
                    ValidationError(
                        _("Indonesian citizens enter their NIK (16 digits, on the KTP-el or family card)."),
                        field="nik",
                    )
                )
            else:
                nik = validate_nik(nik, date_of_birth=date_of_birth, sex=sex)
        elif nik:
            problems.add(
                ValidationError(
                    _(
                        "Only Indonesian citizens have a NIK; leave it empty or choose Indonesia as nationality."
                    ),
                    field="nik",
                )
            )
    new_values = {
        "full_name": full_name,
        "date_of_birth": date_of_birth,
        "sex": sex,
        "nationality": nationality,
        "phone": phone,
        "nik": nik,
    }
    # Only the names of what changed go into the event, never the personal data itself.
    changed = sorted(
        name for name, value in new_values.items() if str(getattr(user, name) or "") != str(value or "")
    )
    for name, value in new_values.items():
        setattr(user, name, value)
    user.nik_index = crypto.blind_index(nik, purpose="nik") if nik else ""
    user.save()
    if changed:
        events.record(AccountEvent.PROFILE_UPDATED, actor=user, subject=user, details={"fields": changed})
    return user


# --- People registered at the office (assisted applications) ----------------------------------


@transaction.atomic
def assisted_person_register(
    *, full_name: str, phone: str, email: str = "", language: str, office: Office, actor: User
) -> User:
    """An officer registers a walk-in person who applies with their help: a name and a mobile
    phone are enough. The account has no password (nobody can sign in to it) and, without an
    email address, no email either; messages go by SMS and to the inbox until the person takes
    it over online (``assisted_account_take_over``). An address the person gives is kept
    unverified (nothing is emailed to it before they confirm it at take-over)."""
    require_permission(actor, Perm.CASE_ASSIST, office_id=office.pk)
    full_name = " ".join(full_name.split())
    email = normalize_email(email)
    with Problems() as problems:
        if not full_name:
            problems.add(ValidationError(_("Enter the person's full name."), field="full_name"))
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            problems.add(error)
            phone = ""
        else:
            if not phone:
                problems.add(
                    ValidationError(
                        _("Enter the person's mobile number: their messages and take-over code come by SMS."),
                        field="phone",
                    )
                )
        if email and User.objects.filter(email__iexact=email).exists():
            problems.add(
                ValidationError(
                    _(
                        "This email address already has an account. Leave it empty here; the person "
                        "can add an address when they take the application over online."
                    ),
                    field="email",
                )
            )
    user = User(
        email=email,
        full_name=full_name,
        role=Role.APPLICANT,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        phone=phone,
        created_by=actor,
    )
    user.set_unusable_password()
    user.save()
    events.record(
        AccountEvent.ASSISTED_REGISTERED,
        actor=actor,
        subject=user,
        office_id=office.pk,
        details={"with_email": bool(email)},
    )
    return user


def is_assisted_account(user: User) -> bool:
    """Registered by an officer and not yet taken over by its owner (no password of its own)."""
    return user.role == Role.APPLICANT and user.created_by_id is not None and not user.has_usable_password()


@transaction.atomic
def assisted_account_take_over(*, user: User, email: str, password: str, language: str) -> User:
    """The person registered at the office takes their account over online, once their
    take-over code was checked (``applications.services.application_take_over``, which calls
    this in its transaction): their own email address (a link to confirm it is emailed; they
    sign in with it from then on) and password. Nobody else may call this."""
    if not is_assisted_account(user):
        raise Conflict(_("This account was already taken over; sign in instead."))
    email = normalize_email(email)
    with Problems() as problems:
        if not email:
            problems.add(
                ValidationError(
                    _("Enter your email address: you sign in with it from now on."), field="email"
                )
            )
        elif User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            problems.add(
                ValidationError(
                    _(
                        "This email address already has an account. Use another address, or sign in "
                        "with that account and ask the office to help."
                    ),
                    field="email",
                )
            )
        if email:
            user.email = email
        try:
            _check_password(password, user)
        except ValidationError as error:
            problems.add(error)
    user.email = email
    user.email_verified_at = None
    user.set_password(password)
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.save()
    events.record(AccountEvent.TAKEN_OVER, actor=user, subject=user)
    account_message(user, "account.verify_email")
    return user


# --- Staff -----------------------------------------------------------------------------------


@transaction.atomic
def staff_create(*, actor: User, email: str, full_name: str, role: str, office_ids: Iterable[int]) -> User:
    """An administrator creates a staff account (no self-registration) and invites its owner
    to set a password through an emailed link."""
    require_permission(actor, Perm.STAFF_MANAGE)
    if role not in assignable_roles(actor):
        raise PermissionDenied(_("You cannot give this role."))
    office_ids = sorted(set(office_ids))
    offices = list(Office.objects.filter(pk__in=office_ids, is_active=True))
    if len(offices) != len(office_ids):
        raise ValidationError(_("One of the chosen offices does not exist."), field="offices")
    for office in offices:
        if not can_access_office(actor, office.pk):
            raise PermissionDenied(_("You can only add staff to your own offices."))
    if role_needs_office(role) and not offices:
        raise ValidationError(_("Choose at least one office for this role."), field="offices")
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this email address already exists."), field="email")
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        role=role,
        created_by=actor,
        # The administrator vouches for the address; the invitation link proves it again.
        email_verified_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    OfficeMembership.objects.bulk_create([OfficeMembership(user=user, office=o) for o in offices])
    events.record(
        AccountEvent.STAFF_CREATED,
        actor=actor,
        subject=user,
        details={"role": role, "offices": [o.pk for o in offices]},
        office_id=offices[0].pk if len(offices) == 1 else None,
    )
    account_message(user, "account.staff_invitation")
    logger.info("staff account created", extra={"subject_user": user.pk, "role": role})
    return user


@transaction.atomic
def office_membership_set(*, user: User, office_ids: Iterable[int], actor: User | SystemActor) -> User:
    """Set exactly which offices a user belongs to (used by demo data and administrators)."""
    require_permission_unless_system(actor, Perm.STAFF_MANAGE)
    wanted = set(office_ids)
    existing = set(OfficeMembership.objects.filter(user=user).values_list("office_id", flat=True))
    if wanted == existing:
        return user
    OfficeMembership.objects.filter(user=user).exclude(office_id__in=wanted).delete()
    OfficeMembership.objects.bulk_create(
        [OfficeMembership(user=user, office_id=office_id) for office_id in wanted - existing]
    )
    user.__dict__.pop("_office_ids_cache", None)
    events.record(
        AccountEvent.STAFF_OFFICES_CHANGED,
        actor=actor,
        subject=user,
        details={"added": sorted(wanted - existing), "removed": sorted(existing - wanted)},
    )
    return user


def account_access_check(
    *, user: User, role: str, is_active: bool, office_ids: Iterable[int], actor: User
) -> None:
    """Raise what is wrong with giving ``user`` this role, state and offices, by the rules
    ``account_access_set`` applies; a form calls it to show the problem before saving."""
    require_permission(actor, Perm.STAFF_MANAGE)
    if role != user.role and role not in assignable_roles(actor):
        raise PermissionDenied(_("You cannot give this role."))
    if user.pk == actor.pk and (role != user.role or not is_active):
        raise PermissionDenied(_("You cannot change your own role or deactivate your own account."))
    current = set(OfficeMembership.objects.filter(user=user).values_list("office_id", flat=True))
    if not actor.has_national_scope and not any(can_access_office(actor, pk) for pk in current):
        raise PermissionDenied(_("You can only change staff of your own offices."))
    office_ids = set(office_ids)
    if Office.objects.filter(pk__in=office_ids).count() != len(office_ids):
        raise ValidationError(_("One of the chosen offices does not exist."), field="offices")
    if not all(can_access_office(actor, pk) for pk in office_ids ^ current):
        raise PermissionDenied(_("You can only add staff to your own offices."))
    if role_needs_office(role) and is_active and not office_ids:
        raise ValidationError(_("Choose at least one office for this role."), field="offices")


@transaction.atomic
def account_access_set(
    *, user: User, role: str, is_active: bool, office_ids: Iterable[int], actor: User
) -> User:
    """An administrator changes what an account may do: its role, whether it can sign in at
    all, and its offices. A deactivated account's sessions end at their next request (Django
    refuses inactive users)."""
    office_ids = set(office_ids)
    # The caller's instance may already hold the new values (a model form fills it in): compare
    # with what is stored.
    stored = User.objects.select_for_update().get(pk=user.pk)
    account_access_check(user=stored, role=role, is_active=is_active, office_ids=office_ids, actor=actor)
    changes: dict[str, list[Any]] = {}
    if stored.role != role:
        changes["role"] = [stored.role, role]
    if stored.is_active != is_active:
        changes["is_active"] = [stored.is_active, is_active]
    if changes:
        User.objects.filter(pk=user.pk).update(role=role, is_active=is_active)
        events.record(AccountEvent.ACCESS_CHANGED, actor=actor, subject=stored, details=changes)
    user.role, user.is_active = role, is_active
    office_membership_set(user=user, office_ids=office_ids, actor=actor)
    return user


# --- Two-factor authentication ---------------------------------------------------------------


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device; it counts only once a code from it is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device_id: int, token: str) -> list[str]:
    """Confirm enrolment with a code from the app; returns fresh one-time recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("The set-up has expired. Start again."), field="otp_token")
    if not device.verify_token(_clean_token(token)):
        raise ValidationError(
            _(
                "That code is not right. Check that the time on your phone is correct and enter the newest code."
            ),
            field="otp_token",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    events.record(AccountEvent.TWO_FACTOR_ENABLED, actor=user, subject=user)
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace all recovery codes with new ones (each works once); returns them to show once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    events.record(AccountEvent.RECOVERY_CODES_CREATED, actor=user, subject=user)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    if user.is_staff_role:
        raise PermissionDenied(_("Two-factor sign-in is required for staff accounts."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    events.record(AccountEvent.TWO_FACTOR_DISABLED, actor=user, subject=user)
    events.publish(CredentialsChanged(person=user, what=AccountEvent.TWO_FACTOR_DISABLED))


@transaction.atomic
def two_factor_reset(*, user: User, actor: User) -> None:
    """A staff member lost their authenticator and their recovery codes: an administrator over
    their offices removes both (after checking who asks, in person), so that at the next sign-in
    with their password they set up a new one before anything else. Their signed-in sessions
    lose their second factor at once. They are told by email, so a reset they did not ask for
    does not pass unseen."""
    require_permission(actor, Perm.STAFF_MANAGE)
    if not selectors.staff_visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("You may only reset the two-factor sign-in of staff of your offices."))
    if user.pk == actor.pk:
        raise PermissionDenied(
            _(
                "You cannot reset your own two-factor sign-in; another administrator can, or use a recovery code."
            )
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    events.record(AccountEvent.TWO_FACTOR_RESET, actor=actor, subject=user)
    events.publish(CredentialsChanged(person=user, what=AccountEvent.TWO_FACTOR_RESET))
    account_message(user, "account.two_factor_reset")


def _clean_token(token: str) -> str:
    return "".join((token or "").split()).lower()


def two_factor_check(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code: an authenticator code, else a recovery code.

    django-otp refuses a TOTP code already used (it remembers the last time step) and
    deletes a recovery code once used, so no code works twice.
    """
    token = _clean_token(token)
    if not token:
        return None
    with transaction.atomic():
        for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if token.isdigit() and totp.verify_token(token):
                return totp
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(token):
                return static
    return None


# --- Passwords -------------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Email a reset link if the address has an active account; silent otherwise, so the
    page cannot be used to learn which addresses are registered."""
    user = User.objects.filter(email__iexact=normalize_email(email), is_active=True).first()
    if user is not None and email_budget_left(user.email):
        account_message(user, "account.password_reset")


@transaction.atomic
def password_change(
    *, user: User, new_password: str, actor: User | SystemActor, by_reset_link: bool = False
) -> User:
    """Set a new password: every way a password changes (the owner's form, a reset link,
    provisioning) comes through here, so each is checked by the same rules and leaves an event.

    The new hash changes the session hash, so every other signed-in session of the account ends
    (the caller keeps its own request's session with ``update_session_auth_hash``); the count of
    failed sign-ins starts again, which also spends any unlock link sent for it."""
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    lockout.succeeded(user.email)
    code = AccountEvent.PASSWORD_RESET if by_reset_link else AccountEvent.PASSWORD_CHANGED
    events.record(code, actor=actor, subject=user)
    events.publish(CredentialsChanged(person=user, what=code))
    return user


def sign_in_failed(*, email: str, address: str) -> None:
    """Count a failed sign-in to ``email`` (known or not). When the count reaches the limit, the
    owner of an account is told by email: when, from which network addresses, and a link that
    lets the browser it is opened in sign in at once."""
    record, tell = lockout.failed(email, address=address)
    if not tell:
        return
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not email_budget_left(user.email):
        return
    attempts = [
        [dt.datetime.fromtimestamp(at, tz=dt.UTC).isoformat(), where] for at, where in record.attempts
    ]
    account_message(
        user, "account.failed_sign_ins", context={"failures": record.failures, "attempts": attempts}
    )


def sign_in_succeeded(*, email: str) -> None:
    lockout.succeeded(email)


@transaction.atomic
def signed_in(*, user: User, second_factor: str) -> None:
    """Record a completed sign-in; ``second_factor`` is "totp", "recovery" or "none"."""
    events.record(AccountEvent.SIGNED_IN, actor=user, subject=user, details={"second_factor": second_factor})


# --- Provisioning (bootstrap and demo data) ---------------------------------------------------


@transaction.atomic
def account_provision(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str,
    office_ids: Iterable[int] = (),
    totp_key: str | None = None,
    actor: SystemActor,
) -> User:
    """Create or bring up to date an account in one go, for operators' bootstrap commands
    and the demo data (only the system provisions: staff create accounts through
    ``staff_create``); running it again changes nothing that is already right."""
    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email).first() or User(email=email)
    user.full_name = full_name
    user.role = role
    user.is_active = True
    user.email_verified_at = user.email_verified_at or timezone.now()
    created = user.pk is None
    if created:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    if created:
        events.record(AccountEvent.PROVISIONED, actor=actor, subject=user, details={"role": role})
    elif not user.check_password(password):
        password_change(user=user, new_password=password, actor=actor)
    office_membership_set(user=user, office_ids=office_ids, actor=actor)
    if totp_key is not None:
        TOTPDevice.objects.update_or_create(
            user=user, name="authenticator", defaults={"key": totp_key, "confirmed": True}
        )
    return user


@transaction.atomic
def superuser_create(*, email: str, full_name: str, password: str | None, actor: SystemActor) -> User:
    """Create a superuser (a national administrator who may also open the technical admin),
    for an operator at the console (``manage.py createsuperuser``). The password is checked by
    the same rules as every other; without one the account cannot sign in until a password is
    set (``manage.py changepassword``)."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this email address already exists."), field="email")
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        role=Role.NATIONAL_ADMIN,
        is_superuser=True,
        email_verified_at=timezone.now(),
    )
    if password is None:
        user.set_unusable_password()
    else:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    events.record(
        AccountEvent.PROVISIONED, actor=actor, subject=user, details={"role": user.role, "superuser": True}
    )
    return user


# --- Erasure (UU PDP Pasal 43-44) -------------------------------------------------------------------


@dataclass(frozen=True)
class AccountErased:
    """What ``account_erase`` did: how many of each were removed."""

    profile: int  # 1: the profile was pseudonymised (0: it already was)
    devices: int  # two-factor devices (authenticator, recovery codes)
    sessions: int
    sign_in_records: int


def account_erasure_plan(user: User) -> AccountErased:
    """What ``account_erase`` would remove now, written nowhere (the plan shown before confirming)."""
    return AccountErased(
        profile=0 if selectors.is_erased(user) else 1,
        devices=TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count(),
        sessions=len(selectors.sessions_of(user)),
        sign_in_records=sum(q.count() for q in selectors.sign_in_records(user.email).values()),
    )


@transaction.atomic
def account_erase(*, user: User, actor: User | SystemActor) -> AccountErased:
    """Pseudonymise an applicant's account at their request: the row stays (the records other
    services must keep point at it), but nothing in it names or reaches the person. The address
    becomes a unique one that cannot be delivered to, the name a dash; phone, NIK and its index,
    date of birth, sex and nationality are emptied; the account can no longer sign in (inactive,
    no usable password) and its sessions, two-factor devices and sign-in records go.

    Staff accounts are closed by an administrator (``account_access_set``), not erased here: what
    they did stays attributable. The person themselves or the system may erase."""
    if not isinstance(actor, SystemActor) and actor.pk != user.pk:
        raise PermissionDenied()
    stored = User.objects.select_for_update().get(pk=user.pk)
    if stored.is_staff_role or stored.is_superuser or stored.role == Role.PARTNER_API:
        raise PermissionDenied(_("Staff accounts are closed by an administrator, not erased."))
    plan = account_erasure_plan(stored)
    old_email = stored.email
    for records in selectors.sign_in_records(old_email).values():
        records.delete()
    TOTPDevice.objects.filter(user=stored).delete()
    StaticDevice.objects.filter(user=stored).delete()
    Session.objects.filter(session_key__in=[key for key, _data in selectors.sessions_of(stored)]).delete()
    if plan.profile:
        stored.email = selectors.erased_email(stored.pk)
        stored.full_name = selectors.ERASED_NAME
        stored.phone = ""
        stored.nik = ""
        stored.nik_index = ""
        stored.date_of_birth = None
        stored.sex = ""
        stored.nationality = ""
        stored.email_verified_at = None
        stored.is_active = False
        stored.set_unusable_password()
        stored.save()
        lockout.succeeded(old_email)
        events.record(
            AccountEvent.ERASED,
            actor=actor,
            subject=stored,
            details={
                "devices": plan.devices,
                "sessions": plan.sessions,
                "sign_in_records": plan.sign_in_records,
            },
        )
    user.refresh_from_db()
    return plan
