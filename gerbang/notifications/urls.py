from django.urls import path

from gerbang.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/inbox/", views.inbox, name="inbox"),
    path("account/inbox/read/", views.inbox_read, name="inbox_read"),
    path("account/notifications/", views.preferences, name="preferences"),
    path("account/notifications/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("account/notifications/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("account/notifications/devices/<int:device_id>/", views.push_device, name="push_device"),
]
