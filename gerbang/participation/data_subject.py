"""What public participation holds about a person (UU PDP): their posts in debates, proposals,
survey answers, the posts and proposals they supported and the posts they reported.

Only what the person wrote or did is theirs: the replies of others in a debate, and the posts and
proposals of others they supported, are not exported (only which debate or proposal it was).

Erasure pseudonymises rather than deletes what others built on: a post still shown stays, its
author shown as a former participant (the replies under it answer it, and a debate with holes
cannot be read); a proposal stays for those who supported it and the unit that answered it.
What nobody needs goes: hidden or removed posts lose their text, written survey answers and the
notes of reports are erased. Choices in surveys and supports stay counted, since published
results and thresholds reached rest on them, linked only to the pseudonymised account.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import Activity, Basis, Provider, Section, int_ids, iso, register
from gerbang.core.data_subjects import Outcome as Done
from gerbang.participation import selectors, services
from gerbang.participation.models import (
    Answer,
    Post,
    PostReport,
    PostSupport,
    Proposal,
    ProposalSupport,
    QuestionKind,
    ReportReason,
    Response,
)

ACTIVITIES = (
    Activity(
        key="participation.public",
        name=_("Public participation: debates and proposals"),
        data=_(
            "What the person posted and proposed, with their first name and initial; the posts "
            "and proposals they supported or reported"
        ),
        purpose=_("Letting people take part in decisions about the services, in public"),
        basis=Basis.CONSENT,
        law="UU No. 25/2009 (Pelayanan Publik); UU No. 27/2022 Pasal 20(2)a",
        retention=_(
            "While the debate or proposal is published; on erasure the name is removed and posts "
            "still shown stay as a former participant's"
        ),
        recipients=_("Everyone, for what is published; the moderators, for reports of posts"),
    ),
    Activity(
        key="participation.surveys",
        name=_("Public participation: surveys"),
        data=_("The person's answers to a survey, written answers included"),
        purpose=_("Asking people's views on policy and services, and publishing the results"),
        basis=Basis.CONSENT,
        law="UU No. 25/2009 (Pelayanan Publik); UU No. 27/2022 Pasal 20(2)a",
        retention=_(
            "Kept for the published results; on erasure the written answers are erased and the "
            "choices stay, linked to nobody known"
        ),
        recipients=_(
            "The staff running the survey; everyone, for the results and the written answers a "
            "moderator approved (masked)"
        ),
    ),
)


def _labels(choices: list[str], indices: Any) -> list[str]:
    return [choices[i] for i in indices if isinstance(i, int) and 0 <= i < len(choices)]


def _answer(answer: Answer) -> dict[str, Any]:
    question = answer.question
    row: dict[str, Any] = {"question": question.text_id, "kind": question.kind}
    choices = list(question.choices_id or [])
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        row["chosen"] = _labels(choices, answer.choices)
    elif question.kind == QuestionKind.RANKING:
        row["ranking"] = _labels(choices, answer.choices)
    elif question.kind == QuestionKind.SCALE:
        row["scale"] = answer.scale
    else:
        row["text"] = answer.text
    return row


def export(person: Any) -> list[Section]:
    posts = [
        {
            "debate": str(post.debate.title),
            "shown_as": post.display_name,
            "body": post.body,
            "reply": post.parent_id is not None,
            "status": post.status_label,
            "posted_at": iso(post.created_at),
        }
        for post in selectors.posts_by(person).select_related("debate").order_by("created_at", "pk")
    ]
    proposals = [
        {
            "title": proposal.title,
            "body": proposal.body,
            "shown_as": proposal.display_name,
            "office": str(proposal.office.name) if proposal.office else "",
            "status": proposal.status_label,
            "supporters": proposal.supports_count,
            "unit_answer": str(proposal.answer) if (proposal.answer_id or proposal.answer_en) else "",
            "proposed_at": iso(proposal.created_at),
        }
        for proposal in selectors.proposals_by(person).select_related("office").order_by("created_at", "pk")
    ]
    responses = [
        {
            "survey": str(response.survey.title),
            "answered_at": iso(response.created_at),
            "answers": [_answer(answer) for answer in response.answers.all()],
        }
        for response in Response.objects.filter(respondent=person)
        .select_related("survey")
        .prefetch_related("answers__question")
        .order_by("created_at", "pk")
    ]
    # What they supported or reported: which debate or proposal, never the other person's text.
    supports = [
        {"debate": str(support.post.debate.title), "supported_at": iso(support.created_at)}
        for support in PostSupport.objects.filter(user=person).select_related("post__debate").order_by("pk")
    ] + [
        {"proposal": support.proposal.title, "supported_at": iso(support.created_at)}
        for support in ProposalSupport.objects.filter(user=person).select_related("proposal").order_by("pk")
    ]
    reports = [
        {
            "debate": str(report.post.debate.title),
            "reason": str(ReportReason(report.reason).label),
            "note": report.note,
            "reported_at": iso(report.created_at),
        }
        for report in PostReport.objects.filter(reporter=person).select_related("post__debate").order_by("pk")
    ]
    sections = [
        Section("posts", _("Your posts in debates"), posts),
        Section("proposals", _("Your proposals"), proposals),
        Section("survey_answers", _("Your survey answers"), responses),
        Section("supports", _("What you supported"), supports),
        Section("post_reports", _("Posts you reported"), reports),
    ]
    return [section for section in sections if section.rows]


def erase(person: Any, now: datetime, dry_run: bool) -> list[Done]:
    if dry_run:
        done = services.person_participation_plan(person)
    else:
        done = services.person_participation_erase(person=person, actor=WORKER)
    return [
        Done(
            "participation.posts",
            _("Your posts in debates"),
            erased=done.withdrawn_posts,
            pseudonymised=done.posts,
            reason=_("Posts still shown stay so the debate can be read, shown as a former participant's")
            if done.posts
            else "",
        ),
        Done(
            "participation.proposals",
            _("Your proposals"),
            pseudonymised=done.proposals,
            reason=_("They stay for those who supported them and the answer given, without your name")
            if done.proposals
            else "",
        ),
        Done(
            "participation.surveys",
            _("Your survey answers"),
            erased=done.written_answers,
            pseudonymised=done.responses,
            reason=_("Your choices stay in the published results, linked to nobody known")
            if done.responses
            else "",
        ),
        Done(
            "participation.supports",
            _("What you supported or reported"),
            erased=done.reports,
            pseudonymised=done.supports,
            reason=_("Supports stay counted, linked to nobody known") if done.supports else "",
        ),
    ]


def _post_authors(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Post.objects.filter(pk__in=int_ids(subject_ids), official=False).values_list("pk", "author_id")
    return {str(pk): author for pk, author in rows}


def _proposal_authors(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Proposal.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "author_id")
    return {str(pk): author for pk, author in rows}


def _respondents(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Answer.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "response__respondent_id")
    return {str(pk): respondent for pk, respondent in rows}


register(
    Provider(
        key="participation",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        owners={
            "participation.post": _post_authors,
            "participation.proposal": _proposal_authors,
            # participation.texts_read: one event per written answer a member of staff read.
            "participation.answer": _respondents,
        },
    )
)
