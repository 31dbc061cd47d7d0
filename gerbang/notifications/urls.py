from django.urls import path

from gerbang.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/inbox/", views.inbox, name="inbox"),
    path("account/inbox/read/", views.inbox_read, name="inbox_read"),
    path("account/notifications/", views.preferences, name="preferences"),
]
