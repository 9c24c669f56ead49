"""The characters documents can print: the generated coverage matches the shipped fonts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from klaten_desktop.domain.printable import can_print, describe, unprintable

ROOT = Path(__file__).resolve().parents[2]


def test_coverage_module_is_generated_from_the_shipped_fonts() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_font_coverage.py"), "--check"],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_latin_greek_cyrillic_print_other_scripts_do_not() -> None:
    assert all(can_print(ch) for ch in "AZaz09 .,'-/ÀÿĀžḤṣẞ€ΩЖ")
    assert not any(can_print(ch) for ch in "ꦧ王ع\u0007\U0001f600")
    assert unprintable("Sumarno") == () and unprintable("Ṣāliḥ") == ()
    assert unprintable("ꦧꦩ ꦧ王") == ("ꦧ", "ꦩ", "王")
    assert describe(("ꦧ", "王")) == '"ꦧ" (U+A9A7), "王" (U+738B)'
