"""The "what do I need?" guide: a few plain questions that lead to the one right service.

The tree is data: each question names the answers it accepts; ``next_step`` reads the answers
given so far and returns either the next question or the result (a service code, the
requirement cases that apply, and add-ons such as the same-day service). Every path through
the tree is enumerated by ``all_paths`` and tested.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gerbang.core.formatting import money_text


@dataclass(frozen=True)
class Question:
    key: str
    text: str | Promise
    options: tuple[tuple[str, str | Promise], ...]
    help: str | Promise = ""

    def accepts(self, value: str) -> bool:
        return any(value == option for option, _label in self.options)


@dataclass(frozen=True)
class Result:
    service: str
    cases: frozenset[str] = field(default_factory=frozenset)
    addons: tuple[str, ...] = ()


WHO = Question(
    "who",
    _("Who is the application for?"),
    (
        ("citizen", _("An Indonesian citizen (WNI)")),
        ("foreigner", _("A foreign national (WNA)")),
        ("dual_child", _("A child with Indonesian and another citizenship")),
    ),
)
AGE = Question(
    "age",
    _("How old is the applicant?"),
    (("adult", _("17 or older")), ("minor", _("Under 17"))),
    _("Children under 17 apply through a parent, with the parents' documents."),
)
PASSPORT = Question(
    "passport",
    _("What is the passport situation?"),
    (
        ("first", _("Never had a passport")),
        ("renew", _("Passport expired, about to expire, or full")),
        ("lost", _("Passport lost")),
        ("damaged", _("Passport damaged")),
    ),
)
KIND = Question(
    "kind",
    _("Which passport would you like?"),
    (
        ("ordinary", money_text(_("Ordinary passport (%(fee)s)"), fee=350_000)),
        ("electronic", money_text(_("Electronic passport with chip (%(fee)s)"), fee=650_000)),
    ),
    _("The e-passport gives access to autogates and some visa waivers."),
)
URGENT = Question(
    "urgent",
    _("Do you need the passport on the same day?"),
    (
        ("no", _("No, the normal service time is fine")),
        ("yes", money_text(_("Yes, same day (extra %(fee)s)"), fee=1_000_000)),
    ),
)
WHERE = Question(
    "where",
    _("Where is the applicant now?"),
    (("outside", _("Outside Indonesia, planning to come")), ("inside", _("In Indonesia"))),
)
PURPOSE = Question(
    "purpose",
    _("What is the purpose of the stay?"),
    (
        ("visit", _("A visit: tourism, family, business meetings (no work), up to 60 days")),
        ("stay", _("To live here: work, join family, study or invest")),
    ),
)
VOA = Question(
    "voa",
    _("Is the applicant's country on the visa-on-arrival list?"),
    (("yes", _("Yes")), ("no", _("No or not sure"))),
    _("Nationals of listed countries can get a 30-day e-VoA online before they travel."),
)
STATUS = Question(
    "status",
    _("Which permit does the applicant hold now?"),
    (
        ("voa", _("A visa on arrival (VoA or e-VoA)")),
        ("itas", _("A limited stay permit (ITAS/KITAS)")),
        ("itap", _("A permanent stay permit (ITAP/KITAP)")),
    ),
)
ITAS_WISH = Question(
    "wish",
    _("What would the ITAS holder like to do?"),
    (
        ("extend", _("Stay longer for the same purpose")),
        ("permanent", _("Change to a permanent stay permit")),
        ("travel", _("Travel abroad and come back")),
    ),
)
ITAP_WISH = Question(
    "wish",
    _("What would the ITAP holder like to do?"),
    (("renew", _("Renew the ITAP")), ("travel", _("Travel abroad and come back"))),
)

QUESTIONS = {q.key: q for q in (WHO, AGE, PASSPORT, KIND, URGENT, WHERE, PURPOSE, VOA, STATUS)}


def _citizen(answers: Mapping[str, str]) -> Question | Result:
    for question in (AGE, PASSPORT):
        if question.key not in answers:
            return question
    situation = answers["passport"]
    cases = {answers["age"]}
    if situation in {"first", "renew"} and "kind" not in answers:
        return KIND
    if "urgent" not in answers:
        return URGENT
    addons = ("paspor-percepatan",) if answers["urgent"] == "yes" else ()
    if situation == "lost":
        return Result("paspor-hilang", frozenset(cases | {"lost"}), addons)
    if situation == "damaged":
        return Result("paspor-rusak", frozenset(cases | {"damaged"}), addons)
    if situation == "renew":
        cases.add("has_passport")
        service = "e-paspor" if answers["kind"] == "electronic" else "paspor-penggantian"
        return Result(service, frozenset(cases), addons)
    service = "e-paspor" if answers["kind"] == "electronic" else "paspor-biasa"
    return Result(service, frozenset(cases), addons)


def _foreigner(answers: Mapping[str, str]) -> Question | Result:
    if "where" not in answers:
        return WHERE
    if answers["where"] == "outside":
        if "purpose" not in answers:
            return PURPOSE
        if answers["purpose"] == "stay":
            return Result("itas-baru")
        if "voa" not in answers:
            return VOA
        return Result("e-voa" if answers["voa"] == "yes" else "visa-kunjungan")
    if "status" not in answers:
        return STATUS
    if answers["status"] == "voa":
        return Result("e-voa-perpanjangan")
    wish_question = ITAS_WISH if answers["status"] == "itas" else ITAP_WISH
    if "wish" not in answers:
        return wish_question
    return {
        ("itas", "extend"): Result("itas-perpanjangan"),
        ("itas", "permanent"): Result("alih-status"),
        ("itas", "travel"): Result("izin-masuk-kembali"),
        ("itap", "renew"): Result("itap"),
        ("itap", "travel"): Result("izin-masuk-kembali"),
    }[(answers["status"], answers["wish"])]


def question_for(key: str, answers: Mapping[str, str]) -> Question | None:
    """The question a key stands for at this point (``wish`` depends on the permit held)."""
    if key == "wish":
        return ITAS_WISH if answers.get("status") == "itas" else ITAP_WISH
    return QUESTIONS.get(key)


def clean(raw: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """Keep the answers that fit the questions asked on the way, in order; stop at the first
    one that does not (returned as the key to ask again)."""
    answers: dict[str, str] = {}
    while True:
        step = next_step(answers)
        if isinstance(step, Result) or step.key not in raw:
            return answers, None
        if not step.accepts(raw[step.key]):
            return answers, step.key
        answers[step.key] = raw[step.key]


def next_step(answers: Mapping[str, str]) -> Question | Result:
    if "who" not in answers:
        return WHO
    if answers["who"] == "dual_child":
        return Result("affidavit")
    if answers["who"] == "citizen":
        return _citizen(answers)
    return _foreigner(answers)


def all_paths(answers: dict[str, str] | None = None) -> Iterator[tuple[dict[str, str], Result]]:
    """Every complete set of answers with the result it leads to."""
    answers = answers or {}
    step = next_step(answers)
    if isinstance(step, Result):
        yield dict(answers), step
        return
    for value, _label in step.options:
        yield from all_paths({**answers, step.key: value})
