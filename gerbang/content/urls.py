from django.urls import path

from gerbang.content import views

app_name = "content"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("guides/<slug:slug>/steps/<int:pk>/image", views.guide_step_image, name="guide_step_image"),
    path("notices/", views.notices, name="notices"),
    path("official-channels/", views.official_channels, name="official_channels"),
    path("rights/", views.rights, name="rights"),
    path("scam-warnings/", views.campaign_list, name="campaigns"),
    path("scam-warnings/<int:pk>/hide", views.campaign_hide, name="campaign_hide"),
]
