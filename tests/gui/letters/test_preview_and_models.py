"""The preview dialog (pages as images via pypdfium2), printing, the table models, keyboard mnemonics."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.letters import LettersSection, pdf_pages
from klaten_desktop.gui.letters.preview import PdfPreviewDialog
from klaten_desktop.gui.letters.subjects_model import SubjectsTableModel
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.letters import issue
from tests.conftest import TEST_ADMIN
from tests.gui.letters.conftest import Shown, pdf_text


def _all_pengantar(ctx: ServiceContext, out: Path) -> int:
    """Every desa's pengantar in one PDF; returns its page count."""
    return issue.pengantar(ctx, SYSTEM, out=out).pages


def test_preview_dialog_renders_every_page(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    out = tmp_path / "semua.pdf"
    pages = _all_pengantar(letters_ctx, out)
    assert pages == len(pdf_text(out)) and pages > 2
    dialog = PdfPreviewDialog(out.read_bytes(), out.name, path=out)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.total_pages > 0, timeout=30_000)
    labels = dialog.page_labels()
    assert dialog.total_pages == pages and len(labels) == pages
    assert dialog.pages_label.text() == f"{pages} halaman"
    width = labels[0].pixmap().width()
    assert 780 <= width <= 830  # A4 at 96 dpi
    dialog.zoom.setCurrentIndex(dialog.zoom.findText("50%"))
    qtbot.waitUntil(lambda: len(dialog.page_labels()) == pages and dialog.page_labels()[0].pixmap().width() < width)
    assert abs(dialog.page_labels()[0].pixmap().width() - width / 2) <= 1
    dialog.open_button.click()
    assert shown.opened == [out]


def test_preview_of_unsaved_pdf_opens_a_temporary_copy(qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown) -> None:
    from klaten_desktop.services.letters import templates

    pdf = issue.preview_pdf(letters_ctx, templates.get(letters_ctx, "iuran"))
    dialog = PdfPreviewDialog(pdf, "contoh")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.total_pages > 0, timeout=30_000)
    dialog.open_button.click()
    assert len(shown.opened) == 1 and shown.opened[0].read_bytes() == pdf
    assert "CONTOH" in " ".join(pdf_text(pdf))


def test_print_draws_every_page(qtbot: QtBot, letters_ctx: ServiceContext, tmp_path: Path) -> None:
    out = tmp_path / "semua.pdf"
    pages = _all_pengantar(letters_ctx, out)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "dicetak.pdf"
    printer.setOutputFileName(str(printed))
    assert pdf_pages.print_pdf(out.read_bytes(), printer) == pages
    assert len(pdf_text(printed)) == pages


def test_models_pass_modeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = letters_ctx
    _all_pengantar(ctx, tmp_path / "semua.pdf")
    register.reserve(ctx, SYSTEM, "iuran", count=2, note="manual")
    model = SubjectsTableModel()
    model.set_rows("keterangan", issue.subjects(ctx))
    qtmodeltester.check(model, force_py=True)
    section = LettersSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    qtbot.waitUntil(lambda: section.archive.model.rowCount() > 0)  # the archive loads off the GUI thread
    assert section.register.model.rowCount() > 2
    qtmodeltester.check(section.archive.model, force_py=True)
    qtmodeltester.check(section.register.model, force_py=True)


def test_every_button_and_tab_has_a_free_mnemonic(qtbot: QtBot, letters_ctx: ServiceContext) -> None:
    section = LettersSection(GuiSession.start(letters_ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    tab_keys = []
    for i in range(section.tabs.count()):
        text = section.tabs.tabText(i)
        assert "&" in text, text
        tab_keys.append(text[text.index("&") + 1].lower())
    assert len(set(tab_keys)) == len(tab_keys)
    for i in range(section.tabs.count()):
        page = section.tabs.widget(i)
        keys = []
        for button in page.findChildren(QPushButton):
            text = button.text().replace("&&", "")
            assert "&" in text, f"{text!r} has no mnemonic"
            keys.append(text[text.index("&") + 1].lower())
        assert not set(keys) & {"b", "t", "d"}, keys  # used by the main window's menus
        assert not set(keys) & set(tab_keys), keys
        assert len(set(keys)) == len(keys), keys


def test_preview_dialog_mnemonics_are_distinct(qtbot: QtBot, letters_ctx: ServiceContext, tmp_path: Path) -> None:
    out = tmp_path / "semua.pdf"
    _all_pengantar(letters_ctx, out)
    dialog = PdfPreviewDialog(out.read_bytes(), out.name)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.total_pages > 0, timeout=30_000)
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    texts = [b.text() for b in dialog.findChildren(QPushButton, options=direct)] + ["Pe&rbesaran"]
    assert len(texts) == 4
    keys = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(keys)) == len(keys), texts
