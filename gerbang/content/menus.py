"""What this app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Official channels"),
        "channel_list",
        permissions=(Perm.CATALOG_MANAGE,),
        current=("channel",),
        order=90,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Announcements"),
        "notice_list",
        permissions=(Perm.CONTENT_OFFICE,),
        current=("notice",),
        order=100,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("FAQ"),
        "faq_list",
        permissions=(Perm.CONTENT_NATIONAL,),
        current=("faq",),
        order=110,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Guides"),
        "guide_list",
        permissions=(Perm.CONTENT_NATIONAL,),
        current=("guide",),
        order=120,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Rights and duties"),
        "rights_list",
        permissions=(Perm.CONTENT_NATIONAL,),
        current=("rights",),
        order=125,
    ),
    menus.Entry(
        menus.BACKOFFICE,
        _("Scam warnings"),
        "campaign_list",
        permissions=(Perm.CONTENT_OFFICE,),
        current=("campaign",),
        order=105,
    ),
)
