"""GUI fixtures: real widgets on the real SQLite file of the ``ctx`` fixture; message boxes recorded, not shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import Shown

Modal = Callable[[Callable[[QWidget], None]], list[BaseException]]


@pytest.fixture(autouse=True)
def _no_installed_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pengaturan's tab "Server basis data" appears once the application installed its folders
    (``installation.install``, by ``build_main_window``): never left over from another test."""
    from klaten_desktop.gui import installation

    monkeypatch.setattr(installation, "_installed", None)


@pytest.fixture
def gui_ctx(ctx: ServiceContext, shown: Shown) -> Iterator[ServiceContext]:
    """The Prambanan office with 80 synthetic officials; background work is waited for at teardown."""
    demo.populate(ctx, SYSTEM, 80)
    yield ctx
    store_for(ctx).wait()
    tasks.wait_all()


@pytest.fixture
def empty_office_ctx(ctx: ServiceContext, shown: Shown) -> Iterator[ServiceContext]:
    """The Prambanan office without officials."""
    yield ctx
    store_for(ctx).wait()
    tasks.wait_all()


def wait_loaded(qtbot: QtBot, section: QWidget, ctx: ServiceContext) -> None:
    """Refresh ``section`` and wait until the officials store and its table are loaded."""
    section.refresh()  # type: ignore[attr-defined]
    store = store_for(ctx)
    qtbot.waitUntil(lambda: store.rows() is not None and not store.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: section.browser.model.total_count() > 0, timeout=5000)  # type: ignore[attr-defined]


def when_modal(action: Callable[[QWidget], None]) -> list[BaseException]:
    """Run ``action(dialog)`` on the next modal dialog that opens; failures are returned for the test to raise."""
    failures: list[BaseException] = []

    def attempt(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries > 200:
                failures.append(AssertionError("no modal dialog opened"))
                return
            QTimer.singleShot(10, lambda: attempt(tries + 1))
            return
        try:
            action(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.close()

    QTimer.singleShot(0, attempt)
    return failures


@pytest.fixture
def modal() -> Callable[[Callable[[QWidget], None]], list[BaseException]]:
    """``failures = modal(action)`` then trigger the action that opens a dialog; assert ``not failures``."""
    return when_modal


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window.
    for item in items:
        if "tests/gui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
