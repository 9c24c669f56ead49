"""Fixtures for the "Surat & Sertifikat" screen: real widgets on the real SQLite file of ``ctx`` with 60 synthetic
officials; message boxes, file dialogs and the system PDF viewer recorded instead of shown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.gui import crash, messages, tasks
from klaten_desktop.gui.letters import common
from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM, ServiceContext

SENGON = "33.10.01.2001"  # a desa of Prambanan (the ``ctx`` office)


@dataclass
class Shown:
    info: list[str] = field(default_factory=list)
    warn: list[str] = field(default_factory=list)
    error: list[str] = field(default_factory=list)
    crash: list[str] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    save_paths: list[Path] = field(default_factory=list)
    open_paths: list[Path] = field(default_factory=list)
    confirm_answer: bool = True


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    record = Shown()
    monkeypatch.setattr(messages, "info", lambda _p, text, **_k: record.info.append(text))
    monkeypatch.setattr(messages, "warn", lambda _p, text, **_k: record.warn.append(text))
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: record.error.append(text))
    monkeypatch.setattr(messages, "confirm", lambda _p, _text, **_k: record.confirm_answer)
    monkeypatch.setattr(messages, "ask_save_path", lambda *_a, **_k: record.save_paths.pop(0))
    monkeypatch.setattr(messages, "ask_open_path", lambda *_a, **_k: record.open_paths.pop(0))
    monkeypatch.setattr(common, "open_in_viewer", lambda path: record.opened.append(path) or True)
    monkeypatch.setattr(crash, "show_crash", lambda _intro, details: record.crash.append(details))
    return record


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
        if "tests/gui_letters/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
