from django.contrib import admin

from gerbang.catalog.models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["code", "name_id", "province", "regency", "time_zone", "is_active"]
    search_fields = ["code", "name_id", "name_en", "province", "regency"]
