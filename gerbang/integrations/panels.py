"""What the exchange shows on pages other apps own (``core.panels``): a case's checks with
partner agencies on the officer's case page, with why one waits and what the officer can do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gerbang.applications.models import Application
from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.integrations.checks import FAILURES
from gerbang.integrations.forms import ManualVerificationForm
from gerbang.integrations.models import CheckStatus
from gerbang.integrations.selectors import checks_of

# The fields a check answers about, named as the application form names them.
FIELD_LABELS = {
    "nik": _("NIK"),
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "date_of_birth": _("Date of birth"),
    "place_of_birth": _("Place of birth"),
    "mother_name": _("Mother's full name"),
}


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
        result = [(FIELD_LABELS.get(name, name), value) for name, value in (check.result or {}).items()]
        failure = FAILURES.get(check.last_failure, check.last_failure)
        rows.append((check, verify_form, f"check-{check.pk}", result, failure))
    return {"external_checks": rows, "may_work_checks": may_work}


panels.register(panels.Panel(panels.STAFF_CASE, "integrations/panel.html", case_checks, order=4))
