from django.urls import path

from gerbang.applications import views

app_name = "applications"

urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/new/<slug:service_code>/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="step"),
    path("applications/<int:pk>/documents/", views.application_documents, name="documents"),
    path("applications/<int:pk>/review/", views.application_review, name="review"),
    path("applications/<int:pk>/corrections/", views.application_corrections, name="corrections"),
    path("applications/<int:pk>/cancel/", views.application_cancel, name="cancel"),
    path("applications/<int:pk>/documents/<int:document_id>/", views.document_file, name="document_file"),
    path("track/", views.track, name="track"),
    path("applications/take-over/", views.take_over, name="take_over"),
]
