"""A cancel is told in one place: the task shows the message of the work's ``Cancelled``, never a failure."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.runtime.work import CancelCheck, Cancelled, Progress, check
from tests.conftest import Shown


def _slot(qtbot: QtBot) -> TaskSlot:
    owner = QWidget()
    qtbot.addWidget(owner)
    return TaskSlot(owner)


def _running(slot: TaskSlot, *, finish_anyway: bool = False) -> list[object]:
    started, done = threading.Event(), list[object]()

    def work(_progress: Progress, cancelled: CancelCheck) -> str:
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        if not finish_anyway:
            check(cancelled, "Ekspor dibatalkan; berkas tidak dibuat.")
        return "selesai"

    assert slot.run("Menunggu…", work, on_done=done.append)
    assert started.wait(10)
    return done


@pytest.mark.parametrize("quiet", [False, True])
def test_a_cancel_shows_its_message_once_unless_the_screen_stopped_it(
    qtbot: QtBot, shown: Shown, caplog: pytest.LogCaptureFixture, quiet: bool
) -> None:
    slot = _slot(qtbot)
    done = _running(slot)
    with caplog.at_level(logging.DEBUG):
        assert slot.cancel(quiet=quiet)
        qtbot.waitUntil(lambda: not slot.busy, timeout=10_000)
        tasks.wait_all()
    assert done == [] and shown.warn == [] and shown.error == [] and shown.crash == []
    assert shown.info == ([] if quiet else ["Ekspor dibatalkan; berkas tidak dibuat."])
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # a cancel is never logged as a failure


def test_work_that_ends_after_a_cancel_is_dropped_quietly(qtbot: QtBot, shown: Shown) -> None:
    slot = _slot(qtbot)
    done = _running(slot, finish_anyway=True)
    assert slot.cancel()
    qtbot.waitUntil(lambda: not slot.busy, timeout=10_000)
    tasks.wait_all()
    assert done == [] and shown.info == [] and shown.warn == []


def test_cancelled_is_not_shown_as_a_failure(qtbot: QtBot, shown: Shown) -> None:
    """Work that stops by itself with ``Cancelled`` (nobody pressed Batal) still tells its message."""
    slot = _slot(qtbot)

    def work(_progress: Progress, _cancelled: CancelCheck) -> None:
        raise Cancelled("Impor paket dibatalkan; tidak ada data yang berubah.")

    assert slot.run("Sebentar…", work)
    qtbot.waitUntil(lambda: not slot.busy, timeout=10_000)
    tasks.wait_all()
    assert shown.info == ["Impor paket dibatalkan; tidak ada data yang berubah."]
    assert shown.warn == [] and shown.crash == []
