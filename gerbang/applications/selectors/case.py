"""One case as the services and pages see it: the part a person plays in it, its form, its
office's day, the fee and standard a submission gets, and what still stands before it is submitted
or while its office cannot take it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from gerbang.accounts.models import Role
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.applications import checks
from gerbang.applications.answers import Checked, check_answers
from gerbang.applications.formspec import FORMS, FormSpec
from gerbang.applications.models import Application, AssistedIntake, CheckOutcome
from gerbang.applications.slots import document_slots
from gerbang.applications.workflow import Actor, State
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import ServiceTerms
from gerbang.core.actors import SystemActor

ROLE_ACTORS = {Role.OFFICER: Actor.OFFICER, Role.SUPERVISOR: Actor.SUPERVISOR}


def spec_of(application: Application) -> FormSpec:
    return FORMS[application.form_key]


def actor_of(application: Application, user: Any) -> Actor | None:
    """The part ``user`` plays in this case, or None when they have no part in it."""
    if isinstance(user, SystemActor):
        return Actor.SYSTEM
    if not getattr(user, "is_authenticated", False):
        return None
    if user.pk == application.applicant_id:
        return Actor.APPLICANT
    if assisting(application, user):
        return Actor.APPLICANT
    if user.role in ROLE_ACTORS and has_permission(user, Perm.CASE_WORK, office_id=application.office_id):
        return ROLE_ACTORS[Role(user.role)]
    return None


# The states in which an officer may act in the applicant's part of an assisted case (the
# draft: its form, documents and submission), until the person takes it over online.
ASSISTED_STATES = frozenset({State.DRAFT})


def assisting(application: Application, user: Any) -> bool:
    """Whether ``user`` is an officer entering an assisted application for its person now: it
    was opened at the office (``AssistedIntake``), the person has not taken it over, it is a
    draft, and the officer may assist in its office. Each such step records the officer."""
    if application.state not in ASSISTED_STATES or not getattr(user, "is_authenticated", False):
        return False
    if not has_permission(user, Perm.CASE_ASSIST, office_id=application.office_id):
        return False
    intake = AssistedIntake.objects.filter(application_id=application.pk).only("taken_over_at").first()
    return intake is not None and intake.is_open


def on_behalf(application: Application, actor: Any) -> dict[str, Any]:
    """What an event's details add when ``actor`` is an officer entering the case for its
    person: ``{"on_behalf": True}`` (the timeline and the audit log say "entered by an officer
    on behalf of the applicant"); nothing otherwise."""
    if isinstance(actor, SystemActor) or getattr(actor, "pk", None) in (None, application.applicant_id):
        return {}
    return {"on_behalf": True} if assisting(application, actor) else {}


def office_today(application: Application) -> date:
    return catalog.office_today(application.office)


def submission_terms(application: Application) -> ServiceTerms | None:
    """The fee and standard a submission today gets (shown on the review page, taken on submit)."""
    return catalog.terms_in_force(application.service, office_today(application))


@dataclass
class SubmitProblems:
    answers: dict[str, str]
    missing_documents: list[str]
    failed_checks: list[str]
    checked: Checked


def submit_problems(application: Application) -> SubmitProblems:
    """What still stands between a draft and its submission (empty lists when nothing)."""
    spec = spec_of(application)
    checked = check_answers(
        spec, application.answers, today=office_today(application), for_child=application.for_child
    )
    present = {d.slot: d for d in application.documents.filter(is_current=True)}
    missing = [str(s.label) for s in document_slots(application) if s.key not in present]
    failed = []
    for result in application.checks.filter(outcome=CheckOutcome.FAILED, visible_to_applicant=True):
        if result.document_id is None or any(d.pk == result.document_id for d in present.values()):
            failed.extend(checks.describe(result))
    return SubmitProblems(
        answers=checked.errors, missing_documents=missing, failed_checks=failed, checked=checked
    )


def expected_completion(application: Application) -> date | None:
    return application.due_date


def why_not_offered(application: Application) -> str:
    """For a draft: why its office cannot take its service now (the notice or shortage that stops
    it), or "" when it can; submitted cases go on regardless."""
    if application.state != State.DRAFT:
        return ""
    link = (
        application.office.office_services.select_related("office")
        .filter(service=application.service)
        .first()
    )
    if link is None:
        return str(_("This office no longer offers this service."))
    return "" if link.offered_now else link.why_not
