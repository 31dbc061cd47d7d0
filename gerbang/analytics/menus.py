"""What the analytics add to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Risk flags"),
        "risk_flags",
        permissions=(Perm.RISK_REVIEW,),
        current=("risk_flag",),
        order=25,
    ),
)
