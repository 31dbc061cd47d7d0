"""The Indonesian of the libraries Gerbang uses (locale/vendor): country names, which
django-countries does not translate into Indonesian, and Django's own strings in Gerbang's
words ("kata sandi", "Anda")."""

from __future__ import annotations

import gettext
import re
import subprocess
from pathlib import Path

import django
import pytest
from django.test import Client
from django.utils import translation
from django_countries import countries

from gerbang.accounts.models import User
from gerbang.core.tests.test_i18n import ROOT, msgids

VENDOR = ROOT / "locale" / "vendor" / "id" / "LC_MESSAGES" / "django.po"
DJANGO = Path(django.__file__).parent
# "sandi" without "kata", and "anda" in lower case.
NOT_GERBANGS_WORDS = re.compile(r"(?<![Kk]ata )\b[Ss]andi\b|\banda\b")


def test_the_catalogue_is_complete_and_valid() -> None:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(VENDOR)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_country_has_its_indonesian_name() -> None:
    # The English names, untranslated: the msgids the catalogue must hold.
    names = {str(getattr(country, "_args", (country,))[0]) for country in countries.countries.values()}
    missing = names - msgids(VENDOR)
    assert not missing, f"add their Indonesian names to {VENDOR}: {sorted(missing)}"
    with translation.override("id"):
        assert countries.name("DE") == "Jerman" and countries.name("CN") == "Tiongkok"
        assert countries.name("TL") == "Timor Leste"


@pytest.mark.django_db
def test_the_nationality_list_starts_with_indonesia_in_the_pages_language() -> None:
    user = User.objects.create_user(email="warga@example.test", password="x" * 16)
    browser = Client()
    browser.force_login(user)
    page = browser.get("/account/profile/").content.decode()
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', page)
    assert options[0] == ("ID", "Indonesia")
    assert ("DE", "Jerman") in options and ("NL", "Belanda") in options
    assert [name for _code, name in options[1:4]] == ["Afganistan", "Afrika Selatan", "Albania"]
    User.objects.filter(pk=user.pk).update(language="en")
    english = browser.get("/account/profile/").content.decode()
    assert '<option value="DE">Germany</option>' in english
    assert english.index('value="ID"') < english.index('value="AF"')


def _django_msgids() -> set[str]:
    found: set[str] = set()
    for part in ("conf", "contrib/auth", "contrib/admin"):
        with open(DJANGO / part / "locale" / "id" / "LC_MESSAGES" / "django.mo", "rb") as mo:
            found |= {key for key in gettext.GNUTranslations(mo)._catalog if isinstance(key, str) and key}  # type: ignore[attr-defined]
    return found


def test_every_message_says_kata_sandi_and_anda() -> None:
    """Django's messages (sign-in and password forms, password rules, CSRF page, admin) and
    Gerbang's own, as shown in Indonesian: one word for password, and "Anda" capitalised."""
    every = _django_msgids() | msgids(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po")
    with translation.override("id"):
        found = {text for text in map(translation.gettext, every) if NOT_GERBANGS_WORDS.search(text)}
    assert not found, "\n".join(sorted(found))


def test_password_rules_speak_gerbangs_indonesian() -> None:
    from django.contrib.auth.password_validation import CommonPasswordValidator, NumericPasswordValidator

    with translation.override("id"):
        assert NumericPasswordValidator().get_help_text() == "Kata sandi Anda tidak boleh hanya berisi angka."
        assert "kata sandi" in CommonPasswordValidator().get_help_text()
