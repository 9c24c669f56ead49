"""The repository stands on its own: every citation of the domain facts points at a section of docs/domain.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DOC = ROOT / "docs" / "domain.md"
CITATION = re.compile(r"docs/domain\.md(?:\s+(?:section\s+|§)?(\d+(?:\.\d+)?))?")


def _cited_files() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted((ROOT / "klaten_desktop").rglob("*.py"))
    return [p for p in files if p != DOMAIN_DOC]


def _sections() -> set[str]:
    headings = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", DOMAIN_DOC.read_text(encoding="utf-8"), re.MULTILINE)
    return set(headings)


def test_every_cited_section_exists() -> None:
    sections = _sections()
    assert {"1.2", "1.3", "1.5", "2.1", "3", "4", "5"} <= sections
    cited: list[tuple[str, str]] = []
    for path in _cited_files():
        text = path.read_text(encoding="utf-8")
        cited += [(path.name, m.group(1)) for m in CITATION.finditer(text) if m.group(1)]
    assert cited, "the domain rules cite docs/domain.md"
    missing = [(name, section) for name, section in cited if section not in sections]
    assert missing == []


def test_nothing_points_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared/|shared/domain\.md")
    hits = [
        p.name
        for p in [*_cited_files(), *sorted((ROOT / "tests").rglob("*.py"))]
        if outside.search(p.read_text(encoding="utf-8"))
    ]
    assert hits == []
