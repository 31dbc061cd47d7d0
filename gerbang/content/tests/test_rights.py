"""The public "rights and duties" page, edited by content staff in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.content import selectors, services
from gerbang.content.models import Audience, RightKind, RightsEntry, Status
from gerbang.core import search
from gerbang.core.actors import DEMO
from gerbang.core.exceptions import PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.core.tests import demo_snapshot

pytestmark = pytest.mark.django_db


def entry_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "audience": Audience.APPLICANT,
        "kind": RightKind.RIGHT,
        "order": 0,
        "title_id": "Mengadu dan mendapat tanggapan",
        "title_en": "To complain and get an answer",
        "body_id": "Anda berhak mengadu.",
        "body_en": "You have the right to complain.",
        "basis_id": "UU No. 25/2009, Pasal 40",
        "basis_en": "Law No. 25/2009, Article 40",
    }
    return {**data, **changes}


class TestServices:
    def test_save_as_draft_then_publish_records_what_changed(self) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        entry = services.rights_entry_save(actor=admin, entry=None, data=entry_data(), publish=False)
        assert entry.status == Status.DRAFT
        assert not RightsEntry.objects.published().exists()
        entry = services.rights_entry_save(
            actor=admin, entry=entry, data=entry_data(body_en="You may complain."), publish=True
        )
        assert entry.status == Status.PUBLISHED
        published = Event.objects.get(code="content.rights_published")
        assert published.details["changed"] == {
            "body_en": ["You have the right to complain.", "You may complain."]
        }
        assert Event.objects.filter(code="content.rights_saved", actor=admin).exists()

    def test_office_staff_and_applicants_may_not_edit(self, office_a: Any) -> None:
        for actor in (staff(Role.OFFICE_ADMIN, [office_a]), UserFactory.create()):
            with pytest.raises(PermissionDenied):
                services.rights_entry_save(actor=actor, entry=None, data=entry_data(), publish=True)
        assert not RightsEntry.objects.exists()

    def test_one_language_is_enough_but_not_none(self) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        with pytest.raises(ValidationError) as error:
            services.rights_entry_save(
                actor=admin, entry=None, data=entry_data(title_id="", title_en=" "), publish=True
            )
        assert error.value.field == "title_id"
        entry = services.rights_entry_save(
            actor=admin, entry=None, data=entry_data(title_en="", body_en=""), publish=True
        )
        with translation.override("en"):
            assert entry.title.is_fallback and entry.title == "Mengadu dan mendapat tanggapan"

    def test_demo_upsert_is_idempotent_and_indexed_for_search(self) -> None:
        for _ in range(2):
            services.rights_entry_upsert(actor=DEMO, key=("foreigner", "duty", 0), data=entry_data())
        assert RightsEntry.objects.count() == 1
        hits = search.search("mengadu", language="id")
        assert any(hit.kind == "rights" and hit.url.startswith("/rights/#rights-") for hit in hits)

    def test_a_draft_leaves_the_search(self) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        entry = services.rights_entry_save(actor=admin, entry=None, data=entry_data(), publish=True)
        assert any(hit.kind == "rights" for hit in search.search("mengadu", language="id"))
        services.rights_entry_save(actor=admin, entry=entry, data=entry_data(), publish=False)
        assert not any(hit.kind == "rights" for hit in search.search("mengadu", language="id"))


class TestSelectors:
    def test_grouped_by_audience_then_rights_and_duties_in_order(self) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        save = services.rights_entry_save
        save(
            actor=admin,
            entry=None,
            data=entry_data(audience="foreigner", kind="duty", order=2, title_en="B"),
            publish=True,
        )
        save(
            actor=admin,
            entry=None,
            data=entry_data(audience="foreigner", kind="duty", order=1, title_en="A"),
            publish=True,
        )
        save(actor=admin, entry=None, data=entry_data(title_en="Right"), publish=True)
        save(actor=admin, entry=None, data=entry_data(title_en="Draft"), publish=False)
        with translation.override("en"):
            sections = selectors.rights_by_audience()
            assert [s.audience for s in sections] == ["applicant", "foreigner"]
            assert [str(e.title) for e in sections[0].rights] == ["Right"]
            assert sections[0].duties == []
            assert [str(e.title) for e in sections[1].duties] == ["A", "B"]


class TestPublicPage:
    def test_both_languages_with_the_legal_basis(self, client: Client) -> None:
        services.rights_entry_save(
            actor=staff(Role.NATIONAL_ADMIN), entry=None, data=entry_data(), publish=True
        )
        page = client.get("/rights/").content.decode()
        assert "To complain and get an answer" in page and "Law No. 25/2009, Article 40" in page
        assert "Legal basis:" in page and 'href="/lapor/"' in page
        indonesian = Client().get("/rights/").content.decode()
        assert "Mengadu dan mendapat tanggapan" in indonesian and "UU No. 25/2009, Pasal 40" in indonesian

    def test_the_other_language_is_marked_when_missing(self, client: Client) -> None:
        services.rights_entry_save(
            actor=staff(Role.NATIONAL_ADMIN),
            entry=None,
            data=entry_data(title_en="", body_en=""),
            publish=True,
        )
        page = client.get("/rights/").content.decode()
        assert '<strong lang="id">Mengadu dan mendapat tanggapan</strong>' in page
        assert "(in Indonesian)" in page

    def test_drafts_are_not_shown_and_an_empty_page_says_so(self, client: Client) -> None:
        services.rights_entry_save(
            actor=staff(Role.NATIONAL_ADMIN), entry=None, data=entry_data(), publish=False
        )
        page = client.get("/rights/").content.decode()
        assert "To complain" not in page and "This page is being prepared." in page

    def test_linked_from_the_footer_the_sitemap_privacy_and_complaints(self, client: Client) -> None:
        assert 'href="/rights/"' in client.get("/").content.decode()
        assert "/rights/" in client.get("/sitemap.xml").content.decode()
        assert 'href="/rights/#applicant"' in client.get("/privasi/").content.decode()
        assert 'href="/rights/"' in client.get("/lapor/").content.decode()


class TestBackOffice:
    def test_national_admin_writes_both_languages_side_by_side_and_publishes(
        self, staff_client: Any, client: Client
    ) -> None:
        admin = staff_client(staff(Role.NATIONAL_ADMIN))
        admin.cookies["django_language"] = "en"
        form = admin.get("/backoffice/rights/new/").content.decode()
        assert 'name="title_id"' in form and 'name="title_en"' in form and 'name="basis_en"' in form
        assert '<div lang="id">' in form and '<div lang="en">' in form
        preview = admin.post("/backoffice/rights/new/", {**entry_data(), "action": "preview"})
        assert "Preview (not saved)" in preview.content.decode() and not RightsEntry.objects.exists()
        response = admin.post("/backoffice/rights/new/", {**entry_data(), "action": "publish"})
        entry = RightsEntry.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/backoffice/rights/{entry.pk}/"
        assert "To complain and get an answer" in client.get("/rights/").content.decode()
        listing = admin.get("/backoffice/rights/").content.decode()
        assert "To complain and get an answer" in listing

    def test_bad_input_keeps_what_was_typed(self, staff_client: Any) -> None:
        admin = staff_client(staff(Role.NATIONAL_ADMIN))
        admin.cookies["django_language"] = "en"
        data = {**entry_data(title_id="", title_en="", body_en="Kept text"), "action": "publish"}
        response = admin.post("/backoffice/rights/new/", data)
        page = response.content.decode()
        assert response.status_code == 400
        assert "Write the title in at least one language." in page and "Kept text" in page
        assert not RightsEntry.objects.exists()

    def test_office_admin_is_refused(self, staff_client: Any, office_a: Any) -> None:
        office_admin = staff_client(staff(Role.OFFICE_ADMIN, [office_a]))
        assert office_admin.get("/backoffice/rights/").status_code == 403
        assert (
            office_admin.post("/backoffice/rights/new/", {**entry_data(), "action": "publish"}).status_code
            == 403
        )


def test_demo_rights_load_in_both_languages(client: Client) -> None:
    demo_snapshot.load_demo()
    applicants = RightsEntry.objects.published().filter(audience=Audience.APPLICANT)
    foreigners = RightsEntry.objects.published().filter(audience=Audience.FOREIGNER)
    assert (
        applicants.filter(kind=RightKind.RIGHT).exists() and applicants.filter(kind=RightKind.DUTY).exists()
    )
    assert foreigners.filter(kind=RightKind.DUTY).exists()
    assert all(
        e.title_id and e.title_en and e.body_id and e.body_en and e.basis_id and e.basis_en
        for e in RightsEntry.objects.all()
    )
    page = client.get("/rights/").content.decode()
    assert "Foreigners in Indonesia" in page and "Article 71" in page
