from django.urls import path

from gerbang.ikm import views

app_name = "ikm"

urlpatterns = [
    path("ikm/", views.overview, name="overview"),
    path("ikm/data.csv", views.data_csv, name="data_csv"),
    path("ikm/data.json", views.data_json, name="data_json"),
    path("ikm/survey/<str:token>/", views.survey, name="survey"),
    path("ikm/survey/<str:token>/thanks/", views.survey_thanks, name="survey_thanks"),
    # Before the offices' pages: no office is called "national".
    path("ikm/national/", views.national_page, name="national"),
    path("ikm/<slug:code>/", views.office_page, name="office"),
]
