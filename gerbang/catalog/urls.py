from django.urls import path

from gerbang.catalog import views

app_name = "catalog"

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/<slug:code>/", views.service_detail, name="service_detail"),
    path(
        "services/<slug:code>/infographic.svg", views.service_infographic_svg, name="service_infographic_svg"
    ),
    path(
        "services/<slug:code>/infographic.pdf", views.service_infographic_pdf, name="service_infographic_pdf"
    ),
    path("guide/", views.guide_view, name="guide"),
    path("guide/checklist.pdf", views.guide_pdf, name="guide_pdf"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<slug:code>/", views.office_detail, name="office_detail"),
]
