"""The back office: 2FA gate, office scoping, staff creation, idle timeout, permissions table."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts import permissions, selectors, services
from gerbang.accounts.models import STAFF_ROLES, OfficeMembership, Role, User
from gerbang.accounts.scoping import scope_to_offices
from gerbang.accounts.tests.factories import UserFactory, sign_in_with_2fa, staff
from gerbang.catalog.models import Office
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("backoffice:dashboard")
STAFF_LIST = reverse("backoffice:staff_list")
STAFF_NEW = reverse("backoffice:staff_create")


class TestGate:
    def test_anonymous_is_sent_to_sign_in(self, client: Client) -> None:
        response = client.get(STAFF_LIST)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "next=%2Fbackoffice%2Fstaff%2F" in response["Location"]

    def test_applicant_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        assert client.get(DASHBOARD).status_code == 403

    def test_partner_api_client_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory.create(role=Role.PARTNER_API))
        assert client.get(DASHBOARD).status_code == 403

    @pytest.mark.parametrize("role", sorted(STAFF_ROLES))
    def test_staff_without_2fa_are_sent_to_set_it_up(self, client: Client, role: str, office_a) -> None:
        user = staff(Role(role), [office_a], with_2fa=False)
        client.force_login(user)
        for url in (DASHBOARD, STAFF_LIST, reverse("backoffice:office_list")):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

    def test_staff_with_2fa_but_unverified_session_must_sign_in_again(self, client: Client, office_a) -> None:
        user = staff(Role.OFFICER, [office_a])
        client.force_login(user)  # password only, no second factor in this session
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session

    def test_staff_with_verified_2fa_get_in(self, staff_client, office_a) -> None:
        user = staff(Role.OFFICER, [office_a])
        response = staff_client(user).get(DASHBOARD)
        assert response.status_code == 200
        assert office_a.name in response.content.decode()

    def test_a_page_beyond_ones_role_says_so_and_leads_back_to_the_back_office(
        self, staff_client, office_a
    ) -> None:
        officer = staff(Role.OFFICER, [office_a], language="en")
        response = staff_client(officer).get(reverse("backoffice:dashboard_national"))
        page = response.content.decode()
        assert response.status_code == 403
        assert "Your role or your offices do not include this page" in page
        assert f'<a href="{DASHBOARD}">Back to the back office</a>' in page


class TestScoping:
    def test_officer_sees_only_staff_of_own_office(self, staff_client, office_a, office_b) -> None:
        officer_a = staff(Role.OFFICER, [office_a], full_name="Ani Officer A")
        staff(Role.SUPERVISOR, [office_a], full_name="Supervisor A")
        staff(Role.OFFICER, [office_b], full_name="Officer B")
        staff(Role.NATIONAL_ADMIN, [], full_name="National Admin")
        body = staff_client(officer_a).get(STAFF_LIST).content.decode()
        assert "Supervisor A" in body
        assert "Officer B" not in body
        assert "National Admin" not in body

    def test_officer_sees_only_own_offices(self, staff_client, office_a, office_b) -> None:
        officer_a = staff(Role.OFFICER, [office_a])
        body = staff_client(officer_a).get(reverse("backoffice:office_list")).content.decode()
        assert office_a.name in body
        assert office_b.name not in body

    def test_national_roles_see_every_office(self, office_a, office_b) -> None:
        for role in (Role.NATIONAL_ADMIN, Role.AUDITOR):
            user = staff(role)
            assert set(scope_to_offices(Office.objects.all(), user, office_field="pk")) == {
                office_a,
                office_b,
            }

    def test_member_of_two_offices_sees_both_without_duplicates(self, office_a, office_b) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a, office_b])
        both = staff(Role.OFFICER, [office_a, office_b])
        visible = list(selectors.staff_visible_to(admin))
        assert visible.count(both) == 1

    def test_non_staff_see_nothing(self, office_a) -> None:
        applicant = UserFactory.create()
        assert not scope_to_offices(Office.objects.all(), applicant, office_field="pk").exists()
        assert not selectors.staff_visible_to(applicant).exists()


class TestStaffCreation:
    def test_officer_cannot_create_staff(self, staff_client, office_a) -> None:
        officer = staff(Role.OFFICER, [office_a])
        client = staff_client(officer)
        assert client.get(STAFF_NEW).status_code == 403
        response = client.post(
            STAFF_NEW,
            {"full_name": "X", "email": "x@example.test", "role": "officer", "offices": [office_a.pk]},
        )
        assert response.status_code == 403
        assert not User.objects.filter(email="x@example.test").exists()

    def test_office_admin_cannot_add_staff_to_another_office(self, office_a, office_b) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        with pytest.raises(PermissionDenied):
            services.staff_create(
                actor=admin,
                email="x@example.test",
                full_name="X",
                role=Role.OFFICER,
                office_ids=[office_b.pk],
            )

    def test_office_admin_cannot_create_national_roles(self, office_a) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        with pytest.raises(PermissionDenied):
            services.staff_create(
                actor=admin, email="x@example.test", full_name="X", role=Role.NATIONAL_ADMIN, office_ids=[]
            )

    def test_office_bound_role_needs_an_office(self, office_a) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        with pytest.raises(ValidationError):
            services.staff_create(
                actor=admin, email="x@example.test", full_name="X", role=Role.OFFICER, office_ids=[]
            )

    def test_taken_email_is_refused(self, office_a) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        UserFactory.create(email="x@example.test")
        with pytest.raises(Conflict):
            services.staff_create(
                actor=admin,
                email="X@example.test",
                full_name="X",
                role=Role.OFFICER,
                office_ids=[office_a.pk],
            )

    @pytest.mark.django_db(transaction=True)
    def test_office_admin_creates_an_officer_who_is_invited(self, staff_client, office_a) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        client = staff_client(admin)
        client.cookies["django_language"] = "en"
        form = client.get(STAFF_NEW).content.decode()
        assert 'value="national_admin"' not in form
        assert "Offices (optional)" not in form  # every role offered here works at an office
        without = client.post(
            STAFF_NEW, {"full_name": "Rudi", "email": "rudi@example.test", "role": "officer"}
        )
        assert "Choose at least one office for this staff member." in without.content.decode()
        response = client.post(
            STAFF_NEW,
            {
                "full_name": "Rudi Hartono",
                "email": "rudi@example.test",
                "role": "officer",
                "offices": [office_a.pk],
            },
        )
        assert response.status_code == 302
        rudi = User.objects.get(email="rudi@example.test")
        assert rudi.role == Role.OFFICER
        assert rudi.created_by == admin
        assert not rudi.has_usable_password()
        assert list(OfficeMembership.objects.filter(user=rudi).values_list("office", flat=True)) == [
            office_a.pk
        ]
        assert len(mail.outbox) == 1
        assert "/account/password/reset/" in mail.outbox[0].body

    def test_invalid_form_keeps_input(self, staff_client, office_a) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        response = staff_client(admin).post(
            STAFF_NEW, {"full_name": "Rudi Hartono", "email": "not-an-email", "role": "officer"}
        )
        assert response.status_code == 400
        assert 'value="Rudi Hartono"' in response.content.decode()


class TestStaffSessions:
    def test_staff_session_ends_after_15_idle_minutes(self, staff_client, office_a) -> None:
        client = staff_client(staff(Role.OFFICER, [office_a]))
        assert client.get(DASHBOARD).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(minutes=14)):
            assert client.get(DASHBOARD).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(minutes=14 + 16)):
            response = client.get(DASHBOARD)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
            assert "_auth_user_id" not in client.session

    def test_staff_session_cookie_lasts_15_minutes(self, staff_client, office_a) -> None:
        client = staff_client(staff(Role.OFFICER, [office_a]))
        client.get(DASHBOARD)
        assert client.session.get_expiry_age() == 15 * 60

    def test_applicant_session_is_not_cut_after_15_minutes(self, client: Client) -> None:
        client.force_login(UserFactory.create())
        client.get(reverse("accounts:dashboard"))
        with time_machine.travel(timezone.now() + timedelta(minutes=30)):
            assert client.get(reverse("accounts:dashboard")).status_code == 200


class TestPermissionTable:
    def test_the_table(self) -> None:
        """Snapshot of who may do what; a change here is a change of policy."""
        table = {
            perm.value: sorted(role.value for role in roles) for perm, roles in permissions.RULES.items()
        }
        staff_roles = sorted(["auditor", "national_admin", "office_admin", "officer", "supervisor"])
        assert table == {
            "backoffice.access": staff_roles,
            "staff.view": staff_roles,
            "staff.manage": ["national_admin", "office_admin"],
            "office.view": staff_roles,
            "audit.view": ["auditor", "national_admin"],
            "content.national": ["national_admin"],
            "content.office": ["national_admin", "office_admin"],
            "office.manage": ["national_admin", "office_admin"],
            "catalog.manage": ["national_admin"],
            "case.view": staff_roles,
            "case.work": ["officer", "supervisor"],
            "case.assign": ["supervisor"],
            "case.assist": ["officer", "supervisor"],
            "payments.view": ["auditor", "national_admin", "office_admin", "supervisor"],
            "payments.manage": ["national_admin"],
            "notifications.manage": ["national_admin"],
            "queue.view": staff_roles,
            "queue.serve": ["officer", "supervisor"],
            "queue.report": ["auditor", "national_admin", "office_admin", "supervisor"],
            "queue.manage": ["national_admin", "office_admin"],
            "consultation.view": staff_roles,
            "consultation.answer": ["office_admin", "officer", "supervisor"],
            "report.view": ["national_admin", "office_admin", "officer", "supervisor"],
            "report.handle": ["national_admin", "officer", "supervisor"],
            "report.oversee": ["national_admin", "office_admin", "supervisor"],
            "report.national": ["national_admin"],
            "rating.moderate": ["national_admin", "office_admin"],
            "rating.reply": ["office_admin", "supervisor"],
            "ikm.view": ["auditor", "national_admin", "office_admin", "supervisor"],
            "forecast.view": ["auditor", "national_admin", "office_admin", "supervisor"],
            "dashboard.view": ["national_admin", "office_admin", "supervisor"],
            "dashboard.national": ["national_admin"],
            "participation.view": ["auditor", "national_admin", "office_admin", "officer", "supervisor"],
            "participation.manage": ["national_admin", "office_admin", "supervisor"],
            "participation.moderate": ["national_admin", "office_admin", "supervisor"],
            "ledger.manage": ["national_admin"],
            "privacy.manage": ["national_admin"],
            "risk.review": ["officer", "supervisor"],
            "exchange.view": ["auditor", "national_admin"],
            "exchange.manage": ["national_admin"],
            "biometrics.verify": ["officer", "supervisor"],
            "training.reset": ["national_admin", "office_admin"],
        }

    @pytest.mark.parametrize("role", list(Role))
    def test_every_role_against_every_permission(self, role: Role, office_a, office_b) -> None:
        user = staff(role, [office_a] if permissions.role_needs_office(role) else [], with_2fa=False)
        for perm, roles in permissions.RULES.items():
            assert permissions.has_permission(user, perm) == (role in roles)
            in_own = permissions.has_permission(user, perm, office_id=office_a.pk)
            in_other = permissions.has_permission(user, perm, office_id=office_b.pk)
            assert in_own == (role in roles)
            assert in_other == (role in roles and role in {Role.NATIONAL_ADMIN, Role.AUDITOR})

    def test_inactive_user_has_no_permission(self, office_a) -> None:
        user = staff(Role.NATIONAL_ADMIN, is_active=False)
        assert not permissions.has_permission(user, permissions.Perm.STAFF_MANAGE)


class TestTwoFactorReset:
    """A staff member who lost their authenticator and recovery codes."""

    def test_an_office_administrator_resets_it_for_their_staff_who_is_told(
        self, client: Client, office_a: Office
    ) -> None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from gerbang.core.models import Event
        from gerbang.notifications.models import OutboxMessage

        admin = staff(Role.OFFICE_ADMIN, [office_a])
        officer = staff(Role.OFFICER, [office_a])
        sign_in_with_2fa(client, admin)
        url = reverse("backoffice:staff_two_factor_reset", args=[officer.pk])
        page = client.get(STAFF_LIST).content.decode()
        assert url in page and reverse("backoffice:staff_two_factor_reset", args=[admin.pk]) not in page
        # Without the box ticked nothing happens.
        client.post(url)
        assert TOTPDevice.objects.filter(user=officer).exists()
        response = client.post(url, {"identity_checked": "1"}, follow=True)
        assert officer.full_name in response.content.decode()
        assert not TOTPDevice.objects.filter(user=officer).exists()
        assert not StaticDevice.objects.filter(user=officer).exists()
        event = Event.objects.get(code="account.two_factor_reset")
        assert (event.actor, event.subject_id) == (admin, str(officer.pk))
        assert OutboxMessage.objects.filter(recipient=officer, kind="account.two_factor_reset").exists()

    def test_nobody_resets_their_own_or_staff_of_other_offices(
        self, office_a: Office, office_b: Office
    ) -> None:
        admin = staff(Role.OFFICE_ADMIN, [office_a])
        elsewhere = staff(Role.OFFICER, [office_b])
        with pytest.raises(PermissionDenied):
            services.two_factor_reset(user=admin, actor=admin)
        with pytest.raises(PermissionDenied):
            services.two_factor_reset(user=elsewhere, actor=admin)
        officer = staff(Role.OFFICER, [office_a])
        with pytest.raises(PermissionDenied):
            services.two_factor_reset(user=officer, actor=staff(Role.SUPERVISOR, [office_a]))
