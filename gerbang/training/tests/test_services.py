"""The training office: its synthetic set, its reset, and what keeps its people unreachable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gerbang.accounts.models import Role, User
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.models import Event
from gerbang.core.training import SYNTHETIC_EMAIL_DOMAIN, is_synthetic_address, training_office_ids
from gerbang.notifications.models import Delivery, OutboxMessage
from gerbang.payments.models import Bill
from gerbang.queueing.models import Ticket
from gerbang.training import people, selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def _office() -> Office:
    office = selectors.training_office()
    assert office is not None
    return office


class TestTheSet:
    def test_the_demo_has_the_training_office_with_a_case_in_every_stage(self) -> None:
        office = _office()
        assert office.is_training and office.code == "latihan"
        assert "Latihan" in office.name_id and "Training" in office.name_en
        states = set(Application.objects.filter(office=office).values_list("state", flat=True))
        assert states == {stage for _i, _code, stage in services.STAGES}
        assert Ticket.objects.filter(office=office).count() == services.WALK_INS
        assert training_office_ids() == {office.pk}

    def test_every_person_of_the_set_is_obviously_synthetic(self) -> None:
        office = _office()
        applicants = User.objects.filter(applications__office=office).distinct()
        assert applicants.count() == len(services.STAGES)
        for person in applicants:
            assert person.email.endswith(f"@{SYNTHETIC_EMAIL_DOMAIN}")
            assert "Latihan" in person.full_name
            assert not person.has_usable_password()

    def test_the_demo_staff_of_mesuji_belong_to_it(self) -> None:
        office = _office()
        for email in ("petugas.mesuji@gerbang.test", "admin.mesuji@gerbang.test"):
            assert office.pk in User.objects.get(email=email).office_ids()

    def test_no_message_to_a_synthetic_person_leaves_the_system(self) -> None:
        office = _office()
        messages = OutboxMessage.objects.filter(recipient__applications__office=office)
        assert messages.exists()
        assert set(Delivery.objects.filter(message__in=messages).values_list("channel", flat=True)) <= {
            "inbox"
        }

    def test_no_bill_of_it_reaches_the_payment_provider(self) -> None:
        assert not Bill.objects.filter(application__office=_office(), registered_at__isnull=False).exists()

    @pytest.mark.parametrize(
        ("address", "synthetic"),
        [
            ("ani@pelatihan.example", True),
            ("x@example.com", True),
            ("x@foo.invalid", True),
            ("pemohon@gerbang.test", False),
            ("someone@example.co.id", False),
            ("", False),
        ],
    )
    def test_synthetic_addresses(self, address: str, synthetic: bool) -> None:
        assert is_synthetic_address(address) is synthetic


class TestReset:
    def test_an_administrator_resets_it_in_one_action(self) -> None:
        office = _office()
        admin = User.objects.get(email="admin.mesuji@gerbang.test")
        before = set(Application.objects.filter(office=office).values_list("pk", flat=True))
        # Something done by a trainee: a case moved on.
        officer = User.objects.get(email="petugas.mesuji@gerbang.test")
        paid = Application.objects.get(office=office, state=State.PAID)
        services._act(paid, "start_verification", officer)
        made = services.training_reset(actor=admin)
        after = Application.objects.filter(office=office)
        assert made.cases == len(services.STAGES)
        assert before.isdisjoint(set(after.values_list("pk", flat=True)))
        assert set(after.values_list("state", flat=True)) == {stage for _i, _code, stage in services.STAGES}
        assert User.objects.filter(email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}").count() == len(
            people.APPLICANTS
        ) + len(people.STAFF)
        # Nothing of the cases deleted is left behind.
        assert not Event.objects.filter(
            subject_type="applications.application", subject_id__in=[str(p) for p in before]
        ).exists()
        reset = Event.objects.get(code="training.reset")
        assert reset.actor == admin and reset.office_id == office.pk
        # The demo's staff are still members.
        assert office.pk in User.objects.get(email="petugas.mesuji@gerbang.test").office_ids()

    def test_resetting_twice_gives_the_same_set(self) -> None:
        services.training_reset(actor=services.TRAINING)
        first = (Application.objects.count(), User.objects.count(), Ticket.objects.count())
        services.training_reset(actor=services.TRAINING)
        assert (Application.objects.count(), User.objects.count(), Ticket.objects.count()) == first
        assert Event.objects.filter(code="training.reset").count() == 2

    def test_the_command_resets_it(self) -> None:
        call_command("training_reset", stdout=io.StringIO())
        assert Event.objects.filter(code="training.reset").count() == 1

    @pytest.mark.parametrize(
        "email", ["petugas.mesuji@gerbang.test", "supervisor.mesuji@gerbang.test", "auditor@gerbang.test"]
    )
    def test_only_an_administrator_may(self, email: str) -> None:
        with pytest.raises(PermissionDenied):
            services.training_reset(actor=User.objects.get(email=email))

    def test_not_the_administrator_of_another_office(self) -> None:
        other = User.objects.create(
            email="admin.lain@gerbang.test", full_name="Admin Lain", role=Role.OFFICE_ADMIN
        )
        other.office_memberships.create(office=Office.objects.get(code="sijunjung"))
        with pytest.raises(PermissionDenied):
            services.training_reset(actor=other)

    def test_a_national_administrator_may(self) -> None:
        services.training_reset(actor=User.objects.get(email="admin.nasional@gerbang.test"))

    def test_an_office_never_changes_kind(self) -> None:
        from gerbang.catalog.services import office_upsert
        from gerbang.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            office_upsert(**services.OFFICE, is_training=False, actor=services.TRAINING)
