"""Both catalogues are complete and in step with the source: a new user-facing string
without its Indonesian translation fails here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ["id", "en"]
# A msgid and its continuation lines: msgid "..." followed by more "..." lines.
_MSGID = re.compile(r'^msgid ((?:"[^\n]*"\n)+)', re.MULTILINE)


def catalogue(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> set[str]:
    found = set()
    for block in _MSGID.findall(path.read_text(encoding="utf-8")):
        text = "".join(line[1:-1] for line in block.strip().split("\n"))
        if text:
            found.add(text)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language: str) -> None:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue(language))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogues_contain_every_string_of_the_source(tmp_path: Path) -> None:
    """Extract the strings afresh from a copy of the code and compare with the catalogues."""
    shutil.copytree(
        ROOT / "gerbang", tmp_path / "gerbang", ignore=shutil.ignore_patterns("__pycache__", "tests")
    )
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location", "--no-wrap"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "GERBANG_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids(catalogue("id", tmp_path))
    for language in LANGUAGES:
        missing = fresh - msgids(catalogue(language))
        assert not missing, f"run `make makemessages` and translate for {language}: {sorted(missing)}"


def test_indonesian_pages_are_translated(db: None) -> None:
    body = Client().get("/account/login/").content.decode()
    assert "Masuk" in body and "Lupa kata sandi?" in body
    assert "Forgot your password?" not in body


def test_plural_forms_work_in_both_languages() -> None:
    from django.utils.translation import ngettext

    singular = "You have %(count)s unused recovery code."
    plural = "You have %(count)s unused recovery codes."
    with translation.override("id"):
        assert (
            ngettext(singular, plural, 3) % {"count": 3}
            == "Anda memiliki 3 kode pemulihan yang belum digunakan."
        )
    with translation.override("en"):
        assert ngettext(singular, plural, 1) % {"count": 1} == "You have 1 unused recovery code."


def test_translation_functions_are_called_by_names_makemessages_knows() -> None:
    """makemessages finds strings only behind gettext, ngettext, pgettext, their _lazy forms and
    ``_``: a string behind another alias (``gettext as gettext_now``) is never translated."""
    alias = re.compile(r"\b(?:n|p|np)?gettext(?:_lazy)? as (?!_\b)(\w+)")
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "gerbang").rglob("*.py")
        if "tests" not in path.parts
        for match in alias.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
