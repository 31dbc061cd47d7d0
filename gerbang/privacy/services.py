"""Data-protection requests (UU PDP No. 27/2022): a copy of everything held, correction,
withdrawing a consent, erasure; the consents' records; the retention sweep.

Every request is a ``Request`` row with the time by which it must be answered
(``PRIVACY_REQUEST_HOURS``, 3 x 24 hours) and an event when it is received and when it is
answered, so the public log shows that it was answered and when (never what it said). What each
app holds, and how it is erased, is the app's own answer (``core.data_subjects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.accounts.models import User
from gerbang.core import consents, data_subjects, formatting
from gerbang.core.actors import Actor, SystemActor, person
from gerbang.core.events import publish, record
from gerbang.core.exceptions import Conflict, PermissionDenied, Problems, ValidationError
from gerbang.core.permissions import Perm, require_permission, require_permission_unless_system
from gerbang.privacy.events import RequestAnswered
from gerbang.privacy.models import Concerns, Consent, Kind, Request, Status

REQUEST_RECEIVED = "privacy.request_received"
REQUEST_ANSWERED = "privacy.request_answered"
CONSENT_GIVEN = "privacy.consent_given"
CONSENT_WITHDRAWN = "privacy.consent_withdrawn"
ERASED = "privacy.erased"

# Where a correction can concern; the person's own profile they correct themselves.
CORRECTION_CONCERNS = tuple(Concerns.values)

MAX_DETAILS = 4000


def _due(now: datetime) -> datetime:
    return now + timedelta(hours=settings.PRIVACY_REQUEST_HOURS)


def _own(actor: Actor, subject: User) -> None:
    """Only the person acts on their own requests (staff answer them through their own services)."""
    if isinstance(actor, SystemActor) or getattr(actor, "pk", None) != subject.pk:
        raise PermissionDenied()


def _receive(
    *, subject: User, kind: str, now: datetime, details: str = "", concerns: str = "", purpose: str = ""
) -> Request:
    request = Request.objects.create(
        person=subject,
        kind=kind,
        received_at=now,
        due_at=_due(now),
        details=details,
        concerns=concerns,
        purpose=purpose,
    )
    record(
        REQUEST_RECEIVED,
        actor=subject,
        subject=request,
        details={
            "kind": kind,
            "due_at": request.due_at.isoformat(),
            "concerns": concerns,
            "purpose": purpose,
        },
    )
    return request


def _answer(request: Request, *, status: str, answer: str, by: Actor, now: datetime) -> Request:
    request.status = status
    request.answer = answer
    request.answered_at = now
    request.answered_by = person(by)  # type: ignore[assignment]
    request.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    record(
        REQUEST_ANSWERED,
        actor=by,
        subject=request,
        details={
            "kind": request.kind,
            "status": status,
            "on_time": now <= request.due_at,
        },
    )
    return request


# --- A copy of everything held (Pasal 7, 32) ----------------------------------------------------


@dataclass(frozen=True)
class Copy:
    request: Request
    sections: list[data_subjects.Section]


def copy_give(*, subject: User, actor: Actor, now: datetime | None = None) -> Copy:
    """Everything held about ``subject``, from every app, answered at once; the request and its
    answer are recorded (the copy itself is not kept)."""
    _own(actor, subject)
    now = now or timezone.now()
    sections: list[data_subjects.Section] = []
    for provider in data_subjects.providers():
        if provider.export is not None:
            sections.extend(s for s in provider.export(subject) if s.rows or s.files)
    with transaction.atomic():
        request = _receive(subject=subject, kind=Kind.ACCESS, now=now)
        _answer(
            request,
            status=Status.DONE,
            answer=str(_("The copy was downloaded.")),
            by=actor,
            now=now,
        )
    return Copy(request=request, sections=sections)


# --- Correction (Pasal 6, 30) ------------------------------------------------------------------


def correction_request(
    *, subject: User, concerns: str, details: str, actor: Actor, now: datetime | None = None
) -> Request:
    """Ask the authority to correct data the person cannot change themselves (what a submitted
    application says, a booking, a payment, a report). Answered by the data-protection officer
    within ``PRIVACY_REQUEST_HOURS``."""
    _own(actor, subject)
    details = details.strip()
    with Problems() as problems:
        if concerns not in CORRECTION_CONCERNS:
            problems.add(ValidationError(_("Choose what the correction is about."), field="concerns"))
        if not details:
            problems.add(ValidationError(_("Say what is wrong and what it should say."), field="details"))
        elif len(details) > MAX_DETAILS:
            problems.add(
                ValidationError(
                    _("Write at most %(max)d characters (you wrote %(n)d).")
                    % {"max": MAX_DETAILS, "n": len(details)},
                    field="details",
                )
            )
    with transaction.atomic():
        return _receive(
            subject=subject,
            kind=Kind.CORRECTION,
            now=now or timezone.now(),
            details=details,
            concerns=concerns,
        )


def request_answer(
    *, request: Request, done: bool, answer: str, actor: Actor, now: datetime | None = None
) -> Request:
    """The data-protection officer answers a correction: done (what was corrected) or refused
    (why: Pasal 33's exceptions, or the data is right). The person is told."""
    require_permission(actor, Perm.PRIVACY_MANAGE)
    answer = answer.strip()
    if not answer:
        raise ValidationError(
            _("Write the answer the person will read: what was corrected, or why not."), field="answer"
        )
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.status != Status.RECEIVED:
            raise Conflict(_("This request was already answered."))
        answered = _answer(
            locked,
            status=Status.DONE if done else Status.REFUSED,
            answer=answer,
            by=actor,
            now=now or timezone.now(),
        )
        publish(RequestAnswered(request=answered))
    return answered


# --- Consents (Pasal 20(2)a, 22, 40) ----------------------------------------------------------


def consent_record(*, subject: Any, purpose_key: str, via: str, now: datetime | None = None) -> Consent:
    """Keep the record of a consent just given (called in the transaction that asked for it)."""
    purpose = consents.purpose(purpose_key)
    if purpose is None:
        raise ValueError(f"No consent purpose {purpose_key!r} is registered.")
    now = now or timezone.now()
    consent = Consent.objects.create(
        person=subject, purpose=purpose.key, version=purpose.version, given_at=now, via=via
    )
    record(
        CONSENT_GIVEN,
        actor=subject,
        subject=consent,
        details={"purpose": purpose.key, "version": purpose.version, "via": via},
    )
    return consent


def consent_withdraw(
    *, subject: User, purpose_key: str, actor: Actor, now: datetime | None = None
) -> Request:
    """Withdraw every standing consent of ``subject`` to ``purpose_key``; what it allowed stops
    now (``Purpose.on_withdraw``). Recorded as a request answered at once."""
    _own(actor, subject)
    purpose = consents.purpose(purpose_key)
    if purpose is None:
        raise ValidationError(_("There is no such consent."), field="purpose")
    if purpose.on_withdraw is None:
        raise ValidationError(purpose.not_withdrawable or _("This consent cannot be withdrawn on its own."))
    now = now or timezone.now()
    with transaction.atomic():
        standing = list(
            Consent.objects.select_for_update().filter(person=subject, purpose=purpose.key, withdrawn_at=None)
        )
        if not standing:
            raise Conflict(_("You have not given this consent, or already withdrew it."))
        Consent.objects.filter(pk__in=[c.pk for c in standing]).update(withdrawn_at=now)
        stopped = purpose.on_withdraw(subject)
        request = _receive(subject=subject, kind=Kind.WITHDRAWAL, now=now, purpose=purpose.key)
        for consent in standing:
            record(CONSENT_WITHDRAWN, actor=actor, subject=consent, details={"purpose": purpose.key})
        _answer(
            request,
            status=Status.DONE,
            answer=str(_("Withdrawn; what it allowed has stopped (%(n)d stopped).") % {"n": stopped}),
            by=actor,
            now=now,
        )
    return request


# --- Erasure (Pasal 8, 43, 44) -----------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    blockers: list[data_subjects.Blocker]
    outcomes: list[data_subjects.Outcome]

    @property
    def possible(self) -> bool:
        return not self.blockers


def erasure_plan(*, subject: User, now: datetime | None = None) -> Plan:
    """What erasing ``subject`` would do now, app by app, and what stops it (nothing written)."""
    now = now or timezone.now()
    blockers: list[data_subjects.Blocker] = []
    outcomes: list[data_subjects.Outcome] = []
    for provider in data_subjects.providers():
        if provider.blockers is not None:
            blockers.extend(provider.blockers(subject))
        if provider.erase is not None:
            outcomes.extend(o for o in provider.erase(subject, now, True) if o.touched)
    return Plan(blockers=blockers, outcomes=outcomes)


def erasure_run(
    *, subject: User, actor: Actor, now: datetime | None = None
) -> tuple[Request, list[data_subjects.Outcome]]:
    """Erase ``subject`` as the plan says, in one transaction: every app erases or pseudonymises
    what may go now and keeps what the law keeps, until its period ends (the retention sweep
    erases it then). The account is closed last; the person is signed out everywhere."""
    _own(actor, subject)
    now = now or timezone.now()
    plan = erasure_plan(subject=subject, now=now)
    if not plan.possible:
        raise Conflict(
            _("Your data cannot be erased yet: %(what)s")
            % {"what": "; ".join(str(b.text) for b in plan.blockers)}
        )
    with transaction.atomic():
        request = _receive(subject=subject, kind=Kind.ERASURE, now=now)
        outcomes: list[data_subjects.Outcome] = []
        for provider in data_subjects.providers():
            if provider.erase is not None:
                outcomes.extend(o for o in provider.erase(subject, now, False) if o.touched)
        record(
            ERASED,
            actor=actor,
            subject=request,
            details={
                o.key: {"erased": o.erased, "pseudonymised": o.pseudonymised, "kept": o.kept}
                for o in outcomes
            },
        )
        kept = [o for o in outcomes if o.kept]
        answer = (
            str(_("Erased."))
            if not kept
            else str(
                _("Erased, except what the law keeps: %(kept)s.")
                % {
                    "kept": "; ".join(
                        f"{o.label} ({o.kept})"
                        + (f" {_('until')} {formatting.day(o.kept_until)}" if o.kept_until else "")
                        for o in kept
                    )
                }
            )
        )
        _answer(request, status=Status.DONE, answer=answer, by=actor, now=now)
    return request, outcomes


def retention_sweep(
    *, actor: Actor, now: datetime | None = None, dry_run: bool = False
) -> list[data_subjects.Outcome]:
    """Erase the personal fields of every record whose retention period has ended, in every app
    (Pasal 44(1)a). Safe to run again: what is erased stays erased."""
    require_permission_unless_system(actor, Perm.PRIVACY_MANAGE)
    now = now or timezone.now()
    outcomes: list[data_subjects.Outcome] = []
    for provider in data_subjects.providers():
        if provider.expire is not None:
            outcomes.extend(o for o in provider.expire(now, dry_run) if o.touched)
    return outcomes
