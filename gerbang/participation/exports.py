"""A closed survey's results as CSV: the aggregates the results page shows, read through
``selectors.survey_results`` (the same numbers, never recomputed), and only the written answers a
moderator approved, masked as on the page. Nothing in it is tied to anyone; the staff's and the
public's files are the same.

One row per line of the page: a choice (people, percent), a ranking's choice (average place,
times ranked first), a scale's value (people) and its average, a written answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gerbang.participation import selectors
from gerbang.participation.models import QuestionKind, Survey

# A spreadsheet runs a cell starting with one of these as a formula: such text is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("No."),
        # Not the bare "Question": that msgid is also the FAQ menu's ("Tanya jawab").
        pgettext("survey results", "Question"),
        _("Kind"),
        _("Respondents"),
        _("Answer"),
        _("People"),
        _("Percent"),
        _("Average place"),
        _("Ranked first"),
        _("Average (1 to 5)"),
        _("Written answer"),
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def result_rows(survey: Survey) -> Iterator[list[Any]]:
    """The rows under ``columns()``, in the language active now."""
    for number, result in enumerate(selectors.survey_results(survey), start=1):
        question = result.question
        head = [number, str(question.text), str(question.kind_label), result.respondents]
        lines: list[list[Any]] = []
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            lines = [[choice, int(count), share, "", "", "", ""] for choice, count, share in result.rows]
        elif question.kind == QuestionKind.RANKING:
            lines = [
                [choice, "", "", average, int(firsts), "", ""] for choice, average, firsts in result.rows
            ]
        elif question.kind == QuestionKind.SCALE:
            lines = [[value, count, "", "", "", "", ""] for value, count in result.scale]
            mean = "" if result.mean is None else result.mean
            lines.append([_("Average"), "", "", "", "", mean, ""])
        else:
            lines = [["", "", "", "", "", "", text] for text in result.texts]
            if result.pending:
                lines.append([_("Waiting for moderation"), result.pending, "", "", "", "", ""])
        for line in lines or [["", "", "", "", "", "", ""]]:
            yield [_cell(value) for value in head + line]


def results_csv(survey: Survey) -> bytes:
    """The file: UTF-8 with a byte-order mark (spreadsheets then read the accents right)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(columns())
    writer.writerows(result_rows(survey))
    return out.getvalue().encode("utf-8")


def withheld_csv(survey: Survey) -> bytes:
    """The public's file when too few people answered (``selectors.results_withheld``): how many
    answered, and why the results are not in it."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Respondents"), _("Results")])
    writer.writerow([survey.responses.count(), selectors.withheld_message()])
    return out.getvalue().encode("utf-8")


def csv_response(survey: Survey, *, withheld: bool = False) -> HttpResponse:
    """The results file; ``withheld``: only how many answered (the public's, below the minimum)."""
    content = withheld_csv(survey) if withheld else results_csv(survey)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response
