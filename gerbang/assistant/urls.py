from django.urls import path

from gerbang.assistant import views

app_name = "assistant"

urlpatterns = [
    path("bantuan/", views.help_page, name="help"),
]
