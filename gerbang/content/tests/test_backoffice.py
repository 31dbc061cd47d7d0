"""Editing content and offices in the back office: who may, draft and publish, preview, records."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Office, OfficeClosure, OfficeService
from gerbang.content.models import Announcement, Faq, Status
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def notice_data(office: Office | None = None, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "level": "warning",
        "title_id": "Antrean panjang",
        "title_en": "Long queues",
        "body_id": "Datang lebih awal.",
        "body_en": "Come early.",
        "starts_at": "2026-11-01T08:00",
        "ends_at": "",
        "office": office.pk if office else "",
    }
    data.update(extra)
    return data


class TestNotices:
    def test_office_admin_edits_only_their_office(self, staff_client) -> None:
        mesuji, makassar = Office.objects.get(code="mesuji"), Office.objects.get(code="makassar")
        client = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        form = client.get("/backoffice/notices/new/").content.decode()
        assert "All offices (national notice)" not in form
        assert str(makassar.name) not in form
        refused = client.post("/backoffice/notices/new/", {**notice_data(makassar), "action": "publish"})
        assert refused.status_code == 400  # not a choice this administrator has
        national = client.post("/backoffice/notices/new/", {**notice_data(None), "action": "publish"})
        assert national.status_code == 400
        ok = client.post("/backoffice/notices/new/", {**notice_data(mesuji), "action": "publish"})
        assert ok.status_code == 302
        assert Announcement.objects.filter(
            title_en="Long queues", office=mesuji, status=Status.PUBLISHED
        ).exists()

    def test_officer_cannot_edit_notices(self, staff_client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        client = staff_client(staff(Role.OFFICER, [mesuji]))
        assert client.get("/backoffice/notices/").status_code == 403
        assert (
            client.post("/backoffice/notices/new/", {**notice_data(mesuji), "action": "publish"}).status_code
            == 403
        )

    def test_draft_then_preview_then_publish_with_recorded_changes(
        self, staff_client, client: Client
    ) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        editor = staff_client(admin)
        draft = editor.post("/backoffice/notices/new/", {**notice_data(None), "action": "draft"})
        assert draft.status_code == 302
        notice = Announcement.objects.get(title_en="Long queues")
        assert notice.status == Status.DRAFT
        assert "Long queues" not in client.get("/notices/").content.decode()  # drafts stay private

        url = f"/backoffice/notices/{notice.pk}/"
        preview = editor.post(url, {**notice_data(None, title_en="Very long queues"), "action": "preview"})
        assert "Preview (not saved)" in preview.content.decode()
        assert "Very long queues" in preview.content.decode()
        notice.refresh_from_db()
        assert notice.title_en == "Long queues"

        editor.post(url, {**notice_data(None, title_en="Very long queues"), "action": "publish"})
        notice.refresh_from_db()
        assert notice.status == Status.PUBLISHED
        assert "Very long queues" in client.get("/notices/").content.decode()
        published = Event.objects.filter(
            code="content.announcement_published", subject_id=str(notice.pk)
        ).get()
        assert published.actor == admin
        assert published.details["changed"] == {"title_en": ["Long queues", "Very long queues"]}

    def test_one_language_is_enough_and_none_is_refused(self, staff_client) -> None:
        editor = staff_client(staff(Role.NATIONAL_ADMIN))
        neither = editor.post(
            "/backoffice/notices/new/", {**notice_data(None, title_id="", title_en=""), "action": "publish"}
        )
        assert neither.status_code == 400
        assert "Write the title in at least one language." in neither.content.decode()
        assert "Come early." in neither.content.decode()  # nothing typed is lost
        only_indonesian = editor.post(
            "/backoffice/notices/new/", {**notice_data(None, title_en="", body_en=""), "action": "publish"}
        )
        assert only_indonesian.status_code == 302

    def test_end_before_start_is_refused(self, staff_client) -> None:
        editor = staff_client(staff(Role.NATIONAL_ADMIN))
        response = editor.post(
            "/backoffice/notices/new/", {**notice_data(None, ends_at="2026-10-01T08:00"), "action": "publish"}
        )
        assert response.status_code == 400
        assert "must end after it starts" in response.content.decode()


class TestFaq:
    def test_only_national_admins_edit_the_faq(self, staff_client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        assert staff_client(staff(Role.OFFICE_ADMIN, [mesuji])).get("/backoffice/faq/").status_code == 403
        assert staff_client(staff(Role.NATIONAL_ADMIN)).get("/backoffice/faq/").status_code == 200

    def test_edit_and_publish_is_searchable_and_recorded(self, staff_client, client: Client) -> None:
        entry = Faq.objects.get(slug="biaya-e-paspor")
        editor = staff_client(staff(Role.NATIONAL_ADMIN))
        data = {
            "category": entry.category_id,
            "question_id": entry.question_id,
            "question_en": "What does an e-passport cost, zanzibar?",
            "answer_id": entry.answer_id,
            "answer_en": entry.answer_en,
            "services": [s.pk for s in entry.services.all()],
            "action": "publish",
        }
        assert editor.post(f"/backoffice/faq/{entry.pk}/", data).status_code == 302
        assert "zanzibar" in client.get("/faq/").content.decode()
        assert client.get("/search/", {"q": "zanzibar"}).content.decode().count("zanzibar") >= 1
        event = Event.objects.get(code="content.faq_published", subject_id=str(entry.pk))
        assert "question_en" in event.details["changed"]

    def test_the_editor_shows_both_languages_side_by_side(self, staff_client) -> None:
        entry = Faq.objects.get(slug="biaya-e-paspor")
        body = staff_client(staff(Role.NATIONAL_ADMIN)).get(f"/backoffice/faq/{entry.pk}/").content.decode()
        assert body.count('class="bilingual"') == 2
        assert '<div lang="id">' in body and '<div lang="en">' in body


class TestOfficeManagement:
    def test_office_admin_marks_a_service_unavailable_with_a_reason(
        self, staff_client, client: Client
    ) -> None:
        mesuji = Office.objects.get(code="mesuji")
        admin_client = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        url = "/backoffice/offices/mesuji/manage/"
        missing_reason = admin_client.post(
            url, {"action": "availability", "service": "e-paspor", "is_available": "0"}
        )
        assert missing_reason.status_code == 400
        assert "Say why the service is unavailable" in missing_reason.content.decode()
        admin_client.post(
            url,
            {
                "action": "availability",
                "service": "e-paspor",
                "is_available": "0",
                "unavailable_reason_id": "Mesin cetak rusak",
                "unavailable_reason_en": "The printer is broken",
            },
        )
        assert not OfficeService.objects.get(office=mesuji, service__code="e-paspor").is_available
        assert "The printer is broken" in client.get("/offices/mesuji/").content.decode()
        assert "The printer is broken" in client.get("/services/e-paspor/").content.decode()

    def test_closures_are_added_removed_and_counted(self, staff_client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        admin_client = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        url = "/backoffice/offices/mesuji/manage/"
        bad = admin_client.post(
            url, {"action": "closure", "start_date": "2099-03-03", "end_date": "2099-03-02", "reason_id": "x"}
        )
        assert bad.status_code == 400
        admin_client.post(
            url,
            {
                "action": "closure",
                "start_date": "2099-03-02",
                "end_date": "2099-03-02",
                "reason_id": "Pindah gedung",
                "bookings": "move",
            },
        )
        closure = OfficeClosure.objects.get(office=mesuji)
        from gerbang.catalog.selectors import working_calendar

        assert not working_calendar(mesuji, date(2099, 3, 1)).is_working_day(date(2099, 3, 2))
        admin_client.post(f"/backoffice/offices/mesuji/closures/{closure.pk}/remove/")
        assert not OfficeClosure.objects.filter(office=mesuji).exists()
        assert Event.objects.filter(code__in=["office.closure_added", "office.closure_removed"]).count() == 2

    def test_another_offices_admin_is_refused(self, staff_client) -> None:
        makassar = Office.objects.get(code="makassar")
        other = staff_client(staff(Role.OFFICE_ADMIN, [makassar]))
        assert other.get("/backoffice/offices/mesuji/manage/").status_code == 403
        mesuji_closure = OfficeClosure.objects.create(
            office=Office.objects.get(code="mesuji"),
            start_date=date(2099, 1, 5),
            end_date=date(2099, 1, 5),
            reason_id="x",
        )
        assert (
            other.post(f"/backoffice/offices/mesuji/closures/{mesuji_closure.pk}/remove/").status_code == 403
        )
        assert OfficeClosure.objects.filter(pk=mesuji_closure.pk).exists()


class TestChannels:
    def test_national_admin_adds_and_removes_channels(self, staff_client) -> None:
        from gerbang.content.models import OfficialChannel
        from gerbang.content.selectors import channel_check

        editor = staff_client(staff(Role.NATIONAL_ADMIN))
        bad = editor.post(
            "/backoffice/channels/", {"kind": "website", "value": "just words here", "label_id": "x"}
        )
        assert bad.status_code == 400
        assert "write it the way people see it" in bad.content.decode()
        ok = editor.post(
            "/backoffice/channels/",
            {
                "kind": "social",
                "value": "https://www.tiktok.com/@imigrasi_ri",
                "label_id": "TikTok resmi",
                "label_en": "Official TikTok",
            },
        )
        assert ok.status_code == 302
        assert channel_check("@imigrasi_ri").official
        channel = OfficialChannel.objects.get(normalized="handle:imigrasi_ri")
        editor.post(f"/backoffice/channels/{channel.pk}/remove/")
        assert not channel_check("@imigrasi_ri").official
        assert (
            Event.objects.filter(code__in=["content.channel_saved", "content.channel_removed"]).count() == 2
        )

    def test_others_cannot_change_the_list(self, staff_client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        other = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        assert other.get("/backoffice/channels/").status_code == 403
        assert (
            other.post(
                "/backoffice/channels/", {"kind": "website", "value": "evil.example", "label_id": "x"}
            ).status_code
            == 403
        )


class TestOpeningHours:
    URL = "/backoffice/offices/mesuji/manage/"

    def week(self, **changes: str) -> dict[str, str]:
        data = {"action": "hours"}
        for day in range(7):
            for part in (1, 2):
                data[f"d{day}_opens{part}"] = ""
                data[f"d{day}_closes{part}"] = ""
        for day in range(5):
            data[f"d{day}_opens1"], data[f"d{day}_closes1"] = "08:00", "15:00"
        data.update(changes)
        return data

    def test_office_admin_sets_hours_shown_on_the_public_page(self, staff_client, client: Client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        admin = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        response = admin.post(self.URL, self.week(d5_opens1="09:00", d5_closes1="12:00"))
        assert response.status_code == 302
        page = client.get("/offices/mesuji/").content.decode()
        assert "08:00–15:00" in page and "09:00–12:00" in page  # noqa: RUF001 - en dash as shown

    def test_shorter_hours_cut_the_visiting_hours_and_say_so(self, staff_client) -> None:
        from gerbang.appointments.models import ScheduleTemplate

        mesuji = Office.objects.get(code="mesuji")
        admin = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        admin.cookies["django_language"] = "en"
        response = admin.post(self.URL, self.week(d4_closes1="11:00"), follow=True)
        assert "Visiting hours now lie within the opening hours" in response.content.decode()
        friday = ScheduleTemplate.objects.filter(office=mesuji, weekday=4)
        assert max(block.ends for block in friday).strftime("%H:%M") <= "11:00"

    def test_half_a_period_and_overlaps_are_refused_and_input_kept(self, staff_client) -> None:
        mesuji = Office.objects.get(code="mesuji")
        admin = staff_client(staff(Role.OFFICE_ADMIN, [mesuji]))
        half = admin.post(self.URL, self.week(d2_opens2="13:00"))
        assert half.status_code == 400
        assert "Give both the opening and the closing time, or neither." in half.content.decode()
        assert 'value="13:00"' in half.content.decode()
        overlap = admin.post(self.URL, self.week(d4_opens2="14:00", d4_closes2="16:00"))
        assert overlap.status_code == 400
        assert "Two opening periods of Friday overlap." in overlap.content.decode()
        backwards = admin.post(self.URL, self.week(d0_opens1="16:00", d0_closes1="08:00"))
        assert backwards.status_code == 400
        assert "On Monday the office must open before it closes." in backwards.content.decode()

    def test_another_offices_admin_cannot_set_hours(self, staff_client) -> None:
        makassar = Office.objects.get(code="makassar")
        other = staff_client(staff(Role.OFFICE_ADMIN, [makassar]))
        assert other.post(self.URL, self.week()).status_code == 403
