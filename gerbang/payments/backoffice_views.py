"""Staff pages of payments: totals per office and day, anomalies (resolve, refund) and the
reconciliation of a provider settlement file."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications import backoffice_views as case_views
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import DateInput, RupiahField, add_service_error, carry_out, refusal_of
from gerbang.payments import reconciliation, selectors, services
from gerbang.payments.forms import CounterPaymentForm


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=DateInput(),
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=DateInput(),
    )


class ReconcileForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Settlement day"),
        widget=DateInput(),
    )
    file = forms.FileField(label=gettext_lazy("Settlement file (CSV)"))


class RefundForm(forms.Form):
    amount = RupiahField(label=gettext_lazy("Amount refunded (rupiah)"), min_value=1)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=gettext_lazy("Transfer reference"), required=False, max_length=64)


def overview(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_permission(user, Perm.PAYMENTS_VIEW)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - timedelta(days=13), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    office = request.GET.get("office", "")
    return render(
        request,
        "payments/backoffice/overview.html",
        {
            "form": form,
            "rows": selectors.payments_per_office_and_day(
                user, start=start, end=end, office_id=int(office) if office.isdigit() else None
            ),
            "offices": offices_visible_to(user),
            "office_id": int(office) if office.isdigit() else None,
            "start": start,
            "end": end,
            "anomalies": selectors.anomalies_visible_to(user)[:200],
            "can_manage": has_permission(user, Perm.PAYMENTS_MANAGE),
            "refund_form": RefundForm(),
        },
    )


@require_POST
def anomaly_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    anomaly = get_object_or_404(selectors.anomalies_visible_to(request.user), pk=pk)
    try:
        services.anomaly_resolve(
            anomaly=anomaly, resolution=request.POST.get("resolution", ""), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Anomaly resolved."))
    return redirect("backoffice:payments")


@require_POST
def refund(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    form = RefundForm(request.POST)
    if form.is_valid():
        carry_out(
            request,
            lambda: services.refund_record(payment=payment, actor=request.user, **form.cleaned_data),
            _("Refund recorded."),
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("backoffice:payments")


def reconcile(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.PAYMENTS_MANAGE)
    initial = {"day": timezone.localdate() - timedelta(days=1)}
    form = ReconcileForm(request.POST or None, request.FILES or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read(5 * 1024 * 1024).decode("utf-8-sig")
            report = reconciliation.reconcile(
                text=text,
                day=form.cleaned_data["day"],
                provider=settings.PAYMENT_PROVIDER,
                actor=request.user,
            )
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text; export the settlement as CSV."))
        except ApplicationError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "payments/backoffice/reconcile.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@require_POST
def case_payment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = case_views.case_for(request, pk)
    form = CounterPaymentForm(request.POST)
    if not form.is_valid():
        return case_views.render_case(
            request, application, status=400, refusal=refusal_of("act-payment", form=form), form=form
        )
    return case_views.after_action(
        request,
        application,
        lambda: services.payment_record_counter(
            application=application,
            receipt_number=form.cleaned_data["receipt_number"],
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
            actor=request.user,
            expected_version=case_views.posted_version(request),
        ),
        _("Payment recorded."),
        anchor="act-payment",
        form=form,
    )
