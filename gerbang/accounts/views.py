"""Pages of accounts: registration, sign-in with 2FA, passwords, profile, security settings.

Views only parse input, call one service or selector and render (DESIGN.md convention 5).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import forms, lockout, selectors, services
from gerbang.accounts.http import AuthenticatedRequest, second_factor_verified
from gerbang.accounts.models import User
from gerbang.accounts.throttling import EMAIL_REQUESTS_PER_IP, client_ip, ip_failure_limit
from gerbang.core import panels
from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.core.forms import add_service_error
from gerbang.core.http import safe_next

PENDING_USER = "2fa_pending_user"
PENDING_SINCE = "2fa_pending_since"
PENDING_BACKEND = "2fa_pending_backend"
PENDING_SECONDS = 5 * 60
ENROL_DEVICE = "2fa_enrol_device"


def _home_for(user: User) -> str:
    return reverse("backoffice:dashboard") if user.is_staff_role else reverse("accounts:dashboard")


# Set when a visitor not signed in switches the language: the choice is theirs, just made, and
# the account takes it at sign-in (a cookie left by someone else's sign-in on this browser is
# not a choice, and does not change an account).
LANGUAGE_CHOSEN_COOKIE = "gerbang_language_chosen"


def _complete_login(request: HttpRequest, user: User, backend: str, device: Any = None) -> HttpResponse:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if request.COOKIES.get(LANGUAGE_CHOSEN_COOKIE) and chosen in dict(settings.LANGUAGES):
        user = services.user_set_language(user=user, language=chosen)
    login(request, user, backend=backend)
    second_factor = "none"
    if device is not None:
        otp_login(request, device)
        second_factor = "recovery" if device.persistent_id.startswith("otp_static") else "totp"
    services.signed_in(user=user, second_factor=second_factor)
    services.sign_in_succeeded(email=user.email)
    response = HttpResponseRedirect(safe_next(request, _home_for(user)))
    response.delete_cookie(LANGUAGE_CHOSEN_COOKIE, samesite="Lax")
    lockout.remember_browser(request, response, user)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


# --- Registration ------------------------------------------------------------------------------


def _email_requests_throttled(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse | None:
    """Too many email-sending requests from one address: say so (429), keep the input."""
    ip = client_ip(request)
    if EMAIL_REQUESTS_PER_IP.hit(ip) <= EMAIL_REQUESTS_PER_IP.count:
        return None
    form = context.get("form")
    if form is not None:
        form.add_error(None, str(RateLimited().message))
    return render(request, template, context, status=429)


@sensitive_post_parameters("password")
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_home_for(request.user))
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _email_requests_throttled(request, "accounts/register.html", {"form": form})
        if throttled is not None:
            return throttled
        try:
            services.applicant_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                language=request.LANGUAGE_CODE,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            # The same page whether or not the address was already registered.
            return render(request, "accounts/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.email_verify(token=token)
    except ApplicationError as exc:
        return render(
            request,
            "accounts/verify_failed.html",
            {"message": exc.message, "form": forms.EmailForm()},
            status=400,
        )
    messages.success(request, _("Your email address is confirmed. You can sign in now."))
    return redirect("accounts:login")


@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST)
    if form.is_valid():
        throttled = _email_requests_throttled(
            request, "accounts/verify_failed.html", {"form": form, "message": ""}
        )
        if throttled is not None:
            return throttled
        services.verification_resend(email=form.cleaned_data["email"])
        return render(request, "accounts/register_done.html", {"email": form.cleaned_data["email"]})
    return render(
        request,
        "accounts/verify_failed.html",
        {"message": _("Enter the email address you registered with."), "form": form},
        status=400,
    )


# --- Language ----------------------------------------------------------------------------------


@require_GET
@never_cache
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language from any page with a plain link (a GET: it only sets a preference, and
    keeps public pages free of per-visitor tokens so they can be cached). Remembered by
    cookie and, when signed in, on the account."""
    response = HttpResponseRedirect(safe_next(request, "/"))
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    else:
        response.set_cookie(
            LANGUAGE_CHOSEN_COOKIE,
            "1",
            max_age=24 * 60 * 60,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


# --- Sign in and out -------------------------------------------------------------------------


def _waiting_page(request: HttpRequest, wait: int) -> HttpResponse:
    """An account that had too many failed sign-ins, seen from a browser new to it: when it may
    try again, and how the owner gets in now. Keeps the typed address, asks for a code."""
    form = forms.LoginForm(initial={"email": request.POST.get("email", "")}, with_code=True)
    minutes = max(1, (wait + 59) // 60)
    message = ngettext(
        "Too many failed sign-ins for this account. To protect it, a browser that has not signed "
        "in to it before can try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account. To protect it, a browser that has not signed "
        "in to it before can try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    context = {"form": form, "locked": message, "next": safe_next(request, "")}
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters("password", "otp_token")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request, _home_for(request.user)))
    form = forms.LoginForm(request.POST or None, with_code=bool(request.POST.get("otp_token")))
    context: dict[str, Any] = {"form": form, "next": safe_next(request, "")}
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "accounts/login.html", context, status=400 if request.method == "POST" else 200
        )

    ip = client_ip(request)
    ip_limit = ip_failure_limit()
    if ip_limit.exceeded(ip):
        form.add_error(
            None,
            _("Too many failed sign-ins from your network. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, ip_limit.retry_after() // 60)},
        )
        return render(request, "accounts/login.html", context, status=429)

    email = services.normalize_email(form.cleaned_data["email"])
    if _must_wait(request, email):
        return _sign_in_while_waiting(request, form, email, ip)
    user = authenticate(request, email=email, password=form.cleaned_data["password"])
    if user is None:
        ip_limit.hit(ip)
        services.sign_in_failed(email=email, address=ip)
        if wait := _must_wait(request, email):
            return _waiting_page(request, wait)
        # One message for an unknown address and a wrong password: no user enumeration.
        form.add_error(None, _("The email address or password is not right."))
        return render(request, "accounts/login.html", context, status=400)
    if not isinstance(user, User):  # another backend's user type: not ours to sign in
        return render(request, "accounts/login.html", context, status=400)
    if not user.email_verified:
        context["unverified_email"] = user.email
        form.add_error(
            None,
            _(
                "Confirm your email address first: open the link we sent you. Need a new link? Use the button below."
            ),
        )
        return render(request, "accounts/login.html", context, status=400)
    if selectors.has_two_factor(user):
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_SINCE] = time.time()
        request.session[PENDING_BACKEND] = user.backend
        query = urlencode({"next": context["next"]}) if context["next"] else ""
        return redirect(f"{reverse('accounts:login_code')}{'?' + query if query else ''}")
    return _complete_login(request, user, user.backend)


def _must_wait(request: HttpRequest, email: str) -> int:
    """The seconds this browser must still wait before trying ``email`` again (0: none). The
    account is looked up only while there is a wait, to see whether this browser is its owner's."""
    wait = lockout.wait_seconds(email)
    if not wait:
        return 0
    owner = User.objects.filter(email__iexact=email, is_active=True).first()
    return 0 if lockout.is_known_browser(request, owner) else wait


def _sign_in_while_waiting(request: HttpRequest, form: forms.LoginForm, email: str, ip: str) -> HttpResponse:
    """While the account waits, a browser new to it gets in only with the password and a code
    given together (whoever has a second factor); the answer never says which one was wrong.
    Without a code nothing is checked, so nothing can be guessed."""
    code = form.cleaned_data.get("otp_token") or ""
    if code:
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if isinstance(user, User) and user.email_verified and selectors.has_two_factor(user):
            device = services.two_factor_check(user=user, token=code)
            if device is not None:
                return _complete_login(request, user, user.backend, device)
        ip_failure_limit().hit(ip)
        services.sign_in_failed(email=email, address=ip)
    return _waiting_page(request, lockout.wait_seconds(email))


def login_unlock(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the owner's email: this browser becomes one that may sign in at once."""
    user = lockout.use_unlock_token(token)
    if user is None:
        messages.error(
            request,
            _(
                "This link cannot be used (any more): each link works once, for an hour, and only until "
                "the account is signed in to. Sign in, or reset your password."
            ),
        )
        return redirect("accounts:login")
    messages.success(request, _("This browser may now sign in to your account. Enter your password."))
    response = redirect("accounts:login")
    lockout.remember_browser(request, response, user)
    return response


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - float(since) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the authenticator app or a recovery code."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = forms.OTPForm(request.POST or None)
    context = {"form": form, "next": safe_next(request, "")}
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_check(user=user, token=form.cleaned_data["otp_token"])
        if device is not None:
            backend = request.session.pop(PENDING_BACKEND)
            request.session.pop(PENDING_USER, None)
            request.session.pop(PENDING_SINCE, None)
            if device.persistent_id.startswith("otp_static"):
                remaining = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code. %(count)d codes are left; create new ones in Security if you are running out."
                    )
                    % {"count": remaining},
                )
            return _complete_login(request, user, backend, device)
        form.add_error(
            "otp_token",
            _("That code is not right or was already used. Wait for a new code in the app and try again."),
        )
        return render(request, "accounts/login_code.html", context, status=400)
    return render(request, "accounts/login_code.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("core:home")


# --- Passwords -------------------------------------------------------------------------------


def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _email_requests_throttled(request, "accounts/password_reset.html", {"form": form})
        if throttled is not None:
            return throttled
        services.password_reset_request(email=form.cleaned_data["email"])
        return render(request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        # Django's view would save the form itself; the password goes through the service instead.
        services.password_change(
            user=form.user,
            new_password=form.cleaned_data["new_password1"],
            actor=form.user,
            by_reset_link=True,
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is set. You can sign in now."))
        return HttpResponseRedirect(self.get_success_url())


@login_required
@sensitive_post_parameters()
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], actor=request.user
        )
        # The new password ends every other session of the account; this one stays signed in.
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


# --- Profile, dashboard, security ---------------------------------------------------------------


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.is_staff_role:
        return redirect("backoffice:dashboard")
    return render(
        request,
        "accounts/dashboard.html",
        {
            "cannot_apply": selectors.why_cannot_apply(user),
            "profile_gaps": selectors.profile_gaps(user),
            "panels": panels.shown(panels.APPLICANT_HOME, request),
        },
    )


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth,
        "sex": user.sex,
        "nationality": str(user.nationality or ""),
        "phone": user.phone,
        "nik": user.nik,
    }
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def security(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": selectors.has_two_factor(user),
            "recovery_codes_left": selectors.recovery_codes_left(user),
            "disable_form": forms.PasswordConfirmForm(user),
        },
    )


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrol an authenticator app: show its QR code and secret, then confirm with one code."""
    user = request.user
    device = None
    device_id = request.session.get(ENROL_DEVICE)
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = services.totp_enrolment_start(user=user)
        request.session[ENROL_DEVICE] = device.pk
    form = forms.EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrolment_confirm(
                user=user, device_id=device.pk, token=form.cleaned_data["otp_token"]
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            request.session.pop(ENROL_DEVICE, None)
            confirmed = TOTPDevice.objects.get(pk=device.pk)
            otp_login(request, confirmed)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": safe_next(request, _home_for(user))},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": selectors.totp_qr_svg(device),
            "secret": selectors.totp_secret_base32(device),
            "next": safe_next(request, ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def recovery_codes_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not second_factor_verified(user):
        messages.error(request, _("Sign in with your second factor before creating new recovery codes."))
        return redirect("accounts:security")
    codes = services.recovery_codes_regenerate(user=user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")}
    )


@login_required
@require_POST
@sensitive_post_parameters("password")
def two_factor_disable(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = forms.PasswordConfirmForm(user, request.POST)
    if form.is_valid():
        services.two_factor_disable(user=user)
        messages.success(request, _("Two-factor sign-in is turned off."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": selectors.has_two_factor(user),
            "recovery_codes_left": selectors.recovery_codes_left(user),
            "disable_form": form,
        },
        status=400,
    )
