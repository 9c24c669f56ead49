"""The application icon: every size present, drawn (not blank), and the committed files match the script."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def _make_icon() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icon", ROOT / "scripts" / "make_icon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ico_holds_every_windows_size() -> None:
    with Image.open(ICONS / "klaten-desktop.ico") as ico:
        sizes = ico.info["sizes"]
        assert {(s, s) for s in (16, 20, 24, 32, 40, 48, 64, 128, 256)} <= set(sizes)
        ico.size = (16, 16)
        small = ico.convert("RGBA")
    assert small.size == (16, 16)
    # The 16 px image is the hand-simplified one (green tile, white shield), not a blur of the large one.
    r, g, b, a = small.getpixel((6, 3))
    assert a == 255 and min(r, g, b) > 200  # white shield at the top
    r, g, b, a = small.getpixel((8, 7))
    assert a == 255 and g > r + 40 and max(r, g, b) < 200  # the dark check mark across it
    r, g, b, a = small.getpixel((1, 8))
    assert a > 200 and g > r + 60 and g > b + 40  # green tile at the edge


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256])
def test_png_sizes_are_drawn(size: int) -> None:
    with Image.open(ICONS / f"klaten-desktop-{size}.png") as png:
        image = png.convert("RGBA")
    assert image.size == (size, size)
    assert image.getpixel((0, 0))[3] < 64  # rounded corner is transparent
    assert image.getpixel((size // 2, size // 2))[3] == 255
    colours = image.getcolors(maxcolors=size * size)
    assert colours is not None and len(colours) > 8


@pytest.mark.parametrize("size", [16, 48, 256])
def test_committed_pngs_match_the_drawing_script(size: int) -> None:
    drawn = _make_icon().draw_icon(size)
    with Image.open(ICONS / f"klaten-desktop-{size}.png") as png:
        committed = png.convert("RGBA")
    diff = ImageChops.difference(drawn, committed).getextrema()
    assert max(channel_max for _, channel_max in diff) <= 2
