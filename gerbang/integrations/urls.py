from django.urls import path

from gerbang.integrations import views

app_name = "exchange"

urlpatterns = [
    path("keys", views.published_keys, name="keys"),
    path("<slug:service>", views.exchange_endpoint, name="endpoint"),
]
