"""Periodic work on cases: expiring unpaid ones and removing files no document refers to."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gerbang.applications.models import Application, Document
from gerbang.applications.services.moves import _locked, _move
from gerbang.applications.workflow import Action, State
from gerbang.core.actors import WORKER
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.core.storage import private_storage


def expire_unpaid(*, now: datetime | None = None) -> int:
    """Expire applications whose payment deadline passed; each in its own transaction."""
    moment = now or timezone.now()
    expired = 0
    due = Application.objects.filter(state=State.AWAITING_PAYMENT, payment_due_at__lt=moment)
    for application in due.only("pk", "version"):
        try:
            with transaction.atomic():
                fresh = _locked(application, application.version)
                _move(fresh, Action.EXPIRE, actor=WORKER)
                expired += 1
        except (Conflict, ValidationError):
            continue
    return expired


def orphan_documents_remove(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored files that no document refers to (an upload whose transaction rolled back
    after the file was written); recent files are left alone, their transaction may be open."""
    storage = private_storage()
    known = set(Document.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0
    stack = ["documents"]
    while stack:
        folder = stack.pop()
        if not storage.exists(folder):
            continue
        folders, files = storage.listdir(folder)
        stack += [f"{folder}/{name}" for name in folders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed
