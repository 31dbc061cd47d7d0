"""What the key-maintenance events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.backup_events import BACKUP_MADE
from gerbang.core.blind_indexes import BLIND_INDEX_REBUILT
from gerbang.core.event_text import register
from gerbang.core.key_rotation import KEYS_ROTATED


def _keys_rotated(details: Mapping[str, Any]) -> str:
    return _("%(total)s personal values re-encrypted under key version %(version)s.") % {
        "total": details.get("total", 0),
        "version": details.get("key_version", "—"),
    }


def _blind_index_rebuilt(details: Mapping[str, Any]) -> str:
    return _("%(total)s look-up hashes recomputed under the current key.") % {
        "total": details.get("total", 0)
    }


def _backup_made(details: Mapping[str, Any]) -> str:
    return _("Backup made: %(rows)s rows in %(tables)s tables and %(files)s files.") % {
        "rows": details.get("rows", 0),
        "tables": details.get("tables", 0),
        "files": details.get("files", 0),
    }


register(BACKUP_MADE, gettext_lazy("Backup made"), _backup_made)
register(KEYS_ROTATED, gettext_lazy("Encryption keys rotated"), _keys_rotated)
register(BLIND_INDEX_REBUILT, gettext_lazy("Look-up hashes rebuilt"), _blind_index_rebuilt)
