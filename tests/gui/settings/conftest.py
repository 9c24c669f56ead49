"""Fixtures for the Pengaturan section: real widgets on the ``ctx`` database; message boxes and file dialogs
recorded instead of shown."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window.
    for item in items:
        if "tests/gui/settings/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
