"""What sign-in for apps holds about a person (UU PDP): the apps signed in to the account, with
their tokens (kept only as checksums). Erasure signs every app out and deletes the tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, iso, register
from gerbang.oauth import selectors, services

ACTIVITIES = (
    Activity(
        key="oauth.apps",
        name=_("Apps signed in to the account"),
        data=_(
            "Which apps the person signed in to, when, what each may do, and when each last used its access"
        ),
        purpose=_("Letting the person use the service through apps they chose, and sign them out"),
        basis=Basis.CONSENT,
        law="UU No. 27/2022 Pasal 20(2)a",
        retention=_("Until the app is signed out, or its access lapses (30 days unused)"),
        recipients=_("The person; the apps they allowed, for what they allowed"),
    ),
)


def export(person: Any) -> list[Section]:
    rows = [
        {
            "app": app.name,
            "signed_in_at": iso(app.granted_at),
            "last_used_at": iso(app.last_used_at),
            "may": "; ".join(app.scopes),
        }
        for app in selectors.signed_in_apps(person)
    ]
    return [Section("apps", _("Apps signed in to your account"), rows)] if rows else []


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    count = services.apps_sign_out_everywhere(user=person, dry_run=dry_run)
    return [Outcome("oauth.apps", _("Apps signed in to your account"), erased=count)]


register(Provider(key="oauth", activities=ACTIVITIES, export=export, erase=erase))
