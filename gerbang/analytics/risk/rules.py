"""The rules that raise risk flags, one function per kind (``RiskKind``), each returning what it
found (reasons as message codes with numbers, and the other cases involved) or None.

Reasons never hold personal data: codes, counts, case ids, the names of features and their
numbers. ``risk.texts`` turns them into sentences in the reader's language. The rules read the
case and the other cases' fingerprints (keyed hashes), never another case's answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django_countries import countries
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from gerbang.accounts.models import User
from gerbang.analytics.models import CaseFingerprint, RiskKind
from gerbang.analytics.risk.features import ACCOUNT_WINDOW, PHONE_WINDOW, folded_name, vector
from gerbang.applications import fields as answer_fields
from gerbang.applications.documents import hamming, hash_bands
from gerbang.applications.models import Application, Document
from gerbang.applications.mrz import MrzError, parse_td3
from gerbang.applications.slots import PHOTO_SLOT
from gerbang.applications.workflow import State
from gerbang.biometrics import engine as face_engine
from gerbang.biometrics import selectors as face_selectors
from gerbang.core.exceptions import ValidationError
from gerbang.core.validators import normalize_nik

if TYPE_CHECKING:
    from gerbang.analytics.risk.model import Fitted

# Two pictures within this many bits of their 64-bit perceptual hash are the same picture
# (the same limit as the applications' own duplicate check).
SAME_PICTURE_MAX_BITS = 3
# "Many applications from one phone": this many other accounts gave the same number within
# PHONE_WINDOW of the case (a family shares a number; four households on one number is a broker).
PHONE_OTHER_ACCOUNTS = 3
# "...from one device": this many other accounts that applied signed in from the same browser
# and network address (django-axes' record of sign-ins) within DEVICE_WINDOW.
DEVICE_OTHER_ACCOUNTS = 3
DEVICE_WINDOW = timedelta(days=90)
# "...from one account": this many different people applied for from one account in a year
# (a parent applies for their children; five and more is unusual).
PEOPLE_PER_ACCOUNT = 5
# At most this many other cases are linked from one reason (the count says how many in all).
MAX_LINKED = 20
# Documents a household or a group shares in earnest (the family card, the parents' papers, a
# sponsor's letter, a group's tickets): the same file in two people's cases is no sign of
# anything. Read from the requirement's Indonesian name, lower case; the catalogue does not mark
# them (yet), so this list says which they are.
SHARED_DOCUMENT_WORDS = (
    "kartu keluarga",
    "orang tua",
    "nikah",
    "perkawinan",
    "domisili",
    "penjamin",
    "finansial",
    "tiket",
    "tujuan tinggal",
    "alih status",
)


@dataclass
class Finding:
    kind: RiskKind
    reasons: list[dict[str, Any]] = field(default_factory=list)
    score: float | None = None

    def add(self, code: str, cases: list[int] | None = None, **params: Any) -> None:
        reason: dict[str, Any] = {"code": code, "params": params}
        if cases:
            reason["cases"] = sorted(set(cases))[:MAX_LINKED]
        self.reasons.append(reason)

    @property
    def evidence(self) -> list[str]:
        """What the finding rests on: each reason's code, and each case it names."""
        items = {reason["code"] for reason in self.reasons}
        items |= {f"{reason['code']}:{case}" for reason in self.reasons for case in reason.get("cases", ())}
        return sorted(items)


def _fingerprints(ids: set[int]) -> dict[int, CaseFingerprint]:
    return {fp.application_id: fp for fp in CaseFingerprint.objects.filter(application_id__in=sorted(ids))}


# ------------------------------------------------------------------------------- same NIK


def same_nik(application: Application, fingerprint: CaseFingerprint) -> Finding | None:
    """The subject's NIK in another case under another name or date of birth, or registered to an
    account holder by another name."""
    if not fingerprint.nik_index:
        return None
    finding = Finding(RiskKind.SAME_NIK)
    by_difference: dict[str, list[int]] = defaultdict(list)
    others = CaseFingerprint.objects.filter(nik_index=fingerprint.nik_index).exclude(
        application_id=application.pk
    )
    for other in others.only("application_id", "name_index", "birth_index"):
        other_name = other.name_index != fingerprint.name_index
        other_birth = other.birth_index != fingerprint.birth_index
        if other_name and other_birth:
            by_difference["nik.other_name_and_birth_date"].append(other.application_id)
        elif other_name:
            by_difference["nik.other_name"].append(other.application_id)
        elif other_birth:
            by_difference["nik.other_birth_date"].append(other.application_id)
    for code in ("nik.other_name_and_birth_date", "nik.other_name", "nik.other_birth_date"):
        if by_difference[code]:
            finding.add(code, by_difference[code], count=len(by_difference[code]))
    name = folded_name(application.subject_name)
    holders = (
        User.objects.filter(nik_index=fingerprint.nik_index)
        .exclude(pk=application.applicant_id)
        .only("full_name")
    )
    other_holders = sum(1 for holder in holders if folded_name(holder.full_name) != name)
    if other_holders:
        finding.add("nik.account_other_name", count=other_holders)
    return finding if finding.reasons else None


# ---------------------------------------------------------------------------- same picture


def _matching_documents(document: Document, application: Application) -> list[Document]:
    others = (
        Document.objects.filter(is_current=True)
        .exclude(application_id=application.pk)
        .exclude(application__state=State.DRAFT)
    )
    if document.image_hash:
        bands = hash_bands(document.image_hash)
        candidates = others.filter(
            Q(hash_band_0=bands[0])
            | Q(hash_band_1=bands[1])
            | Q(hash_band_2=bands[2])
            | Q(hash_band_3=bands[3])
        ).exclude(image_hash="")
        return [d for d in candidates if hamming(d.image_hash, document.image_hash) <= SAME_PICTURE_MAX_BITS]
    if document.sha256:
        return list(others.filter(sha256=document.sha256).select_related("requirement"))
    return []


def is_shared_document(document: Document) -> bool:
    requirement = document.requirement
    name = (requirement.name_id if requirement is not None else "").lower()
    return any(word in name for word in SHARED_DOCUMENT_WORDS)


def same_image(application: Application, fingerprint: CaseFingerprint) -> Finding | None:
    """The same photo (a face) in a case about another person, whoever applied; or the same
    personal document (a KTP-el, a birth certificate, a passport; not one a household shares,
    ``SHARED_DOCUMENT_WORDS``) in another account's case about another person."""
    photo_cases: list[int] = []
    document_cases: list[int] = []
    matches: list[tuple[Document, Document]] = []
    for document in (
        application.documents.filter(is_current=True).exclude(file="").select_related("requirement")
    ):
        if document.slot != PHOTO_SLOT and is_shared_document(document):
            continue
        matches += [(document, other) for other in _matching_documents(document, application)]
    others = _fingerprints({other.application_id for _mine, other in matches})
    applicants = dict(Application.objects.filter(pk__in=sorted(others)).values_list("pk", "applicant_id"))
    for mine, other in matches:
        other_fp = others.get(other.application_id)
        if other_fp is None or fingerprint.same_identity(other_fp):
            continue  # unknown (erased), or the same person again
        if PHOTO_SLOT in (mine.slot, other.slot):
            photo_cases.append(other.application_id)
        elif is_shared_document(other):
            continue
        elif applicants.get(other.application_id) != application.applicant_id:
            document_cases.append(other.application_id)
    finding = Finding(RiskKind.SAME_IMAGE)
    if photo_cases:
        finding.add("image.photo", photo_cases, count=len(set(photo_cases)))
    if document_cases:
        finding.add("image.document", document_cases, count=len(set(document_cases)))
    return finding if finding.reasons else None


# ---------------------------------------------------------------------- shared contact


def _device_accounts(email: str, since: Any) -> set[str]:
    """The other accounts (their addresses, lower case) that signed in from a browser and network
    address this account signed in from (django-axes keeps each successful sign-in)."""
    from axes.models import AccessLog

    pairs = set(
        AccessLog.objects.filter(username__iexact=email, attempt_time__gte=since)
        .exclude(user_agent="")
        .exclude(ip_address=None)
        .values_list("ip_address", "user_agent")
    )
    found: set[str] = set()
    for address, agent in pairs:
        found |= {
            (name or "").lower()
            for name in AccessLog.objects.filter(
                ip_address=address, user_agent=agent, attempt_time__gte=since
            )
            .exclude(username__iexact=email)
            .values_list("username", flat=True)
        }
    return found - {""}


def shared_contact(application: Application, fingerprint: CaseFingerprint) -> Finding | None:
    """Many applications from one phone number, one mailbox, one account or one device."""
    finding = Finding(RiskKind.SHARED_CONTACT)
    submitted = fingerprint.submitted_at
    if fingerprint.phone_index:
        rows = list(
            CaseFingerprint.objects.filter(
                phone_index=fingerprint.phone_index,
                submitted_at__gte=submitted - PHONE_WINDOW,
                submitted_at__lte=submitted + PHONE_WINDOW,
            )
            .exclude(applicant_id=fingerprint.applicant_id)
            .values_list("application_id", "applicant_id")
        )
        accounts = {applicant for _case, applicant in rows}
        if len(accounts) >= PHONE_OTHER_ACCOUNTS:
            finding.add(
                "contact.phone",
                [case for case, _applicant in rows],
                accounts=len(accounts),
                applications=len(rows),
                days=PHONE_WINDOW.days,
            )
    if fingerprint.mailbox_index:
        rows = list(
            CaseFingerprint.objects.filter(
                mailbox_index=fingerprint.mailbox_index,
                submitted_at__gte=submitted - ACCOUNT_WINDOW,
                submitted_at__lte=submitted + ACCOUNT_WINDOW,
            )
            .exclude(applicant_id=fingerprint.applicant_id)
            .values_list("application_id", "applicant_id")
        )
        if rows:
            finding.add(
                "contact.mailbox",
                [case for case, _applicant in rows],
                accounts=len({applicant for _case, applicant in rows}),
            )
    people = int(fingerprint.features.get("account_subjects_365d", 0))
    if people >= PEOPLE_PER_ACCOUNT:
        same_account = CaseFingerprint.objects.filter(
            applicant_id=fingerprint.applicant_id,
            submitted_at__gte=submitted - ACCOUNT_WINDOW,
            submitted_at__lte=submitted + ACCOUNT_WINDOW,
        ).exclude(application_id=application.pk)
        finding.add(
            "contact.account_people",
            list(same_account.values_list("application_id", flat=True)),
            people=people,
        )
    since = timezone.now() - DEVICE_WINDOW
    emails = _device_accounts(application.applicant.email, since)
    if emails:
        rows = list(
            CaseFingerprint.objects.filter(
                applicant__email__in=sorted(emails), submitted_at__gte=submitted - DEVICE_WINDOW
            ).values_list("application_id", "applicant_id")
        )
        accounts = {applicant for _case, applicant in rows}
        if len(accounts) >= DEVICE_OTHER_ACCOUNTS:
            finding.add(
                "contact.device",
                [case for case, _applicant in rows],
                accounts=len(accounts),
                days=DEVICE_WINDOW.days,
            )
    return finding if finding.reasons else None


# ------------------------------------------------------------------------- inconsistencies


def _answered_date(answers: dict[str, Any], name: str) -> date | None:
    raw = str(answers.get(name, "") or "")
    if not raw:
        return None
    try:
        return answer_fields.clean_date(raw, field=name, today=date.max)
    except ValidationError:
        return None


def _yymmdd(day: date) -> str:
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def id_mismatch(application: Application) -> Finding | None:
    """Where the NIK or the passport's machine-readable lines disagree with the answers, or the
    answers of someone applying for themselves disagree with their account's own NIK and date of
    birth. Submission refuses most of these: this catches what came in another way (a correction,
    a case from before a check existed) and what submission does not compare (the account)."""
    answers = application.answers or {}
    finding = Finding(RiskKind.ID_MISMATCH)
    born = _answered_date(answers, "date_of_birth")
    sex = str(answers.get("sex", "") or "")
    nik = normalize_nik(str(answers.get("nik", "") or ""))
    nik_birth = ""
    if nik:
        try:
            stdnum_nik.validate(nik)
        except StdnumError:
            finding.add("nik.invalid")
        else:
            day = int(nik[6:8])
            nik_birth = f"{nik[10:12]}{nik[8:10]}{day - 40 if day > 40 else day:02d}"
            if sex in {"M", "F"} and ("F" if day > 40 else "M") != sex:
                finding.add("nik.sex")
            if born is not None and nik_birth != _yymmdd(born):
                finding.add("nik.birth_date")
    if not application.for_child:
        applicant = application.applicant
        if (
            applicant.nik_index
            and application.subject_nik_index
            and applicant.nik_index != application.subject_nik_index
        ):
            finding.add("profile.nik")
        if applicant.date_of_birth and born is not None and applicant.date_of_birth != born:
            finding.add("profile.birth_date")
    raw_mrz = str(answers.get("mrz", "") or "")
    if raw_mrz.strip():
        _mrz_mismatches(finding, application, raw_mrz, born=born, sex=sex, nik_birth=nik_birth)
    return finding if finding.reasons else None


def _mrz_mismatches(
    finding: Finding, application: Application, raw: str, *, born: date | None, sex: str, nik_birth: str
) -> None:
    answers = application.answers or {}
    try:
        mrz = parse_td3(raw)
    except MrzError:
        finding.add("mrz.invalid")
        return
    if born is not None and mrz.birth_date != _yymmdd(born):
        finding.add("mrz.birth_date")
    if nik_birth and mrz.birth_date != nik_birth:
        finding.add("mrz.nik_birth_date")
    if sex in {"M", "F"} and mrz.sex in {"M", "F"} and mrz.sex != sex:
        finding.add("mrz.sex")
    name = str(answers.get("full_name", "") or "")
    if name and not mrz.name_matches(answer_fields.mrz_name(name)):
        finding.add("mrz.name")
    number = str(answers.get("passport_number", "") or answers.get("old_passport_number", "") or "")
    number = number.replace(" ", "").replace("-", "").upper()
    if number and number != mrz.document_number:
        finding.add("mrz.number")
    citizen = application.form_key.startswith("passport")
    nationality = "IDN" if citizen else countries.alpha3(str(answers.get("nationality", "") or "")) or ""
    if nationality and mrz.nationality != nationality:
        finding.add("mrz.nationality")
    expiry = _answered_date(answers, "passport_expiry")
    if expiry is not None and mrz.expiry_date != _yymmdd(expiry):
        finding.add("mrz.expiry")


# ---------------------------------------------------------------------------------- anomaly


def anomaly(fingerprint: CaseFingerprint, model: Fitted) -> Finding | None:
    """An unusual combination of the allowlisted features, with the features that make it so."""
    row = vector(fingerprint, model.names)
    score = model.score(row)
    if not model.is_unusual(score):
        return None
    finding = Finding(RiskKind.ANOMALY, score=round(score, 4))
    finding.add(
        "anomaly.score",
        share=round(100 * model.more_unusual_than(score), 1),
        training=len(model.training_scores),
    )
    for contribution in model.explain(row):
        finding.add(
            "anomaly.features",
            features=list(contribution.features),
            values=list(contribution.values),
            typical=list(contribution.typical),
            gain=contribution.gain,
        )
    return finding


# ------------------------------------------------------------------------------------ same face


def same_face(application: Application, fingerprint: CaseFingerprint) -> Finding | None:
    """The face of the application photo in another application about another person (the face
    check's embeddings, ``biometrics.selectors.same_face_cases``: another picture of the same
    face, where ``same_image`` finds only the same picture)."""
    near = face_selectors.same_face_cases(application)
    others = _fingerprints({case for case, _distance in near})
    cases = [
        case for case, _distance in near if case in others and not fingerprint.same_identity(others[case])
    ]
    if not cases:
        return None
    finding = Finding(RiskKind.SAME_FACE)
    nearest = min(distance for case, distance in near if case in cases)
    finding.add("face.same", cases, count=len(cases), distance=round(nearest, 2))
    return finding


# ------------------------------------------------------------------------------------- all


def evaluate(
    application: Application, fingerprint: CaseFingerprint, model: Fitted | None
) -> tuple[dict[RiskKind, Finding], set[RiskKind]]:
    """What every rule finds on ``application``, and which kinds were looked at (the anomaly
    model's only when there is a model)."""
    found = [
        same_nik(application, fingerprint),
        same_image(application, fingerprint),
        shared_contact(application, fingerprint),
        id_mismatch(application),
    ]
    evaluated = {RiskKind.SAME_NIK, RiskKind.SAME_IMAGE, RiskKind.SHARED_CONTACT, RiskKind.ID_MISMATCH}
    if face_engine.available():  # without the biometric extra no face is compared
        found.append(same_face(application, fingerprint))
        evaluated.add(RiskKind.SAME_FACE)
    if model is not None:
        found.append(anomaly(fingerprint, model))
        evaluated.add(RiskKind.ANOMALY)
    return {finding.kind: finding for finding in found if finding is not None}, evaluated
