"""The official form's optional fields (email, nama ibu kandung) typed with the keyboard only: Tab from the
dialog's initial focus, a bad email refused with a message at its field, Enter saves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.session import desktop_actor, office_desa
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext

NIK = "3310014506820003"  # 5 Juni 1982, perempuan (synthetic)
SENGON = "33.10.01.2001"


def _tab_to(qtbot: QtBot, target: QWidget, typed: dict[QWidget, str], limit: int = 40) -> list[QWidget]:
    """Press Tab until ``target`` has the focus, typing ``typed[w]`` into each field ``w`` on the way."""
    seen: list[QWidget] = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        assert focus is not None
        if focus is target or target.isAncestorOf(focus):
            return seen
        seen.append(focus)
        if focus in typed:
            qtbot.keyClicks(focus, typed.pop(focus))
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    raise AssertionError(f"{target.objectName()} not reached with Tab; went through {[w.objectName() for w in seen]}")


def test_email_and_mothers_name_typed_from_the_initial_focus(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    ctx = empty_office_ctx
    dialog = OfficialDialog(ctx, desktop_actor(), office_desa(ctx))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    ui = dialog.ui
    qtbot.waitUntil(ui.nik.hasFocus)  # the first field
    qtbot.keyClicks(ui.nik, NIK)
    seen = _tab_to(qtbot, ui.email, {ui.nama: "Sri Lestari", ui.tempatLahir: "Klaten", ui.telepon: "081234567890"})
    assert seen.index(ui.nama) < seen.index(ui.telepon)  # reading order

    qtbot.keyClicks(ui.email, "sri.lestari@")
    qtbot.keyClick(ui.email, Qt.Key.Key_Tab)
    assert ui.namaIbuKandung.hasFocus()
    qtbot.keyClicks(ui.namaIbuKandung, "Sumarni")
    qtbot.waitUntil(lambda: "email" in dialog.issue_text("email").lower(), timeout=3000)
    issue = ui.emailIssue
    assert "tidak valid" in issue.text() and issue.isVisible()
    # the message sits right under its field, above the next one
    assert ui.email.geometry().bottom() <= issue.geometry().top() < ui.namaIbuKandung.geometry().top()

    # the post, then Enter from the last field typed: refused for the email, the focus goes back to it
    qtbot.keyClick(ui.namaIbuKandung, Qt.Key.Key_Tab)
    assert ui.desa.hasFocus()
    qtbot.keyClicks(ui.desa, "sengon")
    assert ui.desa.currentData() == SENGON
    _tab_to(qtbot, ui.jabatan, {ui.rw: "2", ui.rt: "3"})
    qtbot.keyClicks(ui.jabatan, "Ketua RT")
    assert ui.jabatan.currentData() == "ketua_rt"
    qtbot.keyClick(ui.jabatan, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_detail is None
    assert ui.email.hasFocus()
    assert officials.find_by_nik(ctx, NIK) == []

    qtbot.keyClicks(ui.email, "contoh.id")  # sri.lestari@contoh.id
    qtbot.keyClick(ui.email, Qt.Key.Key_Return)
    assert dialog.result_detail is not None
    saved = officials.get(ctx, dialog.result_detail.id)
    assert (saved.nama, saved.email, saved.nama_ibu_kandung) == ("Sri Lestari", "sri.lestari@contoh.id", "Sumarni")
    assert (saved.telepon, saved.rw, saved.rt, saved.desa_kode) == ("081234567890", 2, 3, SENGON)
