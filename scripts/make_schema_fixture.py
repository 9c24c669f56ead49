#!/usr/bin/env python3
"""Write tests/fixtures/schema/<head revision>.sqlite: a small database of the current schema with synthetic
data. Run it once for every released schema revision and commit the file; tests/db checks that each fixture
migrates to the current head without losing rows."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from klaten_desktop.app import open_context  # noqa: E402
from klaten_desktop.db.migrate import HEAD_REVISION  # noqa: E402
from klaten_desktop.domain.enums import OfficeRole  # noqa: E402
from klaten_desktop.runtime.clock import ShiftedClock  # noqa: E402
from klaten_desktop.runtime.paths import AppPaths  # noqa: E402
from klaten_desktop.services import demo, office  # noqa: E402
from klaten_desktop.services.context import SYSTEM  # noqa: E402


def main() -> int:
    target = ROOT / "tests" / "fixtures" / "schema" / f"{HEAD_REVISION}.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(Path(tmp))
        ctx = open_context(paths, clock=ShiftedClock.on(dt.date(2026, 11, 24)))
        office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode="33.10.01")
        demo.populate(ctx, SYSTEM, 120, seed=7)
        ctx.dispose()
        src = sqlite3.connect(paths.database)
        dst = sqlite3.connect(target.with_suffix(".part"))
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("VACUUM")
        dst.close()
        src.close()
    target.with_suffix(".part").replace(target)
    print(f"{target.relative_to(ROOT)} ({target.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
