from django.urls import path

from gerbang.queueing import views

app_name = "queueing"

urlpatterns = [
    path("offices/<slug:code>/kiosk/", views.kiosk, name="kiosk"),
    path("offices/<slug:code>/board/", views.board, name="board"),
    path("queue/<str:token>/", views.ticket, name="ticket"),
    path("queue/<str:token>/print/", views.ticket_print, name="ticket_print"),
]
