"""Bill identifiers: the 15-digit billing code people type at a bank or in a banking app, in
the style of the state-revenue (PNBP/SIMPONI) billing code, and the short bill reference that
travels inside the QRIS payload and the provider's notifications."""

from __future__ import annotations

import secrets

# First digit of every billing code: the kind of revenue (8: non-tax state revenue, PNBP).
PNBP_PREFIX = "8"
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def luhn_digit(digits: str) -> str:
    """The Luhn check digit that makes ``digits + check`` pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_billing_code() -> str:
    body = PNBP_PREFIX + "".join(secrets.choice("0123456789") for _ in range(13))
    return body + luhn_digit(body)


def is_billing_code(raw: str) -> bool:
    code = "".join(raw.split())
    return len(code) == 15 and code.isdigit() and luhn_digit(code[:-1]) == code[-1]


def format_billing_code(code: str) -> str:
    """Grouped for reading aloud and typing: 8123 4567 8901 234."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_reference() -> str:
    return "GRB" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(13))
