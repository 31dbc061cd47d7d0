"""Users, their roles and the offices staff belong to."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from gerbang.core.fields import EncryptedTextField
from gerbang.core.scoping import OfficeScope


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    OFFICE_ADMIN = "office_admin", _("Office administrator")
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    AUDITOR = "auditor", _("Auditor")
    PARTNER_API = "partner_api", _("Partner-agency API client")


# Roles that work in the back office: they are created by administrators and need 2FA.
STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.NATIONAL_ADMIN, Role.AUDITOR})
# Staff roles whose work spans every office rather than the offices they belong to.
NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        if not username:
            # Accounts without an email address cannot sign in (and are many).
            raise self.model.DoesNotExist
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.pop("is_staff", None)
        fields.setdefault("role", Role.NATIONAL_ADMIN)
        fields.setdefault("email_verified_at", timezone.now())
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    # Empty for a person an officer registered at the office who has no email address (an
    # assisted application): they are told by SMS and sign in only once they take their case
    # over online and give an address (``applications.services.assisted``). Unique among those
    # who have one (the constraint below; Django's check auth.W004 is silenced for it).
    email = models.EmailField(_("email address"), blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT, db_index=True
    )
    language = models.CharField(_("language"), max_length=8, default="id")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    phone = EncryptedTextField(_("phone number"), blank=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    # Keyed hash of the NIK: the only way to find a user by NIK (see core.crypto.blind_index).
    nik_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    created_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="unique_email_when_given"
            )
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email or f"#{self.pk}"

    @property
    def is_staff(self) -> bool:
        """Access to the technical Django admin: superusers only (back-office roles use /backoffice)."""
        return bool(self.is_superuser)

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def may_use_app_tokens(self) -> bool:
        """Whether apps may act for this account with a token (sign-in for apps): applicants
        only. Staff work in the back office with a session and a second factor; partner
        agencies use the signed exchange (docs/partners.md)."""
        return self.role == Role.APPLICANT and self.is_active

    @property
    def has_national_scope(self) -> bool:
        return self.role in NATIONAL_ROLES

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    # What gerbang.core.permissions and gerbang.core.scoping ask of a user. The answers come
    # from accounts.permissions and accounts.scoping, which import this module (hence the
    # imports inside).

    def has_permission(self, perm: str, *, office_id: int | None = None) -> bool:
        from gerbang.accounts.permissions import user_holds

        return user_holds(self, perm, office_id=office_id)

    def office_scope(self) -> OfficeScope:
        from gerbang.accounts.scoping import office_scope_of

        return office_scope_of(self)

    def office_ids(self) -> list[int]:
        from gerbang.accounts.scoping import office_ids_of

        return office_ids_of(self)


class OfficeMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="office_memberships")
    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="unique_office_membership")]
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.office}"
