from django.urls import path

from gerbang.privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/data/", views.home, name="home"),
    path("account/data/download/", views.download, name="download"),
    path("account/data/correction/", views.correction, name="correction"),
    path("account/data/withdraw/", views.withdraw, name="withdraw"),
    path("account/data/erase/", views.erase, name="erase"),
    path("account/data/erased/", views.erased, name="erased"),
    path("privasi/", views.notice, name="notice"),
]
