"""Reading the queue, one module per family: the board and tickets (``board``), the office's rules
(``rules``), the figures per day (``figures``). The names are re-exported here:
``from gerbang.queueing.selectors import X`` and ``selectors.X`` work whichever module holds X."""

from gerbang.queueing.selectors.board import (
    BOARD_CACHE_SECONDS,
    RECENT_CALLS,
    RECENT_DAYS,
    RECENT_VISITS,
    LaneQueue,
    TicketView,
    board_state,
    board_version,
    call_order,
    counter_view,
    counters_of,
    current_board,
    kiosk_by_id,
    lane_queues,
    lanes_of,
    open_tickets,
    seconds_per_visitor,
    ticket_by_token,
    ticket_view,
)
from gerbang.queueing.selectors.figures import DayFigures, Waits, day_figures, days_figures, waits
from gerbang.queueing.selectors.rules import CALL_ORDER, choose_priority, closed_now_text, lane_for, policy_of

__all__ = [
    "BOARD_CACHE_SECONDS",
    "CALL_ORDER",
    "RECENT_CALLS",
    "RECENT_DAYS",
    "RECENT_VISITS",
    "DayFigures",
    "LaneQueue",
    "TicketView",
    "Waits",
    "board_state",
    "board_version",
    "call_order",
    "choose_priority",
    "closed_now_text",
    "counter_view",
    "counters_of",
    "current_board",
    "day_figures",
    "days_figures",
    "kiosk_by_id",
    "lane_for",
    "lane_queues",
    "lanes_of",
    "open_tickets",
    "policy_of",
    "seconds_per_visitor",
    "ticket_by_token",
    "ticket_view",
    "waits",
]
