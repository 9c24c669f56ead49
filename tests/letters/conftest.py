"""Fixtures for the letters tests: a Prambanan office with synthetic officials, and reading PDFs back."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM, ServiceContext

ReadPdf = Callable[[Path | bytes], list[str]]


@pytest.fixture
def office(ctx: ServiceContext) -> ServiceContext:
    """The Prambanan office (today 24 November 2026) with 300 synthetic officials."""
    demo.populate(ctx, SYSTEM, 300, seed=7)
    return ctx


def _pages(source: Path | bytes) -> list[str]:
    data = source if isinstance(source, bytes) else source.read_bytes()
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(data)).pages]


@pytest.fixture
def read_pdf() -> ReadPdf:
    """The text of each page, whitespace collapsed to single spaces."""
    return _pages
