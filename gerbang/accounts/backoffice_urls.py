from django.urls import path

from gerbang.accounts import backoffice_views as views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("offices/", views.office_list, name="office_list"),
    path("audit/", views.audit_log, name="audit_log"),
]
