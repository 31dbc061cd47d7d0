"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Offices"),
        "office_list",
        current=("office",),
        order=60,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Services and fees"),
        "service_list",
        permissions=(Perm.CATALOG_MANAGE,),
        current=("service_list", "service_terms"),
        order=80,
    ),
)
