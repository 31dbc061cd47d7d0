"""Every path through the "what do I need?" guide, and the guide pages."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.catalog import guide
from gerbang.catalog.demo_services import SERVICES

# Every complete set of answers and the service it must lead to. A new question or answer
# makes this table incomplete, and the test below fails until the new paths are added.
EXPECTED = {
    "who=citizen age=adult passport=first kind=ordinary urgent=no": ("paspor-biasa", {"adult"}, ()),
    "who=citizen age=adult passport=first kind=ordinary urgent=yes": (
        "paspor-biasa",
        {"adult"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=adult passport=first kind=electronic urgent=no": ("e-paspor", {"adult"}, ()),
    "who=citizen age=adult passport=first kind=electronic urgent=yes": (
        "e-paspor",
        {"adult"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=adult passport=renew kind=ordinary urgent=no": (
        "paspor-penggantian",
        {"adult", "has_passport"},
        (),
    ),
    "who=citizen age=adult passport=renew kind=ordinary urgent=yes": (
        "paspor-penggantian",
        {"adult", "has_passport"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=adult passport=renew kind=electronic urgent=no": (
        "e-paspor",
        {"adult", "has_passport"},
        (),
    ),
    "who=citizen age=adult passport=renew kind=electronic urgent=yes": (
        "e-paspor",
        {"adult", "has_passport"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=adult passport=lost urgent=no": ("paspor-hilang", {"adult", "lost"}, ()),
    "who=citizen age=adult passport=lost urgent=yes": (
        "paspor-hilang",
        {"adult", "lost"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=adult passport=damaged urgent=no": ("paspor-rusak", {"adult", "damaged"}, ()),
    "who=citizen age=adult passport=damaged urgent=yes": (
        "paspor-rusak",
        {"adult", "damaged"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=first kind=ordinary urgent=no": ("paspor-biasa", {"minor"}, ()),
    "who=citizen age=minor passport=first kind=ordinary urgent=yes": (
        "paspor-biasa",
        {"minor"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=first kind=electronic urgent=no": ("e-paspor", {"minor"}, ()),
    "who=citizen age=minor passport=first kind=electronic urgent=yes": (
        "e-paspor",
        {"minor"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=renew kind=ordinary urgent=no": (
        "paspor-penggantian",
        {"minor", "has_passport"},
        (),
    ),
    "who=citizen age=minor passport=renew kind=ordinary urgent=yes": (
        "paspor-penggantian",
        {"minor", "has_passport"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=renew kind=electronic urgent=no": (
        "e-paspor",
        {"minor", "has_passport"},
        (),
    ),
    "who=citizen age=minor passport=renew kind=electronic urgent=yes": (
        "e-paspor",
        {"minor", "has_passport"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=lost urgent=no": ("paspor-hilang", {"minor", "lost"}, ()),
    "who=citizen age=minor passport=lost urgent=yes": (
        "paspor-hilang",
        {"minor", "lost"},
        ("paspor-percepatan",),
    ),
    "who=citizen age=minor passport=damaged urgent=no": ("paspor-rusak", {"minor", "damaged"}, ()),
    "who=citizen age=minor passport=damaged urgent=yes": (
        "paspor-rusak",
        {"minor", "damaged"},
        ("paspor-percepatan",),
    ),
    "who=foreigner where=outside purpose=visit voa=yes": ("e-voa", set(), ()),
    "who=foreigner where=outside purpose=visit voa=no": ("visa-kunjungan", set(), ()),
    "who=foreigner where=outside purpose=stay": ("itas-baru", set(), ()),
    "who=foreigner where=inside status=voa": ("e-voa-perpanjangan", set(), ()),
    "who=foreigner where=inside status=itas wish=extend": ("itas-perpanjangan", set(), ()),
    "who=foreigner where=inside status=itas wish=permanent": ("alih-status", set(), ()),
    "who=foreigner where=inside status=itas wish=travel": ("izin-masuk-kembali", set(), ()),
    "who=foreigner where=inside status=itap wish=renew": ("itap", set(), ()),
    "who=foreigner where=inside status=itap wish=travel": ("izin-masuk-kembali", set(), ()),
    "who=dual_child": ("affidavit", set(), ()),
}


def key(answers: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in answers.items())


def test_every_path_leads_to_the_expected_service() -> None:
    paths = {key(answers): result for answers, result in guide.all_paths()}
    assert set(paths) == set(EXPECTED)
    for path, result in paths.items():
        service, cases, addons = EXPECTED[path]
        assert (result.service, set(result.cases), result.addons) == (service, cases, addons), path


def test_every_result_is_a_service_of_the_catalogue() -> None:
    codes = {spec["code"] for spec in SERVICES}
    for _answers, result in guide.all_paths():
        assert result.service in codes
        assert set(result.addons) <= codes


def test_every_service_is_reachable_except_add_ons() -> None:
    reached = {result.service for _answers, result in guide.all_paths()}
    assert {spec["code"] for spec in SERVICES} - reached == {"paspor-percepatan"}


def test_clean_keeps_answers_in_order_and_stops_at_a_bad_one() -> None:
    assert guide.clean({"who": "citizen", "age": "adult"}) == ({"who": "citizen", "age": "adult"}, None)
    assert guide.clean({"who": "citizen", "age": "old"}) == ({"who": "citizen"}, "age")
    # An answer to a question not on this path is ignored.
    assert guide.clean({"who": "citizen", "voa": "yes"}) == ({"who": "citizen"}, None)


@pytest.mark.django_db
class TestGuidePages:
    @pytest.fixture(autouse=True)
    def _catalogue(self, demo_data: None, db: None) -> None:
        """The demo, loaded once for this module."""

    def test_first_question(self, client: Client) -> None:
        body = client.get("/guide/").content.decode()
        assert "Who is the application for?" in body
        assert 'type="radio"' in body

    def test_bad_answer_is_asked_again_with_a_message(self, client: Client) -> None:
        response = client.get("/guide/", {"who": "citizen", "age": "old"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Choose one of the answers below." in body
        assert "How old is the applicant?" in body
        assert 'name="who" value="citizen"' in body  # the earlier answer is kept

    def test_lost_passport_result_has_checklist_fee_and_offices(self, client: Client) -> None:
        response = client.get(
            "/guide/", {"who": "citizen", "age": "adult", "passport": "lost", "urgent": "yes"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Replacement of a lost passport" in body
        assert "Loss report letter from the police" in body
        assert "The child&#x27;s birth certificate" not in body  # adult path
        assert "Rp 1,350,000" in body
        assert "Same-day passport service" in body
        assert "Kantor Imigrasi Kelas I TPI Makassar" in body or "Makassar Class I" in body

    def test_child_result_lists_the_parents_documents(self, client: Client) -> None:
        body = client.get(
            "/guide/",
            {"who": "citizen", "age": "minor", "passport": "first", "kind": "ordinary", "urgent": "no"},
        ).content.decode()
        assert "Both parents&#x27; KTP-el" in body
        assert "Electronic identity card (KTP-el)" not in body

    def test_change_links_go_back_to_that_question(self, client: Client) -> None:
        body = client.get("/guide/", {"who": "foreigner", "where": "inside"}).content.decode()
        assert 'href="?who=foreigner"' in body  # change the "where" answer
        assert 'href="?"' in body  # change the first answer


@pytest.mark.django_db
class TestChecklistPdf:
    @pytest.fixture(autouse=True)
    def _catalogue(self, demo_data: None, db: None) -> None:
        """The demo, loaded once for this module."""

    def test_finished_guide_gives_a_pdf(self, client: Client) -> None:
        answers = {"who": "citizen", "age": "adult", "passport": "lost", "urgent": "no"}
        page = client.get("/guide/", answers).content.decode()
        assert "/guide/checklist.pdf?who=citizen&amp;age=adult&amp;passport=lost&amp;urgent=no" in page
        response = client.get("/guide/checklist.pdf", answers)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="checklist-paspor-hilang.pdf"' in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF-")
        assert len(response.content) > 5_000

    def test_the_pdf_holds_the_same_checklist_as_the_page(self) -> None:
        from django.template.loader import render_to_string
        from django.test import RequestFactory
        from django.utils import translation

        from gerbang.catalog.views import _guide_state

        request = RequestFactory().get(
            "/guide/checklist.pdf",
            {"who": "citizen", "age": "minor", "passport": "first", "kind": "ordinary", "urgent": "no"},
        )
        with translation.override("en"):
            _step, context = _guide_state(request)
            html = render_to_string("catalog/guide_checklist_pdf.html", context)
        assert "Both parents&#x27; KTP-el" in html
        assert "Rp 350,000" in html

    def test_unfinished_guide_goes_back_to_the_questions(self, client: Client) -> None:
        response = client.get("/guide/checklist.pdf", {"who": "citizen"})
        assert response.status_code == 302
        assert response["Location"] == "/guide/?who=citizen"
