"""Every write of the risk flags: scanning a case (its fingerprint, then each rule, each flag
raised once and kept up to date), an officer's decision on a flag, the anomaly model's refit,
the nightly rescan, and forgetting what an erased case held.

A flag is raised once per case and kind (a unique constraint): a rescan that finds the same
again changes nothing but the reasons' numbers; one that finds it no longer withdraws an open
flag; a decided flag opens again only when evidence appears that the officer did not decide on.
Each of these leaves an event (``risk.flag_raised``, ``risk.flag_withdrawn``,
``risk.flag_decided``), whose subject is the flag, never the case (docs/analytics.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.analytics.models import DECISIONS, CaseFingerprint, FlagStatus, RiskFlag, RiskKind, RiskModel
from gerbang.analytics.risk import model as anomaly_model
from gerbang.analytics.risk import rules
from gerbang.analytics.risk.features import FEATURES, PHONE_WINDOW, fingerprint_values, hashes_of, vector
from gerbang.applications.models import Application
from gerbang.applications.workflow import OPEN_STATES, State
from gerbang.biometrics import services as face_services
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError

logger = logging.getLogger(__name__)

# The model learns "usual" from the cases submitted in this window (cases with a confirmed
# concern left out), refitted every night.
TRAINING_WINDOW = timedelta(days=180)
# How many fitted models are kept (the newest is used; the others show what changed).
MODELS_KEPT = 3
# A decision's reason: a few words at least, a short paragraph at most.
REASON_MIN = 10
REASON_MAX = 500
# When a case is scanned, other open cases its flags name are scanned again, at most this many.
RELATED_RESCANS = 20


def _system(actor: object) -> SystemActor:
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    return actor


def fingerprint_refresh(*, application: Application) -> CaseFingerprint:
    """The case's fingerprint, made again from its answers and account (a derived index, like a
    blind index: no event)."""
    values = fingerprint_values(application)
    fingerprint, _created = CaseFingerprint.objects.update_or_create(
        application=application, defaults={**values, "computed_at": timezone.now()}
    )
    return fingerprint


def fingerprints_refresh(*, applications: list[Application]) -> int:
    """Many cases' fingerprints made again: every case's hashes first, then every case's features
    (which count other cases by their hashes), so the order of the cases does not matter."""
    cases = [application for application in applications if has_subject(application)]
    for application in cases:
        hashes = hashes_of(application)
        CaseFingerprint.objects.update_or_create(
            application=application,
            defaults={
                "applicant_id": application.applicant_id,
                "submitted_at": application.submitted_at or application.created_at,
                "nik_index": hashes.nik_index,
                "name_index": hashes.name_index,
                "birth_index": hashes.birth_index,
                "phone_index": hashes.phone_index,
                "mailbox_index": hashes.mailbox_index,
                "computed_at": timezone.now(),
            },
        )
    for application in cases:
        fingerprint_refresh(application=application)
    return len(cases)


def current_model() -> anomaly_model.Fitted | None:
    """The newest stored model, built for this process; None when there is none yet (or it is
    refused: its digest does not match, which is logged as an error)."""
    row = RiskModel.objects.order_by("-fitted_at", "-id").first()
    if row is None:
        return None
    try:
        return anomaly_model.fitted(row)
    except anomaly_model.ModelRefused:
        logger.exception("risk model %s refused; no anomaly flags until the next refit", row.pk)
        return None


def has_subject(application: Application) -> bool:
    """Whether the case says whom it is about: submitted, its personal data not erased, with
    answers (the demo's records of past years have none)."""
    return (
        application.state != State.DRAFT
        and application.personal_data_erased_at is None
        and bool((application.answers or {}).get("full_name"))
    )


def risk_case_scan(
    *,
    application: Application,
    actor: SystemActor,
    model: anomaly_model.Fitted | None = None,
    use_current_model: bool = True,
    refresh: bool = True,
) -> list[RiskFlag]:
    """Run every rule on ``application`` and raise, update or withdraw its flags. The rules read
    outside the write transaction; the flags are written in a short one that locks the case's
    flags (and its row, so two scans of one case take turns)."""
    _system(actor)
    application = Application.objects.select_related("applicant", "office").get(pk=application.pk)
    if not has_subject(application):
        return []
    if refresh:
        fingerprint = fingerprint_refresh(application=application)
    else:
        fingerprint = CaseFingerprint.objects.filter(application=application).first() or fingerprint_refresh(
            application=application
        )
    if model is None and use_current_model:
        model = current_model()
    # The faces of the case's photos, read once, for the duplicate-face rule.
    face_services.photos_index(application=application, actor=actor)
    findings, evaluated = rules.evaluate(application, fingerprint, model)
    return _apply(application, findings, evaluated, actor)


@transaction.atomic
def _apply(
    application: Application,
    findings: dict[RiskKind, rules.Finding],
    evaluated: set[RiskKind],
    actor: SystemActor,
) -> list[RiskFlag]:
    list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk", flat=True))
    now = timezone.now()
    existing = {
        flag.kind: flag for flag in RiskFlag.objects.select_for_update().filter(application=application)
    }
    flags = []
    for kind in RiskKind:
        if kind not in evaluated:
            if kind in existing:
                flags.append(existing[kind])
            continue
        finding = findings.get(kind)
        flag = existing.get(kind)
        if finding is None:
            if flag is not None and flag.status == FlagStatus.OPEN:
                flag.status = FlagStatus.WITHDRAWN
                flag.updated_at = now
                flag.save(update_fields=["status", "updated_at"])
                _record(flag, "risk.flag_withdrawn", actor)
            if flag is not None:
                flags.append(flag)
            continue
        evidence = finding.evidence
        if flag is None:
            flag = RiskFlag.objects.create(
                application=application,
                kind=kind,
                reasons=finding.reasons,
                evidence=evidence,
                score=finding.score,
                raised_at=now,
                updated_at=now,
            )
            _record(flag, "risk.flag_raised", actor, reopened=False)
            flags.append(flag)
            continue
        new_evidence = set(evidence) - set(flag.decided_evidence)
        reopen = flag.status == FlagStatus.WITHDRAWN or (flag.status in DECISIONS and bool(new_evidence))
        changed = (flag.reasons, flag.evidence, flag.score) != (finding.reasons, evidence, finding.score)
        if reopen or changed:
            flag.reasons, flag.evidence, flag.score, flag.updated_at = (
                finding.reasons,
                evidence,
                finding.score,
                now,
            )
            if reopen:
                flag.status, flag.raised_at = FlagStatus.OPEN, now
            flag.save()
        if reopen:
            _record(flag, "risk.flag_raised", actor, reopened=True)
        flags.append(flag)
    return flags


def _record(flag: RiskFlag, code: str, actor: SystemActor, **details: object) -> None:
    """Only ids and codes: the kind of flag and the case it is on (the public ledger hashes these
    details; its leaf names the flag, not the case)."""
    events.record(
        code,
        actor=actor,
        subject=flag,
        office_id=flag.application.office_id,
        details={"kind": flag.kind, "application": flag.application_id, **details},
    )


def risk_case_scan_with_related(*, application_id: int, actor: SystemActor) -> list[RiskFlag]:
    """Scan a case (just submitted or resubmitted), then the open cases its flags name: a NIK,
    photo or phone number shared with this case is news for those cases too."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return []
    model = current_model()
    flags = risk_case_scan(application=application, actor=actor, model=model, use_current_model=False)
    related = {
        case for flag in flags if flag.status != FlagStatus.WITHDRAWN for case in flag.related_case_ids
    }
    related.discard(application.pk)
    for other in Application.objects.filter(pk__in=sorted(related)[:RELATED_RESCANS], state__in=OPEN_STATES):
        risk_case_scan(application=other, actor=actor, model=model, use_current_model=False)
    return flags


@transaction.atomic
def risk_flag_decide(*, flag: RiskFlag, decision: str, reason: str, actor: User) -> RiskFlag:
    """An officer's decision on an open flag: checked and no concern, or concern confirmed and
    referred. The reason is the officer's own words, kept as the event's note (erasable with the
    case); the decision changes nothing else about the case."""
    require_permission(actor, Perm.RISK_REVIEW, office_id=flag.application.office_id)
    if decision not in DECISIONS:
        raise ValidationError(
            _("Choose what you found: no concern, or a concern confirmed and referred."), field="decision"
        )
    text = (reason or "").strip()
    if len(text) < REASON_MIN:
        raise ValidationError(
            _("Say in a few words (at least %(count)d characters) what you checked and found.")
            % {"count": REASON_MIN},
            field="reason",
        )
    if len(text) > REASON_MAX:
        raise ValidationError(
            _("Keep the reason to %(count)d characters; the case's notes can say more.")
            % {"count": REASON_MAX},
            field="reason",
        )
    flag = RiskFlag.objects.select_for_update().select_related("application").get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise Conflict(
            _("This flag was already decided, or is no longer found; the page now shows it as it is.")
        )
    now = timezone.now()
    flag.status = decision
    flag.decided_at = now
    flag.decided_by = actor
    flag.decided_evidence = flag.evidence
    flag.updated_at = now
    flag.save(update_fields=["status", "decided_at", "decided_by", "decided_evidence", "updated_at"])
    events.record(
        "risk.flag_decided",
        actor=actor,
        subject=flag,
        office_id=flag.application.office_id,
        details={"kind": flag.kind, "application": flag.application_id, "decision": decision},
        note=text,
    )
    return flag


def training_rows(*, now: datetime | None = None) -> list[list[float]]:
    """The features of the recent cases the model learns "usual" from (newest first): submitted
    within TRAINING_WINDOW, not erased, none with a confirmed concern."""
    since = (now or timezone.now()) - TRAINING_WINDOW
    confirmed = RiskFlag.objects.filter(status=FlagStatus.CONFIRMED).values("application_id")
    features = (
        CaseFingerprint.objects.filter(submitted_at__gte=since)
        .exclude(application_id__in=confirmed)
        .order_by("-submitted_at", "-id")
        .values_list("features", flat=True)[: anomaly_model.MAX_TRAINING]
    )
    names = [feature.name for feature in FEATURES]
    return [vector(values, names) for values in features]


def risk_model_fit(*, actor: SystemActor, now: datetime | None = None) -> RiskModel | None:
    """Fit the anomaly model on recent cases and keep it (the newest MODELS_KEPT are kept); None
    when there are too few cases yet (no anomaly flags until there are)."""
    _system(actor)
    rows = training_rows(now=now)
    if len(rows) < anomaly_model.MIN_TRAINING:
        logger.info(
            "risk model not fitted: %s recent cases, %s needed", len(rows), anomaly_model.MIN_TRAINING
        )
        return None
    fields = anomaly_model.fit(rows, [feature.name for feature in FEATURES])
    with transaction.atomic():
        row = RiskModel.objects.create(**fields)
        kept = list(
            RiskModel.objects.order_by("-fitted_at", "-id").values_list("pk", flat=True)[:MODELS_KEPT]
        )
        RiskModel.objects.exclude(pk__in=kept).delete()
        events.record(
            "risk.model_fitted",
            actor=actor,
            subject=row,
            details={
                "cases": len(rows),
                "features": len(fields["features"]),
                "threshold": fields["threshold"],
            },
        )
    return row


def _erased_cases(applicant: User | None = None) -> QuerySet[Application]:
    erased = Application.objects.filter(personal_data_erased_at__isnull=False)
    return erased if applicant is None else erased.filter(applicant=applicant)


def _flags_to_forget(applicant: User | None = None) -> list[RiskFlag]:
    return [
        flag
        for flag in RiskFlag.objects.filter(application__in=_erased_cases(applicant)).select_related(
            "application"
        )
        if any(reason.get("params") or reason.get("cases") for reason in flag.reasons)
    ]


def risk_erased_pending(*, applicant: User | None = None) -> int:
    """How many flags and fingerprints ``risk_forget_erased`` would forget now."""
    fingerprints = CaseFingerprint.objects.filter(application__in=_erased_cases(applicant)).count()
    return fingerprints + len(_flags_to_forget(applicant))


def risk_forget_erased(*, actor: SystemActor, applicant: User | None = None) -> int:
    """Cases whose personal data was erased (retention, or the person's request; only
    ``applicant``'s when given) keep no fingerprint, their flags keep only their codes, and the
    decisions' notes go. Returns how many fingerprints and flags were forgotten."""
    _system(actor)
    fingerprints, _kinds = CaseFingerprint.objects.filter(application__in=_erased_cases(applicant)).delete()
    flags = _flags_to_forget(applicant)
    if not flags:
        return fingerprints
    with transaction.atomic():
        for flag in flags:
            flag.reasons = [{"code": reason.get("code", "")} for reason in flag.reasons]
            flag.score = None
            flag.save(update_fields=["reasons", "score"])
        events.notes_erase(RiskFlag._meta.label_lower, [flag.pk for flag in flags])
        events.record_many(
            "risk.flag_details_erased",
            actor=actor,
            subjects=[(flag, flag.application.office_id) for flag in flags],
        )
    return fingerprints + len(flags)


def risk_rescan(*, actor: SystemActor, now: datetime | None = None) -> dict[str, int]:
    """The nightly pass: fingerprints of recent and open cases made again (their counts over
    windows change as others apply), the model refitted, every open case scanned, erased cases
    forgotten."""
    _system(actor)
    now = now or timezone.now()
    kept = Application.objects.filter(personal_data_erased_at__isnull=True).exclude(state=State.DRAFT)
    open_cases = list(kept.filter(state__in=OPEN_STATES).order_by("pk").values_list("pk", flat=True))
    refreshed = fingerprints_refresh(
        applications=list(
            kept.filter(Q(submitted_at__gte=now - PHONE_WINDOW) | Q(state__in=OPEN_STATES)).select_related(
                "applicant", "office"
            )
        )
    )
    fitted_row = risk_model_fit(actor=actor, now=now)
    model = current_model()
    flagged = 0
    for pk in open_cases:
        flags = risk_case_scan(
            application=Application(pk=pk), actor=actor, model=model, use_current_model=False, refresh=False
        )
        flagged += sum(1 for flag in flags if flag.status == FlagStatus.OPEN)
    forgotten = risk_forget_erased(actor=actor)
    return {
        "fingerprints": refreshed,
        "model_cases": len(fitted_row.training) if fitted_row else 0,
        "scanned": len(open_cases),
        "open_flags": flagged,
        "forgotten": forgotten,
    }
