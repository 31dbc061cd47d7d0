"""What the analytics add to the back office's menu (``core.menus``): the supervisors'
dashboards (``dashboards``), the risk flags (``risk``) and the demand forecast (``forecast``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Office dashboard"),
        "dashboard_office",
        permissions=(Perm.DASHBOARD_VIEW,),
        current=("dashboard_office",),
        order=15,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("National dashboard"),
        "dashboard_national",
        permissions=(Perm.DASHBOARD_NATIONAL,),
        current=("dashboard_national",),
        order=16,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Risk flags"),
        "risk_flags",
        permissions=(Perm.RISK_REVIEW,),
        current=("risk_flag",),
        order=25,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Demand forecast"),
        "forecast",
        permissions=(Perm.FORECAST_VIEW,),
        current=("forecast",),
        order=45,
    ),
)
