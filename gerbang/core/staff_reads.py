"""Which events are staff reads of a person's data: an officer opened a case, a document, a
report, a question, a review or a survey's written answers. Every such read is recorded as an
event (``core.events.record``) whose code says so; the public log takes them all
(``ledger.registry``) and a breach is traced through them to the people affected
(``privacy``, Pasal 46 UU PDP). One definition, so the two can never disagree."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

STAFF_READ_SUFFIXES: tuple[str, ...] = (
    "_viewed",  # application.case_viewed, application.document_viewed
    ".viewed",  # consultation.viewed, report.viewed, rating.viewed, suggestion.viewed
    ".staff_read",
    ".texts_read",  # participation.texts_read: written survey answers read by staff
)
STAFF_READ_CODES: frozenset[str] = frozenset(
    {
        "participation.results_exported",  # a staff download of a survey's answers
    }
)


def is_staff_read(code: str) -> bool:
    return code in STAFF_READ_CODES or code.endswith(STAFF_READ_SUFFIXES)


def staff_reads_q() -> Q:
    """``is_staff_read`` as a filter on ``core.Event``."""
    return reduce(
        or_, [Q(code__endswith=s) for s in STAFF_READ_SUFFIXES] + [Q(code__in=sorted(STAFF_READ_CODES))]
    )
