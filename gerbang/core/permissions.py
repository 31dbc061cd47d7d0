"""Who may do what: the names of the permissions, and the two questions every app asks.

The names live here so that any app can ask without knowing who decides. The user object
decides: the project's user model (``accounts``) answers ``user.has_permission(perm,
office_id=...)`` from its table of roles and the offices the person belongs to. Whoever is not
signed in, and any object that cannot answer, may do nothing (fail closed).
"""

from __future__ import annotations

from enum import StrEnum

from gerbang.core.actors import Actor, SystemActor
from gerbang.core.exceptions import PermissionDenied


class Perm(StrEnum):
    BACKOFFICE_ACCESS = "backoffice.access"
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    OFFICE_VIEW = "office.view"
    AUDIT_VIEW = "audit.view"
    # Content for everyone (FAQ, guides, national notices) vs. content of one office.
    CONTENT_NATIONAL = "content.national"
    CONTENT_OFFICE = "content.office"
    # An office's closures and which services it can offer now.
    OFFICE_MANAGE = "office.manage"
    # The national catalogue: fees and service standards, official channels.
    CATALOG_MANAGE = "catalog.manage"
    # Cases: read them (office numbers, the queue), work them, and assign or reverse them.
    CASE_VIEW = "case.view"
    CASE_WORK = "case.work"
    CASE_ASSIGN = "case.assign"
    # Assisted applications: open an application at the office (or a mobile service post) on
    # behalf of a walk-in person, with their recorded consent, and issue their take-over code.
    CASE_ASSIST = "case.assist"
    # Payments: see them per office and day; reconcile, resolve anomalies and record refunds.
    PAYMENTS_VIEW = "payments.view"
    PAYMENTS_MANAGE = "payments.manage"
    # Notification delivery: statistics, dead letters and their retry, template previews.
    NOTIFICATIONS_MANAGE = "notifications.manage"
    # The on-site queue: see it (today's figures), serve at a counter (call, complete, issue
    # walk-in tickets), see the figures per day, and set lanes, counters, rules and kiosks.
    QUEUE_VIEW = "queue.view"
    QUEUE_SERVE = "queue.serve"
    QUEUE_REPORT = "queue.report"
    QUEUE_MANAGE = "queue.manage"
    # Consultations put to an office: read them, and answer or close them.
    CONSULTATION_VIEW = "consultation.view"
    CONSULTATION_ANSWER = "consultation.answer"
    # Reports (complaints, aspirations, information requests): read the ones routed to one's
    # office, handle them (verify, answer, close), see the counts per office and kind, and the
    # national complaints unit (every report, whistle-blowing, confidential reporters' identity).
    REPORT_VIEW = "report.view"
    REPORT_HANDLE = "report.handle"
    REPORT_OVERSEE = "report.oversee"
    REPORT_NATIONAL = "report.national"
    # Ratings and reviews of the service (satisfaction): moderate reviews before they are
    # published and read the suggestion box; reply publicly, once, to a published review.
    RATING_MODERATE = "rating.moderate"
    RATING_REPLY = "rating.reply"
    # The satisfaction index (IKM): the office's figures, reports to download (PDF, spreadsheet)
    # and recomputing them now.
    IKM_VIEW = "ikm.view"
    # Demand forecasts of an office's applications and the daily quotas they suggest (applying
    # them is managing the office: OFFICE_MANAGE).
    FORECAST_VIEW = "forecast.view"
    # The supervisors' dashboards: an office's figures with the lists behind them, and the same
    # for every office side by side (the national view).
    DASHBOARD_VIEW = "dashboard.view"
    DASHBOARD_NATIONAL = "dashboard.national"
    # Participation (surveys, debates, proposals): see them in the back office; run them (create
    # and close surveys and debates, answer proposals, publish what came of them); moderate what
    # people wrote (reported posts, free-text answers).
    PARTICIPATION_VIEW = "participation.view"
    PARTICIPATION_MANAGE = "participation.manage"
    PARTICIPATION_MODERATE = "participation.moderate"
    # The public ledger: register the witnesses that cosign its checkpoints, and retire them.
    LEDGER_MANAGE = "ledger.manage"
    # Data protection (UU PDP): the data-protection officer answers people's requests (a
    # correction) and keeps the processing register.
    PRIVACY_MANAGE = "privacy.manage"
    # Risk flags (analytics): read the flags on the cases of one's offices, and record what one
    # found (no concern, or concern confirmed and referred). A flag never decides a case.
    RISK_REVIEW = "risk.review"
    # The exchange with partner agencies: read its log (every question and answer, refused ones
    # too) and the agencies' keys and grants; register agencies, their keys and grants.
    EXCHANGE_VIEW = "exchange.view"
    EXCHANGE_MANAGE = "exchange.manage"
    # Biometrics (face checks at the counter): compare the person at the counter with the case's
    # photos, see the checks and their pictures, and record one's decision. The result advises;
    # the officer decides.
    BIOMETRICS_VERIFY = "biometrics.verify"
    # The training office (docs/training.md): delete its synthetic cases and people and make
    # them again, in one action (an administrator of the training office, or a national one).
    TRAINING_RESET = "training.reset"


def has_permission(user: object, perm: Perm, *, office_id: int | None = None) -> bool:
    """Whether ``user`` holds ``perm`` (in the office ``office_id``, when given). The system
    (``SystemActor``) holds no permission: services that run as the system say so by calling
    ``require_permission_unless_system``."""
    if user is None or isinstance(user, SystemActor) or not getattr(user, "is_authenticated", False):
        return False
    decide = getattr(user, "has_permission", None)
    return callable(decide) and bool(decide(perm, office_id=office_id))


def require_permission(user: object, perm: Perm, *, office_id: int | None = None) -> None:
    if not has_permission(user, perm, office_id=office_id):
        raise PermissionDenied()


def require_permission_unless_system(actor: Actor, perm: Perm, *, office_id: int | None = None) -> None:
    """For services that also run as the system (tasks, the demo, commands): an explicit
    ``SystemActor`` passes, a person needs ``perm``. Anything else (``None``, a visitor not
    signed in) is refused: a forgotten actor never skips the check."""
    if isinstance(actor, SystemActor):
        return
    require_permission(actor, perm, office_id=office_id)
