"""What the accounts app holds about a person (UU PDP): the profile, a staff member's offices,
two-factor devices (never their secrets) and the record of sign-ins to the person's address.

Erasure pseudonymises the account row rather than deleting it: the records other apps must keep
for their retention period (cases, bills, complaints) point at it, and a page showing one of them
must still render. It runs last (``order=100``), after every other app has erased or pseudonymised
what it holds, since some of them find the person's records through the profile (the address,
the sessions). Staff accounts are not erased by the person: an administrator closes them, so
what was done with them stays attributable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import selectors, services
from gerbang.accounts.models import OfficeMembership, Role, User
from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import (
    Activity,
    Basis,
    Blocker,
    Outcome,
    Provider,
    Section,
    int_ids,
    iso,
    register,
)

ACTIVITIES = (
    Activity(
        key="accounts.profile",
        name=_("Account and profile"),
        data=_(
            "Name, email address, phone number, NIK, date of birth, sex, nationality, language, "
            "and when the account was made and its address verified"
        ),
        purpose=_(
            "Signing in, knowing who applies for a service, checking the NIK against the "
            "applications, and reaching the person about their dealings with the office"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik); UU No. 27/2022 Pasal 20(2)e",
        retention=_(
            "While the account is used; on erasure the account is pseudonymised: the records other "
            "services must keep point at an account without name, address or identity numbers"
        ),
        recipients=_(
            "The person; office staff handling the person's applications, visits, questions and reports"
        ),
    ),
    Activity(
        key="accounts.security",
        name=_("Sign-in security"),
        data=_(
            "Two-factor devices (their kind and name, not their secrets); sign-in attempts with the "
            "address typed, the network address, the browser and the time; the signed-in sessions"
        ),
        purpose=_("Keeping accounts safe from people trying to sign in to them"),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 27/2022 Pasal 35",
        retention=_("While the account is used; erased with the account"),
        recipients=_("The person; the administrators of the system"),
    ),
    Activity(
        key="accounts.staff",
        name=_("Staff accounts and their offices"),
        data=_("A staff member's name, email address, role and the offices they work for"),
        purpose=_("Giving staff access to the work of their offices only, and knowing who did what"),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik)",
        retention=_("While the person works for the authority; closed, not erased, by an administrator"),
        recipients=_("Administrators of the staff member's offices; national administrators and auditors"),
    ),
    Activity(
        key="accounts.audit",
        name=_("Audit log of changes and of staff reads"),
        data=_(
            "Who did what and when: every change to a case, a booking, a payment, a report or an "
            "account, and every time a staff member opened someone's personal data (who, whose, "
            "when; not what they saw); an officer's notes on a step, kept apart and erased with "
            "the record they belong to"
        ),
        purpose=_(
            "Accountability of the service and of its staff; finding out, after a breach, whose "
            "data was read (Pasal 46)"
        ),
        basis=Basis.LEGAL_OBLIGATION,
        law="UU No. 27/2022 (Pelindungan Data Pribadi) Pasal 35, 39 and 46; UU No. 25/2009 (Pelayanan Publik)",
        retention=_("For the years of the records-retention schedule of what each entry is about"),
        recipients=_("Auditors and national administrators; the data-protection officer"),
    ),
)


def _is_staff_account(person: User) -> bool:
    return person.is_staff_role or person.is_superuser or person.role == Role.PARTNER_API


def export(person: User) -> list[Section]:
    profile = {
        "email": person.email,
        "full_name": person.full_name,
        "role": str(Role(person.role).label) if person.role in Role.values else person.role,
        "language": person.language,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "sex": person.get_sex_display() if person.sex else "",
        "nationality": person.nationality.code or "",
        "nationality_name": str(person.nationality.name) if person.nationality else "",
        "phone": person.phone,
        "nik": person.nik,
        "active": person.is_active,
        "email_verified_at": iso(person.email_verified_at),
        "date_joined": iso(person.date_joined),
        "last_login": iso(person.last_login),
    }
    sections = [Section("account", _("Account and profile"), [profile])]
    offices = [
        {
            "office": membership.office.code,
            "office_name": str(membership.office.name),
            "since": iso(membership.created_at),
        }
        for membership in OfficeMembership.objects.filter(user=person).select_related("office").order_by("pk")
    ]
    if offices:
        sections.append(Section("offices", _("Offices you work for"), offices))
    devices: list[dict[str, Any]] = [
        {"kind": "authenticator", "name": device.name, "confirmed": device.confirmed}
        for device in TOTPDevice.objects.filter(user=person).order_by("pk")
    ]
    devices += [
        {
            "kind": "recovery_codes",
            "name": device.name,
            "confirmed": device.confirmed,
            "codes_left": device.token_set.count(),
        }
        for device in StaticDevice.objects.filter(user=person).order_by("pk")
    ]
    if devices:
        sections.append(Section("two_factor", _("Two-factor sign-in"), devices))
    attempts: list[dict[str, Any]] = []
    for kind, records in selectors.sign_in_records(person.email).items():
        for record in records.order_by("attempt_time", "pk"):
            row: dict[str, Any] = {
                "kind": kind,
                "at": iso(record.attempt_time),
                "network_address": record.ip_address,
                "browser": record.user_agent,
            }
            if kind == "attempts":
                row["failures"] = record.failures_since_start
            if kind == "sign_ins":
                row["signed_out_at"] = iso(record.logout_time)
            attempts.append(row)
    if attempts:
        sections.append(Section("sign_ins", _("Sign-ins to your address"), attempts))
    return sections


def blockers(person: User) -> list[Blocker]:
    if _is_staff_account(person):
        return [
            Blocker(
                _(
                    "This is a staff account: an administrator closes staff accounts when the "
                    "person leaves, so that what was done with it stays accountable."
                )
            )
        ]
    return []


STAFF_KEPT = _("Staff accounts are closed by an administrator, not erased.")


def erase(person: User, now: datetime, dry_run: bool) -> list[Outcome]:
    if _is_staff_account(person):
        return [Outcome("accounts.profile", _("Account and profile"), kept=1, reason=STAFF_KEPT)]
    if dry_run:
        done = services.account_erasure_plan(person)
    else:
        done = services.account_erase(user=person, actor=WORKER)
    return [
        Outcome(
            "accounts.profile",
            _("Account and profile"),
            pseudonymised=done.profile,
            reason=_(
                "The account stays, without name, address, phone, NIK or date of birth, and can no "
                "longer sign in: the records kept for their legal period point at it."
            ),
        ),
        Outcome(
            "accounts.security",
            _("Two-factor devices, sessions and sign-in records"),
            erased=done.devices + done.sessions + done.sign_in_records,
        ),
    ]


def _users(subject_ids: Sequence[str]) -> dict[str, int]:
    """Events about an account (``account.*``, ``staff.*``) belong to its owner."""
    ids = User.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", flat=True)
    return {str(pk): pk for pk in ids}


register(
    Provider(
        key="accounts",
        activities=ACTIVITIES,
        export=export,
        blockers=blockers,
        erase=erase,
        owners={"accounts.user": _users},
        order=100,
    )
)
