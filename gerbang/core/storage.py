"""Storage for files that must never have a public address (applicants' documents).

Files are read through views that check who asks; ``url()`` refuses, so a template or an
API schema can never leak a direct link by accident.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files are served only through authorised views.")


def private_storage() -> Storage:
    return storages["private"]
