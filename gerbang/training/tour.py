"""The guided tour of the back office for new staff: its steps, in both languages.

Each step names the page it shows (a URL) and the part of that page (a CSS selector of an
element with an id); the tour page lists them with links (it works without JavaScript), and
``static/training/tour.js`` highlights each part in place, page after page. Only the steps of
the pages a person may open are offered. Finishing (or dismissing) it sets ``TOUR_COOKIE``,
so the home stops offering it; the script remembers it in the browser too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gerbang.core.permissions import Perm, has_permission
from gerbang.training import selectors

TOUR_COOKIE = "gerbang_tour"
TOUR_DONE = "done"


@dataclass(frozen=True)
class Step:
    key: str
    title: str | Promise
    text: str | Promise
    url: str
    target: str


def steps_for(user: Any) -> list[Step]:
    """The tour's steps this person can follow, in order."""
    office = selectors.training_office()
    training_member = office is not None and (user.has_national_scope or selectors.is_member(user, office))
    steps = [
        Step(
            "home",
            _("Your home"),
            _(
                "Every back-office page starts here. The menu above leads to each part of your work;"
                " the home shows what waits for you."
            ),
            reverse("backoffice:dashboard"),
            "#main h1",
        ),
        Step(
            "work",
            _("Your work at a glance"),
            _("The cards under “Work” count your offices' open and overdue cases, and link to them."),
            reverse("backoffice:dashboard"),
            "#work-heading",
        ),
    ]
    if has_permission(user, Perm.CASE_VIEW):
        queue = reverse("backoffice:case_queue")
        if training_member and office is not None:
            queue = f"{queue}?office={office.pk}"
        steps += [
            Step(
                "queue",
                _("The case queue"),
                _(
                    "All the applications of your offices, the most urgent first. Filter them by office,"
                    " service, state or due date; open one by its number."
                ),
                queue,
                "#case-count",
            ),
            Step(
                "case",
                _("A case"),
                _(
                    "A case page shows the application's state, the decision's due date, the answers, the"
                    " documents and the whole history. Everything you do is recorded here."
                ),
                reverse("backoffice:tour_case"),
                "#history-heading",
            ),
        ]
    if has_permission(user, Perm.CASE_WORK):
        steps.append(
            Step(
                "actions",
                _("The actions"),
                _(
                    "What the case allows now: take it, verify each document, ask for a correction,"
                    " send it on, decide, issue. Each action asks for what it needs, and the applicant"
                    " is told."
                ),
                reverse("backoffice:tour_case"),
                "#actions-heading",
            )
        )
    if has_permission(user, Perm.QUEUE_SERVE) and training_member and office is not None:
        steps.append(
            Step(
                "counter",
                _("A counter"),
                _(
                    "At a counter you call the next visitor, serve them and end the visit. Open the"
                    " counter first; the display board shows the calls."
                ),
                reverse("backoffice:queue_counter", args=[office.code, 1]),
                "#main h1",
            )
        )
    if training_member:
        steps.append(
            Step(
                "training",
                _("The training office"),
                _(
                    "Practise every action here first: its cases and people are synthetic, nothing you do"
                    " there is real, public or sent to anyone."
                ),
                reverse("backoffice:training"),
                "#main h1",
            )
        )
    return steps


def steps_json(user: Any) -> list[dict[str, str]]:
    return [
        {"key": s.key, "title": str(s.title), "text": str(s.text), "url": s.url, "target": s.target}
        for s in steps_for(user)
    ]
