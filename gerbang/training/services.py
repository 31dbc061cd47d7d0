"""The training office (docs/training.md): made, filled with a synthetic set of cases in every
stage, and reset by an administrator in one action.

The training office is an ``Office`` marked ``is_training`` (set when it is made, never
changed). Everything done there goes through the same services as at a real office, so staff
learn the real actions; what keeps it out of every public number is decided where each number
is made (the catalogue's public lists, the statistics, the IKM and satisfaction, the forecasts,
the ledger, the outbox, the partner exchange), never here.

``training_reset`` deletes every row the training office's cases and synthetic people left and
makes the set again, in one transaction, and records who did it (``training.reset``, in the
audit log; never in the public ledger). It is the one place that deletes other apps' rows
directly: only there, only the training office's, in the order their foreign keys need.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q

from gerbang.accounts.models import User
from gerbang.accounts.services import account_provision, office_membership_set, profile_update
from gerbang.analytics.models import ForecastRun
from gerbang.applications import services as cases
from gerbang.applications.models import Application
from gerbang.applications.selectors import office_today
from gerbang.applications.services import CorrectionItem
from gerbang.applications.slots import document_slots
from gerbang.appointments import services as appointments
from gerbang.appointments.models import Booking, GeneratedDay, QuotaDay, ScheduleTemplate, Slot
from gerbang.catalog import demo as catalog_demo
from gerbang.catalog.models import Office, Service, TimeZone
from gerbang.catalog.services import office_service_set, office_upsert, opening_hours_set
from gerbang.core import events
from gerbang.core.actors import SystemActor, person
from gerbang.core.models import Event
from gerbang.core.pdf import render_pdf
from gerbang.core.permissions import Perm, require_permission_unless_system
from gerbang.core.training import SYNTHETIC_EMAIL_DOMAIN
from gerbang.feedback.models import Consultation, Report
from gerbang.ikm.models import Response, Result, Served
from gerbang.payments import services as payments
from gerbang.payments.models import Bill, Payment, PaymentAnomaly
from gerbang.privacy.models import Consent, Request
from gerbang.queueing import services as queueing
from gerbang.queueing.models import Lane, QueuePolicy, Ticket
from gerbang.satisfaction.models import Invitation, Suggestion
from gerbang.training import people, selectors

# Who makes the set when no person does (the demo, the command): recorded as "system (training)".
TRAINING = SystemActor("training")
RESET_CODE = selectors.RESET_CODE

OFFICE: dict[str, Any] = {
    "code": selectors.OFFICE_CODE,
    "name_id": "Kantor Latihan (bukan kantor nyata)",
    "name_en": "Training office (not a real office)",
    "province": "Latihan",
    "regency": "Latihan",
    "address": "Kantor latihan: tidak ada alamat nyata / Training office: no real address",
    "time_zone": TimeZone.WIB,
    "email": people.synthetic_email("kantor"),
}
SERVICES = catalog_demo.PASSPORT_SERVICES
# The queue: a lane for interviews and one for collecting, and two counters.
LANES = (
    ("A", "Latihan: wawancara", "Training: interviews", "passport", "interview"),
    ("C", "Latihan: pengambilan", "Training: collecting", "", "pickup"),
)
COUNTERS = ((1, "AC"), (2, "AC"))
WALK_INS = 3

# The set: one case per stage, so that every action has a case to be learnt on. Each is
# (applicant's index in people.APPLICANTS, service, how far it goes).
STAGES: tuple[tuple[int, str, str], ...] = (
    (0, "paspor-biasa", "awaiting_payment"),  # record the counter payment
    (1, "paspor-biasa", "paid"),  # start the verification
    (2, "e-paspor", "in_verification"),  # verify the documents, or ask for a correction
    (3, "paspor-biasa", "correction_requested"),  # wait for the applicant; read the request
    (4, "paspor-biasa", "awaiting_appointment"),  # complete the interview
    (5, "paspor-biasa", "in_review"),  # decide: approve or refuse
    (6, "e-paspor", "approved"),  # issue: mark it ready for pickup
    (7, "paspor-biasa", "ready_for_pickup"),  # hand it over: mark it collected
    (8, "paspor-biasa", "collected"),  # a case finished, to read its whole timeline
)


@dataclass(frozen=True)
class TrainingSet:
    office: Office
    cases: int
    people: int
    tickets: int


@dataclass(frozen=True)
class Deleted:
    cases: int
    people: int
    events: int


# --- The office and its people -------------------------------------------------------------


def _password() -> str:
    return secrets.token_urlsafe(32)


def _staff(office: Office) -> dict[str, User]:
    made = {}
    for member in people.STAFF:
        user = account_provision(
            email=people.synthetic_email(member.local),
            full_name=member.full_name,
            role=member.role,
            password=_password(),
            office_ids=[office.pk],
            actor=TRAINING,
        )
        user.set_unusable_password()  # nobody signs in as a synthetic member of staff
        user.save(update_fields=["password"])
        made[str(member.role)] = user
    return made


def _applicant(spec: people.Applicant) -> User:
    user = account_provision(
        email=people.synthetic_email(spec.local),
        full_name=spec.full_name,
        role="applicant",
        password=_password(),
        actor=TRAINING,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return profile_update(
        user=user,
        full_name=spec.full_name,
        date_of_birth=datetime.strptime(spec.born, "%d/%m/%Y").date(),  # noqa: DTZ007 - a calendar date
        sex=spec.sex,
        nationality="ID",
        phone=people.PHONE,
        nik=spec.nik,
    )


def training_office_ensure(*, actor: User | SystemActor) -> Office:
    """The training office, made if it is missing, with its hours, services, queue and visiting
    hours (each set through its own app's service, by the synthetic administrator)."""
    office = office_upsert(**OFFICE, is_training=True, actor=TRAINING)
    opening_hours_set(office=office, periods=catalog_demo.WEEKLY_HOURS, actor=TRAINING)
    for code in SERVICES:
        service = Service.objects.filter(code=code, is_active=True).first()
        if service is not None:
            office_service_set(office=office, service=service, actor=TRAINING)
    administrator = _staff(office)["office_admin"]
    lanes = {lane.letter: lane for lane in Lane.objects.filter(office=office)}
    for letter, name_id, name_en, group, purpose in LANES:
        if letter not in lanes:
            lanes[letter] = queueing.lane_save(
                office=office,
                letter=letter,
                name_id=name_id,
                name_en=name_en,
                group=group,
                purpose=purpose,
                actor=administrator,
            )
    numbers = set(office.counters.values_list("number", flat=True))
    for number, letters in COUNTERS:
        if number not in numbers:
            queueing.counter_save(
                office=office, number=number, lanes=[lanes[letter] for letter in letters], actor=administrator
            )
    if not QueuePolicy.objects.filter(office=office).exists():
        defaults = QueuePolicy()
        queueing.queue_policy_set(
            office=office,
            priority_every=3,
            wait_target_minutes=defaults.wait_target_minutes,
            default_service_minutes=defaults.default_service_minutes,
            actor=administrator,
        )
    if not ScheduleTemplate.objects.filter(office=office).exists():
        # Weekday mornings (before the Friday break), for the interviews of the training set's cases.
        for starts, ends in ((time(8, 0), time(11, 30)),):
            appointments.schedule_block_add(
                office=office,
                group="passport",
                weekdays=list(range(5)),
                starts=starts,
                ends=ends,
                slot_minutes=30,
                capacity=4,
                priority_share=0,
                same_day_share=0,
                actor=administrator,
            )
    return office


# --- The set of cases ------------------------------------------------------------------------


def _answers(spec: people.Applicant) -> dict[str, str]:
    return {
        "full_name": spec.full_name,
        "sex": spec.sex,
        "date_of_birth": spec.born,
        "place_of_birth": "Latihan",
        "nik": spec.nik,
        "mother_name": "Ibu Latihan",
        "address": "Jl. Latihan No. 1, Kantor Latihan (alamat contoh)",
        "postal_code": "34598",
        "phone": people.PHONE,
        "purpose": "tourism",
        "previous_passport": "none",
    }


def _fill(application: Application, who: User, answers: dict[str, str]) -> Application:
    cases.application_save_answers(application=application, values=answers, actor=who)
    application.refresh_from_db()
    for slot in document_slots(application):
        cases.document_upload(
            application=application,
            slot=slot.key,
            upload=io.BytesIO(
                render_pdf(
                    "applications/demo_document.html",
                    {"label": f"LATIHAN · {slot.label} · {answers['full_name']}"},
                )
            ),
            file_name="scan-latihan.pdf",
            actor=who,
        )
    return Application.objects.get(pk=application.pk)


def _act(application: Application, action: str, actor: User, **kwargs: str) -> Application:
    return cases.application_transition(
        application=application, action=action, actor=actor, expected_version=application.version, **kwargs
    )


def _verify_all(application: Application, officer: User) -> Application:
    for document in application.documents.filter(is_current=True):
        cases.document_verify(
            document=document,
            actor=officer,
            expected_version=Application.objects.get(pk=application.pk).version,
        )
    return Application.objects.get(pk=application.pk)


# The steps from submission to each stage, in order.
_ROUTE = (
    "paid",
    "in_verification",
    "verified",
    "awaiting_appointment",
    "in_review",
    "approved",
    "ready_for_pickup",
    "collected",
)


def _case(
    office: Office, staff: dict[str, User], who: User, spec: people.Applicant, code: str, stage: str
) -> None:
    officer, supervisor = staff["officer"], staff["supervisor"]
    application = cases.application_start(
        applicant=who, service=Service.objects.get(code=code), office=office, for_child=False
    )
    application = _fill(application, who, _answers(spec))
    application = cases.application_submit(application=application, declaration=True, actor=who)
    if stage == "awaiting_payment":
        return
    application = payments.payment_record_counter(
        application=application,
        receipt_number=f"LATIHAN-{application.pk:06d}",
        amount=application.fee or 0,
        paid_on=office_today(application),
        actor=officer,
        expected_version=application.version,
    )
    if stage == "paid":
        return
    steps = _ROUTE[: _ROUTE.index("in_verification") + 1] if stage == "correction_requested" else None
    for step in (steps or _ROUTE)[1:]:
        if step == "in_verification":
            application = _act(application, "start_verification", officer)
        elif step == "verified":
            application = _verify_all(application, officer)
        elif step == "awaiting_appointment":
            application = _act(application, "send_to_interview", officer)
        elif step == "in_review":
            application = _act(application, "complete_interview", officer)
        elif step == "approved":
            application = _act(application, "approve", supervisor)
        elif step == "ready_for_pickup":
            application = _act(application, "mark_ready", officer)
        elif step == "collected":
            application = _act(application, "mark_collected", officer)
        if step == stage:
            return
    if stage == "correction_requested":
        slot = document_slots(application)[0]
        cases.corrections_request(
            application=application,
            items=[
                CorrectionItem(
                    "document",
                    slot.key,
                    "Latihan: pindaian buram, unggah ulang. / Training: the scan is blurred, upload it again.",
                )
            ],
            actor=officer,
            expected_version=application.version,
        )


def _walk_ins(office: Office, officer: User) -> int:
    lane = Lane.objects.filter(office=office, letter="A").first()
    if lane is None:
        return 0
    for _number in range(WALK_INS):
        queueing.walk_in_issue(office=office, lane=lane, actor=officer, after_hours=True)
    return WALK_INS


def training_set_make(*, actor: User | SystemActor) -> TrainingSet:
    """The training office with its synthetic people and one case in every stage (made only
    when it has no case yet: ``training_reset`` starts again from nothing)."""
    office = training_office_ensure(actor=actor)
    staff = _staff(office)
    if Application.objects.filter(office=office).exists():
        return TrainingSet(office, Application.objects.filter(office=office).count(), 0, 0)
    made_people = 0
    for index, code, stage in STAGES:
        spec = people.APPLICANTS[index]
        who = _applicant(spec)
        made_people += 1
        _case(office, staff, who, spec, code, stage)
    tickets = _walk_ins(office, staff["officer"])
    return TrainingSet(office, len(STAGES), made_people + len(people.STAFF), tickets)


# --- The reset --------------------------------------------------------------------------------


def _synthetic_people() -> Q:
    return Q(email__iendswith=f"@{SYNTHETIC_EMAIL_DOMAIN}")


def _delete_everything(office: Office) -> Deleted:
    """Every row of the training office's cases and people, children first."""
    person_ids = list(User.objects.filter(_synthetic_people()).values_list("pk", flat=True))
    case_ids = list(Application.objects.filter(office=office).values_list("pk", flat=True))
    Ticket.objects.filter(office=office).delete()
    Booking.objects.filter(Q(application_id__in=case_ids) | Q(slot__office=office)).delete()
    Slot.objects.filter(office=office).delete()
    GeneratedDay.objects.filter(office=office).delete()
    QuotaDay.objects.filter(office=office).delete()
    Payment.objects.filter(application_id__in=case_ids).delete()
    Bill.objects.filter(application_id__in=case_ids).delete()
    PaymentAnomaly.objects.filter(office=office).delete()
    Consultation.objects.filter(Q(office=office) | Q(asker_id__in=person_ids)).delete()
    Report.objects.filter(Q(office=office) | Q(reporter_id__in=person_ids)).delete()
    Invitation.objects.filter(Q(office=office) | Q(person_id__in=person_ids)).delete()
    Suggestion.objects.filter(office=office).delete()
    Response.objects.filter(office=office).delete()
    Served.objects.filter(office=office).delete()
    Result.objects.filter(office=office).delete()
    ForecastRun.objects.filter(office=office).delete()
    Request.objects.filter(person_id__in=person_ids).delete()
    Consent.objects.filter(person_id__in=person_ids).delete()
    cases_deleted = len(case_ids)
    Application.objects.filter(pk__in=case_ids).delete()
    # The training office's events (its reset records stay: who reset it, and when) and the
    # synthetic people's own; the ledger never took any of them.
    events_deleted, _rows = Event.objects.filter(
        Q(office_id=office.pk) & ~Q(code__startswith="training.")
        | Q(subject_type="accounts.user", subject_id__in=[str(pk) for pk in person_ids])
    ).delete()
    User.objects.filter(pk__in=person_ids).delete()
    return Deleted(cases=cases_deleted, people=len(person_ids), events=events_deleted)


@transaction.atomic
def training_reset(*, actor: User | SystemActor) -> TrainingSet:
    """Delete everything done at the training office and make its synthetic set again, in one
    transaction; recorded as ``training.reset`` (the audit log shows who and when)."""
    office = selectors.training_office()
    require_permission_unless_system(actor, Perm.TRAINING_RESET, office_id=office.pk if office else None)
    deleted = _delete_everything(office) if office is not None else Deleted(0, 0, 0)
    made = training_set_make(actor=actor)
    events.record(
        RESET_CODE,
        actor=actor,
        subject=made.office,
        office_id=made.office.pk,
        details={
            "deleted_cases": deleted.cases,
            "deleted_people": deleted.people,
            "cases": made.cases,
            "by": str(actor) if person(actor) is None else "staff",
        },
    )
    return made


def training_members_add(*, user: User, actor: SystemActor) -> User:
    """Add a member of staff to the training office, keeping their offices (the demo's)."""
    office = training_office_ensure(actor=actor)
    return office_membership_set(user=user, office_ids=[*user.office_ids(), office.pk], actor=actor)
