from django.urls import path

from gerbang.payments import views

app_name = "payments"

urlpatterns = [
    path("payments/webhook/<slug:provider>/", views.webhook, name="webhook"),
    path("applications/<int:pk>/pay/", views.pay, name="pay"),
    path("applications/<int:pk>/receipts/<str:code>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("receipts/<str:code>/", views.receipt_verify, name="receipt_verify"),
]
