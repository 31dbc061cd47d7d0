"""The installable app (a progressive web app): its manifest, and the service worker that keeps
the applicant's own pages for reading offline.

The service worker is one script served from the site's root (``/sw.js``), so it covers every
page. Core writes its offline part (``core/sw.js``); other apps add theirs with
``register_worker_part`` (notifications adds the push messages), so core knows none of them.

Which pages are kept: the applicant's own (their dashboard, applications with their timelines,
appointments and their QR codes, questions, inbox) and the public pages read before (services
with their checklists, offices, guides), each as it was last fetched. Never the back office,
the sign-in and security pages, the API or a simulator. Signing out empties what was kept.

The outbox: a form of ``QUEUED_PATHS`` sent while offline (or whose send fails at the network)
is kept on the device (IndexedDB, files as Blobs) and sent when the connection returns, with
its idempotency key (``core.idempotency``), so it is taken once however often it is sent. The
service worker does it: it sees every send, whichever way it failed, and can send in the
background (Background Sync) with no page open. ``pwa.js`` shows what waits. Other sends
offline (payments, bookings, signing in) are not kept: the worker says so.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.templatetags.static import static
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

# Pages kept for reading offline, by the start of their address.
KEPT_PREFIXES = (
    "/account/",
    "/applications/",
    "/consultations/",
    "/services/",
    "/offices/",
    "/guide/",
    "/guides/",
    "/faq/",
)
# Never kept, though under a kept prefix: signing in and out, security, passwords.
NEVER_KEPT_PREFIXES = (
    "/account/login",
    "/account/logout",
    "/account/register",
    "/account/verify",
    "/account/password",
    "/account/security",
)
# Forms that may be sent offline (their addresses, as regular expressions): a question, a
# message on it, a document (a correction the officer asked for, say). Each carries an
# idempotency key. Never payments, bookings or signing in: those need the connection.
QUEUED_PATHS = (
    r"^/consultations/new/$",
    r"^/consultations/\d+/$",
    r"^/applications/\d+/documents/$",
)
# A send with one of these fields is not kept even there (removing a document).
NEVER_QUEUED_FIELDS = ("remove",)
# Bumped when the worker's way of keeping pages changes: the old caches are dropped.
WORKER_VERSION = 2
THEME_COLOUR = "#0b4f6c"
BACKGROUND_COLOUR = "#ffffff"

_worker_parts: list[str] = []


def register_worker_part(template: str) -> None:
    """Add a template of JavaScript to the service worker (an app's own events: push, say)."""
    if template not in _worker_parts:
        _worker_parts.append(template)


def worker_parts() -> list[str]:
    return list(_worker_parts)


def manifest(language: str) -> dict[str, Any]:
    """The web app manifest in ``language`` (the words are translated where they are built)."""

    def icon(name: str, sizes: str, purpose: str = "any") -> dict[str, str]:
        # Each file through static(): in production its name carries its hash (a folder has none).
        kind = "image/svg+xml" if name.endswith(".svg") else "image/png"
        return {"src": static(f"gerbang/{name}"), "sizes": sizes, "type": kind, "purpose": purpose}

    return {
        "id": "/",
        "name": _("Gerbang: immigration services"),
        "short_name": "Gerbang",
        "description": _(
            "Apply for passports, visas and stay permits, follow your applications and appointments, "
            "and read them offline."
        ),
        "lang": language,
        "dir": "ltr",
        "start_url": "/account/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["government", "travel"],
        "icons": [
            icon("icons/icon-192.png", "192x192"),
            icon("icons/icon-512.png", "512x512"),
            icon("icons/maskable-512.png", "512x512", "maskable"),
            icon("icon.svg", "any"),
        ],
        "shortcuts": [
            {"name": _("My applications"), "url": "/applications/"},
            {"name": _("Inbox"), "url": "/account/inbox/"},
        ],
    }


def worker_context() -> dict[str, Any]:
    """What the service worker's template needs: the cache names, the pages it keeps, and the
    shell it stores on install (the offline page, the style sheet, the icon)."""
    shell = [
        "/offline/",
        static("gerbang/gerbang.css"),
        static("gerbang/icon.svg"),
        static("gerbang/pwa.js"),
    ]
    return {
        # A new worker (another version, or new static files, whose names carry their hash in
        # production) keeps its shell under a new name and drops the old.
        "version": f"{WORKER_VERSION}-{hashlib.sha256(repr(shell).encode()).hexdigest()[:12]}",
        "kept_prefixes": list(KEPT_PREFIXES),
        "never_kept_prefixes": list(NEVER_KEPT_PREFIXES),
        "queued_paths": list(QUEUED_PATHS),
        "never_queued_fields": list(NEVER_QUEUED_FIELDS),
        "shell": shell,
        "parts": worker_parts(),
    }


def outbox_owner(user: Any) -> str:
    """A tag of the signed-in person for the outbox (not their id): what waits on a shared
    device is shown, and sent, only while the same person is signed in. Empty when signed out."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("gerbang.core.pwa.outbox", str(user.pk)).hexdigest()[:20]
