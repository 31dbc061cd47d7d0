"""Assisted applications: an officer at the office (or at a mobile service post) opens an
application on behalf of a walk-in person, with the person's recorded consent, enters it
through the same form, documents and checks as self-service, and submits it; the person gets a
printed summary and an SMS with a one-time code to take the case over online later.

While the person has not taken it over, officers of the office with ``Perm.CASE_ASSIST`` play
the applicant's part in the draft (``selectors.case.assisting``); every step they take is an
event with the officer as its actor and ``on_behalf`` in its details. The case belongs to the
person from the start: bills, messages (by SMS), the timeline and public tracking are theirs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from datetime import datetime, timedelta
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ImageChops, ImageOps

from gerbang.accounts import services as accounts
from gerbang.accounts.models import User
from gerbang.accounts.permissions import Perm, require_permission
from gerbang.applications import assisted_codes
from gerbang.applications.consents import ASSISTED_PURPOSE, ASSISTED_VERSION
from gerbang.applications.documents import InspectedFile, inspect_upload
from gerbang.applications.models import Application, AssistedIntake, ConsentMethod, TakeoverCode
from gerbang.applications.services.drafts import application_start
from gerbang.applications.services.moves import _locked
from gerbang.applications.services.submission import application_submit
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office, Service
from gerbang.core import consents, events
from gerbang.core.exceptions import Conflict, NotFound, RateLimited, ValidationError
from gerbang.core.images import clean_picture
from gerbang.core.ratelimit import Limit, enforce

# How long a take-over code works.
TAKEOVER_DAYS = 30
# Guessing a code: tries per network address and per application number.
TAKEOVER_PER_ADDRESS = Limit("takeover-address", 20, 60 * 60)
TAKEOVER_PER_NUMBER = Limit("takeover-number", 5, 60 * 60)
# The largest signature picture accepted (a PNG drawn on the pad is a few kilobytes).
SIGNATURE_MAX_BYTES = 512 * 1024


def _signature_file(data_url: str) -> InspectedFile:
    """The signature drawn on the pad (a PNG data URL), checked and re-encoded like any picture;
    a blank pad is refused."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix) or len(data_url) > SIGNATURE_MAX_BYTES * 4 // 3 + len(prefix):
        raise ValidationError(
            _("The signature was not received. Ask the person to sign on the pad again."), field="signature"
        )
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            _("The signature was not received. Ask the person to sign on the pad again."), field="signature"
        ) from None
    cleaned = clean_picture(io.BytesIO(raw), field="signature", max_bytes=SIGNATURE_MAX_BYTES)
    rgba = cleaned.image.convert("RGBA")
    # Strokes are what is both opaque and dark: a blank pad (transparent or white) has none.
    if ImageChops.multiply(rgba.getchannel("A"), ImageOps.invert(rgba.convert("L"))).getbbox() is None:
        raise ValidationError(
            _("The signature pad is empty. Ask the person to sign on it."), field="signature"
        )
    payload = cleaned.content.read()
    cleaned.content.seek(0)
    return InspectedFile(
        content=cleaned.content,
        content_type="image/png" if cleaned.format == "PNG" else "image/jpeg",
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        width=cleaned.image.width,
        height=cleaned.image.height,
    )


def consent_evidence(
    *, method: str, signature: str = "", scan: IO[bytes] | None = None
) -> tuple[ConsentMethod, InspectedFile]:
    """The person's consent as the officer captured it, checked before anything is stored: the
    signature drawn on the screen, or the scan of the signed printed form (a PDF or a picture,
    checked as any document is)."""
    if method == ConsentMethod.SIGNATURE:
        return ConsentMethod.SIGNATURE, _signature_file(signature)
    if method == ConsentMethod.SCAN:
        if scan is None:
            raise ValidationError(
                _("Upload the scan or a photo of the consent form the person signed."), field="consent_scan"
            )
        return ConsentMethod.SCAN, inspect_upload(scan, field="consent_scan")
    raise ValidationError(
        _("Record the person's consent first: a signature on the screen or the signed form."),
        field="consent_method",
    )


def assisted_application_start(
    *,
    officer: User,
    office: Office,
    service: Service,
    full_name: str,
    phone: str,
    email: str = "",
    language: str,
    for_child: bool = False,
    consent: tuple[ConsentMethod, InspectedFile],
) -> Application:
    """Register the walk-in person, record their consent (``consent_evidence``) and open the
    draft in their name, all in one transaction: nothing about the person is kept without the
    consent. The officer then enters the form and documents through the usual services."""
    require_permission(officer, Perm.CASE_ASSIST, office_id=office.pk)
    method, evidence = consent
    with transaction.atomic():
        person = accounts.assisted_person_register(
            full_name=full_name, phone=phone, email=email, language=language, office=office, actor=officer
        )
        events.publish(consents.ConsentGiven(person=person, purpose=ASSISTED_PURPOSE, via="counter"))
        application = application_start(
            applicant=person, service=service, office=office, for_child=for_child, assisted_by=officer
        )
        now = timezone.now()
        intake = AssistedIntake(
            application=application,
            officer=officer,
            consent_method=method,
            consent_content_type=evidence.content_type,
            consent_version=ASSISTED_VERSION,
            consent_at=now,
        )
        intake.consent_file.save(evidence.content.name or "consent", evidence.content, save=False)
        saved = intake.consent_file.name or ""
        try:
            intake.save()
        except Exception:
            intake.consent_file.storage.delete(saved)
            raise
        events.record(
            "application.assisted_consent_recorded",
            actor=officer,
            subject=application,
            office_id=office.pk,
            details={"method": method.value, "version": ASSISTED_VERSION, "on_behalf": True},
        )
    return application


def _open_intake(application: Application, actor: User) -> AssistedIntake:
    require_permission(actor, Perm.CASE_ASSIST, office_id=application.office_id)
    intake = AssistedIntake.objects.filter(application=application).first()
    if intake is None:
        raise NotFound()
    if not intake.is_open:
        raise Conflict(_("The person took this application over online; officers no longer act for them."))
    return intake


def _issue(application: Application, actor: User, *, now: datetime) -> TakeoverCode:
    """A new code for the case (the previous ones voided), and the SMS that carries it."""
    from gerbang.notifications.services import outbox_add

    application.takeover_codes.filter(used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    nonce = assisted_codes.new_nonce()
    code = TakeoverCode.objects.create(
        application=application,
        nonce=nonce,
        code_hash=assisted_codes.hash_of(assisted_codes.code_for(nonce)),
        issued_by=actor,
        issued_at=now,
        expires_at=now + timedelta(days=TAKEOVER_DAYS),
    )
    events.record(
        "application.takeover_code_issued",
        actor=actor,
        subject=application,
        office_id=application.office_id,
        details={"expires": code.expires_at.isoformat(), "on_behalf": True},
    )
    outbox_add(
        recipient=application.applicant,
        kind="application.takeover_code",
        dedup_key=f"application.takeover_code:{code.pk}",
        context={"application_id": application.pk, "code_id": code.pk},
    )
    return code


@transaction.atomic
def assisted_application_submit(*, application: Application, declaration: bool, actor: User) -> Application:
    """The officer submits the assisted draft (the same checks as self-service; the person
    confirmed the declaration to the officer) and the first take-over code is issued."""
    _open_intake(application, actor)
    application = application_submit(application=application, declaration=declaration, actor=actor)
    _issue(application, actor, now=timezone.now())
    return application


@transaction.atomic
def takeover_code_issue(*, application: Application, actor: User) -> TakeoverCode:
    """A new take-over code (the person lost the summary, or the code expired): the old one
    stops working at once."""
    _open_intake(application, actor)
    application = _locked(application, None)
    if application.state == State.DRAFT or not application.number:
        raise Conflict(_("Submit the application first; the code comes with its number."))
    return _issue(application, actor, now=timezone.now())


def takeover_code_valid(code: TakeoverCode | None) -> bool:
    return code is not None and code.is_usable()


def _takeover_refused() -> ValidationError:
    return ValidationError(
        _(
            "The application number or the code is not right, or the code was used or expired. "
            "Check both on your printed summary or SMS, or ask the office for a new code."
        ),
        field="code",
    )


def application_take_over(
    *, number: str, code: str, email: str, password: str, language: str, client: str
) -> Application:
    """The person takes their assisted case over online with its number and one-time code:
    their own email address and password; officers no longer act for them. Tries are limited
    per address and per number; a wrong number and a wrong code get the same answer."""
    number = "".join(number.upper().split())
    enforce(
        (TAKEOVER_PER_ADDRESS, client),
        (TAKEOVER_PER_NUMBER, number or "-"),
        message=RateLimited.default_message,
    )
    typed = assisted_codes.normalise(code)
    application = (
        Application.objects.filter(number=number).select_related("applicant").first() if number else None
    )
    found = (
        TakeoverCode.objects.filter(application=application, code_hash=assisted_codes.hash_of(typed)).first()
        if application is not None and typed
        else None
    )
    if application is None or not takeover_code_valid(found):
        raise _takeover_refused()
    with transaction.atomic():
        locked = TakeoverCode.objects.select_for_update().get(pk=found.pk if found else 0)
        if not locked.is_usable():
            raise _takeover_refused()
        now = timezone.now()
        person = User.objects.select_for_update().get(pk=application.applicant_id)
        accounts.assisted_account_take_over(user=person, email=email, password=password, language=language)
        locked.used_at = now
        locked.save(update_fields=["used_at"])
        application.takeover_codes.filter(used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
        AssistedIntake.objects.filter(application=application).update(taken_over_at=now)
        events.record(
            "application.taken_over",
            actor=person,
            subject=application,
            office_id=application.office_id,
            details={"public": True},
        )
    application.applicant = person
    return application
