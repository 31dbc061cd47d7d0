from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.accounts.permissions import Perm, has_permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the back-office menu may offer this user (asked of the one permission table)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_staff_role", False):
        return {}
    return {
        "can_view_audit": has_permission(user, Perm.AUDIT_VIEW),
        "can_edit_notices": has_permission(user, Perm.CONTENT_OFFICE),
        "can_edit_faq": has_permission(user, Perm.CONTENT_NATIONAL),
        "can_edit_guides": has_permission(user, Perm.CONTENT_NATIONAL),
        "can_manage_catalog": has_permission(user, Perm.CATALOG_MANAGE),
        "can_view_cases": has_permission(user, Perm.CASE_VIEW),
        "can_view_payments": has_permission(user, Perm.PAYMENTS_VIEW),
        "can_manage_notifications": has_permission(user, Perm.NOTIFICATIONS_MANAGE),
        "can_view_consultations": has_permission(user, Perm.CONSULTATION_VIEW),
    }
