from django.contrib import admin

from gerbang.accounts.models import OfficeMembership, User


class OfficeMembershipInline(admin.TabularInline[OfficeMembership, User]):
    model = OfficeMembership
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "full_name", "role", "is_active", "email_verified_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "nik", "phone", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "created_by"]
    inlines = [OfficeMembershipInline]
