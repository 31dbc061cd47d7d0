"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(menus.BACKOFFICE, _("Dashboard"), "dashboard", order=10),
    menus.Entry(menus.BACKOFFICE, _("Staff"), "staff_list", current=("staff",), order=70),
    menus.Entry(menus.BACKOFFICE, _("Audit log"), "audit_log", permissions=(Perm.AUDIT_VIEW,), order=200),
)
