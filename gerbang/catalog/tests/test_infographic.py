"""The service infographics: what a sheet says, how its text wraps, the SVG's layout and the
PDF's one A4 page."""

from __future__ import annotations

import dataclasses
import itertools
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from gerbang.catalog import infographic, services
from gerbang.catalog.models import Service
from gerbang.core.actors import SystemActor

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 12, 7)


def make_service(code: str = "paspor-uji", **fields: object) -> Service:
    service = services.service_upsert(
        code=code,
        fields={
            "category": "passport",
            "audience": "citizen",
            "name_id": "Paspor uji",
            "name_en": "Test passport",
            "summary_id": "Ringkasan",
            "summary_en": "Summary",
            "eligibility_id": "WNI",
            "steps_id": "Isi permohonan\nBayar",
            "steps_en": "  Apply online  \n\n\r\nPay the fee\n   \nCome to the office\n",
            **fields,
        },
        requirements=[
            {"name_id": "KTP-el", "name_en": "Identity card", "applies_to": "adult"},
            {"name_id": "Kartu Keluarga", "name_en": "Family card", "applies_to": "always"},
            {
                "name_id": "Akta kelahiran anak",
                "name_en": "The child's birth certificate",
                "applies_to": "minor",
            },
        ],
    )
    return service


def set_terms(
    service: Service, effective_from: date = date(2020, 1, 1), fee: int = 1_350_000, **more: object
) -> None:
    services.service_terms_set(
        actor=SystemActor("tests"),
        service=service,
        effective_from=effective_from,
        fee=fee,
        standard_working_days=more.pop("days", 4),  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )


def sample_sheet(**changes: object) -> infographic.Sheet:
    """A sheet as a real passport service gives it, without the database."""
    sheet = infographic.Sheet(
        code="paspor-hilang",
        language="en",
        kicker="Gerbang — online immigration services.",
        name="Replacement of a lost passport",
        name_lang="",
        subtitle="How to apply and what it costs",
        audience="For: Indonesian citizens (WNI)",
        summary="A replacement when your passport was lost. An officer examines the loss before a new passport "
        "is issued, and a Rp 1,000,000 surcharge applies on top of the passport fee.",
        summary_lang="",
        facts=(
            infographic.Fact("Fee", "Rp 1,350,000", "fee"),
            infographic.Fact("Service time", "4 working days", "time"),
            infographic.Fact("Pay within", "2 hours after the bill is issued", "payment"),
            infographic.Fact("Office visit", "Needed: interview, photo and fingerprints", "visit"),
        ),
        fee_parts_heading="What the fee is made of",
        fee_parts=(
            infographic.FeePart("Ordinary passport, 48 pages", "Rp 350,000"),
            infographic.FeePart("Surcharge for a lost passport", "Rp 1,000,000"),
        ),
        fee_change="",
        steps_heading="Steps",
        steps=(
            "Report the loss to the police and ask for a loss report letter.",
            "Apply on Gerbang and upload your documents.",
            "Pay the fee with the billing code or QRIS.",
            "Come to the office for the examination of the loss, the interview, photo and fingerprints.",
            "Collect the replacement passport when you are told it is ready.",
        ),
        steps_lang="",
        documents_heading="Documents you need",
        documents=(
            infographic.DocumentGroup(
                "Everyone",
                (
                    "Family card (Kartu Keluarga)",
                    "Birth certificate, school diploma, marriage certificate or baptism certificate (one of "
                    "them) showing name, place and date of birth and the parents' names",
                ),
            ),
            infographic.DocumentGroup("When the passport was lost", ("Loss report letter from the police",)),
        ),
        safety_heading="Pay only the official fee",
        safety=(
            "There are no fees other than those shown here.",
            "Pay only with the billing code or QRIS shown in your application. Officers never ask for payment "
            "into a personal account.",
            "Is it official? Check a link, number or account: gerbang.example/official-channels/",
        ),
        as_of="Information in force on 7 December 2026.",
        latest="The latest version: gerbang.example/services/paspor-hilang/",
        legal_basis="Legal basis of the fee: PP No. 28 Tahun 2019",
        page_url="https://gerbang.example/services/paspor-hilang/",
        qr_title="QR code of this service's page",
    )
    return dataclasses.replace(sheet, **changes)  # type: ignore[arg-type]


def parse(svg: str | bytes) -> ET.Element:
    """The SVG as XML: the test that it is well-formed."""
    return ET.fromstring(svg.encode() if isinstance(svg, str) else svg)  # noqa: S314 - our own output


def svg_of(sheet: infographic.Sheet) -> str:
    return render_to_string(
        "catalog/infographic.svg", {"sheet": sheet, "drawing": infographic.drawing(sheet)}
    )


def pages_of(sheet: infographic.Sheet) -> int:
    from weasyprint import HTML

    html = render_to_string(
        "catalog/infographic_pdf.html", {"sheet": sheet, "scale": infographic.print_scale(sheet)}
    )
    return len(HTML(string=html).render().pages)


@pytest.mark.django_db
class TestSheet:
    def test_the_fee_its_parts_the_standard_and_the_visit_come_from_the_terms_in_force(self) -> None:
        service = make_service()
        set_terms(
            service,
            fee_breakdown=[
                {"label_id": "Paspor biasa", "label_en": "Ordinary passport", "amount": 350_000},
                {"label_id": "Biaya beban", "label_en": "Surcharge", "amount": 1_000_000},
            ],
            legal_basis="PP 28/2019",
        )
        set_terms(service, effective_from=date(2099, 1, 1), fee=2_000_000, days=5)
        with translation.override("en"):
            sheet = infographic.sheet_for("paspor-uji", TODAY)
        assert sheet is not None
        assert {fact.key: fact.value for fact in sheet.facts} == {
            "fee": "Rp 1,350,000",
            "time": "4 working days",
            "payment": "2 hours after the bill is issued",
            "visit": "Needed: interview, photo and fingerprints",
        }
        assert sheet.fee_parts == (
            infographic.FeePart("Ordinary passport", "Rp 350,000"),
            infographic.FeePart("Surcharge", "Rp 1,000,000"),
        )
        assert sheet.fee_change.startswith("From 1 January 2099 the fee will be Rp 2,000,000")
        assert sheet.legal_basis == "Legal basis of the fee: PP 28/2019"
        assert sheet.as_of == "Information in force on 7 December 2026."
        assert sheet.latest.endswith("/services/paspor-uji/")
        assert "://" not in sheet.latest and sheet.page_url.endswith("/services/paspor-uji/")

    def test_in_indonesian(self) -> None:
        set_terms(
            make_service(), fee_breakdown=[{"label_id": "Paspor biasa", "label_en": "", "amount": 1_350_000}]
        )
        with translation.override("id"):
            sheet = infographic.sheet_for("paspor-uji", TODAY)
        assert sheet is not None
        assert sheet.facts[0].value == "Rp 1.350.000"
        assert sheet.facts[1].value == "4 hari kerja"
        assert sheet.fee_parts == (infographic.FeePart("Paspor biasa", "Rp 1.350.000"),)
        assert sheet.steps == ("Isi permohonan", "Bayar")
        assert sheet.subtitle == "Cara mengajukan dan biayanya"

    def test_steps_are_the_lines_of_the_steps_as_the_service_page_splits_them(self) -> None:
        service = make_service()
        with translation.override("en"):
            sheet = infographic.build(service, TODAY)
            assert list(sheet.steps) == service.step_list
        assert sheet.steps == ("Apply online", "Pay the fee", "Come to the office")

    def test_a_text_missing_in_english_comes_in_indonesian_and_says_so(self) -> None:
        service = make_service(name_en="", steps_en="")
        with translation.override("en"):
            sheet = infographic.build(service, TODAY)
        assert (sheet.name, sheet.name_lang) == ("Paspor uji", "id")
        assert (sheet.steps, sheet.steps_lang) == (("Isi permohonan", "Bayar"), "id")
        assert sheet.summary_lang == ""

    def test_documents_for_everyone_come_first_then_each_case(self) -> None:
        with translation.override("en"):
            sheet = infographic.build(make_service(), TODAY)
        assert sheet.documents == (
            infographic.DocumentGroup("Everyone", ("Family card",)),
            infographic.DocumentGroup("Applicants aged 17 or over", ("Identity card",)),
            infographic.DocumentGroup("Children under 17", ("The child's birth certificate",)),
        )

    def test_documents_all_for_everyone_name_no_group(self) -> None:
        service = services.service_upsert(
            code="visa-uji",
            fields={
                "category": "visa",
                "audience": "foreigner",
                "name_id": "Visa",
                "summary_id": "-",
                "eligibility_id": "-",
                "steps_id": "Isi",
                "office_visit_required": False,
                "online_only": True,
            },
            requirements=[{"name_id": "Paspor", "name_en": "Passport"}],
        )
        with translation.override("en"):
            sheet = infographic.build(service, TODAY)
        assert sheet.documents == (infographic.DocumentGroup("", ("Passport",)),)
        assert sheet.facts[3].value == "Not needed: fully online"

    def test_no_terms_yet_and_the_same_day_standard(self) -> None:
        service = make_service()
        with translation.override("en"):
            assert infographic.build(service, TODAY).facts[0].value == "not set"
            set_terms(service, fee=1_000_000, days=0)
            assert infographic.build(Service.objects.get(pk=service.pk), TODAY).facts[1].value == "same day"

    def test_an_inactive_or_unknown_service_has_no_sheet(self) -> None:
        make_service(is_active=False)
        assert infographic.sheet_for("paspor-uji", TODAY) is None
        assert infographic.sheet_for("no-such-service", TODAY) is None

    def test_characters_xml_cannot_hold_are_left_out(self) -> None:
        # (No NUL: PostgreSQL refuses to store one in text at all.)
        service = make_service(name_en="Test\x0b passport\x1f", steps_en="Apply\x1b online\nPay")
        with translation.override("en"):
            sheet = infographic.build(service, TODAY)
        assert sheet.name == "Test passport"
        assert sheet.steps == ("Apply online", "Pay")
        parse(svg_of(sheet))


class TestWrap:
    def test_long_text_is_wrapped_within_the_width_between_words(self) -> None:
        text = "Come on time for the interview, photo and fingerprints; bring the original documents."
        lines = infographic.wrap(text, 18, 300)
        assert len(lines) == 3
        assert " ".join(lines) == text
        assert all(infographic.text_width(line, 18) <= 300 for line in lines)

    def test_a_short_text_stays_on_one_line(self) -> None:
        assert infographic.wrap("Pay the fee.", 18, 300) == ["Pay the fee."]
        assert infographic.wrap("", 18, 300) == []

    def test_an_amount_stays_with_its_currency_and_a_no_break_space_holds(self) -> None:
        lines = infographic.wrap("a surcharge of Rp 1.000.000 applies, see Pasal\xa018", 16, 150)
        assert "Rp 1.000.000" in " ".join(lines)
        assert not any(line.endswith("Rp") for line in lines)
        assert any("Pasal\xa018" in line for line in lines)

    def test_a_word_wider_than_the_line_is_broken(self) -> None:
        address = "gerbang.imigrasi.go.id/services/penggantian-paspor-hilang/infographic.svg"
        lines = infographic.wrap(address, 16, 200)
        assert len(lines) > 1 and "".join(lines) == address
        assert all(infographic.text_width(line, 16) <= 200 for line in lines)

    def test_bold_and_wide_letters_measure_wider(self) -> None:
        assert infographic.text_width("Paspor", 16, bold=True) > infographic.text_width("Paspor", 16)
        assert infographic.text_width("WWW", 16) > infographic.text_width("iii", 16)
        assert infographic.text_width("é", 16) == infographic.text_width("e", 16)


class TestDrawing:
    def test_every_line_of_text_stays_inside_the_picture(self) -> None:
        picture = infographic.drawing(sample_sheet())
        right = infographic.WIDTH - infographic.MARGIN
        for text in picture.texts:
            for line in text.lines:
                width = infographic.text_width(line.text, text.size, bold=text.bold)
                if text.anchor == "start":
                    assert text.x + width <= right + 1, line.text
                elif text.anchor == "end":
                    assert text.x - width >= infographic.MARGIN - 1, line.text
                assert 0 < line.y < picture.height

    def test_the_picture_grows_with_the_steps_and_their_boxes_do_not_overlap(self) -> None:
        sheet = sample_sheet()
        longer = dataclasses.replace(sheet, steps=sheet.steps * 2)
        assert infographic.drawing(longer).height > infographic.drawing(sheet).height
        step_boxes = [
            box
            for box in infographic.drawing(longer).boxes
            if box.stroke == infographic.BRAND and box.stroke_width == 2
        ]
        assert len(step_boxes) == 10
        for above, below in itertools.pairwise(step_boxes):
            assert above.y + above.height < below.y
        assert len(infographic.drawing(longer).shapes) == 9  # an arrow between each two steps

    def test_a_long_step_wraps_into_a_taller_box(self) -> None:
        short = infographic.drawing(sample_sheet(steps=("Pay.",)))
        long = infographic.drawing(sample_sheet(steps=("Pay the fee with the billing code or QRIS " * 4,)))
        box = next(box for box in short.boxes if box.stroke_width == 2 and box.stroke == infographic.BRAND)
        tall = next(box for box in long.boxes if box.stroke_width == 2 and box.stroke == infographic.BRAND)
        assert tall.height > box.height

    def test_the_svg_is_an_accessible_picture_with_real_text(self) -> None:
        root = parse(svg_of(sample_sheet()))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "infographic-title infographic-desc"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert (
            title is not None
            and title.text == "Replacement of a lost passport: How to apply and what it costs"
        )
        assert desc is not None and "1. Report the loss to the police" in (desc.text or "")
        words = " ".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))
        assert "Rp 1,350,000" in words and "Loss report letter from the police" in words
        assert int(root.get("height", "0")) == infographic.drawing(sample_sheet()).height
        assert root.get("viewBox") == f"0 0 800 {root.get('height')}"

    def test_numbers_are_written_plainly_in_indonesian_too(self) -> None:
        with translation.override("id"):
            body = svg_of(sample_sheet(steps=("Langkah",) * 30))
        root = parse(body)
        assert int(root.get("height", "0")) > 1000  # "1.234" would not be a number


class TestPrintedPage:
    def test_a_short_sheet_gets_large_type_a_long_one_smaller(self) -> None:
        short = sample_sheet(steps=("Apply.", "Pay."), documents=(), fee_parts=())
        long = sample_sheet(steps=sample_sheet().steps * 2)
        sizes = [name for name, _size in infographic.PRINT_SCALES]
        assert infographic.print_scale(short) == "large"
        assert sizes.index(infographic.print_scale(long)) > sizes.index(
            infographic.print_scale(sample_sheet())
        )

    @pytest.mark.parametrize("steps", [1, 5, 8])
    def test_the_pdf_is_one_a4_page(self, steps: int) -> None:
        sheet = sample_sheet()
        assert pages_of(dataclasses.replace(sheet, steps=(sheet.steps * 2)[:steps])) == 1

    def test_the_pdf_says_what_the_svg_says(self) -> None:
        sheet = sample_sheet()
        html = render_to_string("catalog/infographic_pdf.html", {"sheet": sheet, "scale": ""})
        for text in (
            sheet.name,
            *sheet.steps,
            sheet.facts[0].value,
            *sheet.safety,
            sheet.as_of,
            sheet.latest,
        ):
            assert text.replace("'", "&#x27;") in html
        assert "Loss report letter from the police" in html
        assert html.count('<li><span class="number">') == len(sheet.steps)
