"""The messages a case's applicant gets as it moves (``events.CaseMoved.messages``), registered
with ``gerbang.core.messages``; their templates are in ``templates/applications/messages/``.
The kinds about the fee are payments' (``payments/messages.py``), those about visits
appointments'; both build on ``case_context`` here."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.applications import assisted_codes, selectors
from gerbang.applications.models import Application, TakeoverCode
from gerbang.core import messages
from gerbang.core.messages import EMAIL_AND_SMS, SMS, Group, Kind, StoredMessage, when_shown
from gerbang.core.models import Event

TEMPLATES = "applications/messages"


def case_context(message: StoredMessage) -> dict[str, Any]:
    """The case as it is now (a late message is still right): what happened, why, what to do
    next, the corrections asked for. The values only some templates show are worked out when
    one does."""
    context: dict[str, Any] = dict(message.context)
    application = (
        Application.objects.select_related("service", "office")
        .filter(pk=int(message.context.get("application_id") or 0))
        .first()
    )
    if application is None:
        return context
    entries = when_shown(lambda: [e for e in selectors.timeline(application) if e.code == message.kind])
    context.update(
        {
            "application": application,
            "link": f"{settings.SITE_URL}{reverse('applications:detail', args=[application.pk])}",
            "what_happened": when_shown(lambda: entries()[-1].text if entries() else ""),
            "reason": when_shown(lambda: entries()[-1].reason if entries() else ""),
            "next_step": selectors.next_step(application),
            "corrections": when_shown(lambda: selectors.open_corrections(application)),
            "event": when_shown(
                lambda: (
                    Event.objects.filter(
                        subject_type="applications.application",
                        subject_id=str(application.pk),
                        code=message.kind,
                    )
                    .order_by("-created_at")
                    .first()
                )
            ),
        }
    )
    return context


def case_sample() -> dict[str, Any]:
    """A made-up case of the same shape, for the staff's template previews."""
    office = SimpleNamespace(
        name="Kantor Imigrasi Mesuji", time_zone="Asia/Jakarta", address="Jl. Contoh No. 1"
    )
    return {
        "user": SimpleNamespace(full_name="Siti Rahmawati"),
        "application": SimpleNamespace(
            number="MESUJI-2026-7K3QH-9TX2MT",
            service=SimpleNamespace(name="Paspor biasa / Ordinary passport"),
            office=office,
            fee=350_000,
            due_date=timezone.localdate() + timedelta(days=6),
        ),
        "link": f"{settings.SITE_URL}/applications/1/",
        "next_step": None,
        "corrections": [
            SimpleNamespace(
                label="KTP-el", correction=SimpleNamespace(message="Pindaian buram. / The scan is blurred.")
            )
        ],
    }


messages.register_group(
    Group(
        "application",
        _("Progress of my applications"),
        _("Submitted, corrections asked for, interview, ready for pickup."),
        EMAIL_AND_SMS,
        order=10,
    )
)
messages.register_group(
    Group(
        "decision",
        _("Decisions"),
        _("Approval or refusal. Always sent by email and to the inbox."),
        EMAIL_AND_SMS,
        order=50,
    )
)


def _case_kind(action: str, group: str, template: str, *, legal: bool = False) -> Kind:
    return Kind(
        code=f"application.{action}",
        group=group,
        template=f"{TEMPLATES}/{template}",
        context=case_context,
        sample=case_sample,
        legal=legal,
    )


messages.register(
    _case_kind("submit", "application", "application_submitted"),
    _case_kind("cancel", "application", "application_update"),
    _case_kind("request_correction", "application", "correction_requested"),
    _case_kind("resubmit", "application", "application_update"),
    _case_kind("send_to_interview", "application", "application_update"),
    _case_kind("send_to_review", "application", "application_update"),
    _case_kind("complete_interview", "application", "application_update"),
    _case_kind("approve", "decision", "decision", legal=True),
    _case_kind("reject", "decision", "decision", legal=True),
    _case_kind("reverse_decision", "decision", "decision", legal=True),
    _case_kind("mark_ready", "application", "ready_for_pickup"),
    _case_kind("mark_collected", "application", "application_update"),
)


def takeover_context(message: StoredMessage) -> dict[str, Any]:
    """The take-over code of an assisted application, made when the SMS is rendered (only its
    hash is stored): none once it was used, voided or expired."""
    context = case_context(message)
    code = TakeoverCode.objects.filter(pk=int(message.context.get("code_id") or 0)).first()
    usable = code is not None and code.is_usable()
    context.update(
        {
            "code": assisted_codes.code_for(code.nonce) if usable and code else "",
            "expires_at": code.expires_at if code else None,
            "takeover_link": f"{settings.SITE_URL}{reverse('applications:take_over')}",
        }
    )
    return context


def takeover_sample() -> dict[str, Any]:
    sample = case_sample()
    sample.update(
        {
            "code": "7K3Q-H9TX",
            "expires_at": timezone.now() + timedelta(days=30),
            "takeover_link": f"{settings.SITE_URL}/applications/take-over/",
        }
    )
    return sample


messages.register(
    Kind(
        code="application.takeover_code",
        group="application",
        template=f"{TEMPLATES}/takeover_code",
        context=takeover_context,
        sample=takeover_sample,
        # By SMS only: the code must not rest in an inbox or a mailbox someone else may read.
        fixed_channels=frozenset({SMS}),
        secret_links=True,
    )
)
