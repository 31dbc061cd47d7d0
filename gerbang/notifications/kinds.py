"""The channels rules every kind of message follows. The kinds themselves (their group, whether
they matter legally, their templates and the facts they show) are registered by the apps that
send them, in their own ``messages.py`` (``gerbang.core.messages``); this app knows none."""

from __future__ import annotations

from gerbang.core import messages
from gerbang.notifications.models import Channel

# Legal messages always go here, whatever the person chose.
LEGAL_CHANNELS = frozenset({Channel.EMAIL, Channel.INBOX})
CHOOSABLE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH)


def kind_of(code: str) -> messages.Kind:
    """The registered kind; a kind nobody registered is a programming error, refused when the
    message is written (so a test finds it), never delivered as something else."""
    kind = messages.kind_of(code)
    if kind is None:
        raise LookupError(f"no app registered the message kind {code!r} (in its messages.py)")
    return kind


def offered_channels(group: str) -> list[Channel]:
    """The channels a person may choose for ``group``. A group whose every message is legal
    always goes by the legal channels: those are not offered as a choice that could not be kept."""
    always_legal = all(kind.legal for kind in messages.kinds().values() if kind.group == group)
    return [channel for channel in CHOOSABLE_CHANNELS if not (always_legal and channel in LEGAL_CHANNELS)]
