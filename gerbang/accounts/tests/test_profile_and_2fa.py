"""Profile with encrypted NIK and phone; enrolling, using and turning off 2FA."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import selectors, services
from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, current_code, staff

pytestmark = pytest.mark.django_db
PROFILE = reverse("accounts:profile")
NIK = "1811015708900001"  # Mesuji, Lampung; a woman born 17-08-1990


def profile_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Siti  Rahmawati ",
        "date_of_birth": "1990-08-17",
        "sex": "F",
        "nationality": "ID",
        "phone": "0812-3456-7890",
        "nik": NIK,
    }
    data.update(overrides)
    return data


class TestProfile:
    def test_nik_with_wrong_length_is_refused_and_input_kept(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(nik="18110157089000"))
        body = response.content.decode()
        assert response.status_code == 400
        assert "A NIK has exactly 16 digits." in body
        assert 'value="18110157089000"' in body
        assert 'value="0812-3456-7890"' in body

    def test_nik_that_disagrees_with_birth_date_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(date_of_birth="1990-08-18"))
        assert "does not match the date of birth" in response.content.decode()

    def test_nik_of_a_woman_for_a_man_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(sex="M"))
        assert "marks a woman" in response.content.decode()

    def test_nik_with_unknown_region_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(nik="9911015708900001"))
        assert "region code" in response.content.decode()

    def test_citizen_must_give_nik_and_foreigner_must_not(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        assert (
            "Indonesian citizens enter their NIK"
            in client.post(PROFILE, profile_data(nik="")).content.decode()
        )
        assert (
            "Only Indonesian citizens have a NIK"
            in client.post(PROFILE, profile_data(nationality="MY")).content.decode()
        )

    def test_bad_phone_number_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(phone="12345"))
        assert "starting with 0" in response.content.decode()

    def test_future_birth_date_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(date_of_birth="2999-01-01"))
        assert "cannot be in the future" in response.content.decode()

    def test_every_problem_is_said_at_once_and_kept(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.post(PROFILE, profile_data(date_of_birth="2999-01-01", phone="abc", nik="123"))
        page = response.content.decode()
        assert response.status_code == 400
        assert "cannot be in the future" in page
        assert "starting with 0" in page
        assert "A NIK has exactly 16 digits." in page and 'value="123"' in page

    def test_profile_is_saved_with_nik_and_phone_encrypted_at_rest(self, client: Client) -> None:
        user = UserFactory.create()
        client.force_login(user)
        response = client.post(PROFILE, profile_data())
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.full_name == "Siti Rahmawati"
        assert user.nik == NIK
        assert user.phone == "+6281234567890"
        assert user.date_of_birth == date(1990, 8, 17)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nik, phone, nik_index FROM accounts_user WHERE id = %s", [user.pk])
            raw_nik, raw_phone, nik_index = cursor.fetchone()
        assert NIK not in raw_nik and "81234567890" not in raw_phone
        assert NIK not in nik_index and len(nik_index) == 64

    def test_users_are_found_by_nik_through_the_blind_index_only(self) -> None:
        user = UserFactory.create()
        services.profile_update(
            user=user,
            full_name="Siti",
            date_of_birth=date(1990, 8, 17),
            sex="F",
            nationality="ID",
            phone="",
            nik=NIK,
        )
        UserFactory.create()
        assert list(selectors.users_with_nik(NIK)) == [user]
        assert list(selectors.users_with_nik("1811015708900002")) == []
        with pytest.raises(TypeError):
            User.objects.filter(**{"nik__contains": "1811"})


class TestTwoFactorEnrolment:
    def test_setup_page_shows_qr_code_and_secret(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        response = client.get(reverse("accounts:two_factor_setup"))
        body = response.content.decode()
        assert "<svg" in body
        assert 'id="totp-secret"' in body
        assert not TOTPDevice.objects.filter(confirmed=True).exists()

    def test_wrong_code_does_not_enable_2fa(self, client: Client) -> None:
        user = UserFactory.create()
        client.force_login(user)
        client.get(reverse("accounts:two_factor_setup"))
        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": "123456"})
        assert response.status_code == 400
        assert "That code is not right" in response.content.decode()
        assert not selectors.has_two_factor(user)

    def test_right_code_enables_2fa_and_shows_recovery_codes_once(self, client: Client) -> None:
        user = UserFactory.create()
        client.force_login(user)
        client.get(reverse("accounts:two_factor_setup"))
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": current_code(device)})
        assert response.status_code == 200
        assert selectors.has_two_factor(user)
        codes = [t.token for t in StaticToken.objects.filter(device__user=user)]
        assert len(codes) == 10
        body = response.content.decode()
        assert all(code in body for code in codes)
        assert client.session["otp_device_id"] == device.persistent_id

    def test_applicant_can_turn_2fa_off_with_password(self, client: Client) -> None:
        user = UserFactory.create()
        TOTPDevice.objects.create(user=user, confirmed=True)
        client.force_login(user)
        wrong = client.post(reverse("accounts:two_factor_disable"), {"password": "nope"})
        assert wrong.status_code == 400
        assert selectors.has_two_factor(user)
        client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
        assert not selectors.has_two_factor(user)

    def test_staff_cannot_turn_2fa_off(self, client: Client) -> None:
        user = staff(Role.OFFICER)
        client.force_login(user)
        response = client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
        assert response.status_code == 403
        assert selectors.has_two_factor(user)

    def test_new_recovery_codes_replace_the_old_ones(self) -> None:
        user = UserFactory.create()
        old = services.recovery_codes_regenerate(user=user)
        new = services.recovery_codes_regenerate(user=user)
        assert services.two_factor_check(user=user, token=old[0]) is None
        # django-otp slows down guessing: after a failure the next try waits a moment.
        assert services.two_factor_check(user=user, token=new[0]) is None
        with time_machine.travel(timezone.now() + timedelta(seconds=2)):
            assert services.two_factor_check(user=user, token=new[0]) is not None
