"""Fixtures for the Pengaturan section: real widgets on the ``ctx`` database; message boxes and file dialogs
recorded instead of shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from klaten_desktop.gui import crash, messages


@dataclass
class Shown:
    info: list[str] = field(default_factory=list)
    warn: list[str] = field(default_factory=list)
    error: list[str] = field(default_factory=list)
    crash: list[str] = field(default_factory=list)
    open_paths: list[Path] = field(default_factory=list)
    confirm_answer: bool = True


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    record = Shown()
    monkeypatch.setattr(messages, "info", lambda _p, text, **_k: record.info.append(text))
    monkeypatch.setattr(messages, "warn", lambda _p, text, **_k: record.warn.append(text))
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: record.error.append(text))
    monkeypatch.setattr(messages, "confirm", lambda _p, _text, **_k: record.confirm_answer)
    monkeypatch.setattr(messages, "ask_open_path", lambda *_a, **_k: record.open_paths.pop(0))
    monkeypatch.setattr(crash, "show_crash", lambda _intro, details: record.crash.append(details))
    return record


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window.
    for item in items:
        if "tests/gui_settings/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
