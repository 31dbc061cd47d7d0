"""What the apps below the catalog need to know of the training office (docs/training.md).

The training office is an office marked as training (``catalog.Office.is_training``): synthetic
cases and people that staff learn every action on. Apps that must leave it out but may not know
offices (the ledger, which imports only core; notifications, below the catalog) ask here:

- ``training_office_ids()``: the ids of the training offices, which the catalog hands over
  when it is ready (``training_offices_from``);
- ``is_synthetic_address(email)``: an address of the reserved example domains (RFC 2606,
  RFC 6761: ``example.com``, ``.example``, ``.invalid``), the only ones synthetic people have.
  Nothing is ever sent to one: no mail server could deliver it, and a message about a training
  case must not leave the system anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# The domain of every synthetic person's address (under the reserved ``.example`` TLD).
SYNTHETIC_EMAIL_DOMAIN = "pelatihan.example"
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_TLDS = (".example", ".invalid")

_training_offices: Callable[[], Iterable[int]] | None = None


def training_offices_from(provider: Callable[[], Iterable[int]]) -> None:
    """Called once, when the catalog is ready."""
    global _training_offices
    _training_offices = provider


def training_office_ids() -> frozenset[int]:
    """The training offices' ids (none before the catalog is ready)."""
    return frozenset() if _training_offices is None else frozenset(_training_offices())


def is_synthetic_address(email: str) -> bool:
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    return bool(domain) and (domain in _RESERVED_DOMAINS or domain.endswith(_RESERVED_TLDS))
