"""The demo data loads, and loading it twice creates no duplicates."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from gerbang.accounts.models import STAFF_ROLES, OfficeMembership, Role, User
from gerbang.analytics.risk.demo import PEOPLE as RISK_PEOPLE
from gerbang.applications import demo_history
from gerbang.applications.demo import OTHER_APPLICANTS
from gerbang.biometrics.demo import PEOPLE as FACE_CHECK_PEOPLE
from gerbang.catalog.models import Office
from gerbang.core.tests import demo_snapshot
from gerbang.participation.demo import CITIZENS as PARTICIPANTS
from gerbang.training.people import APPLICANTS as TRAINING_APPLICANTS
from gerbang.training.people import STAFF as TRAINING_STAFF

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Office.objects.count(),
        User.objects.count(),
        OfficeMembership.objects.count(),
        TOTPDevice.objects.count(),
    )


def test_demo_is_idempotent(settings) -> None:
    """The loaders run twice (the other tests of the demo take it from the snapshot of one load)."""
    from gerbang.applications.models import Application
    from gerbang.content.models import GuideStep

    call_command("load_demo", "--force")
    first = counts()
    step = GuideStep.objects.get(guide__slug="membayar-dengan-qris", order=1)
    picture = step.image.name
    assert picture and step.image_alt_en
    call_command("load_demo", "--force")
    assert counts() == first
    # The guide's picture is made once.
    step.refresh_from_db()
    assert step.image.name == picture
    assert len(list((settings.MEDIA_ROOT / "guides").iterdir())) == 1
    # The demo's cases cover the main states, an application for a child among them.
    assert {
        "draft",
        "awaiting_payment",
        "in_verification",
        "correction_requested",
        "in_review",
        "awaiting_appointment",
        "ready_for_pickup",
    } <= set(Application.objects.values_list("state", flat=True))
    assert Application.objects.filter(applicant__email="pemohon@gerbang.test", for_child=True).exists()
    assert first[0] == 6  # five offices and the training office
    # The staff and applicant accounts the README lists, plus the applicants of the demo cases
    # and the citizens who take part in the participation demo.
    # and the applicants of the year of past cases the statistics count (no password: they only
    # stand for the people of the past).
    # and the ordinary applicants and suspicious cases of the risk flags' demo,
    # and the applicant whose face the face check's demo compares,
    # and the walk-in person of the assisted application (no email address).
    assert first[1] == (
        1
        + len(DEMO_ACCOUNTS)
        + len(OTHER_APPLICANTS)
        + len(PARTICIPANTS)
        + demo_history.PEOPLE
        + RISK_PEOPLE
        + len(FACE_CHECK_PEOPLE)
        + len(TRAINING_APPLICANTS)
        + len(TRAINING_STAFF)
    )


def test_demo_has_every_role_and_the_three_time_zones() -> None:
    demo_snapshot.load_demo()
    assert set(User.objects.values_list("role", flat=True)) == {role.value for role in Role}
    assert set(Office.objects.values_list("time_zone", flat=True)) == {
        "Asia/Jakarta",
        "Asia/Makassar",
        "Asia/Jayapura",
    }
    # The walk-in person of the assisted application has no email and no password until they
    # take it over online; the training office's synthetic people cannot sign in at all
    # (docs/training.md).
    assert not User.objects.get(email="").has_usable_password()
    synthetic = User.objects.filter(email__endswith="@pelatihan.example")
    assert synthetic.exists() and not any(person.has_usable_password() for person in synthetic)
    for user in (
        User.objects.exclude(email__startswith="riwayat.")
        .exclude(email="")
        .exclude(email__endswith="@pelatihan.example")
    ):
        assert user.check_password(DEMO_PASSWORD)
        assert user.email_verified
        if user.role in STAFF_ROLES:
            assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_demo_applicant_profile_is_complete_and_encrypted() -> None:
    from gerbang.accounts.selectors import profile_is_complete

    demo_snapshot.load_demo()
    applicant = User.objects.get(email="pemohon@gerbang.test")
    assert profile_is_complete(applicant)
    assert applicant.nik_index


def test_demo_loader_refuses_without_debug() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")


def test_demo_totp_prints_a_code(capsys, settings) -> None:
    demo_snapshot.load_demo()
    settings.DEBUG = True  # after the load: the snapshot fits the settings it was taken with
    capsys.readouterr()
    call_command("demo_totp", "petugas.mesuji@gerbang.test")
    code = capsys.readouterr().out.split()[0]
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__email="petugas.mesuji@gerbang.test")
    assert device.verify_token(code)


def _layers() -> list[set[str]]:
    """The import-linter layers of the apps (``pyproject.toml``), top to bottom: an app may
    build on those below it."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [
        {name.strip().removeprefix("gerbang.") for name in line.split("|")} for line in contract["layers"]
    ]


LAYERS = _layers()


def _depth(app: str) -> int:
    return next(depth for depth, layer in enumerate(LAYERS) if app in layer)


def test_demo_registry_loads_the_apps_bottom_up() -> None:
    from gerbang.core import demo

    order = [loader.app for loader in demo.loaders()]
    assert order == [
        "catalog",
        "content",
        "accounts",
        "oauth",  # the mobile app registered, the demo applicant signed in to it
        "applications",
        "biometrics",  # a renewal waiting for its interview, its face checks
        "appointments",
        "payments",
        "queueing",
        "feedback",
        "satisfaction",
        "assistant",
        "ikm",
        "participation",
        "privacy",
        "ledger",  # it logs the events the others' demo data recorded
        "transparency",  # it counts what the others' demo data did (and records no event)
        "analytics",  # its own past cases counted and logged, flags on the open ones, then the forecasts
        "integrations",  # the partner agencies connected once every other demo case is paid
        "training",  # last: the training office's synthetic set, counted nowhere
    ]
    # No app loads before one it may build on ...
    assert [_depth(app) for app in order] == sorted((_depth(app) for app in order), reverse=True)
    # ... and every app after those whose demo data it says it needs.
    for position, loader in enumerate(demo.loaders()):
        assert set(loader.after) <= set(order[:position])


def test_demo_registry_follows_declared_needs_over_the_settings_order(monkeypatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from gerbang.core import demo

    demo.loaders()  # every app's own loader registered first
    monkeypatch.setattr(demo, "_loaders", {})
    demo.register("accounts", list)
    demo.register("catalog", list, after=["accounts"])
    assert [loader.app for loader in demo.loaders()] == ["accounts", "catalog"]
    demo.register("content", list, after=["payments"])
    with pytest.raises(ImproperlyConfigured, match="content after payments"):
        demo.loaders()
