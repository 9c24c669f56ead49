"""Text cells of the app's CSV files, written and read back: the one home of the rules both sides share.

Two kinds of CSV are written (services/table_writer.py):

- **for machines** (``klaten-desktop export-officials daftar.csv``): the value as it is, except that a text a
  spreadsheet would run as a formula (starting with = + - @, a TAB or a CR) gets an apostrophe in front; the
  reader takes exactly one apostrophe off again, so the file re-imports unchanged.
- **"CSV untuk Excel"** (what the app's Ekspor screens write): every text cell as a formula that yields the text,
  ``="3310012345678901"``. Excel and LibreOffice Calc show the text itself: a NIK keeps its 16th digit, a phone
  number its leading 0, "003/002" does not turn into a date and "-/001" shows without an apostrophe. A text
  inside a string literal is never run, so it is safe whatever it starts with. The reader unwraps such cells.
"""

from __future__ import annotations

#: A spreadsheet reads a cell starting with one of these as a formula (TAB and CR: OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A CSV cell starting with an apostrophe and one of these has had an apostrophe put before it by the export
#: (the CSV reader takes exactly one off): a text that itself starts so gets one more, so it comes back unchanged.
QUOTED_NEXT = frozenset((*FORMULA_START, "'"))
#: The longest text of one string literal in an Excel formula; longer texts are joined with "&".
EXCEL_LITERAL_MAX = 255
#: Excel's limit on the length of a formula; a text that does not fit is written for machines instead.
EXCEL_FORMULA_MAX = 8_000


def machine_cell(text: str) -> str:
    """``text`` for a CSV read by programs: an apostrophe before a formula start or before a leading apostrophe
    that the reader would otherwise take off ("'=Hadi" is written "''=Hadi")."""
    if text.startswith(FORMULA_START) or (len(text) >= 2 and text[0] == "'" and text[1] in QUOTED_NEXT):
        return "'" + text
    return text


def excel_cell(text: str) -> str:
    """``text`` as a formula giving that text (``="..."``, quotes doubled), for a CSV opened in a spreadsheet."""
    if not text:
        return text
    parts = [text[i : i + EXCEL_LITERAL_MAX] for i in range(0, len(text), EXCEL_LITERAL_MAX)]
    formula = "=" + "&".join('"' + p.replace('"', '""') + '"' for p in parts)
    return formula if len(formula) <= EXCEL_FORMULA_MAX else machine_cell(text)


def read_cell(cell: str) -> str:
    """The text a cell of either kind of CSV holds: one export apostrophe off, or a ``="..."`` formula unwrapped.
    Any other cell is returned as it is."""
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in QUOTED_NEXT:
        return cell[1:]
    if cell.startswith('="'):
        text = _unwrap(cell)
        if text is not None:
            return text
    return cell


def _unwrap(cell: str) -> str | None:
    """The text of ``="a"&"b"`` (``""`` inside a literal is one quote), or None when ``cell`` is another formula."""
    out: list[str] = []
    i, n = 1, len(cell)
    while True:
        if i >= n or cell[i] != '"':
            return None
        i += 1
        while True:
            end = cell.find('"', i)
            if end < 0:
                return None
            out.append(cell[i:end])
            if cell.startswith('""', end):
                out.append('"')
                i = end + 2
                continue
            i = end + 1
            break
        if i == n:
            return "".join(out)
        if cell[i] != "&":
            return None
        i += 1
