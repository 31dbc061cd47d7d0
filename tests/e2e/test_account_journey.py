"""A new applicant's first visit, in headless Chromium against the live server: register, open
the link from the email, sign in, enable 2FA, sign out, sign in with a code, switch to English."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django_otp.oath import TOTP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_for(secret_text: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key the page displayed (or ``steps_ahead`` later)."""
    raw = secret_text.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    generator = TOTP(key, step=30, t0=0, digits=6)
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def test_register_verify_enable_2fa_and_sign_in_again(page: Any, live_server: Any, artifacts: Path) -> None:
    email, password = "wulan@example.test", "nasi-uduk-betawi"

    # The site speaks Indonesian by default, even to an English browser.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("link", name="Buat akun").first.click()

    # Wrong input first: a short password is refused and the typed name stays.
    page.get_by_label("Nama lengkap").fill("Wulan Sari")
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill("pendek")
    page.get_by_role("button", name="Buat akun").click()
    # Wait for the answer rather than read the page mid-navigation (content() is empty then).
    page.get_by_text(re.compile("terlalu pendek")).first.wait_for()
    assert page.get_by_label("Nama lengkap").input_value() == "Wulan Sari"
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Buat akun").click()
    page.get_by_role("heading", name="Periksa email Anda").wait_for()

    # Open the link from the captured email.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", str(mail.outbox[0].body))
    assert link is not None
    page.goto(link.group(0))
    page.get_by_text("sudah dikonfirmasi").wait_for()

    # Sign in with the password.
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name=re.compile("Selamat datang")).wait_for()

    # Enable two-factor sign-in: a wrong code first, then the right one.
    page.get_by_role("link", name="Keamanan").click()
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    # A click waits for the next page to begin, not to be read: wait for what it shows.
    page.locator("figure.qr svg").first.wait_for()
    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode dari aplikasi").fill("000000")
    page.get_by_role("button", name="Konfirmasi").click()
    page.get_by_text(re.compile("tidak benar")).first.wait_for()
    enrolled_step = int(time.time() // 30)
    page.get_by_label("Kode dari aplikasi").fill(code_for(secret))
    page.get_by_role("button", name="Konfirmasi").click()
    page.locator("#recovery-codes").wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    page.screenshot(path=str(artifacts / "e2e-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Sudah saya simpan")).click()

    # Sign out, then sign in again: now a code is asked for.
    page.get_by_role("button", name="Keluar").click()
    page.get_by_text("Anda telah keluar").wait_for()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Masukkan kode Anda").wait_for()
    # The code used for enrolment cannot be used again; the app's next code is accepted (the
    # next one after enrolment's: the current one once 30 seconds have turned, which also stays
    # within the drift the server learnt from the enrolment code).
    ahead = 1 if int(time.time() // 30) <= enrolled_step else 0
    page.get_by_label("Kode").fill(code_for(secret, steps_ahead=ahead))
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_role("heading", name=re.compile("Selamat datang")).wait_for()

    # Switch to English from the header.
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name=re.compile("Welcome, Wulan Sari")).wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(artifacts / "e2e-dashboard-en.png"), full_page=True)
