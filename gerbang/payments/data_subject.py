"""What the payments hold about a person, for the rights of UU PDP (``core.data_subjects``): the
bills of their cases, the payments and refunds, failed attempts and the anomalies finance
looked at.

- Export: all of these for the person's own cases; staff appear by role and office.
- Blockers: money the person paid that neither settled a bill nor was refunded yet (an anomaly
  told to the payer and still open): finance must deal with it first, or the money could no
  longer reach them. An unpaid bill is no blocker of its own: it belongs to a case awaiting
  payment, which the applications already name, and withdrawing that case closes the bill.
- Erasure: bills, payments and refunds are state non-tax revenue (PNBP) records, kept for
  ``DATA_RETENTION_YEARS["payments"]`` after they ended whether or not the person asks. They
  hold no personal fields but free texts (a refund's reason and transfer reference, a failed
  attempt's reason, finance's note on an anomaly): past the period those are emptied, and the
  amounts, codes, states and times stay for the revenue figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.accounts.selectors import acted_as
from gerbang.core import data_subjects
from gerbang.core.calendar import years_later
from gerbang.core.data_subjects import Activity, Basis, Blocker, Outcome, Provider, Section, iso
from gerbang.core.formatting import rupiah
from gerbang.payments import selectors, services

BATCH = 500

ACTIVITIES = (
    Activity(
        key="payments.records",
        name=gettext_lazy("Fees of applications: bills, payments and refunds"),
        data=gettext_lazy(
            "The application a bill is for, its amount, billing code and QRIS reference; the "
            "payments made (method, amount, bank receipt or transaction number, date); refunds "
            "and failed payment attempts."
        ),
        purpose=gettext_lazy(
            "Collecting the fee of the service as state non-tax revenue, issuing receipts, "
            "reconciling with the bank and returning money paid for nothing."
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law=(
            "UU No. 9/2018 (Penerimaan Negara Bukan Pajak); Peraturan Pemerintah tentang jenis dan "
            "tarif PNBP kementerian yang membidangi keimigrasian; UU No. 43/2009 (Kearsipan: retensi)"
        ),
        retention=gettext_lazy(
            "The years of the records-retention schedule after the payment, refund or bill ended; "
            "then its free texts are erased and the amounts stay as revenue figures."
        ),
        recipients=gettext_lazy(
            "Finance staff and officers of the office; the payment provider and the bank that "
            "collect the payment; auditors."
        ),
    ),
)


def export(person: Any) -> list[Section]:
    records = selectors.records_of(person)
    bills = [
        {
            "application": bill.application.number or "",
            "reference": bill.reference,
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "currency": bill.currency,
            "status": bill.get_status_display(),
            "issued_at": iso(bill.issued_at),
            "pay_before": iso(bill.expires_at),
            "paid_at": iso(bill.paid_at),
        }
        for bill in records.bills
    ]
    payments = [
        {
            "application": payment.application.number or "",
            "method": payment.get_method_display(),
            "amount": payment.amount,
            "receipt_number": payment.receipt_number,
            "receipt_code": payment.receipt_code or "",
            "paid_on": iso(payment.paid_on),
            "paid_at": iso(payment.paid_at),
            "recorded_by": acted_as(payment.recorded_by, payment.application.office),
        }
        for payment in records.payments
    ]
    refunds = [
        {
            "application": refund.payment.application.number or "",
            "payment_receipt_number": refund.payment.receipt_number,
            "amount": refund.amount,
            "source": refund.get_source_display(),
            "reason": refund.reason,
            "transfer_reference": refund.reference,
            "at": iso(refund.created_at),
            "recorded_by": acted_as(refund.recorded_by, refund.payment.application.office),
        }
        for refund in records.refunds
    ]
    failures = [
        {
            "application": failure.bill.application.number or "",
            "bill": failure.bill.reference,
            "amount": failure.amount,
            "reason": failure.reason_text,
            "failed_at": iso(failure.failed_at),
        }
        for failure in records.failures
    ]
    anomalies = []
    for anomaly in records.anomalies:
        case = (
            anomaly.bill.application
            if anomaly.bill
            else anomaly.payment.application
            if anomaly.payment
            else None
        )
        anomalies.append(
            {
                "application": case.number or "" if case is not None else "",
                "problem": anomaly.get_kind_display(),
                "at": iso(anomaly.created_at),
                "resolved_at": iso(anomaly.resolved_at),
                "resolution": anomaly.resolution,
            }
        )
    return [
        Section("payments.bills", gettext_lazy("Bills"), bills),
        Section("payments.payments", gettext_lazy("Payments"), payments),
        Section("payments.refunds", gettext_lazy("Refunds"), refunds),
        Section("payments.failures", gettext_lazy("Failed payment attempts"), failures),
        Section("payments.anomalies", gettext_lazy("Payments that did not settle a bill"), anomalies),
    ]


def blockers(person: Any) -> list[Blocker]:
    found = []
    for case, unsettled in selectors.unsettled_cases_of(person):
        amount = sum(item.amount for item in unsettled)
        found.append(
            Blocker(
                _(
                    "Money you paid for application %(number)s (%(amount)s) did not settle its bill and "
                    "has not been dealt with yet; the office will refund or settle it first."
                )
                % {"number": case.number or "", "amount": rupiah(amount)},
                reverse("applications:detail", args=[case.pk]),
            )
        )
    return found


LABEL = gettext_lazy("Bills, payments and refunds")
KEPT_REASON = gettext_lazy(
    "State non-tax revenue (PNBP) records are kept for the years of the records-retention "
    "schedule (UU No. 9/2018 on PNBP; UU No. 43/2009 on Archives); then their free texts are "
    "erased, and amounts, codes and dates stay as revenue figures."
)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    records = selectors.records_of(person)
    cutoff = selectors.retention_cutoff(now)
    ends = records.ends()
    past = [end for end in ends if end < cutoff]
    kept = [end for end in ends if end >= cutoff]
    kept_until = (
        timezone.localtime(years_later(max(kept), selectors.retention_years())).date() if kept else None
    )
    if not dry_run:
        cases = sorted(
            {bill.application_id for bill in records.bills} | {p.application_id for p in records.payments}
        )
        while services.payment_texts_erase(
            cutoff=cutoff, why="request", actor=services.PRIVACY, application_ids=cases, limit=BATCH
        ):
            pass
    return [
        Outcome(
            key="payments.records",
            label=LABEL,
            erased=len(past),
            kept=len(kept),
            kept_until=kept_until,
            reason=KEPT_REASON if kept else "",
        )
    ]


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = selectors.retention_cutoff(now)
    if dry_run:
        return [Outcome(key="payments.records", label=LABEL, erased=selectors.texts_past_retention(cutoff))]
    erased = 0
    while True:
        done = services.payment_texts_erase(
            cutoff=cutoff, why="retention", actor=services.RETENTION, limit=BATCH
        )
        if not done:
            break
        erased += done
    return [Outcome(key="payments.records", label=LABEL, erased=erased)]


def _chunked(resolve: Callable[[Sequence[int]], dict[str, int]]) -> Callable[[Sequence[str]], dict[str, int]]:
    def owners(subject_ids: Sequence[str]) -> dict[str, int]:
        ids = data_subjects.int_ids(subject_ids)
        found: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            found.update(resolve(ids[start : start + 500]))
        return found

    return owners


data_subjects.register(
    Provider(
        key="payments",
        activities=ACTIVITIES,
        export=export,
        blockers=blockers,
        erase=erase,
        expire=expire,
        owners={
            "payments.bill": _chunked(selectors.owners_of_bills),
            "payments.payment": _chunked(selectors.owners_of_payments),
            "payments.paymentanomaly": _chunked(selectors.owners_of_anomalies),
        },
    )
)
