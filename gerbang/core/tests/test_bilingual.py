"""BilingualText: a text that knows its language and whether it fell back to the other."""

from __future__ import annotations


def test_a_bilingual_text_survives_the_cache_whole() -> None:
    import pickle

    from gerbang.core.bilingual import BilingualText

    text = BilingualText("Kantor Imigrasi Mesuji", "id", True)
    back = pickle.loads(pickle.dumps(text))  # noqa: S301 (our own bytes)
    assert (str(back), back.language, back.is_fallback) == ("Kantor Imigrasi Mesuji", "id", True)
