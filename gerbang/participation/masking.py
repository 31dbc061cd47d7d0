"""No personal data in public posts: email addresses, NIKs and phone numbers are masked before
a post or a proposal is stored (the writer is told), and authors are shown by a display name."""

from __future__ import annotations

from gerbang.core.actors import SystemActor
from gerbang.core.personal_data import LABELS, MASK, kinds_in, masked

# The marker reviews use too, so removed data looks the same everywhere.
HIDDEN = MASK


def mask(text: str) -> tuple[str, bool]:
    """``text`` with personal data replaced by ``HIDDEN`` (``core.personal_data``), and whether
    anything was."""
    result = masked(text)
    return result, result != text


def flag_labels(text: str) -> list[str]:
    """What in ``text`` looks like personal data (``core.personal_data.kinds_in``), in words."""
    return [str(LABELS[kind]) for kind in kinds_in(text)]


def display_name(user: object) -> str:
    """What readers see of an author: the first name and the initial of the last ("Budi S."),
    never the email; without a name, a number."""
    if isinstance(user, SystemActor):
        return "Gerbang"
    words = str(getattr(user, "full_name", "") or "").split()
    if not words:
        return f"Warga {getattr(user, 'pk', '')}".strip()
    if len(words) == 1:
        return words[0][:40]
    return f"{words[0][:40]} {words[-1][0]}."
