"""What the exchange adds to the back office's menu (``core.menus``): its log and agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Partner agencies"),
        "exchange_log",
        permissions=(Perm.EXCHANGE_VIEW,),
        current=("exchange_log",),
        order=80,
    ),
)
