"""Every change to an application, one module per family of actions. Each public function is one
transaction (DESIGN convention 1): the change, its event (timeline and audit) and its outbox rows
are stored together or not at all. The names are re-exported here:
``from gerbang.applications.services import X`` and ``services.X`` work whichever module holds X.

Changes by staff carry the version of the case they saw: if somebody else changed it since,
``Conflict`` is raised and nothing is written (optimistic locking).
"""

from gerbang.applications.services.assisted import (
    TAKEOVER_DAYS,
    application_take_over,
    assisted_application_start,
    assisted_application_submit,
    consent_evidence,
    takeover_code_issue,
)
from gerbang.applications.services.drafts import (
    MAX_ANSWER_LENGTH,
    MAX_OPEN_DRAFTS,
    application_save_answers,
    application_start,
    document_remove,
    document_upload,
)
from gerbang.applications.services.erasure import cases_personal_data_erase, drafts_delete
from gerbang.applications.services.housekeeping import expire_unpaid, orphan_documents_remove
from gerbang.applications.services.moves import (
    application_checks_awaited,
    application_checks_done,
    application_lock,
    application_paid,
    application_transition,
)
from gerbang.applications.services.staff import (
    CorrectionItem,
    application_assign,
    application_claim,
    corrections_request,
    document_verify,
    staff_read_record,
)
from gerbang.applications.services.submission import (
    application_cancel,
    application_resubmit,
    application_submit,
    bill_reissue,
)

__all__ = [
    "MAX_ANSWER_LENGTH",
    "MAX_OPEN_DRAFTS",
    "TAKEOVER_DAYS",
    "CorrectionItem",
    "application_assign",
    "application_cancel",
    "application_checks_awaited",
    "application_checks_done",
    "application_claim",
    "application_lock",
    "application_paid",
    "application_resubmit",
    "application_save_answers",
    "application_start",
    "application_submit",
    "application_take_over",
    "application_transition",
    "assisted_application_start",
    "assisted_application_submit",
    "bill_reissue",
    "cases_personal_data_erase",
    "consent_evidence",
    "corrections_request",
    "document_remove",
    "document_upload",
    "document_verify",
    "drafts_delete",
    "expire_unpaid",
    "orphan_documents_remove",
    "staff_read_record",
    "takeover_code_issue",
]
