"""The participation forms: a survey's answers (one field per question; a ranking gives each
choice a place), a post, a report of a post, a proposal, and the staff's forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.catalog.models import Office
from gerbang.core.bilingual import other_language_note
from gerbang.participation.models import Question, QuestionKind, ReportReason, Stage, Survey
from gerbang.participation.services import CHOICES_EN_COUNT, CHOICES_NEEDED, PROPOSAL_MIN, TITLE_MIN

NATIONAL = "national"
RANKING_PLACES = _("Give every choice its own place (1 for the most important), each place once.")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def shown(text: str, *, covered: bool = False, note: bool = True) -> str:
    """A staff text as a label: marked with its language when it is the other language's
    (``core.bilingual``), so screen readers read it right, and followed by a visible note
    ('(in Indonesian)') unless ``covered`` (the page says so once) or not ``note``."""
    if getattr(text, "is_fallback", False):
        marked = format_html('<span lang="{}">{}</span>', getattr(text, "language", "id"), text)
        said = other_language_note(text, covered=covered or not note)
        return format_html("{} {}", marked, said) if said else marked
    return text


def place_label(choice: str, *, covered: bool = False) -> str:
    """“Place of “<choice>”” for a ranking's field, the choice marked with its language."""
    before, _found, after = str(_("Place of “%(choice)s”")).partition("%(choice)s")
    label = format_html("{}{}{}", before, shown(choice, note=False), after)
    said = other_language_note(choice, covered=covered)
    return format_html("{} {}", label, said) if said else label


def ranking_problem(places: list[str]) -> str:
    """What is wrong with a ranking's places, naming the place given twice: "Place 1 is given to
    two choices: give each choice its own place."."""
    for place in sorted({p for p in places if p}, key=int):
        given = places.count(place)
        if given > 1:
            return str(
                ngettext(
                    "Place %(place)s is given to %(count)d choice: give each choice its own place.",
                    "Place %(place)s is given to %(count)d choices: give each choice its own place.",
                    given,
                )
                % {"place": place, "count": given}
            )
    return str(RANKING_PLACES)


def question_field_name(question: Question) -> str:
    return f"q{question.pk}"


def ranking_field_name(question: Question, index: int) -> str:
    return f"q{question.pk}_r{index}"


class SurveyAnswerForm(forms.Form):
    """One field per question (a ranking: one "place" field per choice)."""

    def __init__(self, *args: Any, questions: list[Question], covered: bool = False, **kwargs: Any) -> None:
        """``covered``: the page says that the whole survey is in the other language, so its texts
        are not each noted as such."""
        super().__init__(*args, **kwargs)
        self.questions = questions
        answer_this = {"required": _("Answer this question.")}
        for question in questions:
            name = question_field_name(question)
            label = shown(question.text, covered=covered)
            choices = [(str(i), shown(c, covered=covered)) for i, c in enumerate(question.choices)]
            if question.kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages={**answer_this, "invalid_choice": _("Choose one of the answers.")},
                )
            elif question.kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=question.required,
                    help_text=_("Choose all that apply."),
                    error_messages={**answer_this, "invalid_choice": _("Choose among the answers.")},
                )
            elif question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    required=question.required,
                    help_text=_("1 is the lowest, 5 the highest."),
                    error_messages={**answer_this, "invalid_choice": _("Choose a number from 1 to 5.")},
                )
            elif question.kind == QuestionKind.RANKING:
                places = [("", _("Choose a place"))] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
                for index, choice in enumerate(question.choices):
                    place = forms.ChoiceField(
                        label=place_label(choice, covered=covered),
                        choices=places,
                        required=False,
                    )
                    # Checked together in ``clean``; the page says once which places there are.
                    self.fields[ranking_field_name(question, index)] = place
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_(
                        "Shown in the results only after a moderator has read it. Do not write personal data."
                    ),
                    error_messages=answer_this,
                )

    def blocks(self) -> list[tuple[Question, list[forms.BoundField], list[str]]]:
        """Each question with its fields and their errors (a ranking's are shown once, under the
        question), in order, for the page."""
        result = []
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                names = [ranking_field_name(question, i) for i in range(len(question.choices))]
            else:
                names = [question_field_name(question)]
            fields = [self[name] for name in names]
            result.append((question, fields, [str(e) for field in fields for e in field.errors]))
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            if question.kind != QuestionKind.RANKING:
                continue
            first = ranking_field_name(question, 0)
            places = [data.get(ranking_field_name(question, i)) or "" for i in range(len(question.choices))]
            if not any(places):
                if question.required:
                    self.add_error(first, _("Answer this question."))
            elif "" in places or len(set(places)) != len(places):
                self.add_error(first, ranking_problem(places))
        return data

    def error_field(self, service_field: str | None) -> str | None:
        """Where a service's error about ``q<id>`` is shown (a ranking: at its first place)."""
        if service_field in self.fields or service_field is None:
            return service_field
        return f"{service_field}_r0" if f"{service_field}_r0" in self.fields else None

    def answers(self) -> dict[int, Any]:
        """The answers as the service takes them: per question id."""
        data = self.cleaned_data
        answers: dict[int, Any] = {}
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                places = [
                    data.get(ranking_field_name(question, i)) or "" for i in range(len(question.choices))
                ]
                if not any(places):
                    answers[question.pk] = None
                    continue
                if "" in places or len(set(places)) != len(places):
                    answers[question.pk] = ["x"]  # the service names what is wrong
                    continue
                answers[question.pk] = [i for _place, i in sorted((int(p), i) for i, p in enumerate(places))]
            else:
                answers[question.pk] = data.get(question_field_name(question))
        return answers


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with your first name and initial. Do not write your NIK, phone number or email."),
        error_messages={"required": _("The post is empty: write what you think.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportPostForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this post?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this post.")},
    )
    note = forms.CharField(label=_("Anything to add"), required=False, max_length=300)


def _unit_choices() -> list[tuple[str, Any]]:
    offices = Office.objects.public().order_by("name_id")
    return [
        (NATIONAL, _("National (Directorate General of Immigration)")),
        *((o.code, o.name) for o in offices),
    ]


def office_of(code: str) -> Office | None:
    if not code or code == NATIONAL:
        return None
    return Office.objects.public().filter(code=code).first()


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Write a short title for your proposal.")},
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your proposal.")},
    )
    unit = forms.ChoiceField(
        label=_("Who should answer it?"),
        error_messages={"required": _("Choose an office or the national directorate.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices()  # type: ignore[attr-defined]
        # The minimum lengths are said before submitting, not only in the error.
        self.fields["title"].help_text = _("At least %(min)d characters.") % {"min": TITLE_MIN}
        self.fields["body"].help_text = _(
            "What should change in the service, and why, in at least %(min)d characters. "
            "Do not write personal data."
        ) % {"min": PROPOSAL_MIN}


class BilingualRows:
    """A staff form whose texts come in pairs (``<name>_id``, ``<name>_en``), shown side by side:
    ``rows`` gives each visible field in order, a pair as (Indonesian, English), any other field
    as (field, None)."""

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        form: Any = self
        names = [name for name in form.fields if not form[name].is_hidden]
        result: list[tuple[forms.BoundField, forms.BoundField | None]] = []
        for name in names:
            if name.endswith("_en") and f"{name[:-3]}_id" in form.fields:
                continue
            english = f"{name[:-3]}_en" if name.endswith("_id") else ""
            result.append((form[name], form[english] if english in form.fields else None))
        return result


def _english(field: forms.Field) -> forms.Field:
    """The English twin of a staff text: optional (readers in English see the Indonesian one,
    marked as such, when it is missing)."""
    field.required = False
    return field


class StaffUnitMixin:
    """The offices a member of staff may choose (national only for national staff)."""

    def set_units(self, form: forms.Form, offices: Any, national: bool) -> None:
        choices: list[tuple[str, Any]] = [(NATIONAL, _("National"))] if national else []
        choices += [(o.code, o.name) for o in offices]
        form.fields["unit"].choices = choices  # type: ignore[attr-defined]


class SurveyForm(BilingualRows, forms.Form, StaffUnitMixin):
    title_id = forms.CharField(
        label=_("Title (Indonesian)"),
        max_length=200,
        error_messages={"required": _("Write the survey's title in Indonesian.")},
    )
    title_en = _english(forms.CharField(label=_("Title (English)"), max_length=200))
    description_id = forms.CharField(
        label=_("Description (Indonesian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(label=_("Office"), error_messages={"required": _("Choose the office.")})
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=DATETIME,
        error_messages={
            "required": _("Give the opening date and time."),
            "invalid": _("Give the opening date and time."),
        },
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DATETIME,
        error_messages={
            "required": _("Give the closing date and time."),
            "invalid": _("Give the closing date and time."),
        },
    )
    served_only = forms.BooleanField(
        label=_("Only people with an application submitted at the office may answer"), required=False
    )
    residents_only = forms.BooleanField(
        label=_("Only residents of the office's working area may answer"),
        required=False,
        help_text=_(
            "Read from the NIK on each person's profile: its first four digits are the regency or city"
            " of their KTP, checked against the regency and city codes of the office's working area."
        ),
    )

    def __init__(
        self, *args: Any, offices: Any, national: bool, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]  # the office stays
        else:
            self.set_units(self, offices, national)


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


class QuestionForm(BilingualRows, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        help_text=_(
            "One choice: people pick one of the choices. Several choices: people tick every choice"
            " that applies. Scale: people give a number from 1 (lowest) to 5 (highest). Ranking:"
            " people put the choices in order of importance. Free text: people write their answer,"
            " shown in the results once a moderator has read it."
        ),
    )
    # "Question text", not "Question": the short word is also the FAQ's and translates as Q&A.
    text_id = forms.CharField(
        label=_("Question text (Indonesian)"),
        max_length=300,
        error_messages={"required": _("Write the question in Indonesian.")},
    )
    text_en = _english(forms.CharField(label=_("Question text (English)"), max_length=300))
    choices_id = forms.CharField(
        label=_("Choices in Indonesian, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At least two. Not used for scale and free-text questions."),
    )
    choices_en = forms.CharField(
        label=_("Choices in English, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As many as the Indonesian ones, in the same order; or none."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Said next to the label instead of "(optional)": required for some kinds only.
        self.fields["choices_id"].need = _(  # type: ignore[attr-defined]
            "required for one choice, several choices and ranking questions"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in CHOICE_KINDS:
            indonesian, english = self.choice_list("choices_id"), self.choice_list("choices_en")
            if not indonesian:
                self.add_error("choices_id", CHOICES_NEEDED)
            elif english and len(english) != len(indonesian):
                self.add_error("choices_en", CHOICES_EN_COUNT % {"id": len(indonesian), "en": len(english)})
        return data

    def choice_list(self, name: str = "choices_id") -> list[str]:
        text = (getattr(self, "cleaned_data", {}) or {}).get(name) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def question(self) -> dict[str, Any]:
        """The valid form as the services take a question (``question_add``, ``question_update``)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text_id": data["text_id"],
            "text_en": data["text_en"],
            "choices_id": self.choice_list("choices_id"),
            "choices_en": self.choice_list("choices_en"),
            "required": data["required"],
        }


class DebateForm(BilingualRows, forms.Form, StaffUnitMixin):
    title_id = forms.CharField(
        label=_("Title (Indonesian)"),
        max_length=200,
        error_messages={"required": _("Write the debate's title in Indonesian.")},
    )
    title_en = _english(forms.CharField(label=_("Title (English)"), max_length=200))
    description_id = forms.CharField(
        label=_("What is to be discussed (Indonesian)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what is to be discussed, in Indonesian.")},
    )
    description_en = _english(
        forms.CharField(
            label=_("What is to be discussed (English)"), widget=forms.Textarea(attrs={"rows": 4})
        )
    )
    unit = forms.ChoiceField(label=_("Office"), error_messages={"required": _("Choose the office.")})
    survey = forms.ModelChoiceField(
        label=_("About a survey"),
        queryset=Survey.objects.none(),
        required=False,
        empty_label=_("No survey"),
    )

    def __init__(self, *args: Any, offices: Any, national: bool, surveys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(self, offices, national)
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("restore", _("Restore: show it again")), ("remove", _("Remove it for good"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to restore or remove the post.")},
    )
    reason = forms.CharField(
        label=_("Reason (kept)"),
        max_length=500,
        error_messages={"required": _("Write the reason for the decision (it is kept).")},
    )

    def __init__(self, *args: Any, official: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if official:
            # An official answer reported by readers is still shown: it is kept or removed.
            field = cast(forms.ChoiceField, self.fields["decision"])
            field.choices = [("restore", _("Keep it shown")), ("remove", _("Remove it for good"))]


class ProposalAnswerForm(BilingualRows, forms.Form):
    accepted = forms.ChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accepted")), ("no", _("Not accepted"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the proposal is accepted.")},
    )
    answer_id = forms.CharField(
        label=_("The answer, published with the proposal (Indonesian)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the answer in Indonesian.")},
    )
    answer_en = _english(
        forms.CharField(
            label=_("The answer, published with the proposal (English)"),
            widget=forms.Textarea(attrs={"rows": 5}),
        )
    )


class OutcomeForm(BilingualRows, forms.Form):
    decided_id = forms.CharField(
        label=_("What was decided (Indonesian)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what was decided, in Indonesian.")},
    )
    decided_en = _english(
        forms.CharField(label=_("What was decided (English)"), widget=forms.Textarea(attrs={"rows": 4}))
    )
    changed_id = forms.CharField(
        label=_("What changed because of it (Indonesian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "May wait while it is being carried out; required once it is done (what is in place now)."
        ),
    )
    changed_en = _english(
        forms.CharField(
            label=_("What changed because of it (English)"), widget=forms.Textarea(attrs={"rows": 4})
        )
    )
    stage = forms.ChoiceField(
        label=_("Where it stands"),
        choices=[
            ("", _("Choose…")),
            (Stage.IN_PROGRESS.value, Stage.IN_PROGRESS.label),
            (Stage.DONE.value, Stage.DONE.label),
        ],
        help_text=_("No default: choose one. “Done” means what was decided is in place."),
        error_messages={"required": _("Choose where it stands.")},
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == "debate":
            # Only a debate can still be open here (a survey's and a proposal's form comes once
            # it has closed or been answered): the help names it.
            self.fields["stage"].help_text = _(
                "No default: choose one. A debate that is still open cannot be marked done: close the "
                "debate first, or choose “Being carried out”."
            )
        # Said next to the label instead of "(optional)".
        self.fields["changed_id"].need = _("required once it is done")  # type: ignore[attr-defined]


class OfficialPostForm(BilingualRows, forms.Form):
    """Staff's answer on behalf of the debate's unit, in Indonesian and, optionally, English
    (the fields ``body_id`` and ``body_en``; the Indonesian one is stored as the post's ``body``)."""

    body_id = forms.CharField(
        label=_("The official answer (Indonesian)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published with the name of the debate's office and marked as its official answer; your"
            " own name is not shown. Do not write anyone's NIK, phone number or email."
        ),
        error_messages={"required": _("The answer is empty: write it in Indonesian.")},
    )
    body_en = forms.CharField(
        label=_("The official answer (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional: readers in English see the Indonesian answer, marked as such, without it."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
