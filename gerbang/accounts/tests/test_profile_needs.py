"""The profile and the dashboard say what each part of the profile is for, from one table, and
what stops a person from applying, from the rule the application service applies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts import selectors
from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications import services
from gerbang.applications.tests import factories as f
from gerbang.core.exceptions import PermissionDenied

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_dashboard_lists_what_is_missing_and_does_not_claim_it_is_needed_to_apply() -> None:
    world = f.make_world()
    person = world.applicant  # a name and a confirmed address; nothing else
    page = signed_in(person).get(reverse("accounts:dashboard")).content.decode()
    assert "needed before you apply" not in page
    assert "Before you can apply" not in page
    for use in selectors.profile_gaps(person):
        assert f"<strong>{use.label}</strong> ({use.short})" in page
    # And indeed the person can apply with the profile as it is.
    application = services.application_start(
        applicant=person, service=world.service("paspor-biasa"), office=world.office, for_child=False
    )
    assert application.pk


def test_what_stops_applying_is_said_on_the_dashboard_and_refused_by_the_service() -> None:
    world = f.make_world()
    unconfirmed = UserFactory.create(email_verified_at=None)
    problem = selectors.why_cannot_apply(unconfirmed)
    assert problem is not None
    page = signed_in(unconfirmed).get(reverse("accounts:dashboard")).content.decode()
    assert "Before you can apply" in page and str(problem) in page
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        services.application_start(
            applicant=unconfirmed, service=world.service("paspor-biasa"), office=world.office, for_child=False
        )


def test_the_profile_says_what_each_field_is_for_instead_of_optional() -> None:
    person = UserFactory.create()
    page = signed_in(person).get(reverse("accounts:profile")).content.decode()
    for use in selectors.PROFILE_USES:
        label = page[
            page.index(f'for="id_{use.field}') if use.field != "sex" else page.index("<legend>Sex") :
        ]
        label = label[: label.index("</l")]
        assert f"({use.short})" in label, use.field
        assert "optional" not in label, use.field


def test_the_nik_is_a_gap_only_for_indonesian_citizens() -> None:
    foreigner = UserFactory.create(nationality="AU", phone="+61 400 000 000", sex="F")
    citizen = UserFactory.create(nationality="ID", phone="0812 3456 7890", sex="F")
    assert "nik" not in [use.field for use in selectors.profile_gaps(foreigner)]
    assert "nik" in [use.field for use in selectors.profile_gaps(citizen)]
