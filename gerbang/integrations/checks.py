"""The checks a paid case waits for, asked of partner agencies: what each asks (never more
fields than it needs), on which legal basis, and how its answer is read; and the services that
start them, ask them again and again until answered, and let an officer verify by other means
what a partner that stays down cannot answer.

A check that brings no answer stays ``WAITING`` and is asked again by itself, later and later
(``RETRY_STEPS``); the case waits, visibly, in "being checked with other agencies", and the
officer's case page says why. Nothing is skipped: the case goes on only when every check is
answered or verified by an officer with a reason.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.applications import services as case_services
from gerbang.applications.fields import clean_date, clean_reference
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.core import events
from gerbang.core.actors import Actor, SystemActor
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.core.permissions import Perm, require_permission
from gerbang.core.validators import normalize_nik
from gerbang.integrations import client
from gerbang.integrations.models import (
    TO_RESOLVE,
    Agency,
    CheckKind,
    CheckStatus,
    ExternalCheck,
    Resolution,
)

SYSTEM = SystemActor("integrations")
# Why a check brought no answer (``client.Failure.reason``, or an answer that cannot be used),
# in words for the officer.
FAILURES = {
    "timeout": gettext_lazy("the agency did not answer in time"),
    "unreachable": gettext_lazy("the agency's server could not be reached"),
    "unavailable": gettext_lazy("the agency's service said it is unavailable"),
    "rate_limited": gettext_lazy("the agency asked Gerbang to slow down"),
    "circuit_open": gettext_lazy(
        "the agency failed again and again, so Gerbang leaves it alone for a minute"
    ),
    "bad_signature": gettext_lazy("the answer's signature did not verify with the agency's key"),
    "bad_answer": gettext_lazy(
        "the answer could not be used (it was malformed or named fields that were not asked)"
    ),
    "refused": gettext_lazy("the agency refused the question"),
    "not_configured": gettext_lazy("no address is registered for the agency"),
}
# Waits before the next attempt, by attempts made so far (then the last, again and again).
RETRY_STEPS = (timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=5))
REASON_MAX = 500

# Identity fields the civil registry compares, as the application names them.
IDENTITY_FIELDS = ("full_name", "sex", "date_of_birth", "place_of_birth", "family_card", "mother_name")
MATCHES = frozenset({"match", "no_match"})


class BadAnswer(Exception):
    """The partner's (signed) answer is not one we can use: it is logged, and asked again."""


@dataclass(frozen=True)
class Spec:
    kind: CheckKind
    agency: str  # the agency's code
    path: str
    legal_basis: str
    # Whether a case with these answers needs it, and what is asked (with the fields asked).
    applies: Callable[[dict[str, Any]], bool]
    payload_of: Callable[[dict[str, Any]], tuple[dict[str, Any], list[str]]]
    # The answer read: (verdict, result per field); BadAnswer when it cannot be used.
    read: Callable[[dict[str, Any], list[str]], tuple[str, dict[str, Any]]]


def _iso(raw: Any) -> str:
    try:
        return clean_date(str(raw or ""), field="date_of_birth", today=timezone.localdate()).isoformat()
    except ValidationError:
        return ""


def _identity_applies(answers: dict[str, Any]) -> bool:
    nik = str(answers.get("nik", "")).replace(" ", "")
    return len(nik) == 16 and nik.isdigit()


def _identity_payload(answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    fields: dict[str, str] = {}
    for name in IDENTITY_FIELDS:
        raw = answers.get(name)
        if name == "date_of_birth":
            value = _iso(raw)
        elif name == "family_card":
            value = normalize_nik(str(raw or ""))  # as typed: spaces, dots or dashes between digits
        else:
            value = str(raw or "").strip()
        if value:
            fields[name] = value
    return {"nik": str(answers["nik"]).replace(" ", ""), "fields": fields}, sorted(fields)


def _identity_read(data: dict[str, Any], asked: list[str]) -> tuple[str, dict[str, Any]]:
    """{"nik": "found" | "not_found", "fields": {name: "match" | "no_match"}} (only the fields
    asked; fewer is a partial answer the officer completes, more is refused)."""
    found = data.get("nik")
    if found == "not_found":
        return "not_found", {"nik": "not_found"}
    if found != "found" or not isinstance(data.get("fields"), dict):
        raise BadAnswer("The registry's answer has no nik and fields of the expected form.")
    fields = data["fields"]
    extra = set(fields) - set(asked)
    if extra:
        raise BadAnswer(f"The registry answered fields that were not asked: {sorted(extra)}.")
    if any(value not in MATCHES for value in fields.values()):
        raise BadAnswer("A field's answer is neither match nor no_match.")
    result = {"nik": "found", **{name: fields.get(name, "not_answered") for name in asked}}
    if any(value == "no_match" for value in fields.values()):
        return "mismatch", result
    if len(fields) < len(asked):
        return "partial", result
    return "match", result


def _watchlist_payload(answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Name and birth date, and the document number when there is one: never the address, the
    phone or the family."""
    fields = {
        "full_name": str(answers.get("full_name", "") or "").strip(),
        "date_of_birth": _iso(answers.get("date_of_birth")),
    }
    for name in ("nik", "passport_number", "nationality"):
        value = str(answers.get(name, "") or "").replace(" ", "")
        if value:
            fields[name] = value
    fields = {name: value for name, value in fields.items() if value}
    return fields, sorted(fields)


def _watchlist_read(data: dict[str, Any], asked: list[str]) -> tuple[str, dict[str, Any]]:
    """{"result": "no_hit" | "hit" | "possible_hit", "reference": the listing's number}: the
    listing itself stays with the police; the officer follows it up by its reference."""
    result = data.get("result")
    if result not in {"no_hit", "hit", "possible_hit"}:
        raise BadAnswer("The watch list's answer has no result of the expected form.")
    extra = set(data) - {"result", "reference"}
    if extra:
        raise BadAnswer(f"The watch list answered more than its result: {sorted(extra)}.")
    reference = str(data.get("reference", ""))[:60]
    if result != "no_hit" and not reference:
        raise BadAnswer("A hit must carry the listing's reference.")
    return result, ({"reference": reference} if reference else {})


def _sponsor_applies(answers: dict[str, Any]) -> bool:
    return bool(str(answers.get("sponsor_name", "") or "").strip())


def _sponsor_payload(answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    return {"sponsor_name": str(answers["sponsor_name"]).strip()}, ["sponsor_name"]


def _sponsor_read(data: dict[str, Any], asked: list[str]) -> tuple[str, dict[str, Any]]:
    """{"standing": "good" | "suspended" | "unknown"}: whether the ministry knows the sponsor
    in good standing."""
    standing = data.get("standing")
    if standing not in {"good", "suspended", "unknown"} or set(data) != {"standing"}:
        raise BadAnswer("The ministry's answer is not a standing of the expected form.")
    return f"sponsor_{standing}", {}


OFFICIAL_PASSPORTS = ("diplomatic", "service")
OFFICIAL_STATUSES = ("in_process", "issued", "refused", "not_found")


def _official_request(answers: dict[str, Any]) -> str:
    try:
        return clean_reference(str(answers.get("official_passport_request", "") or ""), field="request")
    except ValidationError:
        return ""


def _official_applies(answers: dict[str, Any]) -> bool:
    return (
        answers.get("official_passport") in OFFICIAL_PASSPORTS
        and bool(_official_request(answers))
        and _identity_applies(answers)
    )


def _official_payload(answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The request's number, whose it is (the NIK) and its type: never the trip or the post."""
    payload = {
        "request_number": _official_request(answers),
        "nik": normalize_nik(str(answers.get("nik", ""))),
        "passport_type": str(answers.get("official_passport", "")),
    }
    return payload, sorted(payload)


def _official_read(data: dict[str, Any], asked: list[str]) -> tuple[str, dict[str, Any]]:
    """{"status": "in_process" | "issued" | "refused" | "not_found"}: the request's status, and
    nothing of the request itself."""
    status = data.get("status")
    if status not in OFFICIAL_STATUSES or set(data) != {"status"}:
        raise BadAnswer("The ministry's answer is not a request status of the expected form.")
    return f"official_{status}", {}


SPECS: tuple[Spec, ...] = (
    Spec(
        CheckKind.IDENTITY,
        agency="dukcapil",
        path="/identity/verify",
        # UU 24/2013 (Administrasi Kependudukan) Pasal 58 ayat (4): population data used for
        # public services; UU 6/2011 (Keimigrasian) Pasal 26: the documents of a passport.
        legal_basis="UU 24/2013 Pasal 58 ayat (4); UU 6/2011 Pasal 26",
        applies=_identity_applies,
        payload_of=_identity_payload,
        read=_identity_read,
    ),
    Spec(
        CheckKind.WATCHLIST,
        agency="polri",
        path="/watchlist/check",
        # UU 6/2011 (Keimigrasian) Pasal 91-97: prevention and deterrence (cegah dan tangkal),
        # and Pasal 35: refusal of a passport to a person so listed.
        legal_basis="UU 6/2011 Pasal 35 dan Pasal 91-97",
        applies=lambda answers: bool(answers.get("full_name")),
        payload_of=_watchlist_payload,
        read=_watchlist_read,
    ),
    Spec(
        CheckKind.MOFA_SPONSOR,
        agency="kemlu",
        path="/sponsors/standing",
        # UU 6/2011 Pasal 39 and PP 31/2013 Pasal 39: the guarantor (penjamin) of a foreigner.
        legal_basis="UU 6/2011 Pasal 39; PP 31/2013 Pasal 39",
        applies=_sponsor_applies,
        payload_of=_sponsor_payload,
        read=_sponsor_read,
    ),
    Spec(
        CheckKind.MOFA_PASSPORT,
        agency="kemlu",
        path="/passports/official/status",
        # UU 6/2011 Pasal 24 and 25: the kinds of Indonesian passport, the diplomatic and the
        # service passport being issued by the foreign minister; Pasal 26: the ordinary one's.
        legal_basis="UU 6/2011 Pasal 24, Pasal 25 dan Pasal 26",
        applies=_official_applies,
        payload_of=_official_payload,
        read=_official_read,
    ),
)
BY_KIND = {spec.kind: spec for spec in SPECS}


def _agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code, active=True).exclude(base_url="").first()


def checks_start(application: Application) -> list[ExternalCheck]:
    """In the transaction that records the fee: the checks this case needs and an agency
    answers; the case then waits for them. None needed (or no agency registered to answer
    them): the case goes on as before."""
    created = []
    for spec in SPECS:
        agency = _agency(spec.agency)
        if agency is None or not spec.applies(application.answers):
            continue
        _payload, fields = spec.payload_of(application.answers)
        check, _new = ExternalCheck.objects.get_or_create(
            application=application,
            kind=spec.kind,
            defaults={"agency": agency, "fields": fields, "next_attempt_at": timezone.now()},
        )
        created.append(check)
    if created:
        case_services.application_checks_awaited(
            application=application, actor=SYSTEM, details={"checks": [c.kind for c in created]}
        )
    return created


def _next_attempt(attempts: int, now: datetime) -> datetime:
    step = RETRY_STEPS[min(attempts, len(RETRY_STEPS)) - 1]
    # A little jitter, so that checks failed together are not all asked again together.
    return now + step + timedelta(seconds=random.uniform(0, 5))  # noqa: S311


def _purpose(application: Application, kind: CheckKind) -> str:
    return f"Verifikasi permohonan {application.number} ({kind.value})"


def check_attempt(check: ExternalCheck, *, by: Actor = SYSTEM) -> ExternalCheck:
    """Ask the partner once (with the client's own quick retries). An answer completes the
    check (and the case goes on when it was the last); no answer schedules the next attempt."""
    spec = BY_KIND[CheckKind(check.kind)]
    application = check.application
    payload, fields = spec.payload_of(application.answers)
    failure = ""
    try:
        answer = client.ask(
            check.agency,
            service=spec.kind.value,
            path=spec.path,
            payload=payload,
            purpose=_purpose(application, spec.kind),
            legal_basis=spec.legal_basis,
            reference=application.number or str(application.pk),
            by=by,
            application=application,
        )
        verdict, result = spec.read(answer.data, fields)
    except client.Failure as error:
        failure = error.reason
    except BadAnswer:
        # Its exchange is logged as answered (the partner did answer, signed): the answer is
        # kept there as proof, and the check asks again.
        failure = "bad_answer"
    with transaction.atomic():
        check = (
            ExternalCheck.objects.select_for_update().select_related("agency", "application").get(pk=check.pk)
        )
        if check.status != CheckStatus.WAITING:
            return check  # an officer verified it meanwhile
        now = timezone.now()
        check.attempts += 1
        check.last_attempt_at = now
        if failure:
            check.last_failure = failure
            check.first_failure_at = check.first_failure_at or now
            check.next_attempt_at = _next_attempt(check.attempts, now)
            check.save()
            return check
        check.status, check.verdict, check.result, check.answered_at = (
            CheckStatus.ANSWERED,
            verdict,
            result,
            now,
        )
        check.last_failure = ""
        check.save()
        events.record(
            "application.check_answered",
            actor=by,
            subject=check.application,
            office_id=check.application.office_id,
            details={
                "kind": check.kind,
                "agency": check.agency.code,
                "verdict": verdict,
                "attempts": check.attempts,
            },
        )
        _go_on_when_done(check.application)
    return check


def _go_on_when_done(application: Application) -> None:
    if ExternalCheck.objects.filter(application=application, status=CheckStatus.WAITING).exists():
        return
    fresh = Application.objects.get(pk=application.pk)
    if fresh.state == State.AWAITING_EXTERNAL_CHECK:
        case_services.application_checks_done(application=fresh, actor=SYSTEM, details={})


def checks_run_due(*, now: datetime | None = None) -> int:
    """Ask every check whose next attempt is due (the worker, every minute)."""
    from gerbang.integrations.selectors import due_checks

    done = 0
    for check in due_checks(now or timezone.now()).select_related("agency", "application"):
        check_attempt(check)
        done += 1
    return done


def checks_run_for(application_id: int) -> None:
    """Ask a case's checks at once (just after the fee was recorded)."""
    for check in ExternalCheck.objects.filter(
        application_id=application_id, status=CheckStatus.WAITING
    ).select_related("agency", "application"):
        check_attempt(check)


# What an officer is told when the words their record needs are missing (the services and the
# forms say the same).
MANUAL_REASON_MISSING = gettext_lazy("Say how you verified it instead, in a few words.")
FINDING_REASON_MISSING = gettext_lazy("Say what you compared, in a few words.")
REASON_TOO_LONG = gettext_lazy("Keep the reason to %(limit)d characters.")


def _reason(reason: str, *, missing: Any) -> str:
    """The officer's words for the audit log, trimmed; refused when empty or too long."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(missing, field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(REASON_TOO_LONG % {"limit": REASON_MAX}, field="reason")
    return reason


def _staff_check(check: ExternalCheck, actor: Any) -> None:
    require_permission(actor, Perm.CASE_WORK, office_id=check.application.office_id)
    if check.status != CheckStatus.WAITING:
        raise Conflict(_("This check is already answered; nothing was changed."))


def check_ask_now(*, check: ExternalCheck, actor: Any) -> ExternalCheck:
    """An officer asks the partner again now instead of waiting for the next attempt."""
    _staff_check(check, actor)
    return check_attempt(check, by=actor)


@transaction.atomic
def check_verify_manually(*, check: ExternalCheck, reason: str, actor: Any) -> ExternalCheck:
    """The partner stays down: the officer verified by other means (the KTP-el and the family
    card seen at the counter, a call to the registry's office) and says how. Allowed only once
    the partner has failed to answer; the reason is kept with the event in the audit log."""
    check = ExternalCheck.objects.select_for_update().select_related("application", "agency").get(pk=check.pk)
    _staff_check(check, actor)
    if not check.last_failure:
        raise Conflict(
            _("The partner has not failed to answer yet: wait for its answer, or ask it again now.")
        )
    reason = _reason(reason, missing=MANUAL_REASON_MISSING)
    check.status, check.verified_by, check.answered_at = CheckStatus.VERIFIED_MANUALLY, actor, timezone.now()
    check.verdict = "manual"
    check.save()
    events.record(
        "application.check_verified_manually",
        actor=actor,
        subject=check.application,
        office_id=check.application.office_id,
        details={"kind": check.kind, "agency": check.agency.code, "last_failure": check.last_failure},
        note=reason,
    )
    _go_on_when_done(check.application)
    return check


@transaction.atomic
def check_resolve(*, check: ExternalCheck, resolution: str, reason: str, actor: Any) -> ExternalCheck:
    """An officer's finding on a watch-list hit or possible hit (same person or not), with what
    they compared; kept with the event in the audit log."""
    check = ExternalCheck.objects.select_for_update().select_related("application", "agency").get(pk=check.pk)
    require_permission(actor, Perm.CASE_WORK, office_id=check.application.office_id)
    if not check.awaits_resolution:
        raise Conflict(_("There is nothing to resolve on this check; nothing was changed."))
    if resolution not in Resolution.values:
        raise ValidationError(_("Choose whether it is the same person."), field="resolution")
    reason = _reason(reason, missing=FINDING_REASON_MISSING)
    check.resolution, check.resolved_by, check.resolved_at = resolution, actor, timezone.now()
    check.save()
    events.record(
        "application.check_resolved",
        actor=actor,
        subject=check.application,
        office_id=check.application.office_id,
        details={"kind": check.kind, "verdict": check.verdict, "resolution": resolution},
        note=reason,
    )
    return check


def born_on(application: Application) -> date | None:
    raw = _iso(application.answers.get("date_of_birth"))
    return date.fromisoformat(raw) if raw else None


def approval_hold(application: Application) -> str | None:
    """A watch-list hit or possible hit an officer has not resolved holds the approval: the
    decision waits for the officer's finding (same person or not). A confirmed listing does not
    decide by itself: the officer decides, with the finding on the case."""
    unresolved = ExternalCheck.objects.filter(
        application=application, verdict__in=TO_RESOLVE, resolution=""
    ).exists()
    if unresolved:
        return _(
            "A watch-list hit waits for your finding: record it under “Checks with partner agencies” "
            "before approving."
        )
    return None
