"""The office's booking rules and daily quotas."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.appointments.models import ACTIVE, Booking, BookingPolicy, QuotaDay, ServiceQuota, Slot
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.exceptions import ValidationError


def _require_manager(actor: User, office: Office) -> None:
    from gerbang.accounts.permissions import Perm, require_permission

    require_permission(actor, Perm.OFFICE_MANAGE, office_id=office.pk)


@transaction.atomic
def policy_set(*, office: Office, group: str, actor: User, **rules: Any) -> BookingPolicy:
    _require_manager(actor, office)
    if not 1 <= rules.get("release_days_ahead", 14) <= 90:
        raise ValidationError(_("Between 1 and 90 days ahead."), field="release_days_ahead")
    if not 1 <= rules.get("hold_minutes", 5) <= 30:
        raise ValidationError(_("Between 1 and 30 minutes."), field="hold_minutes")
    policy, _created = BookingPolicy.objects.update_or_create(office=office, group=group, defaults=rules)
    events.record(
        "appointment.rules_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"group": group, **{k: str(v) for k, v in rules.items()}},
    )
    return policy


@transaction.atomic
def quota_set(*, office: Office, service: Any, daily_limit: int | None, actor: User) -> None:
    """Set (or, with None, remove) a service's daily quota; coming days count against it at once."""
    _require_manager(actor, office)
    today = catalog.office_today(office)
    if daily_limit is None:
        ServiceQuota.objects.filter(office=office, service=service).delete()
        QuotaDay.objects.filter(office=office, service=service, day__gte=today).delete()
    else:
        ServiceQuota.objects.update_or_create(
            office=office, service=service, defaults={"daily_limit": daily_limit}
        )
        days = set(
            Slot.objects.filter(office=office, group=service.category, day__gte=today).values_list(
                "day", flat=True
            )
        )
        booked = {
            row["slot__day"]: row["n"]
            for row in Booking.objects.filter(
                service=service, slot__office=office, slot__day__gte=today, status__in=ACTIVE
            )
            .values("slot__day")
            .annotate(n=Count("id"))
        }
        for day in days:
            QuotaDay.objects.update_or_create(
                office=office,
                service=service,
                day=day,
                defaults={"limit": max(daily_limit, booked.get(day, 0)), "booked": booked.get(day, 0)},
            )
        Booking.objects.filter(
            service=service, slot__office=office, slot__day__gte=today, status__in=ACTIVE
        ).update(counted_in_quota=True)
    events.record(
        "appointment.quota_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"service": service.code, "daily_limit": daily_limit},
    )
