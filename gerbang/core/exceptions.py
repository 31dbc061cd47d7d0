"""The one exception hierarchy of domain errors; each carries a translatable message.

Services raise these; one middleware maps them to pages (and the API layer to JSON), so a
view never has to translate an error into a response itself.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        self.code = code or type(self).__name__
        super().__init__(str(self.message))


class ValidationError(ApplicationError):
    """Input that breaks a rule; ``field`` names what to fix. ``others`` carries the further
    problems of the same input, so a form can show them all at once (``Problems``)."""

    status_code = 400
    default_message = _("Please correct the entered data.")
    others: tuple[ValidationError, ...] = ()


class Problems:
    """Collects every problem of one input before refusing it, so a person fixes them in one
    go rather than meeting them one by one: ``with Problems() as problems: problems.check(...)``
    raises the first problem carrying the rest when the block ends with any."""

    def __init__(self) -> None:
        self.found: list[ValidationError] = []

    def add(self, error: ValidationError) -> None:
        self.found.append(error)

    def __enter__(self) -> Problems:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if isinstance(value, ValidationError):
            self.found.append(value)
        elif value is not None:
            return
        if self.found:
            first = self.found[0]
            first.others = tuple(self.found[1:])
            raise first


class PermissionDenied(ApplicationError):
    status_code = 403
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status_code = 404
    default_message = _("The page or item was not found.")


class Conflict(ApplicationError):
    status_code = 409
    default_message = _("This conflicts with the current state; reload and try again.")


class RateLimited(ApplicationError):
    status_code = 429
    default_message = _("Too many attempts. Please wait a moment and try again.")
    # Seconds after which trying again makes sense (sent as the Retry-After header).
    retry_after = 5
