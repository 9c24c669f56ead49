"""Rows of one sheet that name the same NIK: an exact copy (a copy-paste) or a real conflict."""

from __future__ import annotations

from collections.abc import Sequence

from klaten_desktop.services.imports.rows import ParsedRow


def repeated_niks(niks: Sequence[str], parsed: Sequence[ParsedRow]) -> tuple[dict[str, list[int]], dict[int, int]]:
    """The NIKs on more than one row of the sheet with differing data, with the sheet rows of each; and the rows
    (positions in ``parsed``) that copy an earlier row exactly, with that row's sheet row (``niks``: the NIKs).

    Rows of one NIK that all read the same (a copy-paste) are one person: the first is kept, the others skipped.
    """
    nik_rows: dict[str, list[int]] = {}
    for position, nik in enumerate(niks):
        if nik:
            nik_rows.setdefault(nik, []).append(position)
    repeated: dict[str, list[int]] = {}
    copies: dict[int, int] = {}
    for nik, positions in nik_rows.items():
        if len(positions) == 1:
            continue
        first = parsed[positions[0]]
        if all(_same_row(first, parsed[i]) for i in positions[1:]):
            copies.update((i, first.sheet_row) for i in positions[1:])
        else:
            repeated[nik] = [parsed[i].sheet_row for i in positions]
    return repeated, copies


def _same_row(a: ParsedRow, b: ParsedRow) -> bool:
    return a.values == b.values and a.errors == b.errors and a.warnings == b.warnings
