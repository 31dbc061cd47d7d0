"""Model fields shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models

from gerbang.core import crypto


class EncryptedTextField(models.TextField):
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
