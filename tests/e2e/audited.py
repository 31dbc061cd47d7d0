"""Which pages the browser journeys audit with axe-core, by view name (`namespace:name`).

The accessibility crawl (`test_accessibility.py`) audits most pages; a journey that reaches a
page the crawl cannot (it needs the journey's own data or steps) audits it with the same
`audit()` helper and declares it here, under its module's name. `audit()` refuses a page its
journey has not declared, so this table cannot fall behind the journeys; the fast test
`tests/test_every_page_audited.py` reads it, without a browser, to know that every page a
person reads is audited somewhere.
"""

from __future__ import annotations

JOURNEY_AUDITS: dict[str, set[str]] = {
    "test_assisted_journey": {
        "applications:take_over",
        "backoffice:assisted_list",
        "backoffice:assisted_start",
        "backoffice:assisted_step",
        "backoffice:assisted_documents",
        "backoffice:assisted_review",
        "backoffice:assisted_summary",
    },
    "test_training_journey": {"backoffice:training", "backoffice:tour", "backoffice:case_detail"},
    "test_complaints_journey": {
        "feedback:report_filed",
        "feedback:report_new",
        "feedback:report_follow",
        "feedback:report_followed",
        "feedback:reports",
        "feedback:report",
        "backoffice:reports",
        "backoffice:report_counts",
        "backoffice:report",
    },
    "test_education_journey": {
        "content:rights",
        "catalog:service_list",
        "catalog:office_detail",
        "content:campaigns",
        "accounts:dashboard",
    },
    "test_tutorial_shots": {"content:guide_detail"},
    "test_dashboard_journey": {"backoffice:dashboard_office", "backoffice:dashboard_national"},
    "test_face_check_journey": {"backoffice:biometrics_face", "backoffice:biometrics_face_check"},
    "test_forecast_journey": {"backoffice:forecast_office"},
    "test_ikm_journey": {"ikm:survey", "ikm:office", "ikm:overview", "ikm:national", "backoffice:ikm"},
    "test_offline_journey": {"core:offline", "core:home", "catalog:office_list", "accounts:login"},
    "test_participation_journey": {
        "participation:hub",
        "participation:surveys",
        "participation:survey",
        "participation:survey_results",
        "participation:debates",
        "participation:debate",
        "participation:proposals",
        "participation:proposal",
        "participation:survey_answer",
        "participation:post_report",
        "participation:proposal_new",
        "backoffice:participation",
        "backoffice:participation_moderation",
        "backoffice:participation_texts",
        "backoffice:participation_proposals",
        "backoffice:participation_survey_new",
        "backoffice:participation_debate_new",
        "backoffice:participation_survey",
        "backoffice:participation_debate",
        "backoffice:participation_proposal",
    },
    "test_privacy_journey": {"privacy:erased"},
    "test_partner_journey": {"backoffice:case_detail", "backoffice:exchange_log"},
    "test_rating_journey": {
        "satisfaction:rate",
        "satisfaction:suggestions",
        "satisfaction:thanks",
        "catalog:office_detail",
        "catalog:service_detail",
        "accounts:dashboard",
        "backoffice:ratings",
        "backoffice:rating_suggestions",
        "backoffice:rating",
    },
    "test_risk_journey": {"backoffice:risk_flags", "backoffice:case_detail"},
}


def declared() -> set[str]:
    """Every view name a journey declares it audits."""
    return set().union(*JOURNEY_AUDITS.values())
