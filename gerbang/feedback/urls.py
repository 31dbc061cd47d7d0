from django.urls import path

from gerbang.feedback import views

app_name = "feedback"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/new/", views.consultation_new, name="ask"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
]
