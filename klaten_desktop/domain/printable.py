"""Which characters the documents can print: those every shipped PDF font has (``font_coverage.RANGES``,
generated from resources/fonts/ by scripts/make_font_coverage.py).

A name with a character outside them is refused where it is typed or imported, with the character named, rather
than printed on a letter as an empty box.
"""

from __future__ import annotations

from bisect import bisect_right

from klaten_desktop.domain.font_coverage import RANGES

_STARTS = tuple(lo for lo, _hi in RANGES)


def can_print(ch: str) -> bool:
    """True when the PDF fonts have a glyph for the character ``ch``."""
    cp = ord(ch)
    i = bisect_right(_STARTS, cp) - 1
    return i >= 0 and cp <= RANGES[i][1]


def unprintable(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` the PDF fonts lack, in the order they first occur."""
    if text.isascii() and text.isprintable():
        return ()
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and not can_print(ch):
            seen[ch] = None
    return tuple(seen)


def describe(chars: tuple[str, ...]) -> str:
    """ "ꦧ" (U+A9A7), "ꦸ" (U+A9B8): the characters as the message names them."""
    return ", ".join(f'"{ch}" (U+{ord(ch):04X})' for ch in chars)
