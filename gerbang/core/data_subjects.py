"""What each app holds about a person, why, for how long, and how it is given back or erased:
the data-protection rights of UU PDP (UU No. 27/2022) as each app answers them.

The rights are served by ``gerbang.privacy``; only the app that owns a table knows what in it is
personal, which law makes it kept, and how to erase it without breaking what must stay. So each
app says so in its own ``data_subject.py`` (found on first use, as the admin finds ``admin.py``),
calling ``register(Provider(...))`` with:

- ``activities``: its lines of the processing register (Pasal 31): what data, why, on which legal
  basis (Pasal 20(2)), how long it is kept, who sees it;
- ``export(person)``: every record it holds about the person, as ``Section``s of JSON-safe rows
  (decrypted: the export is for the person), with uploaded files as ``ExportFile``s. Only the
  person's own records, never another person's data that happens to sit beside them (the staff
  member who answered is named by role, not by name);
- ``blockers(person)``: what must end before the person's data can be erased (a case still being
  worked on), each with the page where the person can end it;
- ``erase(person, now, dry_run)``: erase or pseudonymise what may go now, and say what is kept,
  until when and why (``Outcome``). With ``dry_run`` nothing is written: the person is shown the
  plan before confirming;
- ``expire(now, dry_run)``: the retention sweep, for everyone: records whose retention period
  has ended lose their personal fields (Pasal 44(1)a), whether or not anyone asked;
- ``owners``: for each ``Event.subject_type`` the app records, who the subject belongs to, so a
  breach can be traced from the staff reads to the people affected (Pasal 46).

Rows of the event stream and the public log hold no personal data in clear (ids, codes, keyed
hashes), so they are neither exported as personal data nor erased: they survive erasure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Basis(StrEnum):
    """The legal bases of processing, UU PDP Pasal 20(2) a-f."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTEREST = "vital_interest"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTEREST = "legitimate_interest"


BASIS_LABELS: dict[str, Promise] = {
    Basis.CONSENT: _("Consent of the person (Pasal 20(2)a)"),
    Basis.CONTRACT: _("Performing an agreement with the person (Pasal 20(2)b)"),
    Basis.LEGAL_OBLIGATION: _("A legal obligation of the authority (Pasal 20(2)c)"),
    Basis.VITAL_INTEREST: _("Protecting the person's vital interests (Pasal 20(2)d)"),
    Basis.PUBLIC_TASK: _(
        "A task in the public interest, public service or official authority (Pasal 20(2)e)"
    ),
    Basis.LEGITIMATE_INTEREST: _(
        "A legitimate interest, balanced against the person's rights (Pasal 20(2)f)"
    ),
}


@dataclass(frozen=True)
class Activity:
    """One line of the processing register."""

    key: str  # "applications.cases": unique, stable
    name: Promise
    data: Promise  # which personal data
    purpose: Promise
    basis: Basis
    law: str  # the regulation that gives the purpose or the retention (proper names: not translated)
    retention: Promise
    recipients: Promise  # who sees it, inside and outside the authority

    @property
    def basis_label(self) -> Promise:
        return BASIS_LABELS[self.basis]


@dataclass(frozen=True)
class ExportFile:
    """An uploaded file held about the person, given back as it is stored (decrypted)."""

    name: str  # its path inside the export: "applications/A-1234/photo.jpg"
    open: Callable[[], IO[bytes]]


@dataclass
class Section:
    key: str  # "applications"
    title: Promise | str
    rows: list[dict[str, Any]]
    files: list[ExportFile] = field(default_factory=list)
    # How the PDF copy names keys only this app knows (a form's fields): {key: label}. The
    # common keys are labelled by the copy itself; the JSON keeps the keys as they are.
    labels: dict[str, Promise | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Blocker:
    """Something the person must end (or wait for) before erasure."""

    text: Promise | str
    url: str = ""


@dataclass(frozen=True)
class Outcome:
    """What erasure did (or, in a dry run, would do) to one kind of record."""

    key: str
    label: Promise | str
    erased: int = 0  # removed, or their personal fields emptied
    pseudonymised: int = 0  # kept, but no longer linked to the person
    kept: int = 0  # kept as they are, for the reason below
    kept_until: date | None = None  # the latest end of retention among those kept
    reason: Promise | str = ""

    @property
    def touched(self) -> int:
        return self.erased + self.pseudonymised + self.kept


# (person) -> sections; (person) -> blockers; (person, now, dry_run) -> outcomes;
# (now, dry_run) -> outcomes; (subject ids) -> {subject id: user id}
Exporter = Callable[[Any], list[Section]]
Blockers = Callable[[Any], list[Blocker]]
Eraser = Callable[[Any, datetime, bool], list[Outcome]]
Expirer = Callable[[datetime, bool], list[Outcome]]
Owners = Callable[[Sequence[str]], dict[str, int]]


@dataclass(frozen=True)
class Provider:
    key: str  # the app's label
    activities: tuple[Activity, ...] = ()
    export: Exporter | None = None
    blockers: Blockers | None = None
    erase: Eraser | None = None
    expire: Expirer | None = None
    owners: dict[str, Owners] = field(default_factory=dict)
    # Erasure runs in this order (lower first); the account itself is pseudonymised last.
    order: int = 50


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.key] = provider


@cache
def _discover() -> None:
    autodiscover_modules("data_subject")


def providers() -> list[Provider]:
    _discover()
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def activities() -> list[Activity]:
    return [activity for provider in providers() for activity in provider.activities]


def owner_resolvers() -> dict[str, Owners]:
    """Every subject type some app can trace to a person."""
    resolvers: dict[str, Owners] = {}
    for provider in providers():
        resolvers.update(provider.owners)
    return resolvers


def owners_of(subject_type: str, subject_ids: Iterable[str]) -> dict[str, int]:
    """{subject id: user id} for the subjects of one type whose owner is known."""
    resolve = owner_resolvers().get(subject_type)
    ids = sorted({str(i) for i in subject_ids})
    if resolve is None or not ids:
        return {}
    return resolve(ids)


def int_ids(subject_ids: Sequence[str]) -> list[int]:
    """The ids among ``subject_ids`` that can be primary keys (a stray or huge one is ignored)."""
    ids = []
    for raw in subject_ids:
        if raw.isdigit() and int(raw) < 2**63:
            ids.append(int(raw))
    return ids


def iso(moment: date | datetime | None) -> str | None:
    """A date or moment in a copy of someone's data: ISO 8601, or None (JSON null)."""
    return moment.isoformat() if moment is not None else None
