"""BilingualText: a text that knows its language and whether it fell back to the other."""

from __future__ import annotations


def test_a_bilingual_text_survives_the_cache_whole() -> None:
    import pickle

    from gerbang.core.bilingual import BilingualText

    text = BilingualText("Kantor Imigrasi Mesuji", "id", True)
    back = pickle.loads(pickle.dumps(text))  # noqa: S301 (our own bytes)
    assert (str(back), back.language, back.is_fallback) == ("Kantor Imigrasi Mesuji", "id", True)


def test_a_text_in_the_other_language_gets_a_visible_note_and_only_then() -> None:
    from django.template import Context, Template
    from django.utils import translation

    from gerbang.core.bilingual import BilingualText

    template = Template("{% load gerbang %}[{% other_language_note text %}]")
    fallback = BilingualText("Kursi tambahan", "id", True)
    with translation.override("en"):
        assert template.render(Context({"text": fallback})) == (
            '[<span class="other-language muted small">(in Indonesian)</span>]'
        )
        for text in (BilingualText("More chairs", "en", False), "What a citizen wrote", ""):
            assert template.render(Context({"text": text})) == "[]"
        covered = Template("{% load gerbang %}[{% other_language_note text covered=True %}]")
        assert covered.render(Context({"text": fallback})) == "[]"
        english = BilingualText("More chairs", "en", True)
        assert "(in English)" in template.render(Context({"text": english}))
