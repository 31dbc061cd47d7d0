"""Model fields shared by every app."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from gerbang.core import crypto


class EncryptedTextField(models.TextField[Any, Any]):
    """Text stored encrypted (Fernet, AES-128-CBC with HMAC-SHA256); decrypted on read.

    The stored value is random each time, so the database can neither filter nor sort on it:
    pair it with a blind index field for equality look-ups.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            raise TypeError(f"{lookup_name!r} look-ups are impossible on an encrypted field.")
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON object stored encrypted, for answers that hold personal data as a whole."""

    description = "JSON encrypted at rest"
    # Tell django-stubs the Python type of the attribute (a dict, not the stored text).
    _pyi_private_set_type: dict[str, Any]  # type: ignore[assignment]
    _pyi_private_get_type: dict[str, Any]  # type: ignore[assignment]

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = self.to_python(value)
        return crypto.encrypt(json.dumps(value, sort_keys=True, ensure_ascii=False))
