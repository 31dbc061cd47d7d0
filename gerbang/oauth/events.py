"""The typed codes of events about apps a person signed in to (written by oauth.services)."""

from __future__ import annotations

from enum import StrEnum


class AppEvent(StrEnum):
    # Under "account.": security records about a person, kept private (ledger/registry.py).
    APP_AUTHORISED = "account.app_authorised"
    APP_SIGNED_OUT = "account.app_signed_out"
