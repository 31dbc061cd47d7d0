"""What participation events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("participation.survey_created", gettext_lazy("Survey made"))
register("participation.survey_changed", gettext_lazy("Survey changed"))
register("participation.question_changed", gettext_lazy("Survey question changed (draft)"))
register("participation.question_removed", gettext_lazy("Survey question removed (draft)"))
register("participation.question_moved", gettext_lazy("Survey question moved (draft)"))
register("participation.survey_published", gettext_lazy("Survey published (no longer a draft)"))
register("participation.texts_read", gettext_lazy("Written survey answers read by staff (read logged)"))
register("participation.survey_answered", gettext_lazy("Survey answered"))
register("participation.survey_closed", gettext_lazy("Survey closed, results published"))
register("participation.text_moderated", gettext_lazy("Written survey answer moderated"))
register("participation.debate_created", gettext_lazy("Debate opened"))
register("participation.debate_closed", gettext_lazy("Debate closed"))
register("participation.posted", gettext_lazy("Debate post published"))
register("participation.post_hidden", gettext_lazy("Debate post hidden after three reports"))
register("participation.post_restored", gettext_lazy("Debate post restored by a moderator"))
register("participation.post_removed", gettext_lazy("Debate post removed by a moderator"))
register("participation.proposed", gettext_lazy("Proposal made"))
register("participation.proposal_threshold", gettext_lazy("Proposal passed its support threshold"))
register("participation.proposal_answered", gettext_lazy("Proposal answered"))
register("participation.outcome_published", gettext_lazy("Accountability statement published"))
register(
    "participation.official_answer",
    gettext_lazy("Official answer posted in a debate on behalf of the office"),
)
register("participation.results_exported", gettext_lazy("Survey results downloaded as CSV by staff"))
register(
    "participation.person_erased",
    gettext_lazy("A person's name and words taken out of public participation at their request"),
)
