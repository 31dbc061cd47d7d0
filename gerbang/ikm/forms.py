"""The questionnaire as a form: the nine elements, each with its four answers, and the profile.
Every field is required; a refused form shows each missing answer at its question and keeps
the others."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.questionnaire import ELEMENTS, AgeBand, Education, Occupation, Sex

CHOOSE_ONE = _("Choose one of the answers.")
# The service choice that means every service together.
ALL_SERVICES = "all"


def _required(**kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
        **kwargs,
    )


# The respondent profile the regulation asks for; every one of its four questions is required.
PROFILE = ("age_band", "sex", "education", "occupation")


class QuestionnaireForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.field] = _required(
                label=element.question,
                choices=[(str(score), answer) for score, answer in enumerate(element.answers, start=1)],
                help_text=_("Element %(code)s: %(name)s") % {"code": element.code, "name": element.name},
            )
        self.fields["age_band"] = _required(label=_("Your age"), choices=AgeBand.choices)
        self.fields["sex"] = _required(label=_("Sex"), choices=Sex.choices)
        self.fields["education"] = _required(label=_("Your highest education"), choices=Education.choices)
        self.fields["occupation"] = _required(label=_("Your main occupation"), choices=Occupation.choices)
        for name in PROFILE:
            self.fields[name].need = _("required")  # type: ignore[attr-defined]

    def element_fields(self) -> list[forms.BoundField]:
        return [self[element.field] for element in ELEMENTS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROFILE]


class PeriodForm(forms.Form):
    """Which period (and service) of an office's figures to show."""

    period = forms.ChoiceField(label=_("Period"))
    service = forms.ChoiceField(label=_("Service"))

    def __init__(
        self, *args: Any, periods: list[Period], services: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        kind_label = dict(PeriodKind.choices)
        period_field: Any = self.fields["period"]
        period_field.choices = [
            (period.slug, f"{period.label} ({kind_label[period.kind]})") for period in periods
        ]
        service_field: Any = self.fields["service"]
        service_field.choices = [(ALL_SERVICES, _("All services")), *services]
