"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void call and to True/False on every
signal emit, and the process aborts after a few thousand Qt calls. This test fails on such a build, and the
pin in pyproject.toml keeps us below 6.12."""

from __future__ import annotations

import sys
from importlib.metadata import version

from packaging.version import Version
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    sig = Signal(int)


def _delta(fn: object, n: int = 500) -> tuple[int, int, int]:
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(n):
        fn()  # type: ignore[operator]
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    return (after[0] - before[0], after[1] - before[1], after[2] - before[2])


def test_void_calls_and_emits_keep_reference_counts(qtbot: QtBot) -> None:
    assert QApplication.instance() is not None
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    void = _delta(lambda: label.setText("x"))
    emit = _delta(lambda: emitter.sig.emit(1))
    # immortal objects on 3.12+ report huge constant counts; a leak shows as about -n per call
    assert abs(void[0]) < 100, f"QLabel.setText leaks references to None: {void}"
    assert abs(emit[1]) < 100 and abs(emit[2]) < 100, f"Signal.emit leaks references to bools: {emit}"


def test_pinned_below_612_on_python_311() -> None:
    installed = Version(version("PySide6-Essentials"))
    if sys.version_info[:2] == (3, 11):
        assert installed < Version("6.12"), f"PySide6 {installed} aborts on Python 3.11; keep it below 6.12"
