"""The handling unit's side of reports: the queue per office with due dates and overdue ones
marked, one report (verification, routing, answer, close), counts per office and kind for
supervisors and the national unit, and the period's CSV for a LAPOR! coordinator. A confidential
reporter's identity reaches only the national unit (``report_selectors.reporter_name``)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import offices_visible_to
from gerbang.core.exceptions import ApplicationError, Conflict
from gerbang.core.forms import add_service_error
from gerbang.feedback import report_selectors as selectors
from gerbang.feedback import report_services as services
from gerbang.feedback import threads
from gerbang.feedback.forms import (
    NATIONAL,
    ExportForm,
    ReplyForm,
    ReportFilterForm,
    RouteForm,
    VerifyForm,
    office_of,
)
from gerbang.feedback.lifecycle import Who, allowed
from gerbang.feedback.models import Report


def _visible(request: AuthenticatedRequest) -> None:
    if not (has_permission(request.user, Perm.REPORT_VIEW) or selectors.is_national(request.user)):
        require_permission(request.user, Perm.REPORT_VIEW)


def _report(request: AuthenticatedRequest, pk: int) -> Report:
    _visible(request)
    report = selectors.report_for_staff(request.user, pk)
    if report is None:
        raise Http404
    return report


def _destinations(user: Any) -> Any:
    """Where a report may be routed: every office for the national unit, else one's offices."""
    if selectors.is_national(user):
        return Office.objects.filter(is_active=True).order_by("name_id")
    return offices_visible_to(user).order_by("name_id")


def report_queue(request: AuthenticatedRequest) -> HttpResponse:
    _visible(request)
    national = selectors.is_national(request.user)
    filters = ReportFilterForm(
        request.GET or None, offices=offices_visible_to(request.user), national=national
    )
    status, kind, topic, office_code, overdue = "open", "", "", "", False
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "open"
        kind = filters.cleaned_data["kind"]
        topic = filters.cleaned_data["topic"]
        office_code = filters.cleaned_data["office"]
        overdue = filters.cleaned_data["overdue"]
    office = office_of(office_code) if office_code and office_code != NATIONAL else None
    rows = selectors.staff_queue(
        request.user,
        status=status,
        kind=kind,
        topic=topic,
        office_id=office.pk if office else None,
        national=office_code == NATIONAL,
        overdue=overdue,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "feedback/reports/backoffice/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": [
                {"report": r, "timer": selectors.timer(r, now), "overdue": selectors.is_overdue(r, now)}
                for r in page
            ],
            "query": request.GET.urlencode(),
            "can_oversee": has_permission(request.user, Perm.REPORT_OVERSEE),
        },
    )


def _detail_page(
    request: AuthenticatedRequest,
    report: Report,
    *,
    answer: ReplyForm | None = None,
    verify: VerifyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    handler = selectors.can_handle(user, report)
    actions = allowed(report.status, Who.HANDLER) if handler else []
    thread = selectors.messages_of(report)
    answer = answer or ReplyForm()
    answer.mark_seen(selectors.latest_message_id(thread))
    destinations = _destinations(user)
    office_id = report.office_id or (report.application.office_id if report.application else None)
    return render(
        request,
        "feedback/reports/backoffice/detail.html",
        {
            "report": report,
            "thread": thread,
            "reporter_name": selectors.reporter_name(user, report),
            "timer": selectors.timer(report),
            "overdue": selectors.is_overdue(report),
            "timeline": selectors.timeline(report),
            "answer_form": answer if "answer" in actions else None,
            "verify_form": (verify or VerifyForm(offices=destinations)) if "verify" in actions else None,
            "route_form": RouteForm(offices=destinations) if "route" in actions else None,
            "can_close": "close" in actions,
            "can_archive": actions == ["archive"],
            # A case names its applicant: shown only where the reporter's identity may be.
            "show_case": report.application_id is not None and selectors.may_see_identity(user, report),
            "can_see_case": report.application_id is not None
            and office_id is not None
            and selectors.may_see_identity(user, report)
            and has_permission(user, Perm.CASE_VIEW, office_id=office_id),
            "zone": threads.zone_of(report.office),
        },
        status=status,
    )


def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.report_answer(
                    report=report,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                    seen_message_id=form.cleaned_data["seen"],
                    uploads=threads.uploads_of(request),
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
                if isinstance(exc, Conflict):
                    report.refresh_from_db()
            else:
                messages.success(request, _("Your answer was sent. The reporter is told."))
                return redirect("backoffice:report", pk=report.pk)
        return _detail_page(request, report, answer=form, status=400)
    services.staff_read_record(report=report, actor=request.user)
    return _detail_page(request, report)


@require_POST
def report_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = VerifyForm(request.POST, offices=_destinations(request.user))
    if form.is_valid():
        data = form.cleaned_data
        route_to = data["route_to"]
        try:
            services.report_verify(
                report=report,
                actor=request.user,
                outcome=data["outcome"],
                tier=data["tier"],
                office=office_of(route_to),
                national=route_to == NATIONAL,
                note=data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Verification recorded. The reporter is told."))
            return redirect("backoffice:report", pk=report.pk)
    return _detail_page(request, report, verify=form, status=400)


@require_POST
def report_route(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = RouteForm(request.POST, offices=_destinations(request.user))
    if form.is_valid():
        route_to = form.cleaned_data["route_to"]
        try:
            services.report_route(report=report, actor=request.user, office=office_of(route_to))
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The report was routed on."))
            if selectors.report_for_staff(request.user, report.pk) is None:
                return redirect("backoffice:reports")
    return redirect("backoffice:report", pk=report.pk)


@require_POST
def report_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        if request.POST.get("archive"):
            services.report_verify(report=report, actor=request.user, outcome="archive")
        else:
            services.report_close(report=report, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The report is closed."))
    return redirect("backoffice:report", pk=report.pk)


def report_file(request: AuthenticatedRequest, pk: int, file_id: int) -> HttpResponseBase:
    report = _report(request, pk)
    return threads.attachment_response(
        selectors.attachments_of(report),
        file_id,
        read=lambda attachment: services.staff_file_read_record(
            report=report, attachment=attachment, actor=request.user
        ),
    )


def report_counts(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.REPORT_OVERSEE)
    today = threads.today_at(None)
    since = today - timedelta(days=90)
    return render(
        request,
        "feedback/reports/backoffice/counts.html",
        {
            "rows": selectors.counts(request.user, since=since, today=today),
            "since": since,
            # The export offers the period the counts cover, so the two agree.
            "export": ExportForm(initial={"since": since, "until": today}),
        },
    )


EXPORT_COLUMNS = (
    "tracking_id",
    "date_received",
    "channel",
    "kind",
    "category",
    "about_staff",
    "service",
    "office_unit",
    "status",
    "tier",
    "due_date",
    "date_answered",
    "date_closed",
    "days_taken",
    "escalated",
)


def report_export(request: AuthenticatedRequest) -> HttpResponse:
    """The period's reports as a LAPOR! coordinator takes them: UTF-8 with a BOM (spreadsheets
    read it right), one row per report, never a reporter's identity."""
    require_permission(request.user, Perm.REPORT_OVERSEE)
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        today = threads.today_at(None)
        return render(
            request,
            "feedback/reports/backoffice/counts.html",
            {
                "rows": selectors.counts(request.user, since=today - timedelta(days=90), today=today),
                "since": today - timedelta(days=90),
                "export": form,
            },
            status=400,
        )
    since: date = form.cleaned_data["since"]
    until: date = form.cleaned_data["until"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in selectors.export_rows(request.user, since=since, until=until):
        writer.writerow(row)
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-{since:%Y%m%d}-{until:%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
