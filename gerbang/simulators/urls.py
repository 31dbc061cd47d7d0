from django.urls import path

from gerbang.simulators import partner_agencies, payment_provider, push_service, sms_gateway

app_name = "simulators"

urlpatterns = [
    path("payment-provider/", payment_provider.page, name="payment_provider"),
    path("payment-provider/settlement.csv", payment_provider.settlement, name="settlement"),
    path("payment-provider/api/bills", payment_provider.api_register_bill, name="api_bills"),
    path("payment-provider/api/bills/<str:reference>", payment_provider.api_bill_status, name="api_bill"),
    path("sms/", sms_gateway.page, name="sms"),
    path("sms/<slug:gateway>/api/messages", sms_gateway.api_send, name="sms_api"),
    path("push/<slug:channel>/", push_service.receive, name="push"),
    path("partners/", partner_agencies.page, name="partners"),
]
