"""Every page a person reads is audited with axe-core somewhere, or excluded here with a reason.

This test runs without a browser (it is not marked e2e, so every suite runs it, PostgreSQL's
too). It lists the project's URL patterns with Django's resolver and sorts each into:
- not a page, from facts: the JSON API (django-ninja, under `api/`), the Django admin, views that
  refuse GET (`require_POST` and friends), files by their route's extension (PDF, CSV, XLSX,
  ICS, JSON, SVG...);
- not a page, by the commented table `NOT_PAGES` below (each entry says why);
- a page: it must be audited, either by the accessibility crawl (its path lists in
  `tests/e2e/test_accessibility.py`, resolved here) or by a journey that declares it in
  `tests/e2e/audited.py` (its `audit()` refuses what the journey has not declared).
A page that is neither fails the test, by view name, with how to add it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.e2e import test_accessibility as crawl
from tests.e2e.audited import JOURNEY_AUDITS, declared

# Routes whose answer is a file, by extension: downloads, images, machine-readable documents.
FILE_ROUTE = re.compile(r"\.(pdf|csv|xlsx|ics|json|jsonld|svg|png|pem|txt|xml|webmanifest|js)\$?$")
# The Django admin (`django-admin/`) is not audited: its templates are Django's own, not ours
# (accessibility there is Django's project's to keep), and it is an operators' tool for
# superusers only; people, officers included, work in the pages of `/backoffice/`.
NOT_AUDITED_PREFIXES = {
    "api/": "the JSON API (django-ninja): machines, the mobile app and partners read it",
    "django-admin/": "the Django admin: Django's own templates, for superusers only",
    "simulator/": "the local simulators of outside parties (payment provider, SMS, push, partners)",
}
# Not a page a person reads, though the facts above do not show it; each with its reason.
NOT_PAGES: dict[str, str] = {
    # Machines and browsers, not people.
    "core:healthz": "a plain-text liveness probe for the load balancer",
    "core:readyz": "a plain-text readiness probe for the load balancer",
    "core:robots": "robots.txt, for crawlers",
    "core:manifest": "the web app manifest (JSON), for browsers",
    "core:service_worker": "the service worker script",
    "sitemap": "the XML sitemap, for crawlers",
    "exchange:keys": "partner exchange: published keys (JSON)",
    "exchange:endpoint": "partner exchange: the signed JSON endpoint",
    "ledger:checkpoint": "the ledger's signed checkpoint (text, for verifiers)",
    "ledger:key": "the ledger's verifier key (text)",
    "ledger:tile": "the ledger's Merkle tiles (binary, for verifiers)",
    "oauth2_provider:token": "OAuth token endpoint (form POST, JSON answer), for apps",
    "oauth2_provider:revoke-token": "OAuth token revocation (RFC 7009), for apps",
    "oauth2_provider:introspect": "OAuth token introspection (RFC 7662), for confidential clients",
    "oauth:metadata": "OAuth server metadata (RFC 8414, JSON), for apps",
    # Redirects: they answer a GET with a redirect to a page that is audited.
    "backoffice:tour_case": "the guided tour's example case: redirects to a training case's page",
    "core:display": "sets the large-text/contrast choice and redirects back",
    "set_language": "sets the language and redirects back",
    "accounts:verify_email": "confirms the address and redirects to the sign-in page",
    "accounts:login_unlock": "unlocks the browser and redirects to the sign-in page",
    "backoffice:biometrics_liveness_challenge": "draws a new challenge and redirects to the face counter",
    # Actions that answer GET with 404 (they check the method in code, not by a decorator).
    "backoffice:check_ask": "asks a partner again (POST only)",
    "backoffice:check_verify": "records an officer's check (POST only)",
    "backoffice:check_resolve": "resolves a partner check (POST only)",
    # Files: uploaded documents and pictures, streamed as they are.
    "content:guide_step_image": "a guide step's picture (PNG or JPEG)",
    "applications:document_file": "an uploaded document (PDF or image)",
    "backoffice:case_document": "an uploaded document (PDF or image), for the officer",
    "backoffice:assisted_document": "an uploaded document of an assisted case, for the officer",
    "feedback:file": "a file attached to a consultation",
    "feedback:report_file": "a file attached to a report",
    "feedback:report_followed_file": "a file attached to a followed report",
    "backoffice:consultation_file": "a file attached to a consultation, for the officer",
    "backoffice:report_file": "a file attached to a report, for the officer",
    "backoffice:biometrics_face_capture": "the face capture (JPEG)",
}


def _methods(view: Callable[..., Any]) -> list[str] | None:
    """The HTTP methods a view accepts, if a `require_http_methods` decorator (`require_POST`,
    `require_GET`...) says so, found through the wrappers' `__wrapped__`."""
    function: Any = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return list(function.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        function = getattr(function, "__wrapped__", None)
    return None


def _patterns(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield prefix + str(pattern.pattern), name, pattern.callback


def why_not_a_page(route: str, name: str, view: Callable[..., Any]) -> str:
    """Why the pattern is not an HTML page a person reads, or "" if it is one."""
    for prefix, reason in NOT_AUDITED_PREFIXES.items():
        if route.lstrip("^").startswith(prefix):
            return reason
    methods = _methods(view)
    if methods is not None and "GET" not in methods:
        return f"an action: it accepts only {', '.join(methods)}"
    if FILE_ROUTE.search(route):
        return "a file (by its extension)"
    return NOT_PAGES.get(name, "")


def pages() -> dict[str, str]:
    """Every HTML page pattern: view name -> route."""
    found = {}
    for route, name, view in _patterns(get_resolver().url_patterns):
        if not why_not_a_page(route, name, view):
            found[name] = route
    return found


def crawled() -> set[str]:
    """The view names of every path the accessibility crawl visits."""
    paths = crawl.PUBLIC_PAGES + crawl.APPLICANT_PAGES + crawl.STAFF_PAGES + crawl.SIGN_IN_PAGES
    for templates in (
        crawl.PUBLIC_OBJECT_PAGES,
        crawl.STAFF_PAGES_ONE_LANGUAGE,
        crawl.CASE_PAGES,
        crawl.APPOINTMENT_PAGES,
        crawl.OFFICER_PAGES,
        crawl.QUEUE_PAGES,
    ):
        for template in templates:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            paths.append(template.format(**dict.fromkeys(names, 1)))
    views = set()
    for path in paths:
        if "no-such-page" not in path:
            views.add(resolve(urlsplit(path).path).view_name)
    return views


def test_every_page_is_audited_or_excluded_with_a_reason() -> None:
    audited = crawled() | declared()
    missing = {name: route for name, route in pages().items() if name not in audited}
    assert not missing, (
        "These pages are not audited with axe-core anywhere:\n"
        + "\n".join(f"  {name}  (/{route})" for name, route in sorted(missing.items()))
        + "\nAdd each page's path to a list in tests/e2e/test_accessibility.py (the crawl, with the "
        "demo data), or audit it in its journey with audit() and declare its view name under the "
        "journey in tests/e2e/audited.py. If it is not a page a person reads, say why in NOT_PAGES "
        "in tests/test_every_page_audited.py."
    )


def test_every_page_pattern_has_a_name() -> None:
    """The check counts pages by view name: a nameless page could not be told apart."""
    nameless = [
        route
        for route, name, view in _patterns(get_resolver().url_patterns)
        if not name and not why_not_a_page(route, name, view)
    ]
    assert nameless == [], "give these URL patterns a name"


def test_the_facts_sort_the_patterns() -> None:
    """Pages stay pages; actions, files, the API and the admin do not count as pages."""
    found = pages()
    assert {"core:home", "core:search", "applications:detail", "backoffice:case_detail"} <= set(found)
    assert not {
        "accounts:logout",  # require_POST
        "transparency:data_csv",  # a file, by its extension
        "api:list_offices",  # the JSON API
        "admin:index",  # the Django admin
        "core:healthz",  # NOT_PAGES
    } & set(found)


def test_the_tables_name_only_what_exists() -> None:
    """An exclusion or declaration for a view that is gone would hide its successor."""
    names = {name for _, name, _ in _patterns(get_resolver().url_patterns)}
    assert set(NOT_PAGES) - names == set()
    assert {
        (module, view) for module, views in JOURNEY_AUDITS.items() for view in views if view not in names
    } == set()
    page_names = set(pages())
    assert declared() - page_names == set(), "a journey declares something that is not a page"
    assert crawled() - page_names == set(), "the crawl visits something that is not a page"
