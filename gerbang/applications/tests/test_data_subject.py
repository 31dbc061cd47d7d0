"""``applications/data_subject.py``: what the applications give back and erase for UU PDP."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications import data_subject, services
from gerbang.applications.models import Application, CheckResult, Correction, Document
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core import data_subjects
from gerbang.core.calendar import years_later
from gerbang.core.models import Event
from gerbang.core.storage import private_storage

pytestmark = pytest.mark.django_db

YEARS = 10


@pytest.fixture(autouse=True)
def _retention(settings: Any) -> None:
    settings.DATA_RETENTION_YEARS = {**settings.DATA_RETENTION_YEARS, "cases": YEARS}


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def siti_answers() -> dict[str, str]:
    return f.passport_answers(
        full_name="Siti Rahmawati",
        sex="F",
        nik=f.NIK_WOMAN,
        mother_name="Dewi Lestari",
        address="Jl. Kenanga No. 9, Sijunjung",
        phone="0813 9999 1111",
    )


def rejected(world: f.World, **kwargs: Any) -> Application:
    application = f.in_verification(world, **kwargs)
    return services.application_transition(
        application=application,
        action="reject",
        actor=world.officer,
        expected_version=application.version,
        reason_code="other",
        reason="Dokumen tidak sesuai.",
    )


def ended_years_ago(application: Application, years: int, days: int = 0) -> None:
    moment = years_later(timezone.now(), -years) - timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(state_changed_at=moment)


def dump(sections: list[data_subjects.Section]) -> str:
    return json.dumps(
        [{"key": s.key, "rows": s.rows, "files": [x.name for x in s.files]} for s in sections],
        cls=DjangoJSONEncoder,
    )


def test_the_export_holds_the_persons_cases_and_nothing_of_another_person(world: f.World) -> None:
    budi_case = rejected(world)
    budi_draft = f.draft(world)
    siti = UserFactory.create(full_name="Siti Rahmawati")
    siti_case = f.submitted(world, answers=siti_answers(), applicant=siti)
    officer = world.officer
    services.staff_read_record(application=budi_case, actor=officer, what="case")

    sections = data_subject.export(world.applicant)
    text = dump(sections)

    by_key = {s.key: s for s in sections}
    numbers = [row["number"] for row in by_key["applications"].rows]
    assert budi_case.number in numbers and "" in numbers  # the draft has no number yet
    case_row = next(r for r in by_key["applications"].rows if r["number"] == budi_case.number)
    assert case_row["answers"]["nik"] == f.NIK_MAN  # decrypted
    assert case_row["answers"]["mother_name"] == "Siti Aminah"
    assert case_row["state"] == State.REJECTED
    assert case_row["assigned_to"].startswith(str(officer.get_role_display()))
    # Documents with their files, read back as stored.
    files = by_key["applications"].files
    assert files and all(x.name.startswith("applications/") for x in files)
    with files[0].open() as handle:
        assert handle.read(4) in (b"%PDF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"\x89PNG")
    assert {r["application"] for r in by_key["applications.documents"].rows} == {budi_case.number}
    # The history, with the refusal's reason and the staff read, by role.
    history = by_key["applications.history"].rows
    assert any(r["code"] == "application.reject" and "Dokumen tidak sesuai." in r["reason"] for r in history)
    assert any(r["code"] == "application.case_viewed" for r in history)
    # Never a staff member's name, never the other person's data.
    assert officer.full_name not in text and officer.email not in text
    assert "Siti Rahmawati" not in text and f.NIK_WOMAN not in text and "Dewi Lestari" not in text
    assert str(siti_case.number) not in text
    assert budi_draft.pk  # the draft is listed as a case without number
    json.dumps([s.rows for s in sections], cls=DjangoJSONEncoder)  # JSON-safe


def test_duplicate_flags_about_other_people_are_not_exported(world: f.World) -> None:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    first = f.submitted(world, answers=siti_answers(), applicant=siti)
    # Budi types Siti's NIK: the duplicate flag names her case; he is not shown it.
    mine = f.submitted(world, answers=f.passport_answers(nik=f.NIK_WOMAN, sex="F"))
    assert CheckResult.objects.filter(application=mine, visible_to_applicant=False).exists()
    text = dump(data_subject.export(world.applicant))
    assert str(first.number) not in text


def test_blockers_name_open_cases_with_their_page(world: f.World) -> None:
    f.draft(world)
    done = rejected(world)
    waiting = f.submitted(world)
    found = data_subject.blockers(world.applicant)
    assert [b.url for b in found] == [reverse("applications:detail", args=[waiting.pk])]
    assert str(waiting.number) in str(found[0].text)
    assert str(done.number) not in str(found[0].text)


def test_a_dry_run_writes_nothing(world: f.World) -> None:
    draft = f.draft(world)
    f.upload_all(draft)
    old = rejected(world)
    ended_years_ago(old, YEARS, days=1)
    events = Event.objects.count()
    outcomes = {o.key: o for o in data_subject.erase(world.applicant, timezone.now(), True)}
    assert outcomes["applications.drafts"].erased == 1
    assert outcomes["applications.cases"].erased == 1
    assert Application.objects.filter(pk=draft.pk).exists()
    old.refresh_from_db()
    assert old.answers and old.personal_data_erased_at is None
    assert Event.objects.count() == events
    assert all(private_storage().exists(str(d.file.name)) for d in Document.objects.all())


def test_erasure_deletes_drafts_keeps_recent_cases_and_erases_old_ones(
    world: f.World, django_capture_on_commit_callbacks: Any
) -> None:
    draft = f.draft(world)
    f.upload_all(draft)
    draft_files = [str(d.file.name) for d in draft.documents.all()]
    old = rejected(world)
    ended_years_ago(old, YEARS, days=1)
    old_files = [str(d.file.name) for d in old.documents.all()]
    recent = rejected(world)
    ended_years_ago(recent, 3)
    recent.refresh_from_db()
    siti = UserFactory.create(full_name="Siti Rahmawati")
    other_draft = f.draft(world, answers=siti_answers(), applicant=siti)
    now = timezone.now()

    planned = data_subject.erase(world.applicant, now, True)
    with django_capture_on_commit_callbacks(execute=True):
        done = data_subject.erase(world.applicant, now, False)
    assert [(o.key, o.erased, o.kept, o.kept_until) for o in planned] == [
        (o.key, o.erased, o.kept, o.kept_until) for o in done
    ]
    outcomes = {o.key: o for o in done}

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not any(private_storage().exists(name) for name in draft_files)
    assert outcomes["applications.drafts"].erased == 1

    old.refresh_from_db()
    assert old.answers == {} and old.personal_data_erased_at == now
    assert old.tracking_key == "" and old.subject_nik_index == ""
    assert old.number and old.state == State.REJECTED  # the non-personal row stays
    assert not any(private_storage().exists(name) for name in old_files)
    assert all(d.file.name == "" and d.original_name == "" and d.sha256 == "" for d in old.documents.all())
    assert all(c.findings == [] for c in old.checks.all())
    assert all(c.message == "" for c in Correction.objects.filter(application=old))

    recent.refresh_from_db()
    assert recent.answers["nik"] == f.NIK_MAN
    cases = outcomes["applications.cases"]
    assert (cases.erased, cases.kept) == (1, 1)
    expected = timezone.localtime(years_later(recent.state_changed_at, YEARS)).date()
    assert cases.kept_until == expected and cases.reason
    documents = outcomes["applications.documents"]
    assert documents.erased == len(draft_files) + len(old_files)
    assert documents.kept == recent.documents.count()

    assert Application.objects.filter(pk=other_draft.pk).exists()
    codes = Event.objects.filter(subject_id__in=[str(draft.pk), str(old.pk)]).values_list("code", flat=True)
    assert {"application.draft_deleted", "application.personal_data_erased"} <= set(codes)
    # Erasing again finds nothing more to do.
    again = {o.key: o for o in data_subject.erase(world.applicant, now, False)}
    assert again["applications.cases"].erased == 0 and again["applications.drafts"].erased == 0


def test_an_open_case_is_kept_and_said_so(world: f.World) -> None:
    open_case = f.submitted(world)
    outcomes = {o.key: o for o in data_subject.erase(world.applicant, timezone.now(), False)}
    assert outcomes["applications.open"].kept == 1
    open_case.refresh_from_db()
    assert open_case.answers and open_case.state == State.AWAITING_PAYMENT


def test_expire_erases_what_is_past_its_period_and_leaves_the_rest(
    world: f.World, django_capture_on_commit_callbacks: Any
) -> None:
    old = rejected(world)
    ended_years_ago(old, YEARS, days=1)
    recent = rejected(world)
    ended_years_ago(recent, YEARS - 1)
    abandoned = f.draft(world)
    Application.objects.filter(pk=abandoned.pk).update(updated_at=years_later(timezone.now(), -YEARS - 1))
    fresh_draft = f.draft(world)
    now = timezone.now()

    dry = {o.key: o.erased for o in data_subject.expire(now, True)}
    assert dry == {"applications.drafts": 1, "applications.cases": 1, "applications.documents": 3}
    old.refresh_from_db()
    assert old.personal_data_erased_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = {o.key: o.erased for o in data_subject.expire(now, False)}
    assert done == dry
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.answers == {} and recent.answers
    assert not Application.objects.filter(pk=abandoned.pk).exists()
    assert Application.objects.filter(pk=fresh_draft.pk).exists()
    # Idempotent: a second sweep finds nothing.
    assert {o.key: o.erased for o in data_subject.expire(now, False)} == {
        "applications.drafts": 0,
        "applications.cases": 0,
        "applications.documents": 0,
    }


def test_pages_of_an_erased_case_still_work(
    world: f.World, staff_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = rejected(world)
    ended_years_ago(old, YEARS, days=1)
    document = old.documents.first()
    assert document is not None
    with django_capture_on_commit_callbacks(execute=True):
        data_subject.expire(timezone.now(), False)
    officer = staff_client(world.officer)
    page = officer.get(reverse("backoffice:case_detail", args=[old.pk]))
    assert page.status_code == 200
    assert old.number in page.content.decode()
    assert officer.get(reverse("backoffice:case_document", args=[old.pk, document.pk])).status_code == 404
    assert officer.get(reverse("backoffice:case_numbers")).status_code == 200
    assert officer.get(reverse("backoffice:case_queue") + "?state=rejected").status_code == 200
    applicant = Client()
    applicant.force_login(world.applicant)
    assert applicant.get(reverse("applications:detail", args=[old.pk])).status_code == 200
    assert applicant.get(reverse("applications:list")).status_code == 200
    assert applicant.get(reverse("applications:document_file", args=[old.pk, document.pk])).status_code == 404
    # Tracking no longer finds it (its keyed hash of number and birth date is gone): the page
    # answers as for any wrong number.
    tracked = Client().post(
        reverse("applications:track"), {"number": old.number, "date_of_birth": "15/08/1990"}
    )
    assert tracked.status_code == 200 and tracked.context["not_found"]


def test_the_officers_explanation_goes_with_the_case_and_its_event_stays_as_the_ledger_has_it(
    world: f.World, django_capture_on_commit_callbacks: Any
) -> None:
    from gerbang.applications import selectors
    from gerbang.ledger.leaves import leaf_v1

    old = rejected(world)
    ended_years_ago(old, YEARS, days=1)
    recent = rejected(world)
    event = Event.objects.get(subject_id=str(old.pk), code="application.reject")
    assert "Dokumen" not in json.dumps(event.details)  # the explanation is the event's note
    leaf_before = leaf_v1(event)
    with translation.override("en"):
        assert "Dokumen tidak sesuai." in selectors.timeline(old)[-1].reason
    with django_capture_on_commit_callbacks(execute=True):
        data_subject.expire(timezone.now(), False)
    assert leaf_v1(Event.objects.get(pk=event.pk)) == leaf_before
    with translation.override("en"):
        reason = selectors.timeline(old)[-1].reason
        assert "Dokumen" not in reason and "erased when its retention period ended" in reason
        assert "Dokumen tidak sesuai." in selectors.timeline(recent)[-1].reason
        history = dump(data_subject.export(world.applicant))
    assert history.count("Dokumen tidak sesuai.") == 1  # the recent case's, not the old one's


def test_owners_map_case_reads_to_the_applicant(world: f.World) -> None:
    case = f.submitted(world)
    services.staff_read_record(application=case, actor=world.officer, what="case")
    event = Event.objects.get(code="application.case_viewed")
    assert data_subjects.owners_of(event.subject_type, [event.subject_id]) == {
        str(case.pk): world.applicant.pk
    }
    huge = [str(2**63), str(2**64), "-1", "abc", "", str(case.pk)]
    assert data_subjects.owners_of("applications.application", huge) == {str(case.pk): world.applicant.pk}


def test_the_provider_is_registered_with_its_activities() -> None:
    provider = next(p for p in data_subjects.providers() if p.key == "applications")
    assert provider.export is data_subject.export
    assert {a.key for a in provider.activities} == {"applications.cases", "applications.documents"}
    assert all("UU No. 6/2011" in a.law for a in provider.activities)


def test_the_copy_says_in_words_what_was_chosen_and_what_a_correction_is_about(world: f.World) -> None:
    case = f.in_verification(world, answers=siti_answers())
    services.corrections_request(
        application=case,
        items=[services.CorrectionItem("field", "mother_name", "Tulis nama lengkap ibu.")],
        actor=world.officer,
        expected_version=case.version,
    )
    with translation.override("en"):
        sections = {s.key: s for s in data_subject.export(world.applicant)}
    row = sections["applications"].rows[0]
    assert row["answers"]["sex"] == "F" and row["answers_in_words"]["sex"] == "Female"
    assert sections["applications.corrections"].rows[0]["item"] == "Mother's full name"
    assert all("/req-" not in name for name in (f.name for f in sections["applications"].files))
