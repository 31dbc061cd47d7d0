"""Normalising links, numbers and account names, so that the scam checker can compare them
exactly with the official list. No fuzzy matching: a look-alike is simply not on the list.

- web addresses become ``site:<host>`` (lower case, without "www.", internationalised names in
  their punycode form, so a look-alike written with other alphabets never equals the original);
- phone and WhatsApp numbers become ``phone:+62…`` (E.164), also from wa.me links;
- e-mail addresses become ``email:<address>``;
- social-media handles, and profile links of the common platforms, become ``handle:<name>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from gerbang.core.exceptions import ValidationError
from gerbang.core.validators import normalize_phone

SOCIAL_HOSTS = {
    "instagram.com",
    "facebook.com",
    "fb.com",
    "twitter.com",
    "x.com",
    "tiktok.com",
    "youtube.com",
    "t.me",
    "threads.net",
}
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{8,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE = re.compile(r"^@?[\w.]{2,64}$")


@dataclass(frozen=True)
class Normalized:
    kind: str  # site, phone, email, handle
    key: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.key}"


def _host(raw: str) -> tuple[str, str]:
    text = raw if "://" in raw else f"https://{raw}"
    parts = urlsplit(text)
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return host.lower(), parts.path


def normalize(raw: str) -> Normalized:
    text = (raw or "").strip()
    if not text:
        raise ValidationError("empty", field="value")
    lowered = text.lower()
    if _EMAIL.match(lowered) and not lowered.startswith("@") and "/" not in lowered:
        return Normalized("email", lowered)
    if _PHONE_LIKE.match(text):
        try:
            return Normalized("phone", normalize_phone(text))
        except ValidationError:
            pass
    if "." in text or "/" in text:
        host, path = _host(text)
        segments = [segment for segment in path.split("/") if segment]
        if host in {"wa.me", "api.whatsapp.com"} and segments:
            try:
                return Normalized("phone", normalize_phone("+" + segments[0].lstrip("+")))
            except ValidationError:
                pass
        if host in SOCIAL_HOSTS and segments:
            return Normalized("handle", segments[0].lstrip("@").lower())
        if host and "." in host:
            return Normalized("site", host)
    if _HANDLE.match(text):
        return Normalized("handle", text.lstrip("@").lower())
    return Normalized("text", " ".join(lowered.split()))


def site_matches(host: str, official_host: str) -> bool:
    """The official site itself or one of its subdomains (the owner controls those too);
    "imigrasi.go.id.example.com" is not a subdomain of "imigrasi.go.id"."""
    return host == official_host or host.endswith("." + official_host)
