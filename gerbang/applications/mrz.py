"""Reading the two machine-readable lines of a passport's data page (ICAO 9303 TD3) and
verifying their check digits, with the ``mrz`` package; messages say which part is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from mrz.checker.td3 import TD3CodeChecker  # type: ignore[import-untyped]

LINE_LENGTH = 44


class MrzError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Td3:
    line1: str
    line2: str
    document_number: str
    nationality: str
    issuing_state: str
    birth_date: str  # YYMMDD
    expiry_date: str  # YYMMDD
    sex: str
    surname: str
    given_names: str

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname) if part)

    def name_matches(self, form_name_mrz: str) -> bool:
        """Whether a name written as the MRZ writes it has the same words, in any order
        (Indonesian names have no fixed surname). A name truncated to fill the line matches
        when its words start the form's."""
        mrz_words = sorted(w for w in re.split(r"[<\s]+", f"{self.surname}<{self.given_names}") if w)
        form_words = sorted(w for w in form_name_mrz.split("<") if w)
        if mrz_words == form_words:
            return True
        name_field = self.line1[5:]
        return not name_field.endswith("<") and all(
            any(f.startswith(m) for f in form_words) for m in mrz_words
        )

    @property
    def text(self) -> str:
        return f"{self.line1}\n{self.line2}"


_CHECK_MESSAGES = {
    "document number hash": "document number",
    "birth date hash": "birth date",
    "expiry date hash": "expiry date",
    "optional data hash": "personal number",
    "final hash": "final",
}


def normalize_lines(raw: str) -> list[str]:
    text = (raw or "").upper().replace("«", "<").replace("\u2039", "<")
    lines = [re.sub(r"\s", "", line) for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and len(lines[0]) == 2 * LINE_LENGTH:
        lines = [lines[0][:LINE_LENGTH], lines[0][LINE_LENGTH:]]
    return lines


def parse_td3(raw: str) -> Td3:
    lines = normalize_lines(raw)
    if len(lines) != 2:
        raise MrzError(_("Enter both machine-readable lines, each on its own line."))
    for number, line in enumerate(lines, start=1):
        if len(line) != LINE_LENGTH:
            raise MrzError(
                _(
                    "Line %(line)s has %(count)s characters; each line has exactly 44. Count the < signs again."
                )
                % {"line": number, "count": len(line)}
            )
        if not re.fullmatch(r"[A-Z0-9<]+", line):
            raise MrzError(
                _("Line %(line)s may contain only capital letters, digits and <.") % {"line": number}
            )
    if not lines[0].startswith("P"):
        raise MrzError(
            _("The first line of a passport starts with P. Check that you typed the passport's lines.")
        )
    checker = TD3CodeChecker(f"{lines[0]}\n{lines[1]}", check_expiry=False, compute_warnings=False)
    failed = [name for name, ok in checker.report.falses if not ok]
    digit_failures = [part for name, part in _CHECK_MESSAGES.items() if name in failed]
    if digit_failures:
        parts = ", ".join(_label(part) for part in digit_failures)
        raise MrzError(
            _(
                "The check digits do not match (%(parts)s): a character was mistyped. Compare each "
                "character with the passport; 0 and O, 1 and I, 5 and S, 8 and B are easy to confuse."
            )
            % {"parts": parts}
        )
    if failed:
        raise MrzError(
            _("These lines are not valid passport lines (%(parts)s).") % {"parts": ", ".join(failed)}
        )
    f = checker.fields()
    return Td3(
        line1=lines[0],
        line2=lines[1],
        document_number=f.document_number.replace("<", ""),
        nationality=f.nationality.replace("<", ""),
        issuing_state=f.country.replace("<", ""),
        birth_date=f.birth_date,
        expiry_date=f.expiry_date,
        sex=f.sex,
        surname=f.surname,
        given_names=f.name,
    )


def _label(part: str) -> str:
    labels = {
        "document number": _("passport number"),
        "birth date": _("date of birth"),
        "expiry date": _("expiry date"),
        "personal number": _("personal number"),
        "final": _("whole line 2"),
    }
    return labels[part]
