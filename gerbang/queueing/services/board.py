"""Telling the office's boards and ticket pages about a change of the queue."""

from __future__ import annotations

from gerbang.catalog.models import Office
from gerbang.live.publish import publish_on_commit
from gerbang.queueing.selectors import board_state, board_version


def channel(office: Office) -> str:
    return f"queue:{office.code}"


def _tell_board(office: Office) -> None:
    """Every change of the queue comes here: the live boards are sent the new state after the
    commit, and the board kept in the cache is dropped (now and on commit)."""
    board_version(office.code).changed()
    publish_on_commit(channel(office), lambda: board_state(office))
