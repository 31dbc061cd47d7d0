from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from gerbang.accounts.models import NATIONAL_ROLES, Sex, User
from gerbang.accounts.passwords import RoleMinimumLengthValidator
from gerbang.accounts.permissions import assignable_roles
from gerbang.accounts.selectors import PROFILE_USES
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.ratelimit import Limit


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(RoleMinimumLengthValidator().get_help_text, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        """The password's problems are said with the others (a wrong address too), not after."""
        data = super().clean() or {}
        password = data.get("password")
        if password and "password" not in self.errors:
            from gerbang.accounts.services import registration_password_problem

            problem = registration_password_problem(
                password=password, email=data.get("email") or "", full_name=data.get("full_name") or ""
            )
            if problem:
                self.add_error("password", problem)
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    # Asked only while an account is waiting out failed sign-ins (accounts/lockout.py): whoever
    # has a second factor signs in at once by giving it with the password.
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=16,
        help_text=_(
            "If you use an authenticator app (every officer does), its 6-digit code or a recovery code."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def __init__(self, *args: Any, with_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["otp_token"]


class OTPForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolmentForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


# Wrong passwords given to confirm an action, per person: five in a quarter of an hour.
PASSWORD_CONFIRM = Limit("password_confirm", 5, 15 * 60)


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        """The signed-in person's password again, before something that cannot be undone. Wrong
        guesses are limited (``PASSWORD_CONFIRM``) as sign-in is, so that a session left open
        does not let someone find the password by trying."""
        password: str = self.cleaned_data["password"]
        subject = str(self.user.pk)
        if PASSWORD_CONFIRM.exceeded(subject):
            minutes = -(-PASSWORD_CONFIRM.retry_after() // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong passwords. Try again in %(minutes)d minute.",
                    "Too many wrong passwords. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes}
            )
        if not self.user.check_password(password):
            PASSWORD_CONFIRM.hit(subject)
            raise forms.ValidationError(_("The password is not right."))
        PASSWORD_CONFIRM.reset(subject)
        return password


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices], widget=forms.RadioSelect
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=lambda: [("", "—"), *list(countries)]
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("For example 0812 3456 7890, or +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        help_text=_("Indonesian citizens only: the 16-digit number on your KTP-el or family card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Beside each label, what it is for (from the one table the dashboard also reads),
        # rather than a bare "optional".
        for use in PROFILE_USES:
            self.fields[use.field].need = use.short  # type: ignore[attr-defined]


class StaffCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"))
    offices = forms.ModelMultipleChoiceField(
        label=_("Offices"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Officers, supervisors and office administrators belong to at least one office."),
        error_messages={"required": _("Choose at least one office for this staff member.")},
    )

    def __init__(self, actor: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [(role.value, role.label) for role in assignable_roles(actor)]
        offices_field = cast("forms.ModelMultipleChoiceField[Office]", self.fields["offices"])
        offices_field.queryset = offices_visible_to(actor)
        # Required when every role this person may give works at an office (not "optional").
        offices_field.required = not any(role in NATIONAL_ROLES for role in assignable_roles(actor))
