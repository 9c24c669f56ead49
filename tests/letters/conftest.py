"""Fixtures for the letters tests: a Prambanan office with synthetic officials, and reading PDFs back."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.letters import options

ReadPdf = Callable[[Path | bytes], list[str]]


@pytest.fixture
def office(ctx: ServiceContext) -> ServiceContext:
    """The Prambanan office (today 24 November 2026) with 300 synthetic officials. A surat keterangan may be
    issued for officials who are not aktif (the letter states their status; the default refusal is tested in
    test_keterangan_status.py), so whole-desa batches of the demo data can be issued."""
    demo.populate(ctx, SYSTEM, 300, seed=7)
    options.set_allowed(ctx, SYSTEM, True)
    return ctx


def _pages(source: Path | bytes) -> list[str]:
    data = source if isinstance(source, bytes) else source.read_bytes()
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(data)).pages]


@pytest.fixture
def read_pdf() -> ReadPdf:
    """The text of each page, whitespace collapsed to single spaces."""
    return _pages
