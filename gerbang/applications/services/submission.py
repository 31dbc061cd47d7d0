"""Submitting a case and what the applicant does after: cancelling it, sending corrections back,
asking for a new bill."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.applications import checks, numbers
from gerbang.applications.answers import check_answers
from gerbang.applications.models import Application, DocumentStatus
from gerbang.applications.selectors.case import office_today, spec_of, submission_terms, submit_problems
from gerbang.applications.selectors.tracking import tracking_key
from gerbang.applications.services.moves import WORKFLOW, _locked, _move, _owned
from gerbang.applications.workflow import Action, State
from gerbang.core.exceptions import Conflict, ValidationError


@transaction.atomic
def application_submit(*, application: Application, declaration: bool, actor: User) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    if application.state != State.DRAFT:
        raise Conflict(_("This application was already submitted."))
    problems = submit_problems(application)
    if problems.answers:
        raise ValidationError(
            _("Some answers need fixing first (%(count)s); they are marked in the steps.")
            % {"count": len(problems.answers)},
            field="answers",
        )
    if problems.missing_documents:
        raise ValidationError(
            _("Upload these documents first: %(names)s.") % {"names": "; ".join(problems.missing_documents)},
            field="documents",
        )
    if problems.failed_checks:
        raise ValidationError(" ".join(problems.failed_checks), field="documents")
    if not declaration:
        raise ValidationError(
            _("Confirm the declaration that the data and documents are true and complete."),
            field="declaration",
        )
    link = application.office.office_services.filter(service=application.service).first()
    if link is None or not link.is_offered():
        raise ValidationError(
            _("This office stopped taking applications for this service; the draft is kept.")
            + (f" {link.why_not}" if link is not None and link.why_not else ""),
            field="office",
        )
    now = timezone.now()
    terms = submission_terms(application)
    if terms is None:
        raise ValidationError(_("This service has no fee in force; it cannot be applied for now."))
    number = numbers.new_number(office_code=application.office.code, year=now.year)
    checked = problems.checked
    born: date = checked.values["date_of_birth"]
    application = _move(
        application,
        Action.SUBMIT,
        actor=actor,
        number=number,
        tracking_key=tracking_key(number, born),
        terms=terms,
        fee=terms.fee,
        submitted_at=now,
        declared_at=now,
    )
    if "mrz" in checked.values:
        checks.record_mrz_passed(application)
    checks.check_duplicates(application)
    due = now + timedelta(hours=terms.payment_deadline_hours)
    return _move(
        application, Action.ISSUE_BILL, actor=WORKFLOW, payment_due_at=due, details={"amount": terms.fee}
    )


@transaction.atomic
def application_cancel(*, application: Application, actor: User) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    return _move(application, Action.CANCEL, actor=actor)


@transaction.atomic
def application_resubmit(*, application: Application, actor: User) -> Application:
    _owned(application, actor)
    application = _locked(application, None)
    if application.state != State.CORRECTION_REQUESTED:
        raise Conflict(_("No corrections are waiting on this application."))
    errors = check_answers(
        spec_of(application),
        application.answers,
        today=office_today(application),
        for_child=application.for_child,
    ).errors
    if errors:
        raise ValidationError(_("Some answers need fixing first; they are marked."), field="answers")
    now = timezone.now()
    addressed = list(application.corrections.filter(resolved_at__isnull=True))
    application = _move(application, Action.RESUBMIT, actor=actor, details={"corrections": len(addressed)})
    application.corrections.filter(resolved_at__isnull=True).update(resolved_at=now)
    application.documents.filter(is_current=True, status=DocumentStatus.NEEDS_CORRECTION).update(
        status=DocumentStatus.PENDING
    )
    checks.check_duplicates(application)
    return application


@transaction.atomic
def bill_reissue(*, application: Application, actor: User) -> Application:
    """A new bill for an application that expired unpaid (the fee version stays the one in
    force at submission)."""
    _owned(application, actor)
    application = _locked(application, None)
    terms = application.terms
    hours = terms.payment_deadline_hours if terms else 2
    due = timezone.now() + timedelta(hours=hours)
    return _move(application, Action.REISSUE_BILL, actor=actor, payment_due_at=due)
