"""Write the generated part of docs/sync-format.md (tables, columns, allowed values, schema versions) from the
code: klaten_desktop/services/sync/format_doc.py renders it between the marker comments.

Run from the repository root:  .venv/bin/python scripts/sync_format_tables.py  (then commit the document).
tests/sync/test_format_doc.py fails with a diff while the document is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from klaten_desktop.services.sync import format_doc  # noqa: E402


def main() -> int:
    path = ROOT / format_doc.DOC_PATH
    text = path.read_text(encoding="utf-8")
    new = format_doc.updated(text)
    if new == text:
        print(f"{format_doc.DOC_PATH} is up to date")
        return 0
    path.write_text(new, encoding="utf-8")
    print(f"{format_doc.DOC_PATH} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
