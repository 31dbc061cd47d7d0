"""Every change to slots and bookings, one module per family of actions. Each public function is
one transaction. The names are re-exported here: ``from gerbang.appointments.services import X``
and ``services.X`` work whichever module holds X."""

from gerbang.appointments.services.booking import (
    booking_cancel,
    booking_confirm,
    booking_hold,
    booking_reschedule,
    booking_visit_end,
    holds_release_lapsed,
)
from gerbang.appointments.services.closures import (
    ClosureOutcome,
    Displaced,
    notice_notify_bookings,
    office_close,
    office_reopen,
    services_resume,
    services_suspend,
)
from gerbang.appointments.services.erasure import bookings_cancel_for_erasure, bookings_personal_data_erase
from gerbang.appointments.services.hours import (
    HoursOutcome,
    office_hours_set,
    schedule_block_add,
    schedule_block_remove,
)
from gerbang.appointments.services.reminders import REMINDERS, reminders_send
from gerbang.appointments.services.rules import policy_set, quota_set
from gerbang.appointments.services.slots import (
    GENERATION_MARGIN_DAYS,
    slots_ensure,
    slots_ensure_shown,
    slots_generate,
    slots_generate_ahead,
)

__all__ = [
    "GENERATION_MARGIN_DAYS",
    "REMINDERS",
    "ClosureOutcome",
    "Displaced",
    "HoursOutcome",
    "booking_cancel",
    "booking_confirm",
    "booking_hold",
    "booking_reschedule",
    "booking_visit_end",
    "bookings_cancel_for_erasure",
    "bookings_personal_data_erase",
    "holds_release_lapsed",
    "notice_notify_bookings",
    "office_close",
    "office_hours_set",
    "office_reopen",
    "policy_set",
    "quota_set",
    "reminders_send",
    "schedule_block_add",
    "schedule_block_remove",
    "services_resume",
    "services_suspend",
    "slots_ensure",
    "slots_ensure_shown",
    "slots_generate",
    "slots_generate_ahead",
]
