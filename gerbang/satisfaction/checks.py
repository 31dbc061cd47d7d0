"""The automatic pre-check of a review before a moderator reads it: what looks like personal
data, so the moderator sees why it was flagged; and the review as published, with those parts
masked. The rules are the project's one set (``core.personal_data``)."""

from __future__ import annotations

from gerbang.core.personal_data import MASK, kinds_in, masked

__all__ = ["MASK", "flags_of", "masked"]


def flags_of(text: str) -> list[str]:
    """What ``text`` seems to hold (``core.personal_data.Kind`` values), in a stable order."""
    return kinds_in(text)
