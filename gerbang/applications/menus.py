"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Applications"),
        "case_queue",
        permissions=(Perm.CASE_VIEW,),
        current=("case",),
        order=20,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Assisted applications"),
        "assisted_list",
        permissions=(Perm.CASE_ASSIST,),
        current=("assisted",),
        order=21,
    ),
)
