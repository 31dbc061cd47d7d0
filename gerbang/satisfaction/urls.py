from django.urls import path

from gerbang.satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("penilaian/<str:token>/", views.rate, name="rate"),
    path("penilaian/<str:token>/terima-kasih/", views.thanks, name="thanks"),
    path("saran/", views.suggestion_box, name="suggestions"),
]
