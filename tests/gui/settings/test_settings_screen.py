"""The Pengaturan section driven with real widgets on the Prambanan database (today 24 November 2026)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import Program
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.common import mnemonic
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import audit, enrollment, officials, settings, tariffs
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import letterhead, register
from klaten_desktop.services.events import certificates
from tests.conftest import Shown
from tests.services.test_officials import fields


def _section(qtbot: QtBot, ctx: ServiceContext, tab: str) -> OfficeSettingsSection:
    section = OfficeSettingsSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    titles = [section.tabs.tabText(i).replace("&", "") for i in range(section.tabs.count())]
    assert titles == ["Kantor", "Surat", "Tarif iuran", "Sinkronisasi"]
    section.tabs.setCurrentIndex(titles.index(tab))
    section.refresh()
    return section


def test_number_format_example_and_issued_number(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Surat")
    tab = section.letters
    assert (tab.kode_unit.text(), tab.kode_unit.placeholderText()) == ("", "Kec.Prb")  # derived, not stored
    assert (tab.place.text(), tab.place.placeholderText()) == ("", "Prambanan")
    assert "400.10.3/017/Kec.Prb/2026" in tab.example.text()

    tab.format.clear()
    qtbot.keyClicks(tab.format, "{kode_klasifikasi}/{nomor:04d}/{kode_unit}/{bulan_romawi}/{tahun}")
    assert "400.10.3/0017/Kec.Prb/XI/2026" in tab.example.text()
    tab.klasifikasi["pengantar"].setText("400.10.2")
    assert "400.10.2/0017/Kec.Prb/XI/2026" in tab.example.text()
    qtbot.keyClick(tab.format, Qt.Key.Key_Return)
    assert shown.info == ["Pengaturan surat disimpan."]
    stored = letterhead.get(ctx)
    assert stored.format_nomor.endswith("{bulan_romawi}/{tahun}") and stored.klasifikasi == {"pengantar": "400.10.2"}

    taken = register.reserve(ctx, SYSTEM, "pengantar", note="Undangan rapat", on=dt.date(2026, 11, 24))
    assert [r.nomor for r in taken] == ["400.10.2/0001/Kec.Prb/XI/2026"]
    assert last_audited(ctx, "surat.kode_unit") == '{"value": null}'  # still derived from the kecamatan

    qtbot.keyClicks(tab.kode_unit, "Kec.Pbn")
    assert "400.10.2/0017/Kec.Pbn/XI/2026" in tab.example.text()
    section.save_action.trigger()
    assert letterhead.get(ctx).kode_unit == "Kec.Pbn" and tab.kode_unit.text() == "Kec.Pbn"


def last_audited(ctx: ServiceContext, key: str) -> object:
    rows = [a for a in audit.recent(ctx, limit=100) if a.entity_id == key]
    return rows[0].new_values if rows else None


def test_invalid_format_is_shown_inline_and_nothing_saved(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Surat")
    tab = section.letters
    tab.format.clear()
    qtbot.keyClicks(tab.format, "{kode_klasifikasi}/{urut}/{tahun}")
    assert tab.format_issue.isVisible()
    assert "urut" in tab.format_issue.text() and tab.example.text() == "Contoh: —"
    section.save_button.click()
    assert "tidak dikenal" in tab.format_issue.text()
    tab.klasifikasi["iuran"].setText("40x")
    tab.format.setText(letterhead.DEFAULT_FORMAT)
    section.save()
    assert "40x" in tab.klasifikasi_issue["iuran"].text() and tab.klasifikasi_issue["iuran"].isVisible()
    assert letterhead.get(ctx).format_nomor == letterhead.DEFAULT_FORMAT and letterhead.get(ctx).klasifikasi == {}
    assert shown.info == [] and shown.warn == []
    section.tabs.setCurrentIndex(3)
    section.tabs.setCurrentIndex(1)
    assert tab.klasifikasi["iuran"].text() == "40x"  # switching tabs keeps unsaved edits
    qtbot.keyClick(tab.kode_unit, Qt.Key.Key_Escape)  # Esc reverts them
    assert tab.klasifikasi["iuran"].text() == "" and not tab.klasifikasi_issue["iuran"].isVisible()


def test_logo_chosen_previewed_and_removed(qtbot: QtBot, ctx: ServiceContext, shown: Shown, tmp_path: Path) -> None:
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f5fbf"))
    logo = tmp_path / "logo.png"
    assert image.save(str(logo))
    section = _section(qtbot, ctx, "Surat")
    tab = section.letters
    assert tab.logo.text() == "Tanpa logo" and not tab.remove_logo.isEnabled()
    shown.open_paths.append(logo)
    tab.choose_logo.click()
    assert letterhead.get(ctx).logo is not None
    assert tab.logo.pixmap().width() == 88 and tab.remove_logo.isEnabled()
    tab.remove_logo.click()
    assert letterhead.get(ctx).logo is None and tab.logo.text() == "Tanpa logo"
    assert shown.info == ["Logo kop surat disimpan.", "Logo kop surat dihapus."]
    not_image = tmp_path / "logo.txt"
    not_image.write_text("bukan gambar", encoding="utf-8")
    shown.open_paths.append(not_image)
    tab.choose_logo.click()
    assert "PNG atau JPEG" in tab.logo_issue.text() and tab.logo_issue.isVisible()
    assert letterhead.get(ctx).logo is None and shown.warn == []


def test_add_fixed_tariff_make_it_default_and_enroll(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Tarif iuran")
    tab = section.tariffs
    assert tab.table.rowCount() == 3
    assert tab.table.item(0, 5).text() == "Rp 16.800" and tab.table.item(1, 5).text() == "Rp 11.623"
    assert tab.table.item(1, 4).text() == "31 Desember 2023"  # the fixed Klaten tariff ended with the UMK 2023
    assert tab.table.item(2, 5).text() == "— (UMK 2026 belum diisi)"
    assert tab.table.item(0, 6).text() == "bawaan · dipakai untuk pendaftaran baru"
    tab.table.selectRow(0)
    assert not tab.end_button.isEnabled()  # built-in tariffs are read-only

    tab.add_button.click()
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.code, "KLATEN-TETAP-2027")
    qtbot.keyClicks(dialog.name, "Iuran tetap RT/RW 2027")
    assert dialog.basis.currentData() == "tetap"
    assert "lebih dari Rp 0" in dialog.issue.text() and dialog.issue.isVisible()
    dialog.fixed.setValue(11_623)
    dialog.valid_from.set_value(dt.date(2027, 1, 1))
    assert "Rp 11.623" in dialog.preview.text() and not dialog.issue.isVisible()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter adds (the dialog's default button)
    assert not dialog.isVisible()
    assert shown.info[-1] == "Tarif KLATEN-TETAP-2027 ditambahkan, berlaku mulai 1 Januari 2027."
    assert tab.table.rowCount() == 4 and tab.table.item(3, 6).text() == "kantor"
    assert tab.table.item(3, 3).text() == "1 Januari 2027"

    tab.default_code.setCurrentIndex(tab.default_code.findData("KLATEN-TETAP-2027"))
    assert "baru berlaku mulai 1 Januari 2027" in tab.default_issue.text()
    qtbot.keyClick(tab.funding, Qt.Key.Key_Return)
    assert shown.info[-1] == "Tarif bawaan untuk pendaftaran baru disimpan."
    assert settings.get(ctx, "tarif.kode_default") == "KLATEN-TETAP-2027"
    assert tariffs.Defaults(ctx).amount(dt.date(2027, 2, 1)) == ("KLATEN-TETAP-2027", 11_623)
    assert tab.table.item(3, 6).text() == "kantor · dipakai untuk pendaftaran baru"

    official = officials.register(ctx, SYSTEM, fields())
    data = enrollment.register(ctx, SYSTEM, official.id, kpj="12345678901", start=dt.date(2027, 2, 1))
    assert data.monthly_amount == 11_623

    tab.table.selectRow(3)
    assert tab.end_button.isEnabled()
    tab.end_date.set_value(dt.date(2026, 12, 1))
    tab.end_button.click()
    assert "tidak boleh sebelum" in tab.end_issue.text() and tab.end_issue.isVisible()
    tab.end_date.set_value(dt.date(2027, 12, 31))
    tab.end_button.click()
    assert settings.get(ctx, "tarif.tambahan")[0]["valid_to"] == "2027-12-31"
    assert tab.table.item(3, 4).text() == "31 Desember 2027"


def test_new_tariff_checked_inline_and_duplicates_refused(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Tarif iuran")
    tab = section.tariffs
    dialog = tab.open_new_tariff()
    dialog.basis.setCurrentIndex(dialog.basis.findData("bpu"))
    assert not dialog.fixed.isVisible() and dialog.discount.isVisible()
    qtbot.keyClicks(dialog.code, "BPU-DISKON-2026")
    qtbot.keyClicks(dialog.name, "BPU diskon PP 50/2025")
    dialog.discount.setValue(50.0)
    assert "Rp 8.400" in dialog.preview.text()
    dialog.valid_to.set_value(dt.date(2026, 1, 1))
    assert "tanggal akhir berlaku tidak boleh sebelum" in dialog.issue.text()
    assert not dialog.submit() and settings.get(ctx, "tarif.tambahan") == []
    dialog.valid_to.set_value(dt.date(2027, 3, 31))
    assert dialog.submit()
    again = tab.open_new_tariff()
    again.basis.setCurrentIndex(again.basis.findData("bpu"))
    again.code.setText("BPU-DISKON-2026")
    again.name.setText("lagi")
    assert not again.submit() and "sudah ada" in again.issue.text() and again.isVisible()
    qtbot.keyClick(again.name, Qt.Key.Key_Escape)
    assert not again.isVisible()
    assert [t["code"] for t in settings.get(ctx, "tarif.tambahan")] == ["BPU-DISKON-2026"]
    assert tab.table.item(3, 5).text() == "Rp 8.400"

    tab.programs[Program.JHT].setChecked(True)
    section.save()
    assert settings.get(ctx, "tarif.program_default") == "JKK,JKM,JHT"
    assert tab.table.item(0, 5).text() == "Rp 36.800"
    tab.programs[Program.JHT].setChecked(False)
    section.reset_action.trigger()  # reverts to the saved defaults
    assert tab.programs[Program.JHT].isChecked() and not tab.programs[Program.JKK].isEnabled()


def test_reminder_period_saved(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Sinkronisasi")
    tab = section.sync
    assert tab.days.value() == 30
    tab.days.lineEdit().selectAll()
    qtbot.keyClicks(tab.days, "45")
    qtbot.keyClick(tab.days, Qt.Key.Key_Return)
    assert settings.get(ctx, "ekspor.pengingat_hari") == 45
    assert shown.info == ["Pengingat ekspor disimpan: setiap 45 hari."]


def test_mnemonics_distinct_and_clear_of_menus(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Kantor")
    tabs = {section.tabs.tabText(i) for i in range(section.tabs.count())}
    shared = [*tabs, section.save_button.text(), section.reset_button.text()]
    for index in range(section.tabs.count()):
        section.tabs.setCurrentIndex(index)
        page = section.tabs.widget(index)
        assert isinstance(page, QWidget)
        texts = [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None and w.text()]
        texts += [w.text() for w in page.findChildren(QAbstractButton) if w.isEnabled() and w.text()]
        letters = [mnemonic(t) for t in [*shared, *texts]]
        missing = [t for t, m in zip([*shared, *texts], letters, strict=True) if m is None]
        assert missing == []
        chosen = [m for m in letters if m is not None]
        assert len(chosen) == len(set(chosen)), chosen
        assert not set(chosen) & set("btd")


def test_new_tariff_dialog_mnemonics(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Tarif iuran")
    dialog = section.tariffs.open_new_tariff()
    for basis in ("bpu", "tetap", "umk"):
        dialog.basis.setCurrentIndex(dialog.basis.findData(basis))
        texts = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is not None and w.isVisibleTo(dialog)]
        texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
        letters = [mnemonic(t) for t in texts if t]
        assert len(letters) >= 8 and None not in letters and len(letters) == len(set(letters)), texts
    dialog.reject()


def test_certificate_code_typed_from_its_mnemonic(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _section(qtbot, ctx, "Surat")
    tab = section.letters
    section.activateWindow()
    tab.format.setFocus()
    qtbot.waitUntil(tab.format.hasFocus)
    label = next(w for w in tab.findChildren(QLabel) if w.buddy() is tab.klasifikasi["sertifikat"])
    assert label.text().replace("&", "") == "Sertifikat acara"
    letter = mnemonic(label.text())
    assert letter is not None
    qtbot.keyClick(tab.format, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(tab.klasifikasi["sertifikat"].hasFocus)
    qtbot.keyClicks(tab.klasifikasi["sertifikat"], "400.10.3.2")
    qtbot.keyClick(tab.klasifikasi["sertifikat"], Qt.Key.Key_Return)
    assert shown.info == ["Pengaturan surat disimpan."]
    stored = letterhead.get(ctx)
    assert stored.klasifikasi == {"sertifikat": "400.10.3.2"}
    assert certificates.numbering(stored, dt.date(2026, 11, 24)).format(5) == "400.10.3.2/005/Kec.Prb/2026"
    assert register.letter_numbering(stored, "pengantar", dt.date(2026, 11, 24)).format(5).startswith("400.10.3/")

    qtbot.keyClick(tab.klasifikasi["sertifikat"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.klasifikasi["sertifikat"], "4x")
    qtbot.keyClick(tab.klasifikasi["sertifikat"], Qt.Key.Key_Return)
    issue = tab.klasifikasi_issue["sertifikat"]
    assert "4x" in issue.text() and issue.isVisible() and tab.klasifikasi["sertifikat"].hasFocus()
    assert letterhead.get(ctx).klasifikasi == {"sertifikat": "400.10.3.2"}
