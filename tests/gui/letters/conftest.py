"""Fixtures for the "Surat & Sertifikat" screen: real widgets on the real SQLite file of ``ctx`` with 60 synthetic
officials; message boxes, file dialogs and the system PDF viewer recorded instead of shown."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.letters import common
from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import Shown

SENGON = "33.10.01.2001"  # a desa of Prambanan (the ``ctx`` office)


@pytest.fixture
def shown(shown: Shown, monkeypatch: pytest.MonkeyPatch) -> Shown:
    """The shared recorder, plus the system PDF viewer recorded instead of opened."""
    monkeypatch.setattr(common, "open_in_viewer", lambda path: shown.opened.append(path) or True)
    return shown


@pytest.fixture
def letters_ctx(ctx: ServiceContext, shown: Shown) -> Iterator[ServiceContext]:
    """The Prambanan office (today 24 November 2026) with 60 synthetic officials; workers waited for."""
    demo.populate(ctx, SYSTEM, 60)
    yield ctx
    tasks.wait_all()


def pdf_text(path: Path | bytes) -> list[str]:
    data = path if isinstance(path, bytes) else path.read_bytes()
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(data)).pages]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window.
    for item in items:
        if "tests/gui/letters/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
