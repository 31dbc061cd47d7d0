"""What the training app adds to the back office's menu (``core.menus``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core import menus
from gerbang.core.permissions import Perm

menus.register(
    menus.Entry(
        menus.BACKOFFICE,
        _("Training office"),
        "training",
        permissions=(Perm.OFFICE_VIEW,),
        current=("training",),
        order=190,
    ),
    menus.Entry(menus.BACKOFFICE, _("Tour"), "tour", current=("tour",), order=195),
)
