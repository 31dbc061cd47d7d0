"""Every page a person can reach, as they would reach it: start from every address of the URL
configuration that needs no id, then follow the links and GET forms each page offers (so the
pages of real cases, bookings and offices of the demo are visited too). A new page is crawled
without being listed anywhere."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve

from gerbang.core.tests import sweep

# Addresses a crawl must not follow: leaving (signing out, switching language), the admin (not
# a page of Gerbang's own), the API (JSON, no pages) and Django's static files.
SKIPPED = re.compile(
    r"^/(django-admin/|api/v1/(?!docs)|static/|media/|account/logout/|language|healthz|readyz|sw\.js)"
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Page:
    address: str
    status: int
    content_type: str
    body: str
    elements: list[Element] = field(default_factory=list)
    # Text a person reads, with the text of <script> and <style> left out; JSON kept in a page.
    text: str = ""
    # The same, less what says it is in another language and what a person typed (textarea).
    page_language_text: str = ""
    scripts: list[tuple[str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.text: list[str] = []
        self.page_language_text: list[str] = []
        self.scripts: list[tuple[str, str]] = []
        self._in: str | None = None
        self._script_type = ""
        # Elements that say they are in a language of their own (lang="en" on an Indonesian page),
        # or hold what a person typed (a textarea): [tag, how deep it is nested in itself].
        self._aside: list[list[Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append(Element(tag, values))
        if tag in {"script", "style"}:
            self._in = tag
            self._script_type = values.get("type", "")
        if self._aside and self._aside[-1][0] == tag:
            self._aside[-1][1] += 1
        elif (tag != "html" and "lang" in values) or tag == "textarea":
            self._aside.append([tag, 1])

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None
        if self._aside and self._aside[-1][0] == tag:
            self._aside[-1][1] -= 1
            if not self._aside[-1][1]:
                self._aside.pop()

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            if data.strip():
                self.scripts.append((self._script_type, data))
        elif self._in is None:
            self.text.append(data)
            if not self._aside:
                self.page_language_text.append(data)


def read(address: str, response: HttpResponseBase) -> Page:
    content_type = response.headers.get("Content-Type", "")
    raw = b"" if response.streaming else getattr(response, "content", b"")
    body = raw.decode("utf-8", "replace") if not content_type.startswith("application/pdf") else ""
    page = Page(address, response.status_code, content_type, body)
    if content_type.startswith("text/html"):
        reader = _Reader()
        reader.feed(body)
        page.elements, page.scripts = reader.elements, reader.scripts
        page.text = re.sub(r"\s+", " ", " ".join(reader.text))
        page.page_language_text = re.sub(r"\s+", " ", " ".join(reader.page_language_text))
    return page


def _route(address: str) -> str | None:
    try:
        return resolve(urlsplit(address).path).route
    except Resolver404:
        return None


def links(page: Page) -> Iterable[str]:
    for element in page.elements:
        target = None
        if element.tag == "a":
            target = element.attrs.get("href")
        elif element.tag == "form" and element.attrs.get("method", "get").lower() == "get":
            target = element.attrs.get("action") or page.address
        if not target or target.startswith(("#", "mailto:", "tel:", "geo:", "javascript:")):
            continue
        absolute = urljoin("http://testserver" + page.address, target)
        parts = urlsplit(absolute)
        if parts.netloc != "testserver":
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, *, per_route: int = 3, limit: int = 250) -> list[Page]:
    """Pages reachable by ``client``: at most ``per_route`` addresses of one route (three cases,
    not every case) and ``limit`` in all."""
    queue = [
        a for a in sweep.addresses() if "/x" not in a and not a.endswith(("/1/", "/1")) and "/1/" not in a
    ]
    seen: set[str] = set()
    visits: Counter[str | None] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < limit:
        address = queue.pop(0)
        if address in seen or SKIPPED.match(address):
            continue
        seen.add(address)
        route = _route(address)
        if route is None or visits[route] >= per_route:
            continue
        visits[route] += 1
        response = client.get(address)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(response["Location"])
            continue
        page = read(address, response)
        pages.append(page)
        queue.extend(link for link in links(page) if link not in seen)
    return pages
