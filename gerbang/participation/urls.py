from django.urls import path

from gerbang.participation import views

app_name = "participation"

urlpatterns = [
    path("partisipasi/", views.hub, name="hub"),
    path("partisipasi/survei/", views.survey_list, name="surveys"),
    path("partisipasi/survei/<int:pk>/", views.survey_detail, name="survey"),
    path("partisipasi/survei/<int:pk>/jawab/", views.survey_answer, name="survey_answer"),
    path("partisipasi/survei/<int:pk>/hasil/", views.survey_results, name="survey_results"),
    path("partisipasi/survei/<int:pk>/hasil.csv", views.survey_results_csv, name="survey_results_csv"),
    path("partisipasi/diskusi/", views.debate_list, name="debates"),
    path("partisipasi/diskusi/<int:pk>/", views.debate_detail, name="debate"),
    path("partisipasi/pos/<int:pk>/dukung/", views.post_support, name="post_support"),
    path("partisipasi/pos/<int:pk>/dukung/batal/", views.post_unsupport, name="post_unsupport"),
    path("partisipasi/pos/<int:pk>/laporkan/", views.post_report, name="post_report"),
    path("partisipasi/usulan/", views.proposal_list, name="proposals"),
    path("partisipasi/usulan/baru/", views.proposal_new, name="proposal_new"),
    path("partisipasi/usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("partisipasi/usulan/<int:pk>/dukung/", views.proposal_support, name="proposal_support"),
    path("partisipasi/usulan/<int:pk>/dukung/batal/", views.proposal_unsupport, name="proposal_unsupport"),
]
