"""Compile the Qt Designer sources in ``ui/`` into this package: ``python -m klaten_desktop.gui.forms.build``.

pyside6-uic output is post-processed only to add type annotations to ``setupUi``/``retranslateUi`` (mypy checks
the callers) and to drop the line naming the uic version. tests/gui/test_forms_fresh.py checks the result.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

FORMS_DIR = Path(__file__).resolve().parent
UI_DIR = FORMS_DIR.parents[2] / "ui"


def _uic() -> str:
    found = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent))
    return found or "pyside6-uic"


def compile_ui(source: Path) -> str:
    raw = subprocess.run([_uic(), str(source)], check=True, capture_output=True, text=True).stdout
    raw = re.sub(r"## Created by: Qt User Interface Compiler version .*\n", "", raw)
    raw = re.sub(r"def (setupUi|retranslateUi)\(self, (\w+)\):", r"def \1(self, \2: QWidget) -> None:", raw)
    return raw


def target_for(source: Path) -> Path:
    return FORMS_DIR / f"ui_{source.stem}.py"


def sources() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def main() -> int:
    for source in sources():
        target_for(source).write_text(compile_ui(source), encoding="utf-8")
        print(f"{source.name} -> {target_for(source).relative_to(FORMS_DIR.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
