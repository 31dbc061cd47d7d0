from django.urls import path

from gerbang.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/unlock/<str:token>/", views.login_unlock, name="login_unlock"),
    path("logout/", views.logout_view, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/change/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("security/", views.security, name="security"),
    path("security/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("security/recovery-codes/", views.recovery_codes_new, name="recovery_codes_new"),
]
