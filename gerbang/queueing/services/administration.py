"""The office's administrators set up lanes, counters and the queue's rules."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.catalog.models import Office, ServiceCategory
from gerbang.core import events
from gerbang.core.exceptions import ValidationError
from gerbang.queueing.models import Counter, Lane, QueuePolicy
from gerbang.queueing.services.board import _tell_board
from gerbang.queueing.services.counters import _serving


def _require_manager(actor: User, office: Office) -> None:
    require_permission(actor, Perm.QUEUE_MANAGE, office_id=office.pk)


@transaction.atomic
def lane_save(
    *,
    office: Office,
    letter: str,
    name_id: str,
    name_en: str = "",
    group: str = "",
    purpose: str = "",
    is_active: bool = True,
    actor: User,
) -> Lane:
    """Add a lane, or change the lane with this letter."""
    _require_manager(actor, office)
    letter = (letter or "").strip().upper()
    if len(letter) != 1 or not "A" <= letter <= "Z":
        raise ValidationError(_("One capital letter, A to Z."), field="letter")
    if not name_id.strip():
        raise ValidationError(_("Give the lane a name."), field="name_id")
    if group and group not in ServiceCategory.values:
        raise ValidationError(_("Choose a service group from the list."), field="group")
    lane, _created = Lane.objects.update_or_create(
        office=office,
        letter=letter,
        defaults={
            "name_id": name_id.strip(),
            "name_en": name_en.strip(),
            "group": group,
            "purpose": purpose,
            "is_active": is_active,
        },
    )
    events.record(
        "queue.lane_saved",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"letter": letter, "group": group, "purpose": purpose, "active": is_active},
    )
    _tell_board(office)
    return lane


@transaction.atomic
def counter_save(
    *, office: Office, number: int, lanes: list[Lane], is_active: bool = True, actor: User
) -> Counter:
    """Add a counter, or change the lanes of the counter with this number."""
    _require_manager(actor, office)
    if not 1 <= number <= 999:
        raise ValidationError(_("A counter number between 1 and 999."), field="number")
    if not lanes:
        raise ValidationError(_("Choose at least one lane for the counter."), field="lanes")
    if any(lane.office_id != office.pk for lane in lanes):
        raise ValidationError(_("Choose lanes of this office."), field="lanes")
    counter, _created = Counter.objects.update_or_create(
        office=office, number=number, defaults={"is_active": is_active}
    )
    if not is_active and _serving(counter) is not None:
        raise ValidationError(_("The counter is serving a visitor; it can be taken out of use after."))
    if not is_active:
        Counter.objects.filter(pk=counter.pk).update(opened_by=None, opened_at=None)
    counter.lanes.set(lanes)
    events.record(
        "queue.counter_saved",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"number": number, "lanes": sorted(lane.letter for lane in lanes), "active": is_active},
    )
    _tell_board(office)
    return counter


@transaction.atomic
def queue_policy_set(
    *,
    office: Office,
    priority_every: int,
    wait_target_minutes: int,
    default_service_minutes: int,
    actor: User,
) -> QueuePolicy:
    _require_manager(actor, office)
    if not 1 <= priority_every <= 20:
        raise ValidationError(_("Between 1 (priority first) and 20."), field="priority_every")
    if not 1 <= wait_target_minutes <= 480:
        raise ValidationError(_("Between 1 and 480 minutes."), field="wait_target_minutes")
    if not 1 <= default_service_minutes <= 120:
        raise ValidationError(_("Between 1 and 120 minutes."), field="default_service_minutes")
    rules = {
        "priority_every": priority_every,
        "wait_target_minutes": wait_target_minutes,
        "default_service_minutes": default_service_minutes,
    }
    policy, _created = QueuePolicy.objects.update_or_create(office=office, defaults=rules)
    events.record("queue.rules_set", actor=actor, subject=office, office_id=office.pk, details=rules)
    _tell_board(office)
    return policy
