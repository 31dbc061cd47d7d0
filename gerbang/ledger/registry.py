"""Which events become leaves of the public log.

Every state change leaves a ``core.models.Event`` (``core.events.record``); the log takes those
that concern a person's dealings with the service, and every staff read of personal data. A
code is logged when

1. it is a staff read (``core.staff_reads``: it ends with one of ``STAFF_READ_SUFFIXES``, or is
   in ``STAFF_READ_CODES``), whatever its family; otherwise
2. it is not logged when it is in ``EXCLUDED_CODES`` or starts with one of ``EXCLUDED_PREFIXES``;
   otherwise
3. it is logged when it starts with one of ``LOGGED_PREFIXES``.

A code that none of these name is not logged, and ``tests/test_registry.py`` fails: every code
recorded in the codebase must be decided here, so a new code forces a decision.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from gerbang.core.staff_reads import is_staff_read, staff_reads_q
from gerbang.core.training import training_office_ids

# The families whose every event is logged, but for the exclusions below. The erasure of a
# person's data (UU PDP) is logged with its family: "application.personal_data_erased",
# "application.draft_deleted", "payment.personal_data_erased", "appointment.personal_data_erased",
# "queue.personal_data_erased" (the events hold ids and codes only, so they survive the erasure).
LOGGED_PREFIXES: tuple[str, ...] = (
    # The case: created, answers, documents, every workflow move and decision; for an assisted
    # application also the person's consent recorded by the officer, each step the officer
    # entered on their behalf, each take-over code issued and the person's take-over
    # ("application.assisted_consent_recorded", "application.assisted_step_saved",
    # "application.takeover_code_issued", "application.taken_over").
    "application.",
    "payment.",  # bills, payments, failures, anomalies and their resolution, refunds
    "appointment.",  # bookings: booked, rescheduled, cancelled (by the person or the office), moved
    "queue.",  # on-site tickets: walk-in, check-in, called, recalled, parked, transferred, served
    "report.",  # complaints (SP4N-LAPOR! reports): every step from submission to closing
    "consultation.",  # questions to an office and their answers
    "suggestion.",  # suggestions made and the office's decision on them
    "privacy.",  # data-protection requests (UU PDP), consents given and withdrawn, erasures
    # Risk flags on cases: raised, withdrawn, an officer's decision on one (its reason a note),
    # their details erased. The subject is the flag, never the case, and the details (kind, case
    # id, decision) are hashed: the log proves no decision was rewritten, yet a person holding a
    # proof of their case's steps cannot find that their case was flagged.
    "risk.",
    # The exchange with partner agencies: every question asked or answered, refused ones too,
    # with its digests (never what was asked about), and the registry of agencies, their keys
    # and grants: either side can later prove what was asked and answered (docs/partners.md).
    "exchange.",
    # Face checks at the counter: checked (outcome, distance, threshold), the officer's decision
    # (its words a note), the live picture erased. The subject is the check and the details are
    # hashed like every leaf's: no picture and no embedding is ever in an event.
    "biometric.",
)
# Staff reads of personal data are logged whatever their family (core.staff_reads).

# Office set-up, not a person's case: opening hours, quotas and rules (their effect on bookings,
# an office closing and the bookings it cancels or moves, is logged through the bookings' own codes).
EXCLUDED_CODES: frozenset[str] = frozenset(
    {
        "appointment.hours_set",
        "appointment.hours_removed",
        "appointment.quota_set",
        "appointment.rules_set",
        "appointment.office_closed",
        "queue.counter_opened",
        "queue.counter_closed",
        "queue.counter_saved",
        "queue.kiosk_registered",
        "queue.kiosk_revoked",
        "queue.lane_saved",
        "queue.rules_set",
        "risk.model_fitted",  # the anomaly model's nightly refit: upkeep, no person's case
    }
)
# Families not logged, and why.
EXCLUDED_PREFIXES: tuple[str, ...] = (
    "training.",  # the training office reset (its synthetic cases are never logged: logged_events_q)
    "account.",  # sign-ins, passwords, 2FA: security records about a person, kept private
    "staff.",  # staff accounts and their offices (the audit trail keeps them)
    "office.",  # reference data (hours, closures, services offered), public on its own pages
    "service.",  # reference data (terms of a service)
    "content.",  # FAQ, guides, announcements, channels: published content
    "notifications.",  # delivery infrastructure and a person's preferences
    "assistant.",  # the assistant's own upkeep
    "participation.",  # public participation (posts, surveys, debates) is public on its pages
    "rating.",  # ratings and their moderation: published with the reviews
    "satisfaction.",  # survey invitations
    "ikm.",  # satisfaction index figures, published as open data
    "forecast.",  # demand forecasts and the quotas applied from them: office set-up (each quota is also appointment.quota_set)
    "ledger.",  # the log's own upkeep (its witnesses), public on /ledger/checkpoints/
)


def is_excluded(code: str) -> bool:
    return code in EXCLUDED_CODES or code.startswith(EXCLUDED_PREFIXES)


def is_logged(code: str) -> bool:
    """Whether events with this code become leaves of the log."""
    if is_staff_read(code):
        return True
    return not is_excluded(code) and code.startswith(LOGGED_PREFIXES)


def is_decided(code: str) -> bool:
    """Whether the registry says anything of this code (logged or explicitly excluded)."""
    return is_logged(code) or is_excluded(code)


def _any(q: list[Q]) -> Q:
    return reduce(or_, q)


def logged_events_q() -> Q:
    """``is_logged`` as a filter on ``core.Event`` (same rules, so the two cannot disagree:
    tested), and never an event of the training office (docs/training.md): its synthetic
    cases are not the service's dealings with anyone, and an administrator deletes them."""
    staff_read = staff_reads_q()
    excluded = _any([Q(code__startswith=p) for p in EXCLUDED_PREFIXES] + [Q(code__in=sorted(EXCLUDED_CODES))])
    family = _any([Q(code__startswith=p) for p in LOGGED_PREFIXES])
    logged = staff_read | (family & ~excluded)
    training = training_office_ids()
    return logged & ~Q(office_id__in=sorted(training)) if training else logged
