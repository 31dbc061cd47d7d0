"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Questions"),
        "consultations",
        permissions=(Perm.CONSULTATION_VIEW,),
        current=("consultation",),
        order=30,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Reports"),
        "reports",
        permissions=(Perm.REPORT_VIEW, Perm.REPORT_NATIONAL),
        current=("report",),
        order=35,
    ),
)
