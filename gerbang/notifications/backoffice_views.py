"""Administrators' pages of notifications: delivery statistics per channel, dead letters with
a retry action, and a preview of every message template in both languages."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.core.forms import carry_out
from gerbang.core.http import AuthenticatedRequest, csp_allow
from gerbang.core.permissions import Perm, require_permission
from gerbang.notifications import previews, selectors, services
from gerbang.notifications.models import Delivery


def overview(request: AuthenticatedRequest) -> HttpResponse:
    require_permission(request.user, Perm.NOTIFICATIONS_MANAGE)
    stats, causes = selectors.delivery_stats()
    return render(
        request,
        "notifications/backoffice/overview.html",
        {
            "stats": stats,
            "causes": causes,
            "dead_letters": selectors.dead_letters()[:100],
            "templates": previews.template_names(),
        },
    )


@require_POST
def retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Perm.NOTIFICATIONS_MANAGE)
    delivery = get_object_or_404(Delivery, pk=pk)
    carry_out(
        request,
        lambda: services.delivery_retry(delivery=delivery, actor=request.user),
        _("The message will be sent again."),
    )
    return redirect("backoffice:notifications")


# An email is shown as it arrives, inline styles and all, in a sandboxed frame (which inherits
# the page's policy): this page alone allows inline styles; scripts stay refused.
@csp_allow({"style-src": ["'self'", "'unsafe-inline'"]})
def preview(request: AuthenticatedRequest, template: str) -> HttpResponse:
    require_permission(request.user, Perm.NOTIFICATIONS_MANAGE)
    if template not in previews.template_names():
        raise Http404
    return render(
        request,
        "notifications/backoffice/preview.html",
        {"template": template, "renderings": previews.render_samples(template)},
    )
