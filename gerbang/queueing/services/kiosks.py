"""Check-in kiosks: registered, revoked, seen in use."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import events
from gerbang.core.exceptions import ValidationError
from gerbang.queueing.models import KioskDevice
from gerbang.queueing.services.administration import _require_manager


@transaction.atomic
def kiosk_register(*, office: Office, name: str, actor: User) -> KioskDevice:
    _require_manager(actor, office)
    if not name.strip():
        raise ValidationError(_("Name the kiosk (where it stands)."), field="name")
    kiosk = KioskDevice.objects.create(office=office, name=name.strip()[:100], created_by=actor)
    events.record(
        "queue.kiosk_registered",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"kiosk": kiosk.name},
    )
    return kiosk


@transaction.atomic
def kiosk_revoke(*, kiosk: KioskDevice, actor: User, now: dt.datetime | None = None) -> KioskDevice:
    _require_manager(actor, kiosk.office)
    KioskDevice.objects.filter(pk=kiosk.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    kiosk.refresh_from_db()
    events.record(
        "queue.kiosk_revoked",
        actor=actor,
        subject=kiosk.office,
        office_id=kiosk.office_id,
        details={"kiosk": kiosk.name},
    )
    return kiosk


def kiosk_seen(kiosk: KioskDevice, now: dt.datetime | None = None) -> None:
    """Note that a kiosk is in use (shown to administrators); at most once a minute."""
    now = now or timezone.now()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > dt.timedelta(minutes=1):
        KioskDevice.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
