"""QR codes as inline SVG (segno): no image request, works offline and prints sharply."""

from __future__ import annotations

import segno


def qr_svg(text: str, *, scale: int = 4, title: str = "QR") -> str:
    svg: str = segno.make(text, error="m").svg_inline(scale=scale, title=title)
    return svg
