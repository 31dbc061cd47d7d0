"""The assistant's writes: a question asked (answered by the engine, kept masked), and what
content staff do with the questions it could not answer (a FAQ entry, a synonym, handled).

The page, the chat box and the API all ask through ``question_ask``, so they cannot disagree.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.assistant import engine, selectors
from gerbang.assistant.masking import mask
from gerbang.assistant.models import Channel, Conversation, Synonym, Turn
from gerbang.assistant.personal import PersonalAnswer, personal_answer
from gerbang.content import services as content_services
from gerbang.content.models import Faq
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import PermissionDenied, ValidationError
from gerbang.core.permissions import Perm, require_permission
from gerbang.core.ratelimit import Limit, enforce

QUESTION_MAX = 500
QUESTION_MIN = 2
# A person asks a few questions a minute at most; an address may hold many people (an office's
# wifi, a mobile carrier's gateway).
PER_SESSION = Limit("assistant-session", 30, 10 * 60)
PER_ADDRESS = Limit("assistant-address", 300, 10 * 60)

QUESTION_MISSING = _("Write your question.")
TOO_MANY = _("You have asked many questions in a short time. Please wait a few minutes and ask again.")
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Asked:
    """A question answered: what the page, the chat box and the API show."""

    # As typed: shown back to the asker, never stored.
    question: str
    reply: engine.Reply
    # For a personal question: the answer from the asker's own data (or how to get it).
    personal: PersonalAnswer | None
    turn: Turn


def clean_question(text: str | None) -> str:
    question = " ".join((text or "").split())
    if len(question) < QUESTION_MIN:
        raise ValidationError(QUESTION_MISSING, field="question")
    if len(question) > QUESTION_MAX:
        raise ValidationError(
            _("The question is too long: at most %(max)d characters (it has %(count)d). Ask it shorter.")
            % {"max": QUESTION_MAX, "count": len(question)},
            field="question",
        )
    return question


def question_ask(
    *,
    text: str | None,
    conversation_key: str,
    address: str,
    asker: Any,
    language: str | None = None,
    channel: str = Channel.WEB,
) -> Asked:
    """Answer a question: checked, within the session's and the address's limits, answered by
    the engine (a personal question from the asker's own data only), and kept masked."""
    question = clean_question(text)
    if language is not None and language not in LANGUAGES:
        raise ValidationError(_("The language must be id or en."), field="language")
    enforce((PER_SESSION, conversation_key), (PER_ADDRESS, address), message=TOO_MANY)
    started = time.perf_counter()
    reply = engine.reply_to(question, language_hint=language)
    answer_ms = round((time.perf_counter() - started) * 1000)
    personal = None
    if reply.kind == engine.ReplyKind.PERSONAL:
        # Only the signed-in person is a key: nothing in ``question`` is read here.
        with translation.override(reply.language):
            personal = personal_answer(asker, reply.personal_topic)
    turn = turn_record(
        conversation_key=conversation_key,
        channel=channel,
        question=question,
        reply=reply,
        answer_ms=answer_ms,
    )
    return Asked(question, reply, personal, turn)


@transaction.atomic
def turn_record(
    *,
    conversation_key: str,
    channel: str,
    question: str,
    reply: engine.Reply,
    answer_ms: int,
    asked_at: datetime | None = None,
) -> Turn:
    """Keep a question (masked here, whoever calls) and what the assistant made of it."""
    at = asked_at or timezone.now()
    conversation, _created = Conversation.objects.get_or_create(
        key=conversation_key, defaults={"channel": channel, "started_at": at}
    )
    top = reply.answer or (reply.suggestions[0] if reply.suggestions else None)
    return Turn.objects.create(
        conversation=conversation,
        question=mask(question)[: Turn._meta.get_field("question").max_length],
        kind=str(reply.kind),
        language=reply.language,
        entry_key=top.key if top is not None else "",
        personal_topic=str(reply.personal_topic or ""),
        score=float(reply.score),
        retriever=reply.retriever,
        answer_ms=answer_ms,
        asked_at=at,
    )


def _refresh_on_commit() -> None:
    transaction.on_commit(engine.refresh)


@transaction.atomic
def turns_handle(*, turns: Iterable[Turn], actor: User, outcome: str = "handled") -> int:
    """Content staff dealt with these questions: they leave the list of unanswered ones."""
    require_permission(actor, Perm.CONTENT_NATIONAL)
    ids = [turn.pk for turn in turns]
    count = Turn.objects.filter(pk__in=ids, handled_at=None).update(
        handled_at=timezone.now(), handled_by=actor
    )
    if ids:
        first = Turn.objects.get(pk=ids[0])
        events.record(
            "assistant.questions_handled",
            actor=actor,
            subject=first,
            details={"turns": ids, "outcome": outcome},
        )
    return count


@transaction.atomic
def synonym_add(*, variant: str, meaning: str, actor: User, turns: Iterable[Turn] = ()) -> Synonym:
    """A word as people write it and what it means in the knowledge base's words; the engine
    folds it from the next question on. ``turns``: the questions it answers, now handled."""
    require_permission(actor, Perm.CONTENT_NATIONAL)
    folded_variant = " ".join(variant.lower().split())
    folded_meaning = " ".join(meaning.lower().split())
    if not folded_variant:
        raise ValidationError(_("Write the word or phrase as people write it."), field="variant")
    if not folded_meaning:
        raise ValidationError(_("Write what it means."), field="meaning")
    if folded_variant == folded_meaning:
        raise ValidationError(_("The word and its meaning are the same."), field="meaning")
    limit = Synonym._meta.get_field("variant").max_length or 80
    if len(folded_variant) > limit or len(folded_meaning) > limit:
        raise ValidationError(_("At most %(max)d characters each.") % {"max": limit}, field="variant")
    if Synonym.objects.filter(variant=folded_variant).exists():
        raise ValidationError(_("This word already has a meaning."), field="variant")
    synonym = Synonym.objects.create(variant=folded_variant, meaning=folded_meaning, created_by=actor)
    events.record(
        "assistant.synonym_added",
        actor=actor,
        subject=synonym,
        details={"variant": folded_variant, "meaning": folded_meaning},
    )
    turns_handle(turns=turns, actor=actor, outcome="synonym")
    _refresh_on_commit()
    return synonym


@transaction.atomic
def faq_from_questions(
    *, data: Mapping[str, Any], publish: bool, actor: User, turns: Iterable[Turn] = ()
) -> Faq:
    """A FAQ entry written for questions the assistant could not answer (through the content
    app's own service); the questions are then handled, and the engine knows the entry at once."""
    faq = content_services.faq_save(actor=actor, entry=None, data=data, publish=publish)
    turns_handle(turns=turns, actor=actor, outcome="faq")
    _refresh_on_commit()
    return faq


# --- Erasure at the person's request (UU PDP Pasal 43) ---------------------------------------------


@transaction.atomic
def person_conversations_erase(*, person: Any, actor: Any) -> int:
    """Remove the questions asked in ``person``'s signed-in sessions (masked as they are, a mask
    may miss something the person typed about themselves); returns how many. Questions of
    sessions that ended are nobody's any more and stay."""
    if not isinstance(actor, SystemActor) and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied()
    conversations = list(selectors.conversations_of(person))
    count = Turn.objects.filter(conversation__in=conversations).count()
    Conversation.objects.filter(pk__in=[c.pk for c in conversations]).delete()
    events.record("assistant.conversations_erased", actor=actor, subject=person, details={"questions": count})
    return count
