from django.urls import path

from gerbang.feedback import report_views, views

app_name = "feedback"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/new/", views.consultation_new, name="ask"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<int:pk>/files/<int:file_id>/", views.consultation_file, name="file"),
    path("lapor/", report_views.report_new, name="report_new"),
    path("lapor/filed/", report_views.report_filed, name="report_filed"),
    path("lapor/mine/", report_views.report_list, name="reports"),
    path("lapor/<int:pk>/", report_views.report_detail, name="report"),
    path("lapor/<int:pk>/confirm/", report_views.report_confirm, name="report_confirm"),
    path("lapor/<int:pk>/files/<int:file_id>/", report_views.report_file, name="report_file"),
    path("lapor/follow/", report_views.report_follow, name="report_follow"),
    path("lapor/follow/report/", report_views.report_followed, name="report_followed"),
    path("lapor/follow/confirm/", report_views.report_followed_confirm, name="report_followed_confirm"),
    path("lapor/follow/files/<int:file_id>/", report_views.report_followed_file, name="report_followed_file"),
    path("lapor/follow/end/", report_views.report_follow_end, name="report_follow_end"),
]
