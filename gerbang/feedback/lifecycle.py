"""The life cycle of a report (SP4N-LAPOR!), as a table (DESIGN convention 5): in each status,
the actions allowed, who may take them and the status they lead to.

    submitted ─verify→ routed ─answer→ answered ─confirm / auto_close / close→ closed
        │   └postpone→ needs_info ─provide_info→ submitted      └not_resolved→ followed_up ─answer→ answered
        ├refer→ referred (not our authority)
        └archive→ archived

The services ask ``step`` and nothing else; a test walks every status, action and actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied
from gerbang.feedback.models import ReportStatus as S


class Action(StrEnum):
    # The handling unit (the office's staff, or the national unit).
    VERIFY = "verify"
    POSTPONE = "postpone"
    REFER = "refer"
    ARCHIVE = "archive"
    ROUTE = "route"
    ANSWER = "answer"
    CLOSE = "close"
    # The reporter.
    REPLY = "reply"
    PROVIDE_INFO = "provide_info"
    NOT_RESOLVED = "not_resolved"
    CONFIRM = "confirm"
    # The clock.
    ESCALATE = "escalate"
    AUTO_CLOSE = "auto_close"


class Who(StrEnum):
    REPORTER = "reporter"
    HANDLER = "handler"
    SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    who: Who
    # None: the status stays.
    to: S | None = None


# Where the next step is owed by the handling unit (its timer runs; escalation watches it).
OWED_BY_OFFICE = frozenset({S.SUBMITTED, S.ROUTED, S.FOLLOWED_UP})
FINAL = frozenset({S.REFERRED, S.ARCHIVED, S.CLOSED})

TABLE: dict[S, dict[Action, Step]] = {
    S.SUBMITTED: {
        Action.VERIFY: Step(Who.HANDLER, S.ROUTED),
        Action.POSTPONE: Step(Who.HANDLER, S.NEEDS_INFO),
        Action.REFER: Step(Who.HANDLER, S.REFERRED),
        Action.ARCHIVE: Step(Who.HANDLER, S.ARCHIVED),
        Action.REPLY: Step(Who.REPORTER),
        Action.ESCALATE: Step(Who.SYSTEM),
    },
    S.NEEDS_INFO: {
        Action.PROVIDE_INFO: Step(Who.REPORTER, S.SUBMITTED),
        Action.ARCHIVE: Step(Who.HANDLER, S.ARCHIVED),
    },
    S.ROUTED: {
        Action.ROUTE: Step(Who.HANDLER),
        Action.ANSWER: Step(Who.HANDLER, S.ANSWERED),
        Action.REPLY: Step(Who.REPORTER),
        Action.ESCALATE: Step(Who.SYSTEM),
    },
    S.ANSWERED: {
        Action.ANSWER: Step(Who.HANDLER),
        Action.CLOSE: Step(Who.HANDLER, S.CLOSED),
        Action.NOT_RESOLVED: Step(Who.REPORTER, S.FOLLOWED_UP),
        Action.CONFIRM: Step(Who.REPORTER, S.CLOSED),
        Action.AUTO_CLOSE: Step(Who.SYSTEM, S.CLOSED),
    },
    S.FOLLOWED_UP: {
        Action.ROUTE: Step(Who.HANDLER),
        Action.ANSWER: Step(Who.HANDLER, S.ANSWERED),
        Action.REPLY: Step(Who.REPORTER),
        Action.ESCALATE: Step(Who.SYSTEM),
    },
    S.REFERRED: {},
    S.ARCHIVED: {},
    S.CLOSED: {},
}


def allowed(status: str, who: Who) -> list[Action]:
    """The actions ``who`` may take on a report in ``status`` (for pages: which buttons)."""
    return [action for action, step in TABLE[S(status)].items() if step.who == who]


def step(status: str, action: Action, who: Who) -> S:
    """The status ``action`` by ``who`` leads to, or a refusal saying why."""
    found = TABLE[S(status)].get(action)
    if found is None:
        raise Conflict(
            _("This cannot be done now: the report is “%(status)s”.") % {"status": S(status).label},
            code=ErrorCode.WRONG_STATE,
        )
    if found.who != who:
        raise PermissionDenied()
    return found.to or S(status)
