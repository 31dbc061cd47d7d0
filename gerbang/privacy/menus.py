"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Data protection"),
        "privacy_requests",
        permissions=(Perm.PRIVACY_MANAGE,),
        current=("privacy_request", "privacy_register"),
        order=210,
    ),
)
