"""What participation tells the others: a unit answered in a debate (an official post)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gerbang.core.events import DomainEvent, Message
from gerbang.participation.models import Post


@dataclass(frozen=True, kw_only=True)
class OfficialReplyPosted(DomainEvent):
    """Staff posted ``post`` on behalf of its debate's unit. When it answers a thread, whoever
    started the thread (``starter``, the author of its first post) is told, once per answer;
    nobody is told of a unit's own statement, nor of an answer to a thread a unit started."""

    post: Post
    starter: Post | None

    def messages(self) -> Sequence[Message]:
        starter = self.starter
        if starter is None or starter.official or starter.author_id == self.post.author_id:
            return ()
        if not starter.author.is_active:
            return ()
        return (
            Message(
                recipient=starter.author,
                kind="participation.official_answer",
                dedup_key=f"participation.official_answer:{self.post.pk}",
                context={"post_id": self.post.pk, "thread_id": starter.pk},
            ),
        )
