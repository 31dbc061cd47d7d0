"""Storage for files that must never have a public address (applicants' documents).

Files are read through views that check who asks; ``url()`` refuses, so a template or an
API schema can never leak a direct link by accident.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files are served only through authorised views.")


class PrivateStorage(Storage):
    """Forwards every call to the configured ``STORAGES["private"]`` backend at the time of
    the call. A model field evaluates its storage once, when models load; forwarding lets the
    backend follow the settings (a folder, or S3 in production; a temporary folder in tests)."""

    @property
    def backend(self) -> Storage:
        return storages["private"]

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self.backend.open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        return str(self.backend.save(name, content))

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return str(self.backend.get_available_name(name, max_length=max_length))

    def get_valid_name(self, name: str) -> str:
        return str(self.backend.get_valid_name(name))

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return str(self.backend.save(name, content, max_length=max_length))

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return bool(self.backend.exists(name))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        folders, files = self.backend.listdir(path)
        return list(folders), list(files)

    def size(self, name: str) -> int:
        return int(self.backend.size(name))

    def path(self, name: str) -> str:
        return str(self.backend.path(name))

    def get_modified_time(self, name: str) -> datetime:
        return self.backend.get_modified_time(name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files are served only through authorised views.")


_PRIVATE = PrivateStorage()


def private_storage() -> Storage:
    return _PRIVATE
