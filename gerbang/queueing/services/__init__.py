"""Every change to the on-site queue, one module per family of actions. Each public function is
one transaction, records its event, and tells the office's board and ticket pages after the
commit. The names are re-exported here: ``from gerbang.queueing.services import X`` and
``services.X`` work whichever module holds X."""

from gerbang.queueing.services.administration import counter_save, lane_save, queue_policy_set
from gerbang.queueing.services.board import channel
from gerbang.queueing.services.checkin import bookings_mark_missed, check_in, read_booking_code
from gerbang.queueing.services.counters import call_next, counter_close, counter_open
from gerbang.queueing.services.erasure import tickets_personal_data_erase
from gerbang.queueing.services.kiosks import kiosk_register, kiosk_revoke, kiosk_seen
from gerbang.queueing.services.tickets import walk_in_issue
from gerbang.queueing.services.visitors import (
    ticket_call_back,
    ticket_complete,
    ticket_no_show,
    ticket_park,
    ticket_recall,
    ticket_return,
    ticket_transfer,
)

__all__ = [
    "bookings_mark_missed",
    "call_next",
    "channel",
    "check_in",
    "counter_close",
    "counter_open",
    "counter_save",
    "kiosk_register",
    "kiosk_revoke",
    "kiosk_seen",
    "lane_save",
    "queue_policy_set",
    "read_booking_code",
    "ticket_call_back",
    "ticket_complete",
    "ticket_no_show",
    "ticket_park",
    "ticket_recall",
    "ticket_return",
    "ticket_transfer",
    "tickets_personal_data_erase",
    "walk_in_issue",
]
