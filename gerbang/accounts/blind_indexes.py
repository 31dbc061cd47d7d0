"""How the accounts' blind indexes are rebuilt under a new key (see ``gerbang.core.blind_indexes``)."""

from __future__ import annotations

from gerbang.accounts.models import User
from gerbang.core import crypto
from gerbang.core.blind_indexes import register_derived


def _nik_index(user: User) -> str:
    # As accounts.services stores it when the profile is saved.
    return crypto.blind_index(user.nik, purpose="nik") if user.nik else ""


register_derived(User, "nik_index", sources=["nik"], compute=_nik_index)
