"""docs/sync-format.md is a published contract: its generated part must say what the code does."""

from __future__ import annotations

import difflib
from pathlib import Path

from klaten_desktop.db.migrate import KNOWN_REVISIONS
from klaten_desktop.services.events.certificates import KIND as CERTIFICATE_KIND
from klaten_desktop.services.letters.templates import BUILTIN_KINDS
from klaten_desktop.services.sync import format_doc
from klaten_desktop.services.sync.tables import SPECS

DOC = Path(__file__).resolve().parents[2] / format_doc.DOC_PATH


def test_generated_section_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    fresh = format_doc.updated(text)
    if fresh != text:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True), fresh.splitlines(keepends=True), "docs (committed)", "code"
            )
        )
        raise AssertionError(
            f"{format_doc.DOC_PATH} is stale; run scripts/sync_format_tables.py and commit it:\n{diff}"
        )


def test_generated_section_lists_every_table_column_and_revision() -> None:
    section = format_doc.render()
    for n, spec in enumerate(SPECS, start=1):
        assert f"{n}. `{spec.name}`" in section
        heading = section.index(f"#### `{spec.name}`")
        for column in spec.columns:
            assert f"| `{column}` |" in section[heading:]
    assert "`event_certificate`" in section
    assert ", ".join(f"`{r}`" for r in KNOWN_REVISIONS) in section


def test_allowed_values_come_from_the_models() -> None:
    section = format_doc.render()
    assert "| `jabatan` | text, at most 20 characters | no | one of: `ketua_rt`, `ketua_rw`, `sekretaris`" in section
    assert "one of: `ADD`, `APBDes`, `APBD`, `mandiri`" in section
    assert "one of: `issued`, `reserved`, `voided`" in section
    assert "one of: `menjabat`, `berakhir`" in section
    assert "`BPU-PP82-2019`, `KLATEN-TETAP-2022`" in section
    assert "| `starts_at` | timestamp, **local time WIB**" in section
    assert "| `updated_at` | timestamp, UTC |" in section
    for column in ("payload", "recipients", "speakers"):
        assert f"| `{column}` | text holding **JSON** (decode again) |" in section
    # letter kinds are named in the notes by hand: keep them in step with the letters and certificates code
    for kind in (*BUILTIN_KINDS, CERTIFICATE_KIND):
        assert f"`{kind}`" in section.split("| `kind` |")[1].split("\n")[0]


def test_updating_a_document_without_markers_is_refused() -> None:
    try:
        format_doc.updated("# no markers\n")
    except ValueError as exc:
        assert "generated section" in str(exc)
    else:
        raise AssertionError("a document without markers was accepted")
