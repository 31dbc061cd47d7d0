"""PDF documents rendered from the same Django templates as pages (weasyprint)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """PDF templates carry their own styles; nothing is fetched from anywhere while rendering."""
    raise ValueError(f"PDF rendering does not fetch {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: weasyprint (with its fonts' libraries) takes more than half a second to
    # import, which every process start (the server, the worker, each command) would pay.
    from weasyprint import HTML

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    return pdf
