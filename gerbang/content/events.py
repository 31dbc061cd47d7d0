"""What happens to public content that other apps react to (DESIGN convention 4).

Content publishes these inside the transaction that saves the notice; the apps that care
subscribe in their own ``apps.py`` (appointments stops and resumes an office's services and
tells the people booked there). Content imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gerbang.content.models import Announcement
from gerbang.core.actors import Actor
from gerbang.core.events import DomainEvent


@dataclass
class PeopleTold:
    """How many people with an appointment were told of a notice: the subscribers that run in
    the transaction add to it, and the editor's page says how many."""

    count: int = 0


@dataclass(frozen=True, kw_only=True)
class NoticeEvent(DomainEvent):
    announcement: Announcement
    actor: Actor
    told: PeopleTold = field(default_factory=PeopleTold, compare=False)

    @property
    def source(self) -> str:
        """What an office's services stopped by this notice are recorded as stopped by."""
        return f"announcement:{self.announcement.pk}"


@dataclass(frozen=True, kw_only=True)
class NoticePublished(NoticeEvent):
    """A notice was published, new or changed (it may be shown from a later time). While it is
    shown, its office's services in ``announcement.suspends`` stop; if it lists none (or is
    national), whatever it stopped before comes back."""

    # The editor asked that everyone with a coming appointment at its office be told (an
    # emergency notice of one office, shown now).
    tell_booked: bool = False


@dataclass(frozen=True, kw_only=True)
class NoticeWithdrawn(NoticeEvent):
    """A published notice went back to a draft: it is no longer shown, and whatever it stopped
    comes back at once."""
