"""The Pengaturan tabs at 1366x768 with data, offscreen. Written under tmp_path; with KLATEN_SCREENSHOTS=FOLDER
also into that folder (resources/help/screenshots) for the documentation. The test checks that each screen rendered."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.tariffs import Tariff, TariffBasis
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import demo, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import letterhead
from tests.conftest import Shown


def _save(qtbot: QtBot, widget: QWidget, tmp_path: Path, name: str, size: tuple[int, int] = (1366, 768)) -> QImage:
    widget.resize(*size)
    qtbot.wait(50)  # let pending layout requests run
    image = widget.grab().toImage()
    assert (image.width(), image.height()) == size
    assert image.save(str(tmp_path / name))
    folder = os.environ.get("KLATEN_SCREENSHOTS")
    if folder:
        assert image.save(str(Path(folder) / name))
    return image


def _logo(path: Path) -> Path:
    image = QImage(160, 160, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setBrush(QColor("#1b7a3d"))
    painter.drawEllipse(8, 8, 144, 144)
    painter.setBrush(QColor("#f2b233"))
    painter.drawRect(56, 40, 48, 80)
    painter.end()
    assert image.save(str(path))
    return path


def test_screenshots(qtbot: QtBot, ctx: ServiceContext, shown: Shown, tmp_path: Path) -> None:
    demo.populate(ctx, SYSTEM, 80)
    letterhead.update(ctx, SYSTEM, klasifikasi={"keterangan": "400.10.2"}, kertas="F4")
    letterhead.set_logo(ctx, SYSTEM, _logo(tmp_path / "logo.png"))
    tariff_settings.add_tariff(
        ctx,
        SYSTEM,
        Tariff(
            "BPU-DISKON-2026",
            "BPU dengan potongan 50% JKK+JKM (PP 50/2025)",
            TariffBasis.BPU,
            dt.date(2026, 1, 1),
            dt.date(2027, 3, 31),
            discount_bps=5000,
        ),
    )
    section = OfficeSettingsSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.refresh()
    names = ["pengaturan-kantor.png", "pengaturan-surat.png", "pengaturan-tarif.png", "pengaturan-sinkronisasi.png"]
    for index, name in enumerate(names):
        section.tabs.setCurrentIndex(index)
        image = _save(qtbot, section, tmp_path, name)
        assert image.pixelColor(5, 5).isValid()
    assert section.tariffs.table.rowCount() == 4
    section.tabs.setCurrentIndex(2)
    dialog = section.tariffs.open_new_tariff()
    dialog.code.setText("KLATEN-TETAP-2027")
    dialog.name.setText("Iuran tetap RT/RW 2027")
    dialog.fixed.setValue(11_623)
    _save(qtbot, dialog, tmp_path, "pengaturan-tarif-baru.png", (600, 330))
    assert "Rp 11.623" in dialog.preview.text()
    dialog.reject()
