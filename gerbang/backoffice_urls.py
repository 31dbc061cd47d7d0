"""The back office under /backoffice/: every app's staff pages in one namespace ("backoffice").

Composed at the project level, which may know every app; no app knows the others' pages.
"""

from django.urls import path

from gerbang.accounts import backoffice_views as views
from gerbang.analytics.dashboards import views as dashboard_views
from gerbang.analytics.forecast import views as forecast_views
from gerbang.analytics.risk import views as risk_views
from gerbang.applications import assisted_views
from gerbang.applications import backoffice_views as case_views
from gerbang.appointments import backoffice_views as appointment_views
from gerbang.assistant import backoffice_views as assistant_views
from gerbang.biometrics import views as biometrics_views
from gerbang.catalog import backoffice_views as office_views
from gerbang.content import backoffice_views as content_views
from gerbang.feedback import backoffice_views as consultation_views
from gerbang.feedback import report_backoffice_views as report_views
from gerbang.ikm import backoffice_views as ikm_views
from gerbang.integrations import views as exchange_views
from gerbang.ledger import backoffice_views as ledger_views
from gerbang.notifications import backoffice_views as notification_views
from gerbang.participation import backoffice_views as participation_views
from gerbang.payments import backoffice_views as payment_views
from gerbang.privacy import backoffice_views as privacy_views
from gerbang.queueing import backoffice_views as queue_views
from gerbang.satisfaction import backoffice_views as rating_views
from gerbang.training import views as training_views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("training/", training_views.training_home, name="training"),
    path("training/reset/", training_views.training_reset, name="training_reset"),
    path("tour/", training_views.tour_page, name="tour"),
    path("tour/done/", training_views.tour_done, name="tour_done"),
    path("tour/case/", training_views.tour_case, name="tour_case"),
    path("dashboards/office/", dashboard_views.office_dashboard, name="dashboard_office"),
    path("dashboards/national/", dashboard_views.national_dashboard, name="dashboard_national"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/two-factor-reset/", views.staff_two_factor_reset, name="staff_two_factor_reset"),
    path("offices/", office_views.office_list, name="office_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("offices/<slug:code>/manage/", appointment_views.office_manage, name="office_manage"),
    path(
        "offices/<slug:code>/closures/<int:pk>/remove/",
        appointment_views.closure_remove,
        name="closure_remove",
    ),
    path(
        "offices/<slug:code>/appointments/", appointment_views.office_appointments, name="office_appointments"
    ),
    path("appointments/missed/", appointment_views.missed_appointments, name="missed_appointments"),
    path(
        "offices/<slug:code>/appointments/hours/<int:pk>/remove/",
        appointment_views.block_remove,
        name="appointment_block_remove",
    ),
    path("offices/<slug:code>/queue/", queue_views.queue_today, name="queue_today"),
    path("offices/<slug:code>/queue/report/", queue_views.queue_report, name="queue_report"),
    path("offices/<slug:code>/queue/settings/", queue_views.queue_settings, name="queue_settings"),
    path(
        "offices/<slug:code>/queue/kiosks/<int:pk>/revoke/",
        queue_views.kiosk_revoke,
        name="queue_kiosk_revoke",
    ),
    path("offices/<slug:code>/queue/counters/<int:number>/", queue_views.counter_page, name="queue_counter"),
    path(
        "offices/<slug:code>/queue/counters/<int:number>/action/",
        queue_views.counter_action,
        name="queue_counter_action",
    ),
    path("services/", office_views.service_list, name="service_list"),
    path("services/<slug:code>/terms/", office_views.service_terms, name="service_terms"),
    path("notices/", content_views.notice_list, name="notice_list"),
    path("notices/new/", content_views.notice_edit, name="notice_create"),
    path("notices/<int:pk>/", content_views.notice_edit, name="notice_edit"),
    path("faq/", content_views.faq_list, name="faq_list"),
    path("faq/new/", content_views.faq_edit, name="faq_create"),
    path("faq/<int:pk>/", content_views.faq_edit, name="faq_edit"),
    path("rights/", content_views.rights_list, name="rights_list"),
    path("scam-campaigns/", content_views.campaign_list, name="campaign_list"),
    path("scam-campaigns/new/", content_views.campaign_edit, name="campaign_create"),
    path("scam-campaigns/<int:pk>/", content_views.campaign_edit, name="campaign_edit"),
    path("rights/new/", content_views.rights_edit, name="rights_create"),
    path("rights/<int:pk>/", content_views.rights_edit, name="rights_edit"),
    path("participation/", participation_views.home, name="participation"),
    path("participation/surveys/new/", participation_views.survey_new, name="participation_survey_new"),
    path("participation/surveys/<int:pk>/", participation_views.survey_detail, name="participation_survey"),
    path(
        "participation/surveys/<int:pk>/edit/",
        participation_views.survey_edit,
        name="participation_survey_edit",
    ),
    path(
        "participation/surveys/<int:pk>/publish/",
        participation_views.survey_publish,
        name="participation_survey_publish",
    ),
    path(
        "participation/surveys/<int:pk>/close/",
        participation_views.survey_close,
        name="participation_survey_close",
    ),
    path(
        "participation/surveys/<int:pk>/questions/<int:question_pk>/edit/",
        participation_views.question_edit,
        name="participation_question_edit",
    ),
    path(
        "participation/surveys/<int:pk>/questions/<int:question_pk>/delete/",
        participation_views.question_delete,
        name="participation_question_delete",
    ),
    path(
        "participation/surveys/<int:pk>/questions/<int:question_pk>/move/",
        participation_views.question_move,
        name="participation_question_move",
    ),
    path("participation/texts/", participation_views.texts, name="participation_texts"),
    path("participation/debates/new/", participation_views.debate_new, name="participation_debate_new"),
    path("participation/debates/<int:pk>/", participation_views.debate_detail, name="participation_debate"),
    path(
        "participation/debates/<int:pk>/close/",
        participation_views.debate_close,
        name="participation_debate_close",
    ),
    path(
        "participation/debates/<int:pk>/official/",
        participation_views.debate_official,
        name="participation_debate_official",
    ),
    path(
        "participation/surveys/<int:pk>/results.csv",
        participation_views.survey_results_csv,
        name="participation_survey_results_csv",
    ),
    path("participation/moderation/", participation_views.moderation, name="participation_moderation"),
    path("participation/moderation/<int:pk>/", participation_views.moderate, name="participation_moderate"),
    path("participation/proposals/", participation_views.proposals, name="participation_proposals"),
    path(
        "participation/proposals/<int:pk>/",
        participation_views.proposal_detail,
        name="participation_proposal",
    ),
    path(
        "participation/<str:kind>/<int:pk>/outcome/",
        participation_views.outcome,
        name="participation_outcome",
    ),
    path("assistant/questions/", assistant_views.questions, name="assistant_questions"),
    path("assistant/questions/faq/", assistant_views.question_faq, name="assistant_faq"),
    path("assistant/questions/synonym/", assistant_views.question_synonym, name="assistant_synonym"),
    path("assistant/questions/handled/", assistant_views.question_handled, name="assistant_handled"),
    path("channels/", content_views.channel_list, name="channel_list"),
    path("channels/<int:pk>/remove/", content_views.channel_remove, name="channel_remove"),
    path("guides/", content_views.guide_list, name="guide_list"),
    path("guides/new/", content_views.guide_edit, name="guide_create"),
    path("guides/<int:pk>/", content_views.guide_edit, name="guide_edit"),
    path("notifications/", notification_views.overview, name="notifications"),
    path("notifications/deliveries/<int:pk>/retry/", notification_views.retry, name="notification_retry"),
    path("notifications/templates/<path:template>/", notification_views.preview, name="notification_preview"),
    path("payments/", payment_views.overview, name="payments"),
    path("payments/reconcile/", payment_views.reconcile, name="payments_reconcile"),
    path("payments/anomalies/<int:pk>/resolve/", payment_views.anomaly_resolve, name="anomaly_resolve"),
    path("payments/<int:pk>/refund/", payment_views.refund, name="payment_refund"),
    path("consultations/", consultation_views.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultation_views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/close/", consultation_views.consultation_close, name="consultation_close"),
    path(
        "consultations/<int:pk>/files/<int:file_id>/",
        consultation_views.consultation_file,
        name="consultation_file",
    ),
    path("reports/", report_views.report_queue, name="reports"),
    path("reports/counts/", report_views.report_counts, name="report_counts"),
    path("reports/export.csv", report_views.report_export, name="report_export"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/verify/", report_views.report_verify, name="report_verify"),
    path("reports/<int:pk>/route/", report_views.report_route, name="report_route"),
    path("reports/<int:pk>/close/", report_views.report_close, name="report_close"),
    path("reports/<int:pk>/files/<int:file_id>/", report_views.report_file, name="report_file"),
    path("ratings/", rating_views.rating_list, name="ratings"),
    path("ratings/<int:pk>/", rating_views.rating_detail, name="rating"),
    path("ratings/suggestions/", rating_views.suggestion_list, name="rating_suggestions"),
    path("ratings/suggestions/<int:pk>/", rating_views.suggestion_decide, name="rating_suggestion_decide"),
    path("ikm/", ikm_views.ikm_home, name="ikm"),
    path("ikm/recompute/", ikm_views.recompute, name="ikm_recompute"),
    path("ikm/<slug:code>/<str:period>.pdf", ikm_views.report_pdf, name="ikm_pdf"),
    path("ikm/<slug:code>/<str:period>.xlsx", ikm_views.report_xlsx, name="ikm_xlsx"),
    path("forecast/", forecast_views.forecast_home, name="forecast"),
    path("forecast/<slug:code>/", forecast_views.forecast_office, name="forecast_office"),
    path("forecast/<slug:code>/chart.svg", forecast_views.forecast_chart, name="forecast_chart"),
    path("forecast/<slug:code>/recompute/", forecast_views.forecast_recompute, name="forecast_recompute"),
    path("forecast/<slug:code>/quotas/", forecast_views.forecast_quotas, name="forecast_quotas"),
    path("ledger/witnesses/", ledger_views.witness_list, name="ledger_witnesses"),
    path("ledger/witnesses/<int:pk>/active/", ledger_views.witness_active, name="ledger_witness_active"),
    path("privacy/", privacy_views.requests, name="privacy_requests"),
    path("privacy/<int:pk>/", privacy_views.request_detail, name="privacy_request"),
    path("privacy/register/", privacy_views.register, name="privacy_register"),
    path("assisted/", assisted_views.assisted_list, name="assisted_list"),
    path("assisted/new/", assisted_views.assisted_start, name="assisted_start"),
    path("assisted/consent-form.pdf", assisted_views.consent_form_pdf, name="assisted_consent_form"),
    path("assisted/<int:pk>/step/<slug:step>/", assisted_views.assisted_step, name="assisted_step"),
    path("assisted/<int:pk>/documents/", assisted_views.assisted_documents, name="assisted_documents"),
    path(
        "assisted/<int:pk>/documents/<int:document_id>/",
        assisted_views.assisted_document,
        name="assisted_document",
    ),
    path("assisted/<int:pk>/review/", assisted_views.assisted_review, name="assisted_review"),
    path("assisted/<int:pk>/summary/", assisted_views.assisted_summary, name="assisted_summary"),
    path("assisted/<int:pk>/summary.pdf", assisted_views.assisted_summary_pdf, name="assisted_summary_pdf"),
    path("assisted/<int:pk>/code/", assisted_views.takeover_code_new, name="assisted_code_new"),
    path("cases/", case_views.case_queue, name="case_queue"),
    path("cases/numbers/", case_views.office_numbers, name="case_numbers"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/action/", case_views.case_action, name="case_action"),
    path("cases/<int:pk>/claim/", case_views.case_claim, name="case_claim"),
    path("cases/<int:pk>/assign/", case_views.case_assign, name="case_assign"),
    path("cases/<int:pk>/payment/", payment_views.case_payment, name="case_payment"),
    path("cases/<int:pk>/risk/<int:flag_pk>/decide/", risk_views.flag_decide, name="risk_flag_decide"),
    path("risk/", risk_views.flag_list, name="risk_flags"),
    path("cases/<int:pk>/checks/<int:check_pk>/ask/", exchange_views.check_ask, name="check_ask"),
    path("cases/<int:pk>/checks/<int:check_pk>/verify/", exchange_views.check_verify, name="check_verify"),
    path("cases/<int:pk>/checks/<int:check_pk>/resolve/", exchange_views.check_resolve, name="check_resolve"),
    path("exchange/", exchange_views.exchange_log, name="exchange_log"),
    path("cases/<int:pk>/corrections/", case_views.case_corrections, name="case_corrections"),
    path("cases/<int:pk>/face/", biometrics_views.face_counter, name="biometrics_face"),
    path(
        "cases/<int:pk>/liveness/challenge/",
        biometrics_views.liveness_challenge,
        name="biometrics_liveness_challenge",
    ),
    path("cases/<int:pk>/liveness/", biometrics_views.liveness_answer, name="biometrics_liveness"),
    path(
        "cases/<int:pk>/fingerprints/", biometrics_views.fingerprints_record, name="biometrics_fingerprints"
    ),
    path("cases/<int:pk>/face/<int:check_pk>/", biometrics_views.face_check, name="biometrics_face_check"),
    path(
        "cases/<int:pk>/face/<int:check_pk>/decide/",
        biometrics_views.face_check_decide,
        name="biometrics_face_decide",
    ),
    path(
        "cases/<int:pk>/face/<int:check_pk>/picture/",
        biometrics_views.face_check_capture,
        name="biometrics_face_capture",
    ),
    path("cases/<int:pk>/documents/<int:document_id>/", case_views.document_view, name="case_document"),
    path(
        "cases/<int:pk>/documents/<int:document_id>/verify/",
        case_views.document_verify,
        name="case_document_verify",
    ),
]
