"""The reporter's pages: file a report (signed in or anonymous), my reports, one report with its
timeline, due date and thread, and the anonymous follow-up by code. Thin: parse, call a service,
render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.throttling import client_ip
from gerbang.core.exceptions import ApplicationError, Conflict, RateLimited
from gerbang.core.forms import add_service_error, carry_out
from gerbang.feedback import report_selectors as selectors
from gerbang.feedback import report_services as services
from gerbang.feedback import threads
from gerbang.feedback.forms import CHOOSE_FILES_AGAIN, FollowCodeForm, ReplyForm, ReportForm
from gerbang.feedback.lifecycle import Who, allowed
from gerbang.feedback.models import Report

SESSION_CODE = "report_follow_code"
SESSION_FILED = "report_filed_code"


def _page(request: HttpRequest, report: Report, form: ReplyForm, *, anonymous: bool) -> HttpResponse:
    thread = selectors.messages_of(report)
    form.mark_seen(selectors.latest_message_id(thread))
    actions = allowed(report.status, Who.REPORTER)
    return render(
        request,
        "feedback/reports/detail.html",
        {
            "report": report,
            "thread": thread,
            "form": form,
            "timer": selectors.timer(report),
            "overdue": selectors.is_overdue(report),
            "timeline": selectors.timeline(report),
            "can_write": bool(actions) and actions != ["confirm"],
            "can_confirm": "confirm" in actions,
            "anonymous": anonymous,
            "choose_again": CHOOSE_FILES_AGAIN,
            "silence_days": settings.REPORT_SILENCE_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


def _reply(request: HttpRequest, report: Report, *, code: str | None) -> tuple[ReplyForm, bool]:
    form = ReplyForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, False
    try:
        services.report_reply(
            report=report,
            actor=request.user,
            code=code,
            body=form.cleaned_data["body"],
            seen_message_id=form.cleaned_data["seen"],
            uploads=threads.uploads_of(request),
        )
    except ApplicationError as exc:
        add_service_error(form, exc)
        if isinstance(exc, Conflict):
            report.refresh_from_db()
        return form, False
    return form, True


@never_cache
def report_new(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_staff_role", False):
        messages.info(request, _("Reports are filed from an applicant's account or anonymously."))
        return redirect("backoffice:reports")
    initial: dict[str, Any] = {}
    if request.GET.get("office"):
        initial["office"] = request.GET["office"]
    if request.GET.get("application", "").isdigit():
        initial["application"] = int(request.GET["application"])
        initial["kind"] = "complaint"
    form = ReportForm(request.POST or None, request.FILES or None, reporter=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.report_submit(
                kind=data["kind"],
                topic=data["topic"],
                office=form.destination(),
                subject=data["subject"],
                body=data["body"],
                privacy=data["privacy"],
                about_staff=data["about_staff"],
                application=data.get("application"),
                uploads=threads.uploads_of(request),
                actor=request.user,
                client=client_ip(request),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            if filed.code:
                request.session[SESSION_FILED] = [filed.report.reference, filed.code]
                request.session[SESSION_CODE] = filed.code
                return redirect("feedback:report_filed")
            messages.success(
                request,
                _("Your report was received. Tracking id %(reference)s.")
                % {"reference": filed.report.reference},
            )
            return redirect("feedback:report", pk=filed.report.pk)
    return render(
        request,
        "feedback/reports/new.html",
        {"form": form, "choose_again": CHOOSE_FILES_AGAIN if form.is_bound and form.errors else ""},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def report_filed(request: HttpRequest) -> HttpResponse:
    """The anonymous reporter's code, shown this once (then gone from the session)."""
    found = request.session.pop(SESSION_FILED, None)
    if not found:
        return redirect("feedback:report_follow")
    reference, code = found
    return render(request, "feedback/reports/filed.html", {"reference": reference, "code": code})


@login_required
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.reports_of(request.user), 20).get_page(request.GET.get("page"))
    rows = [{"report": r, "timer": selectors.timer(r), "overdue": selectors.is_overdue(r)} for r in page]
    return render(request, "feedback/reports/list.html", {"page": page, "rows": rows})


def _own(request: AuthenticatedRequest, pk: int) -> Report:
    report = selectors.report_of(request.user, pk)
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _own(request, pk)
    form, sent = _reply(request, report, code=None)
    if sent:
        messages.success(request, _("Your message was sent to the office."))
        return redirect("feedback:report", pk=report.pk)
    return _page(request, report, form, anonymous=False)


@require_POST
@login_required
def report_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _own(request, pk)
    carry_out(
        request,
        lambda: services.report_confirm(report=report, actor=request.user),
        _("Thank you. The report is closed."),
    )
    return redirect("feedback:report", pk=report.pk)


@login_required
def report_file(request: AuthenticatedRequest, pk: int, file_id: int) -> HttpResponseBase:
    return threads.attachment_response(selectors.attachments_of(_own(request, pk)), file_id)


# --- Anonymous follow-up by code ------------------------------------------------------------------


def _followed(request: HttpRequest) -> tuple[Report, str] | None:
    code = request.session.get(SESSION_CODE) or ""
    report = selectors.report_by_code(code) if code else None
    return (report, code) if report is not None else None


@never_cache
def report_follow(request: HttpRequest) -> HttpResponse:
    """Enter the follow-up code; the report opens for this browser session."""
    form = FollowCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = selectors.report_by_code_limited(form.cleaned_data["code"], client=client_ip(request))
        except RateLimited as exc:
            form.add_error(None, str(exc.message))
            status = 429
        else:
            if report is not None:
                request.session.cycle_key()
                request.session[SESSION_CODE] = form.cleaned_data["code"]
                return redirect("feedback:report_followed")
            form.add_error("code", _("No report has this code. Check it letter by letter and try again."))
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "feedback/reports/follow.html", {"form": form}, status=status)


@never_cache
def report_followed(request: HttpRequest) -> HttpResponse:
    found = _followed(request)
    if found is None:
        return redirect("feedback:report_follow")
    report, code = found
    form, sent = _reply(request, report, code=code)
    if sent:
        messages.success(request, _("Your message was sent to the office."))
        return redirect("feedback:report_followed")
    return _page(request, report, form, anonymous=True)


@require_POST
def report_followed_confirm(request: HttpRequest) -> HttpResponse:
    found = _followed(request)
    if found is None:
        return redirect("feedback:report_follow")
    report, code = found
    carry_out(
        request,
        lambda: services.report_confirm(report=report, actor=request.user, code=code),
        _("Thank you. The report is closed."),
    )
    return redirect("feedback:report_followed")


@never_cache
def report_followed_file(request: HttpRequest, file_id: int) -> HttpResponseBase:
    found = _followed(request)
    if found is None:
        raise Http404
    return threads.attachment_response(selectors.attachments_of(found[0]), file_id)


@require_POST
def report_follow_end(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_CODE, None)
    return redirect("feedback:report_follow")
