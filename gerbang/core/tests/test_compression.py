"""Text answers (pages, JSON, CSS, JavaScript, SVG) are sent gzip-compressed to clients that
accept it; pictures, documents, event streams and partial answers are sent as they are."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from gerbang.core.middleware import CompressionMiddleware

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module: pages of their real size."""


def unpacked(response: Any) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


@pytest.mark.parametrize("path", ["/", "/services/", "/api/v1/services", "/api/v1/openapi.json"])
def test_pages_and_json_are_compressed_when_asked(path: str) -> None:
    plain = Client().get(path)
    packed = Client().get(path, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 2
    assert unpacked(packed).decode().count("<") == plain.content.decode().count("<")


@pytest.mark.parametrize("name", ["gerbang/gerbang.css", "gerbang/queue-live.js", "gerbang/near-me.js"])
def test_static_text_files_are_compressed_when_asked(name: str) -> None:
    """As ``make run`` serves them (from the source folders, through WhiteNoise)."""
    plain = Client().get(f"/static/{name}")
    packed = Client().get(f"/static/{name}", headers=GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert unpacked(packed) == unpacked(plain)


def test_a_small_file_is_sent_as_it_is() -> None:
    """gzip's header and padding would make the 174-byte icon larger."""
    packed = Client().get("/static/gerbang/icon.svg", headers=GZIP)
    assert "Content-Encoding" not in packed and len(unpacked(packed)) < 512


def test_a_range_of_a_file_is_sent_as_it_is() -> None:
    partial = Client().get("/static/gerbang/gerbang.css", headers={**GZIP, "Range": "bytes=0-99"})
    assert partial.status_code == 206
    assert "Content-Encoding" not in partial
    assert len(unpacked(partial)) == 100


def test_a_revalidated_compressed_page_is_still_not_modified() -> None:
    first = Client().get("/services/", headers=GZIP)
    again = Client().get("/services/", headers={**GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "content_type", ["image/png", "image/jpeg", "application/pdf", "application/zip", "font/woff2"]
)
def test_compressed_formats_are_sent_as_they_are(content_type: str) -> None:
    middleware = CompressionMiddleware(
        lambda request: HttpResponse(b"\x00" * 5000, content_type=content_type)
    )
    response = cast(HttpResponse, middleware(RequestFactory().get("/file", headers=GZIP)))
    assert "Content-Encoding" not in response and len(response.content) == 5000


def test_event_streams_are_never_held_back_by_compression() -> None:
    def stream() -> StreamingHttpResponse:
        return StreamingHttpResponse(iter([b"data: one\n\n" * 50]), content_type="text/event-stream")

    middleware = CompressionMiddleware(lambda request: stream())
    response = cast(StreamingHttpResponse, middleware(RequestFactory().get("/live", headers=GZIP)))
    assert "Content-Encoding" not in response
    assert b"".join(cast(Iterator[bytes], response.streaming_content)) == b"data: one\n\n" * 50


def test_a_shared_answer_is_compressed_once_and_others_afresh() -> None:
    """Public answers (no one's own data) are compressed once per content; any other answer
    gets new random padding each time (BREACH)."""
    browser = Client()  # one handler, as in a server process
    public = [browser.get("/api/v1/services", headers=GZIP) for _ in range(2)]
    assert public[0].content == public[1].content
    assert gzip.decompress(public[1].content) == Client().get("/api/v1/services").content
    assert public[1]["ETag"].startswith('W/"') and public[1]["Content-Length"] == str(len(public[1].content))
    middleware = CompressionMiddleware(lambda request: HttpResponse(b"<p>secret</p>" * 100))
    private = [cast(HttpResponse, middleware(RequestFactory().get("/mine", headers=GZIP))) for _ in range(5)]
    assert len({response.content for response in private}) > 1
