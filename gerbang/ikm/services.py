"""Writes of the IKM: a served person's answers (anonymous), and the figures computed from them."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office, Service
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, PermissionDenied, Problems, ValidationError
from gerbang.core.permissions import Perm, require_permission_unless_system
from gerbang.ikm import computation, selectors
from gerbang.ikm.models import Response, Result, Served
from gerbang.ikm.periods import Period, periods_of_month
from gerbang.ikm.questionnaire import ELEMENTS, AgeBand, Education, Occupation, Sex
from gerbang.satisfaction.models import Invitation

ALREADY_ANSWERED = _("This questionnaire was already answered. Thank you!")
CLOSED = _("The time to answer this questionnaire has passed.")
CHOOSE_ONE = _("Choose one of the answers.")

_PROFILE = {
    "age_band": AgeBand,
    "sex": Sex,
    "education": Education,
    "occupation": Occupation,
}


def _clean(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every answer checked at once: each problem names its field."""
    cleaned: dict[str, Any] = {}
    with Problems() as problems:
        for element in ELEMENTS:
            raw: Any = answers.get(element.field)
            try:
                score = int(raw)
            except (TypeError, ValueError):
                score = 0
            if score not in computation.SCALE:
                problems.add(ValidationError(CHOOSE_ONE, field=element.field))
            cleaned[element.field] = score
        for field, choices in _PROFILE.items():
            value = str(answers.get(field) or "")
            if value not in choices.values:
                problems.add(ValidationError(CHOOSE_ONE, field=field))
            cleaned[field] = value
    return cleaned


def response_submit(
    *, invitation: Invitation, answers: Mapping[str, Any], actor: Any, now: datetime | None = None
) -> Response:
    """Answer the questionnaire for ``invitation``, once. The invitation's token is the key (a
    visitor without an account has no other); a signed-in person other than the one invited
    may not answer for them. The response keeps nobody's identity (see ``models``)."""
    if actor is None:
        raise PermissionDenied()
    if (
        not isinstance(actor, SystemActor)
        and getattr(actor, "is_authenticated", False)
        and invitation.person_id is not None
        and actor.pk != invitation.person_id
    ):
        raise PermissionDenied()
    cleaned = _clean(answers)
    if selectors.is_answered(invitation):
        raise Conflict(ALREADY_ANSWERED)
    if (now or timezone.now()) >= selectors.answer_deadline(invitation):
        raise Conflict(CLOSED)
    try:
        with transaction.atomic():
            return Response.objects.create(
                key=selectors.invitation_key(invitation),
                office=invitation.office,
                service=invitation.service,
                served_month=selectors.month_of(invitation.served_at),
                **cleaned,
            )
    except IntegrityError as exc:  # answered at the same moment in another tab
        raise Conflict(ALREADY_ANSWERED) from exc


def served_count(
    *,
    occasion: str,
    occasion_id: int,
    office_id: int | None,
    service_id: int | None,
    served_at: datetime,
    actor: SystemActor,
) -> bool:
    """Count one occasion served in the population of its office, service and month: once
    (a repeated event, or a race with the reconciliation, counts nothing more). Whether the
    person has an account or was invited does not matter. Returns whether it was new."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    if Served.objects.filter(occasion=occasion, occasion_id=occasion_id).exists():
        return False
    try:
        with transaction.atomic():
            Served.objects.create(
                occasion=occasion,
                occasion_id=occasion_id,
                office_id=office_id,
                service_id=service_id,
                served_month=selectors.month_of(served_at),
            )
    except IntegrityError:  # counted meanwhile by another worker
        return False
    return True


@transaction.atomic
def served_reconcile(*, actor: Any, since: date | None = None) -> int:
    """Count every occasion served since ``since`` (ever, when None) that the population is
    missing: an event whose subscriber failed after its commit, or what was served before the
    count was kept (``manage.py ikm_reconcile``). Idempotent. Returns how many were added."""
    require_permission_unless_system(actor, Perm.IKM_VIEW)
    existing = Served.objects.all()
    if since is not None:
        existing = existing.filter(served_month__gte=since.replace(day=1))
    seen = set(existing.values_list("occasion", "occasion_id"))
    missing: list[Served] = []
    for each in selectors.occasions_served(since=selectors.start_of(since) if since else None):
        key = (each.occasion, each.occasion_id)
        if key in seen:
            continue
        seen.add(key)
        missing.append(
            Served(
                occasion=each.occasion,
                occasion_id=each.occasion_id,
                office_id=each.office_id,
                service_id=each.service_id,
                served_month=selectors.month_of(each.served_at),
            )
        )
    before = Served.objects.count()
    # An occasion counted in an earlier month than ``since`` is already there: not again.
    Served.objects.bulk_create(missing, batch_size=2000, ignore_conflicts=True)
    return Served.objects.count() - before


def _scope(office_code: str | None, service_code: str | None, period: Period) -> str:
    return f"{office_code or selectors.NATIONAL}/{service_code or 'all'}/{period.slug}"


def _periods(today: date) -> list[Period]:
    """Every period with answers, and the periods running today."""
    months = set(selectors.answered_months()) | {today.replace(day=1)}
    return sorted({period for month in months for period in periods_of_month(month)})


def _scopes_of(key: selectors.Key) -> list[selectors.Key]:
    """Where the answers and the people served of one (office, service) count: the office's
    service and the whole office, and the national figure of the service and of everything
    (office None). The national unit's own occasions (office None) count nationally only."""
    office_id, service_id = key
    scopes: list[selectors.Key] = [(None, None)]
    if service_id is not None:
        scopes.append((None, service_id))
    if office_id is not None:
        scopes.append((office_id, None))
        if service_id is not None:
            scopes.append((office_id, service_id))
    return scopes


@transaction.atomic
def results_compute(*, actor: Any, today: date | None = None) -> int:
    """Compute and store the figures of every office, of the whole country (office None:
    every office and the national unit together), of each service (and all services
    together), and each period (month, quarter, year) with answers or with the present
    period; figures of scopes that no longer have any are removed. The occasions served of
    the recent months that the population is missing are counted first. Idempotent. Returns
    the rows stored."""
    require_permission_unless_system(actor, Perm.IKM_VIEW)
    today = today or timezone.localdate()
    # The present month and the one before (``manage.py ikm_reconcile`` counts every month).
    served_reconcile(actor=actor, since=(today.replace(day=1) - timedelta(days=1)).replace(day=1))
    decimals = settings.IKM_WEIGHT_DECIMALS
    offices = {office.pk: office for office in Office.objects.all()}
    services = {service.pk: service for service in Service.objects.all()}
    kept: set[str] = set()
    now = timezone.now()
    for period in _periods(today):
        tallies = selectors.response_sums(period)
        served = selectors.populations(period)
        scopes: dict[selectors.Key, tuple[selectors.Tally, int]] = {}
        for key in set(tallies) | set(served):
            tally = tallies.get(key, selectors.Tally())
            population = served.get(key, 0)
            for scope in _scopes_of(key):
                whole, whole_population = scopes.get(scope) or (selectors.Tally(), 0)
                whole.add(tally)
                scopes[scope] = (whole, whole_population + population)
        for (office_id, service_id), (tally, population) in scopes.items():
            if tally.respondents:
                kept.add(
                    _store(
                        offices[office_id] if office_id else None,
                        services[service_id] if service_id else None,
                        period,
                        tally,
                        population,
                        decimals,
                        now,
                    )
                )
    Result.objects.exclude(scope__in=kept).delete()
    return len(kept)


def _store(
    office: Any,
    service: Any,
    period: Period,
    tally: selectors.Tally,
    population: int,
    decimals: int | None,
    now: datetime,
) -> str:
    # Answers can come from occasions not counted (served before the count was kept and not
    # reconciled yet): the population is never taken as smaller than the respondents.
    respondents = tally.respondents
    outcome = computation.from_sums(
        tally.sums, respondents, population=max(population, respondents), weight_decimals=decimals
    )
    scope = _scope(office.code if office else None, service.code if service else None, period)
    Result.objects.update_or_create(
        scope=scope,
        defaults={
            "office": office,
            "service": service,
            "period_kind": period.kind,
            "period_start": period.start,
            "respondents": respondents,
            "sums": list(outcome.sums),
            # Counted from the same rows as the sums: the report's profile adds up to them.
            "profile": tally.profile,
            "nrr": [str(computation.rounded(value, 3)) for value in outcome.nrr],
            "ikm": outcome.ikm,
            "grade": outcome.grade or "",
            "population": outcome.population,
            "minimum_sample": outcome.minimum_sample,
            "weight_decimals": decimals,
            "computed_at": now,
        },
    )
    return scope


# --- Erasure at the person's request (UU PDP Pasal 43) ---------------------------------------------

# An unlinked response's key: random, and never the shape of a blind index (hex only).
UNLINKED_PREFIX = "unlinked-"


@transaction.atomic
def person_responses_unlink(*, person: Any, actor: Any) -> int:
    """Cut the only link from ``person``'s invitations to their answers: each response's keyed
    hash of its invitation becomes a random value. The answers stay in the published figures;
    nobody, the holder of the key included, can find them from the person any more."""
    if not isinstance(actor, SystemActor) and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied()
    count = 0
    for response in selectors.responses_of(person).select_for_update():
        response.key = UNLINKED_PREFIX + secrets.token_hex(24)
        response.save(update_fields=["key"])
        count += 1
    # Recorded whether or not there were answers, and without their number: the audit log must
    # not tell whether the person answered.
    events.record("ikm.answers_unlinked", actor=actor, subject=person)
    return count
