"""The "Surat & Sertifikat" screen driven through its widgets on a real database; PDFs read back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.gui.letters import LettersSection, register_dialogs
from klaten_desktop.gui.letters.register_dialogs import Reservation, VoidDialog
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, register
from klaten_desktop.services.letters import issue, templates
from tests.gui.letters.conftest import SENGON, Shown, pdf_text

ISSUE_TIMEOUT_MS = 60_000


def _desa_with_unsubmitted(ctx: ServiceContext) -> str:
    counts: dict[str, int] = {}
    for s in issue.subjects(ctx):
        if s.enrollment_id is None:
            counts[s.desa_kode] = counts.get(s.desa_kode, 0) + 1
    return max(counts, key=lambda k: counts[k])


def _section(qtbot: QtBot, ctx: ServiceContext) -> LettersSection:
    section = LettersSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    qtbot.waitExposed(section)
    return section


def _issue_pengantar(qtbot: QtBot, section: LettersSection, desa: str, out: Path, shown: Shown) -> None:
    compose = section.compose
    compose.kind.setCurrentIndex(compose.kind.findData("pengantar"))
    compose.desa.setCurrentIndex(compose.desa.findData(desa))
    shown.save_paths.append(out)
    qtbot.mouseClick(compose.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: compose.last_result is not None or bool(shown.warn or shown.error), timeout=ISSUE_TIMEOUT_MS
    )


def test_issue_pengantar_through_the_screen(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = letters_ctx
    desa = _desa_with_unsubmitted(ctx)
    section = _section(qtbot, ctx)
    compose = section.compose
    compose.kind.setCurrentIndex(compose.kind.findData("pengantar"))
    compose.desa.setCurrentIndex(compose.desa.findData(desa))
    expected = [s for s in issue.subjects(ctx, desa_kode=desa) if s.enrollment_id is None]
    assert sorted(compose.model.checked_ids()) == sorted(s.id for s in expected)
    assert compose.model.rowCount() >= len(expected)

    out = tmp_path / "pengantar.pdf"
    _issue_pengantar(qtbot, section, desa, out, shown)

    assert not shown.warn and not shown.error and not shown.crash
    result = compose.last_result
    assert result is not None and len(result.documents) == 1
    nomor = result.documents[0].nomor
    assert re.fullmatch(r"400\.10\.3/001/Kec\.Prb/2026", nomor)
    text = " ".join(pdf_text(out))
    assert nomor in text
    assert "24 November 2026" in text
    for s in expected:
        assert s.nama in text
    assert shown.info and nomor in shown.info[-1]
    statuses = {r.id: r.status for r in officials.list_rows(ctx)}
    assert {statuses[s.id] for s in expected} == {"diajukan"}
    # nobody left to submit in that desa: nothing is checked and the button is off
    assert compose.model.checked_ids() == []
    assert not compose.issue_button.isEnabled()


def test_unticked_officials_are_left_out(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = letters_ctx
    desa = _desa_with_unsubmitted(ctx)
    section = _section(qtbot, ctx)
    compose = section.compose
    compose.kind.setCurrentIndex(compose.kind.findData("pengantar"))
    compose.desa.setCurrentIndex(compose.desa.findData(desa))
    model = compose.model
    row = next(r for r in range(model.rowCount()) if model.flags(model.index(r, 0)) & Qt.ItemFlag.ItemIsUserCheckable)
    left_out = model.subject_at(row)
    assert left_out.enrollment_id is None
    assert model.setData(model.index(row, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    # an official already submitted cannot be ticked
    blocked = [r for r in range(model.rowCount()) if model.subject_at(r).enrollment_id is not None]
    for r in blocked:
        assert not model.setData(model.index(r, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert left_out.id not in compose.model.checked_ids()
    out = tmp_path / "sebagian.pdf"
    shown.save_paths.append(out)
    qtbot.mouseClick(compose.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compose.last_result is not None, timeout=ISSUE_TIMEOUT_MS)
    assert left_out.nama not in " ".join(pdf_text(out))
    assert {r.id: r.status for r in officials.list_rows(ctx)}[left_out.id] == "belum_terdaftar"


@pytest.mark.log_warnings_expected  # the worker logs the EnvironmentProblem as one WARNING line
def test_pdf_open_in_a_viewer_gives_a_clear_message(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = letters_ctx
    out = tmp_path / "terbuka.pdf"
    real_replace = Path.replace

    def locked(self: Path, target: str | Path) -> Path:
        if Path(target) == out:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    section = _section(qtbot, ctx)
    _issue_pengantar(qtbot, section, _desa_with_unsubmitted(ctx), out, shown)
    assert section.compose.last_result is None
    # the rename comes after the commit: the letter is recorded, the message says so and points to the archive
    assert shown.error and "terbuka.pdf" in shown.error[0] and "sudah tercatat di register" in shown.error[0]
    assert "dicetak ulang dari arsip" in shown.error[0]
    assert not shown.crash
    issued = archive.documents(ctx)
    assert issued and {e.nomor for e in register.entries(ctx)} == {d.nomor for d in issued}


def test_archive_lists_the_letter_and_reprints_it(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = letters_ctx
    section = _section(qtbot, ctx)
    _issue_pengantar(qtbot, section, _desa_with_unsubmitted(ctx), tmp_path / "asli.pdf", shown)
    nomor = section.compose.last_result.documents[0].nomor  # type: ignore[union-attr]
    archive = section.archive
    section.tabs.setCurrentWidget(archive)
    qtbot.waitUntil(lambda: archive.model.rowCount() == 1, timeout=ISSUE_TIMEOUT_MS)  # loaded off the GUI thread
    assert archive.model.index(0, 0).data() == nomor
    assert archive.model.index(0, 1).data() == "24 November 2026"
    assert archive.model.index(0, 2).data() == "Surat Pengantar Pendaftaran"
    assert archive.model.index(0, 4).data() == "1×"
    qtbot.keyClicks(archive.search, "tidak-ada")
    assert archive.model.rowCount() == 0
    archive.search.clear()
    archive.table.selectRow(0)
    out = tmp_path / "cetak-ulang.pdf"
    shown.save_paths.append(out)
    qtbot.mouseClick(archive.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown.opened or shown.warn or shown.error), timeout=ISSUE_TIMEOUT_MS)
    assert shown.opened == [out]
    text = " ".join(pdf_text(out))
    assert "Cetakan ke-2" in text and nomor in text
    qtbot.waitUntil(lambda: archive.model.index(0, 4).data() == "2×", timeout=ISSUE_TIMEOUT_MS)


def test_register_reserve_void_and_gaps(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = letters_ctx
    section = _section(qtbot, ctx)
    tab = section.register
    section.tabs.setCurrentWidget(tab)
    monkeypatch.setattr(
        register_dialogs,
        "ask_reservation",
        lambda _p, kinds: Reservation("pengantar", 2, "Undangan rapat, dibuat manual"),
    )
    qtbot.mouseClick(tab.reserve_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 2
    assert [tab.model.index(r, 4).data() for r in range(2)] == ["Dicadangkan", "Dicadangkan"]
    nomors = sorted(tab.model.index(r, 0).data() for r in range(2))
    assert nomors == ["400.10.3/001/Kec.Prb/2026", "400.10.3/002/Kec.Prb/2026"]
    assert "belum dipakai atau dibatalkan (2)" in tab.gaps.toPlainText()

    row = next(r for r in range(2) if tab.model.index(r, 0).data() == nomors[0])
    tab.table.selectRow(row)
    monkeypatch.setattr(register_dialogs, "ask_void_reason", lambda _p, _n: "salah ketik tujuan")
    qtbot.mouseClick(tab.void_button, Qt.MouseButton.LeftButton)
    states = {
        tab.model.index(r, 0).data(): (tab.model.index(r, 4).data(), tab.model.index(r, 6).data()) for r in range(2)
    }
    assert states[nomors[0]][0] == "Dibatalkan" and "salah ketik tujuan" in states[nomors[0]][1]
    assert states[nomors[1]][0] == "Dicadangkan"
    gaps = tab.gaps.toPlainText()
    assert "belum dipakai atau dibatalkan (1)" in gaps and nomors[1] in gaps and nomors[0] not in gaps
    assert not shown.warn


def test_void_dialog_requires_a_reason(qtbot: QtBot) -> None:
    dialog = VoidDialog("400.10.3/005/Kec.Prb/2026")
    qtbot.addWidget(dialog)
    dialog.ok_button.click()
    assert dialog.result() == 0 and "wajib" in dialog.error_text()
    dialog.reason.setText("rangkap")
    dialog.ok_button.click()
    assert dialog.result() == 1 and dialog.value() == "rangkap"


def test_template_editor_refuses_misspelt_placeholder_and_saves_a_version(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown
) -> None:
    ctx = letters_ctx
    section = _section(qtbot, ctx)
    tab = section.templates
    section.tabs.setCurrentWidget(tab)
    kinds = [tab.kinds.item(i).data(Qt.ItemDataRole.UserRole) for i in range(tab.kinds.count())]
    tab.kinds.setCurrentRow(kinds.index("keterangan"))
    body = tab.editors["body"]
    assert not tab.save_button.isEnabled()  # nothing changed yet
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " Dicatat atas nama {{nmaa}}.")
    assert "maksud Anda {{nama}}?" in tab.problems.text()
    assert not tab.save_button.isEnabled()
    assert not tab.preview_button.isEnabled()

    body.setPlainText(body.toPlainText().replace("{{nmaa}}.", ""))
    body.moveCursor(body.textCursor().MoveOperation.End)
    body.setFocus()
    placeholders = [tab.placeholders.item(i) for i in range(tab.placeholders.count())]
    tab._on_placeholder_clicked(next(p for p in placeholders if p.text().startswith("{{nama}} ")))
    qtbot.keyClicks(body, ".")
    assert body.toPlainText().endswith("Dicatat atas nama {{nama}}.")
    assert "Templat benar" in tab.problems.text()
    assert tab.save_button.isEnabled()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    saved = templates.get(ctx, "keterangan")
    assert saved.version == 1 and "Dicatat atas nama" in saved.body
    assert tab.versions.count() == 2 and tab.versions.item(0).text().startswith("Versi 1")
    assert shown.info[-1] == "Templat Surat Keterangan Kepesertaan disimpan sebagai versi 1."

    # restore the built-in text (version 0) as version 2
    tab.versions.setCurrentRow(1)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    restored = templates.get(ctx, "keterangan")
    assert restored.version == 2 and "Dicatat atas nama" not in restored.body


def test_template_export_and_import(qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path) -> None:
    ctx = letters_ctx
    section = _section(qtbot, ctx)
    tab = section.templates
    path = tmp_path / "templat.json"
    shown.save_paths.append(path)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert path.exists() and shown.info[-1] == f"3 templat diekspor ke {path}."
    data = path.read_text(encoding="utf-8").replace("Dengan hormat,", "Dengan hormat kami,", 1)
    path.write_text(data, encoding="utf-8")
    shown.open_paths.append(path)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert shown.info[-1] == "1 templat diperbarui sebagai versi baru, 2 tidak berubah."
    assert templates.get(ctx, "pengantar").body.startswith("Dengan hormat kami,")


def test_verification_shows_full_content_or_the_reason(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ctx = letters_ctx
    desa = _desa_with_unsubmitted(ctx)
    people = [s for s in issue.subjects(ctx, desa_kode=desa) if s.enrollment_id is None]
    result = issue.pengantar(ctx, SYSTEM, out=tmp_path / "p.pdf", desa_kode=desa)
    doc = result.documents[0]
    section = _section(qtbot, ctx)
    tab = section.verify
    section.tabs.setCurrentWidget(tab)

    qtbot.keyClicks(tab.code, doc.kode_verifikasi.lower().replace("-", " "))
    qtbot.keyClick(tab.code, Qt.Key.Key_Return)
    assert tab.result is not None and tab.result.ok
    assert "SAH" in tab.banner.text() and "TIDAK" not in tab.banner.text()
    details = tab.details.toPlainText()
    assert doc.nomor in details and "24 November 2026" in details and "Surat Pengantar Pendaftaran" in details
    assert people[0].nama in details
    assert people[0].nik not in details and people[0].nik[:6] + "******" + people[0].nik[-4:] in details
    assert people[0].tanggal_lahir is not None and format_date(people[0].tanggal_lahir) not in details

    tab.code.clear()
    qtbot.keyClicks(tab.code, "ZZZZ-ZZZZ-ZZ")
    qtbot.keyClick(tab.code, Qt.Key.Key_Return)
    assert tab.result is not None and not tab.result.ok
    assert "TIDAK SAH" in tab.banner.text() and "tidak terdaftar dalam arsip" in tab.banner.text()

    register.void(ctx, SYSTEM, doc.nomor, reason="salah alamat")
    tab.code.clear()
    qtbot.keyClicks(tab.code, doc.kode_verifikasi)
    qtbot.keyClick(tab.code, Qt.Key.Key_Return)
    assert "TIDAK SAH" in tab.banner.text() and "dibatalkan" in tab.banner.text()
    assert doc.nomor in tab.details.toPlainText()  # still shows what the letter was


def test_iuran_for_a_period_through_the_screen(
    qtbot: QtBot, letters_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    from klaten_desktop.domain.months import YearMonth

    ctx = letters_ctx
    funded = [
        s for s in issue.subjects(ctx) if s.nomor_kpj and s.registered_on and s.funding_source in ("ADD", "APBDes")
    ]
    desa = funded[0].desa_kode
    section = _section(qtbot, ctx)
    compose = section.compose
    compose.kind.setCurrentIndex(compose.kind.findData("iuran"))
    assert compose._period_widget.isVisible()
    compose.desa.setCurrentIndex(compose.desa.findData(desa))
    compose.period_from.set_value(YearMonth(2027, 1))
    compose.period_to.set_value(YearMonth(2027, 3))
    assert compose.period() == (YearMonth(2027, 1), YearMonth(2027, 3))
    out = tmp_path / "iuran.pdf"
    shown.save_paths.append(out)
    qtbot.mouseClick(compose.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compose.last_result is not None or bool(shown.warn), timeout=ISSUE_TIMEOUT_MS)
    assert not shown.warn
    text = " ".join(pdf_text(out))
    assert "Januari–Maret 2027" in text and "rupiah" in text
    assert funded[0].nama in text


def test_regency_chooses_kecamatan_then_desa(qtbot: QtBot, make_ctx: Any, shown: Shown) -> None:
    ctx = make_ctx("kabupaten")
    section = _section(qtbot, ctx)
    compose = section.compose
    assert compose.kecamatan.isVisible() and compose.kecamatan.count() == 26
    compose.kecamatan.setCurrentIndex(compose.kecamatan.findText("Kecamatan Prambanan"))
    assert compose.desa.findData(SENGON) >= 0
    assert all(str(compose.desa.itemData(i)).startswith("33.10.01.") for i in range(compose.desa.count()))
