"""Submitting and the surat pengantar are one path (keyboard only): "Ajukan" and "Ajukan satu desa" offer the
pengantar for exactly the officials just submitted; declining leaves them for a pengantar later."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.gui.enrollment.dialogs import SubmitDesaDialog
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.letters import issue
from tests.conftest import Shown
from tests.gui.conftest import Modal
from tests.gui.enrollment.test_kpj_numbers import open_section

CTRL = Qt.KeyboardModifier.ControlModifier


def unsubmitted_heads(ctx: ServiceContext) -> list[officials.OfficialRow]:
    return [r for r in officials.list_rows(ctx) if r.status == "belum_terdaftar" and r.jabatan in HEAD_POSTS]


def test_ajukan_offers_the_pengantar_for_that_official(
    qtbot: QtBot, gui_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = gui_ctx
    target = unsubmitted_heads(ctx)[0]
    out = tmp_path / "pengantar.pdf"
    shown.save_paths.append(out)
    section = open_section(qtbot, ctx)
    assert section.browser.select_id(target.id)
    section.browser.table.setFocus()
    qtbot.keyClick(section.browser.table, Qt.Key.Key_J, CTRL)  # A&jukan
    assert "1 pengurus ditandai diajukan" in shown.confirm[-1]
    qtbot.waitUntil(lambda: bool(shown.info), timeout=20_000)
    assert shown.info[-1].startswith("1 surat diterbitkan") and out.exists()
    (subject,) = issue.subjects(ctx, official_ids=[target.id])
    assert subject.submitted_on == ctx.today() and subject.pengantar_on == ctx.today()
    assert not subject.needs_pengantar()


def test_ajukan_satu_desa_then_later(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: Shown, tmp_path: Path
) -> None:
    ctx = gui_ctx
    heads = unsubmitted_heads(ctx)
    desa = heads[0].desa_kode
    expected = {r.id for r in heads if r.desa_kode == desa}
    shown.confirm_answers.append(False)  # "Nanti saja"
    section = open_section(qtbot, ctx)
    section.browser.desa.setCurrentIndex(section.browser.desa.findData(desa))
    section.browser.table.setFocus()

    def submit(dialog: QWidget) -> None:
        assert isinstance(dialog, SubmitDesaDialog) and dialog.desa.currentData() == desa
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    failures = modal(submit)
    qtbot.keyClick(section.browser.table, Qt.Key.Key_J, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not failures, failures
    assert shown.confirm and f"{len(expected)} pengurus ditandai diajukan" in shown.confirm[-1]
    assert not shown.info
    # declined: they wait for a pengantar, which lists exactly them (with nobody submitted before)
    waiting = {s.id for s in issue.subjects(ctx, desa_kode=desa) if s.needs_pengantar() and s.jabatan in HEAD_POSTS}
    assert expected <= waiting
    result = issue.pengantar(ctx, SYSTEM, desa_kode=desa, out=tmp_path / "nanti.pdf")
    assert result.documents[0].subjects == len(waiting) and result.submitted == 0
