"""The message that an office answered a question (a consultation), registered with
``gerbang.core.messages``; its template is in ``templates/feedback/messages/``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerbang.core import event_text, messages
from gerbang.core.messages import EMAIL_AND_SMS, EMAIL_ONLY, Group, Kind, StoredMessage
from gerbang.feedback.models import Consultation, Report


def consultation_context(message: StoredMessage) -> dict[str, Any]:
    """The question and the answer the message is about, as stored (encrypted) now."""
    consultation = (
        Consultation.objects.select_related("office")
        .filter(pk=int(message.context.get("consultation_id") or 0))
        .first()
    )
    if consultation is None:
        return {}
    answer = consultation.messages.filter(pk=int(message.context.get("message_id") or 0)).first()
    return {
        "consultation": consultation,
        "answer": answer.body if answer else "",
        "link": f"{settings.SITE_URL}{reverse('feedback:detail', args=[consultation.pk])}",
    }


def consultation_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "consultation": SimpleNamespace(
            reference="KONS-7K3Q-H9TX",
            subject="Paspor anak / A child's passport",
            office=SimpleNamespace(name="Kantor Imigrasi Mesuji"),
        ),
        "answer": "Ya, kedua orang tua hadir saat wawancara. / Yes, both parents come to the interview.",
        "link": f"{settings.SITE_URL}/consultations/1/",
    }


messages.register_group(
    Group(
        "consultation",
        _("Answers to my questions"),
        _("An office answered a question you asked."),
        EMAIL_AND_SMS,
        order=40,
    )
)
messages.register(
    Kind(
        code="consultation.answered",
        group="consultation",
        template="feedback/messages/consultation_answered",
        context=consultation_context,
        sample=consultation_sample,
    )
)


# --- Reports ----------------------------------------------------------------------------------------


def report_context(message: StoredMessage) -> dict[str, Any]:
    """The reporter's report as it stands now, what happened, and the office's latest words."""
    report = (
        Report.objects.select_related("office").filter(pk=int(message.context.get("report_id") or 0)).first()
    )
    if report is None:
        return {}
    latest = report.messages.filter(from_office=True).order_by("-id").first()
    return {
        "report": report,
        "what": event_text.name_of(str(message.context.get("code", ""))),
        "office_words": latest.body if latest else "",
        "link": f"{settings.SITE_URL}{reverse('feedback:report', args=[report.pk])}",
    }


def report_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "report": SimpleNamespace(
            reference="LAPOR-7K3Q-H9TX",
            subject="Antrean terlalu lama / The queue was too long",
            status_label="Answered",
            due=None,
        ),
        "what": "Report answered",
        "office_words": "Terima kasih atas laporan Anda. / Thank you for your report.",
        "link": f"{settings.SITE_URL}/lapor/1/",
    }


def escalation_context(message: StoredMessage) -> dict[str, Any]:
    """For staff: which report is overdue and where it went; never who filed it or what it says."""
    report = (
        Report.objects.select_related("office").filter(pk=int(message.context.get("report_id") or 0)).first()
    )
    if report is None:
        return {}
    return {
        "report": report,
        "level": int(message.context.get("level") or 1),
        "link": f"{settings.SITE_URL}{reverse('backoffice:report', args=[report.pk])}",
    }


def escalation_sample() -> dict[str, Any]:
    return {
        "user": SimpleNamespace(full_name="Budi Santoso"),
        "report": SimpleNamespace(
            reference="LAPOR-7K3Q-H9TX",
            kind_label="Complaint",
            office=SimpleNamespace(name="Kantor Imigrasi Mesuji"),
            due=None,
        ),
        "level": 1,
        "link": f"{settings.SITE_URL}/backoffice/reports/1/",
    }


messages.register_group(
    Group(
        "report",
        _("My reports and complaints"),
        _("Each step of a report, complaint or request for information you filed."),
        EMAIL_AND_SMS,
        order=41,
    )
)
messages.register(
    Kind(
        code="report.updated",
        group="report",
        template="feedback/messages/report_updated",
        context=report_context,
        sample=report_sample,
    ),
    Kind(
        code="report.escalated",
        group="report",
        template="feedback/messages/report_escalated",
        context=escalation_context,
        sample=escalation_sample,
        fixed_channels=EMAIL_ONLY,
    ),
)
