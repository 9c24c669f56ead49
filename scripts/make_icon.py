"""Draw the Klaten Desktop application icon: PNGs 16..256 and one multi-size Windows .ico.

The icon is a green rounded tile (the green of a kecamatan office sign) with a white shield, and on the shield
a roof over two figures: the RT/RW heads the app protects. Small sizes drop the figures for a plain check mark
so the icon still reads at 16 px in Explorer and the task bar.

Run from the repository root:  .venv/bin/python scripts/make_icon.py
Writes resources/icons/klaten-desktop-<size>.png and resources/icons/klaten-desktop.ico (commit them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
NAME = "klaten-desktop"

GREEN_TOP = (0, 140, 72)
GREEN_BOTTOM = (0, 94, 52)
GOLD = (244, 180, 26)
WHITE = (255, 255, 255)
DARK = (0, 82, 45)
SCALE = 4  # supersampling factor


def _gradient_tile(size: int) -> Image.Image:
    tile = Image.new("RGBA", (size, size))
    draw = ImageDraw.Draw(tile)
    for y in range(size):
        t = y / max(size - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(GREEN_TOP, GREEN_BOTTOM, strict=True))
        draw.line([(0, y), (size, y)], fill=(*colour, 255))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, size - 1, size - 1], radius=round(size * 0.2), fill=255)
    tile.putalpha(mask)
    return tile


def _shield(left: float, top: float, width: float, height: float) -> list[tuple[float, float]]:
    """A shield outline: flat top, straight sides, curving to a point at the bottom."""
    pts: list[tuple[float, float]] = [(left, top), (left + width, top), (left + width, top + height * 0.5)]
    steps = 24
    bottom = top + height
    for i in range(1, steps + 1):  # right curve down to the point
        t = i / steps
        x = left + width - (width / 2) * t**1.2
        y = top + height * 0.5 + (bottom - (top + height * 0.5)) * (t**0.8)
        pts.append((x, y))
    for i in range(1, steps):  # left curve back up
        t = 1 - i / steps
        x = left + (width / 2) * t**1.2
        y = top + height * 0.5 + (bottom - (top + height * 0.5)) * (t**0.8)
        pts.append((x, y))
    pts.append((left, top + height * 0.5))
    return pts


def draw_icon(size: int) -> Image.Image:
    big = size * SCALE
    img = _gradient_tile(big)
    draw = ImageDraw.Draw(img)
    s = big / 256  # design grid is 256 units

    # Gold band along the bottom of the tile (subtle, only at larger sizes).
    if size >= 32:
        band = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        ImageDraw.Draw(band).rectangle([0, round(226 * s), big, big], fill=(*GOLD, 255))
        mask = img.getchannel("A")
        band.putalpha(Image.composite(band.getchannel("A"), Image.new("L", (big, big), 0), mask))
        img = Image.alpha_composite(img, band)
        draw = ImageDraw.Draw(img)

    # Shield with a soft shadow.
    shield = _shield(48 * s, 34 * s, 160 * s, 178 * s)
    shadow = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).polygon([(x + 5 * s, y + 7 * s) for x, y in shield], fill=(0, 40, 20, 110))
    shadow = shadow.filter(ImageFilter.GaussianBlur(6 * s))
    img = Image.alpha_composite(img, shadow)
    draw = ImageDraw.Draw(img)
    draw.polygon(shield, fill=WHITE)

    if size >= 32:
        # Roof.
        w = 12 * s
        draw.line([(78 * s, 112 * s), (128 * s, 68 * s), (178 * s, 112 * s)], fill=GOLD, width=round(w), joint="curve")
        for x, y in ((78 * s, 112 * s), (178 * s, 112 * s), (128 * s, 68 * s)):
            draw.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=GOLD)
        # Two figures under the roof: heads and shoulders.
        for cx in (106 * s, 150 * s):
            r = 13 * s
            draw.ellipse([cx - r, 112 * s - r, cx + r, 112 * s + r], fill=DARK)
            draw.rounded_rectangle([cx - 22 * s, 130 * s, cx + 22 * s, 172 * s], radius=round(18 * s), fill=DARK)
        # Clip the figures' bodies with a shield-coloured base line so they sit on the shield.
        draw.rectangle([86 * s, 166 * s, 170 * s, 176 * s], fill=WHITE)
    else:
        # Small sizes: a bold check mark.
        w = 26 * s
        draw.line([(84 * s, 120 * s), (118 * s, 154 * s), (176 * s, 86 * s)], fill=DARK, width=round(w), joint="curve")
        for x, y in ((84 * s, 120 * s), (176 * s, 86 * s)):
            draw.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=DARK)

    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in SIZES}
    for size, image in images.items():
        image.save(out / f"{NAME}-{size}.png", optimize=True)
    largest = images[max(ICO_SIZES)]
    largest.save(
        out / f"{NAME}.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    print(f"Ikon ditulis ke {out}: {', '.join(str(s) for s in SIZES)} px dan {NAME}.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
