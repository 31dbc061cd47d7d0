"""The back office's page of the ledger's witnesses: register one, retire it, take it back."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.core.http import AuthenticatedRequest
from gerbang.core.permissions import Perm, require_permission
from gerbang.ledger import forms, selectors, services
from gerbang.ledger.models import Witness


def witness_list(request: AuthenticatedRequest) -> HttpResponse:
    """The registered witnesses, and the form to register one."""
    require_permission(request.user, Perm.LEDGER_MANAGE)
    form = forms.WitnessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            witness = services.witness_register(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s is registered as a witness.") % {"name": witness.name})
            return redirect("backoffice:ledger_witnesses")
    return render(
        request,
        "backoffice/ledger_witnesses.html",
        {"form": form, "witnesses": selectors.witnesses()},
        status=400 if form.errors else 200,
    )


@require_POST
def witness_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Retire a witness, or take it back (``active`` is "1" or "0")."""
    active = request.POST.get("active") == "1"
    witness = services.witness_set_active(
        witness=get_object_or_404(Witness, pk=pk), active=active, actor=request.user
    )
    if active:
        messages.success(request, _("%(name)s is a witness again.") % {"name": witness.name})
    else:
        messages.success(request, _("%(name)s is no longer a witness.") % {"name": witness.name})
    return redirect("backoffice:ledger_witnesses")
