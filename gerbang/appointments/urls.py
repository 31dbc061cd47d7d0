from django.urls import path

from gerbang.appointments import views

app_name = "appointments"

urlpatterns = [
    path("applications/<int:pk>/appointment/", views.booking, name="booking"),
    path("applications/<int:pk>/appointment/hold/", views.hold, name="hold"),
    path("applications/<int:pk>/appointment/confirm/", views.confirm, name="confirm"),
    path("applications/<int:pk>/appointment/cancel/", views.cancel, name="cancel"),
    path("applications/<int:pk>/appointment/change/", views.reschedule, name="reschedule"),
    path("applications/<int:pk>/appointment.ics", views.calendar, name="calendar"),
    path("appointments/verification-key.pem", views.verification_key, name="verification_key"),
]
