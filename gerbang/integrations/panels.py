"""What the exchange shows on pages other apps own (``core.panels``): a case's checks with
partner agencies on the officer's case page, with why one waits and what the officer can do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gerbang.applications.models import Application
from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.integrations.checks import FAILURES
from gerbang.integrations.forms import ManualVerificationForm, ResolutionForm
from gerbang.integrations.models import CheckStatus, ExternalCheck
from gerbang.integrations.selectors import checks_of, work_counts

# The fields a check answers about, named as the application form names them.
FIELD_LABELS = {
    "nik": _("NIK"),
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "date_of_birth": _("Date of birth"),
    "place_of_birth": _("Place of birth"),
    "family_card": _("Family card number"),
    "mother_name": _("Mother's full name"),
    "reference": _("Listing reference"),
    "request_number": _("The ministry's request number"),
    "passport_type": _("Passport type"),
}
# The answer's fields in this order (the NIK, then as the form asks them).
_ORDER = {name: place for place, name in enumerate(FIELD_LABELS)}

# What an answer says, in a sentence for the officer.
VERDICTS = {
    "match": _("Every field matches the registry."),
    "mismatch": _("Some fields do not match the registry: check them with the applicant's documents."),
    "partial": _("The registry did not answer every field: check the others with the applicant's documents."),
    "not_found": _("The registry does not know this NIK."),
    "no_hit": _("Not on any list."),
    "hit": _(
        "On a list: ask the police for the listing by its reference, compare it with the applicant's "
        "documents, and record your finding."
    ),
    "possible_hit": _(
        "Possibly on a list (the name matches, not everything else): ask the police for the listing by its "
        "reference, compare it with the applicant's documents, and record whether it is the same person."
    ),
    "resolved_cleared": _("Listed under the same name, but not the same person: cleared by an officer."),
    "resolved_confirmed": _("On a list, confirmed by an officer: the listing applies to the applicant."),
    "sponsor_good": _("The sponsor is in good standing."),
    "sponsor_suspended": _("The sponsor is suspended: the sponsorship cannot be accepted as it is."),
    "sponsor_unknown": _("The ministry does not know this sponsor."),
    "official_in_process": _(
        "The ministry is still processing the request for a diplomatic or service passport."
    ),
    "official_issued": _(
        "The ministry has issued the diplomatic or service passport: it is for official travel, and an "
        "ordinary passport for private travel; check that the purpose stated fits."
    ),
    "official_refused": _("The ministry refused the request for a diplomatic or service passport."),
    "official_not_found": _(
        "The ministry knows no such request for this person and passport type: ask the applicant for "
        "the ministry's receipt."
    ),
    "manual": _("Verified by an officer"),
}


def _verdict(check: ExternalCheck) -> Any:
    if check.resolution:
        return VERDICTS[f"resolved_{check.resolution}"]
    return VERDICTS.get(check.verdict, "")


@dataclass(frozen=True)
class Row:
    check: ExternalCheck
    verify_form: ManualVerificationForm | None
    resolve_form: ResolutionForm | None
    anchor: str
    result: list[tuple[Any, str]]
    failure: Any
    verdict: Any

    @property
    def calm(self) -> bool:
        """An answer that asks nothing more of the officer."""
        return (
            self.check.verdict in {"match", "no_hit", "sponsor_good", "official_in_process"}
            or self.check.resolution == "cleared"
        )


def case_checks(request: HttpRequest, *, application: Application, form: Any = None) -> dict[str, Any] | None:
    checks = checks_of(application)
    if not checks:
        return None
    may_work = has_permission(request.user, Perm.CASE_WORK, office_id=application.office_id)
    rows = []
    for check in checks:
        verify_form = None
        if may_work and check.status == CheckStatus.WAITING and check.last_failure:
            posted = isinstance(form, ManualVerificationForm) and form.check_id == check.pk
            verify_form = form if posted else ManualVerificationForm(check_id=check.pk)
        result = [
            (FIELD_LABELS.get(name, name), value)
            for name, value in sorted((check.result or {}).items(), key=lambda item: _ORDER.get(item[0], 99))
        ]
        resolve_form = None
        if may_work and check.awaits_resolution:
            posted = isinstance(form, ResolutionForm) and form.check_id == check.pk
            resolve_form = form if posted else ResolutionForm(check_id=check.pk)
        failure = FAILURES.get(check.last_failure, check.last_failure)
        rows.append(
            Row(
                check,
                verify_form,
                resolve_form,
                f"check-{check.pk}",
                result,
                failure,
                _verdict(check),
            )
        )
    return {"external_checks": rows, "may_work_checks": may_work}


def work_card(request: HttpRequest) -> dict[str, Any] | None:
    if not has_permission(request.user, Perm.CASE_WORK):
        return None
    counts = work_counts(request.user)
    if not any(counts.values()):
        return None
    return {"partner_work": counts}


panels.register(
    panels.Panel(panels.STAFF_WORK, "integrations/work_card.html", work_card, order=26),
    panels.Panel(
        panels.STAFF_CASE,
        "integrations/panel.html",
        case_checks,
        order=4,
        jump=("checks", _("Partner agencies")),
    ),
)
