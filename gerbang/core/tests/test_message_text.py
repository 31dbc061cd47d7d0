"""Plain-text messages on pages: escaped, the site's own addresses made links, nothing else."""

from __future__ import annotations

import pytest

from gerbang.core.templatetags.gerbang import message_text


@pytest.fixture(autouse=True)
def _site(settings: object) -> None:
    settings.SITE_URL = "https://gerbang.example"  # type: ignore[attr-defined]


def test_the_sites_addresses_become_links_and_sentences_keep_their_full_stop() -> None:
    html = message_text("Open your application: https://gerbang.example/applications/7/?a=1&b=2.\nThanks")
    assert (
        '<a href="https://gerbang.example/applications/7/?a=1&amp;b=2">'
        "https://gerbang.example/applications/7/?a=1&amp;b=2</a>." in html
    )
    assert html.endswith("<br>Thanks</p>")


def test_blank_lines_part_paragraphs() -> None:
    assert message_text("Hello,\n\n\nLine one\nline two\n\n") == "<p>Hello,</p><p>Line one<br>line two</p>"


@pytest.mark.parametrize(
    "text",
    [
        "Pay here: https://gerbang.example.evil.test/pay",
        "Pay here: http://gerbang.example/pay",  # not the site's scheme
        "Pay here: https://evil.test/?next=https://gerbang.example/",
        "Write to gerbang.example/pay or bad@evil.test",
    ],
)
def test_other_addresses_stay_text(text: str) -> None:
    assert "<a " not in message_text(text)


def test_markup_is_escaped_before_anything_is_linked() -> None:
    html = message_text('<script>x</script> https://gerbang.example/"onmouseover="alert(1) <b>')
    assert "<script>" not in html and "<b>" not in html
    assert '<a href="https://gerbang.example/">https://gerbang.example/</a>&quot;onmouseover=' in html
