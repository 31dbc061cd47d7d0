"""Draw the app's PNG icons from the same shapes as gerbang/core/static/gerbang/icon.svg (a
rounded square and a house, on a 32-unit grid), for the web app manifest and iOS's home screen,
which want bitmaps of given sizes. The PNGs are committed; run this again after changing the
logo:

    .venv/bin/python scripts/icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "gerbang" / "core" / "static" / "gerbang" / "icons"
BLUE = (11, 79, 108, 255)  # #0b4f6c, the site's brand colour
WHITE = (255, 255, 255, 255)
HOUSE = [(8, 26), (8, 12), (16, 6), (24, 12), (24, 26), (19, 26), (19, 18), (13, 18), (13, 26)]
SCALE = 4  # drawn larger, then reduced: smooth edges without an SVG renderer


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The icon at ``size`` pixels. A maskable icon fills the square (the platform cuts its own
    shape) and keeps the house inside the middle 80 %, the safe zone."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE)
        unit, offset = big * 0.8 / 32, big * 0.1
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 / 32, fill=BLUE)
        unit, offset = big / 32, 0.0
    pen.polygon([(offset + x * unit, offset + y * unit) for x, y in HOUSE], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself and shows no clear
    ):
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
