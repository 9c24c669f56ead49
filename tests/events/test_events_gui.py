"""The Sosialisasi section driven with qtbot on the real database; dialogs replaced, PDFs read back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.events import EventsSection
from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import events
from klaten_desktop.services.context import SYSTEM
from tests.conftest import SENGON, TEST_ADMIN, Shown
from tests.events.conftest import EVENT_TITLE, EventSetup, pdf_pages


@pytest.fixture
def shown(shown: Shown) -> Iterator[Shown]:
    """The shared recorder; background work is waited for at teardown."""
    yield shown
    tasks.wait_all()


def _select_rows(view: object, rows: list[int]) -> None:
    from PySide6.QtWidgets import QTableView

    assert isinstance(view, QTableView)
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_invite_tick_guest_and_print_certificates(qtbot: QtBot, ev: EventSetup, shown: Shown, tmp_path: Path) -> None:
    section = EventsSection(GuiSession.start(ev.ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    assert section.events_model.rowCount() == 1
    _select_rows(section.events_view, [0])
    assert section.form.title.text() == EVENT_TITLE and "9 Desember 2026" in section.heading.text()

    section.desa_filter.setCurrentIndex(section.desa_filter.findData(SENGON))
    in_sengon = section.candidates_model.rows()
    assert in_sengon and all(c.desa_kode == SENGON for c in in_sengon)
    _select_rows(section.candidates_view, [0, 1])
    qtbot.mouseClick(section.invite_selected, Qt.MouseButton.LeftButton)
    listed = events.participants(ev.ctx, ev.event.id)
    assert {p.official_id for p in listed} == {in_sengon[0].id, in_sengon[1].id}
    assert section.participants_model.rowCount() == 2
    assert in_sengon[0].id not in {c.id for c in section.candidates_model.rows()}

    _select_rows(section.participants_view, [0])
    qtbot.mouseClick(section.mark_present, Qt.MouseButton.LeftButton)
    assert section.participants_model.row_at(0).hadir_label == "Hadir"
    assert section.participants_count.text() == "2 peserta, 1 hadir"

    qtbot.keyClicks(section.guest_name, "Contoh Tamu Undangan")
    qtbot.keyClicks(section.guest_role, "Kepala Desa")
    qtbot.mouseClick(section.add_guest_button, Qt.MouseButton.LeftButton)
    assert section.participants_model.row_at(2).nama == "Contoh Tamu Undangan"
    assert section.guest_name.text() == ""

    shown.save_paths.append(tmp_path / "sertifikat.pdf")
    qtbot.mouseClick(section.certificates_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown.info), timeout=30_000)
    assert shown.info[-1].startswith("1 sertifikat baru") and not shown.warn
    pages = pdf_pages(tmp_path / "sertifikat.pdf")
    assert len(pages) == 1 and section.participants_model.row_at(0).nama in pages[0]
    qtbot.waitUntil(lambda: section.participants_model.row_at(0).certificate_nomor == "400.10.3/001/Kec.Prb/2026")

    shown.save_paths.append(tmp_path / "hadir.pdf")
    qtbot.mouseClick(section.sheet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown.info) == 2, timeout=30_000)
    sheet = pdf_pages(tmp_path / "hadir.pdf")[0]
    assert "DAFTAR HADIR" in sheet and "Contoh Tamu Undangan" in sheet and "Tanda tangan" in sheet


def test_new_event_from_the_form_and_a_refused_save(qtbot: QtBot, ev: EventSetup, shown: Shown) -> None:
    section = EventsSection(GuiSession.start(ev.ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    assert not section.certificates_button.isEnabled()
    qtbot.keyClicks(section.form.title, "Sosialisasi Desa Sengon")
    qtbot.mouseClick(section.form.save_button, Qt.MouseButton.LeftButton)
    assert shown.warn == ["Tempat sosialisasi wajib diisi."]
    assert section.events_model.rowCount() == 1
    qtbot.keyClicks(section.form.place, "Balai Desa Sengon")
    section.form._add_speaker_row("Contoh Narasumber", "BPJS Ketenagakerjaan")
    qtbot.mouseClick(section.form.save_button, Qt.MouseButton.LeftButton)
    titles = [r.title for r in events.list_events(ev.ctx)]
    assert sorted(titles) == sorted([EVENT_TITLE, "Sosialisasi Desa Sengon"])
    saved = next(r for r in events.list_events(ev.ctx) if r.title == "Sosialisasi Desa Sengon")
    assert saved.place == "Balai Desa Sengon" and saved.time_label == "09.00–12.00 WIB"
    assert [s.label for s in saved.speakers] == ["Contoh Narasumber (BPJS Ketenagakerjaan)"]
    assert section.events_model.rowCount() == 2 and section.certificates_button.isEnabled()
    assert section.heading.text().startswith("<b>Sosialisasi Desa Sengon</b>")


def test_official_history_widget(qtbot: QtBot, ev: EventSetup, shown: Shown) -> None:
    from klaten_desktop.gui.events import OfficialEventsWidget

    events.add_from_registry(ev.ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    came, stayed = events.participants(ev.ctx, ev.event.id)[:2]
    events.set_attendance(ev.ctx, SYSTEM, ev.event.id, [came.id], True)
    widget = OfficialEventsWidget(ev.ctx)
    qtbot.addWidget(widget)
    widget.set_official(came.official_id)
    assert widget.summary.text() == "Mengikuti 1 sosialisasi."
    assert widget.model.rowCount() == 1 and widget.model.row_at(0).title == EVENT_TITLE
    assert widget.model.data(widget.model.index(0, 3)) == "Hadir"
    widget.set_official(stayed.official_id)
    assert widget.summary.text() == "Belum pernah mengikuti sosialisasi."
    assert widget.model.data(widget.model.index(0, 3)) == "Tidak hadir"
    widget.set_official(None)
    assert widget.model.rowCount() == 0


def test_a_save_over_someone_elses_save_is_refused_and_the_event_reloaded(
    qtbot: QtBot, ev: EventSetup, shown: Shown
) -> None:
    """Another PC saved the event after this screen loaded it: the save says who and when, writes nothing, and
    the form shows the other PC's version."""
    section = EventsSection(GuiSession.start(ev.ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.refresh()
    _select_rows(section.events_view, [0])
    assert section.form.place.text() == ev.event.place
    events.update_event(ev.ctx, SYSTEM, ev.event.id, expected_version=ev.event.row_version, place="Aula Kecamatan")
    section.form.place.selectAll()
    qtbot.keyClicks(section.form.place, "Balai Desa Sengon")
    qtbot.mouseClick(section.form.save_button, Qt.MouseButton.LeftButton)
    assert len(shown.warn) == 1 and shown.warn[0].startswith("Data ini diubah oleh Sistem pada 24 November 2026 ")
    assert shown.warn[0].endswith(" WIB; muat ulang lalu ulangi.")
    assert events.get(ev.ctx, ev.event.id).place == "Aula Kecamatan"
    assert section.form.place.text() == "Aula Kecamatan"
    # saved again on the reloaded form: it goes through
    section.form.place.selectAll()
    qtbot.keyClicks(section.form.place, "Balai Desa Sengon")
    qtbot.mouseClick(section.form.save_button, Qt.MouseButton.LeftButton)
    assert events.get(ev.ctx, ev.event.id).place == "Balai Desa Sengon"
