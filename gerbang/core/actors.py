"""Who acts: a signed-in person or the system itself, named.

Every service takes ``actor`` (DESIGN convention 1), required: a forgotten actor is a type error
and a ``TypeError`` at run time, never a silent skip of a permission check. Work nobody asked
for in a request (tasks, the demo, management commands, a provider's webhook) acts as a
``SystemActor`` with a name, recorded as "system (name)".

Core knows no user model: ``Person`` says what services ask of a signed-in person, and the
project's user model (``accounts.User``) answers it. Apps above ``accounts`` write
``User | SystemActor``; core and the apps below it write ``Actor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from gerbang.core.scoping import OfficeScope


@runtime_checkable
class Person(Protocol):
    """What services need of a signed-in person."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def role(self) -> str: ...

    def has_permission(self, perm: str, *, office_id: int | None = None) -> bool: ...

    def office_scope(self) -> OfficeScope: ...


@dataclass(frozen=True)
class SystemActor:
    """The system acting on its own (``SystemActor("worker")``, ``SystemActor("demo")``). It
    holds no staff permission: a service lets it through only where it says so
    (``permissions.require_permission_unless_system``)."""

    name: str

    # Read like a user that is not signed in by code that asks any actor.
    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return f"system ({self.name})"


# A person or the system, for type hints in core and the apps below accounts.
Actor: TypeAlias = Person | SystemActor

WORKER = SystemActor("worker")
DEMO = SystemActor("demo")
COMMAND = SystemActor("command")


P = TypeVar("P")


def person(actor: P | SystemActor) -> P | None:
    """The person acting, or ``None`` for the system: for the "by whom" columns of a row."""
    return None if isinstance(actor, SystemActor) else actor
