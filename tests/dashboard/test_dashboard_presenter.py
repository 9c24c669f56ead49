"""The Beranda presenter without Qt, on the seeded Prambanan database (24 November 2026): one load at a time, the
texts of the tiles and notices, the worklist's buttons for the selection, and the recap written by its work."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.gui.dashboard import presenter as presenter_module
from klaten_desktop.gui.dashboard.presenter import LOADING, NO_WORKLIST, DashboardPresenter, Snapshot
from klaten_desktop.runtime.work import Cancelled, never_cancelled, no_progress
from klaten_desktop.services.context import SYSTEM, ServiceContext


def _loaded(ctx: ServiceContext) -> DashboardPresenter:
    p = DashboardPresenter(ctx, SYSTEM)
    assert p.start_loading()
    snapshot = p.gather_work()(no_progress, never_cancelled)
    assert isinstance(snapshot, Snapshot) and not p.loaded(snapshot)
    return p


def test_the_presenter_imports_no_qt() -> None:
    tree = ast.parse(Path(presenter_module.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported and not {m for m in imported if m.startswith(("PySide6", "shiboken6", "klaten_desktop.gui"))}


def test_one_load_at_a_time_and_a_refresh_asked_meanwhile_runs_after(ctx: ServiceContext) -> None:
    p = DashboardPresenter(ctx, SYSTEM)
    assert (
        p.as_of() == LOADING and p.tile_values() == {} and p.worklist_label("nik_ganda") == "NIK tercatat di dua tempat"
    )
    assert p.start_loading() and p.loading
    assert not p.start_loading() and not p.start_loading()  # asked twice meanwhile: one more load
    snapshot = p.gather_work()(no_progress, never_cancelled)
    assert p.loaded(snapshot) is True and not p.loading
    assert p.start_loading() and p.loaded(snapshot) is False
    assert p.start_loading() and not p.start_loading()
    p.load_failed()  # a failed load forgets the refresh asked for meanwhile
    assert not p.loading and p.start_loading() and p.loaded(snapshot) is False


def test_the_figures_as_the_screen_shows_them(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    p = _loaded(ctx)
    assert p.as_of() == "Kecamatan Prambanan · keadaan per 24 November 2026"
    assert p.tile_values() == {
        "pengurus": "10",
        "aktif": "1",
        "menunggak": "2",
        "nonaktif": "1",
        "diajukan": "2",
        "belum_terdaftar": "2",
        "berakhir": "2",
        "cakupan": "12,5%",
    }
    assert p.area_label() == "Desa/Kelurahan" and p.coverage_tab_title() == "Cakupan per desa"
    assert len(p.areas()) == 16 and {a.nama for a in p.areas()} >= {"Sengon", "Cucukan"}
    assert p.notice().startswith("Perlu perhatian hari ini:\n• ")
    assert "• 1 peserta akan nonaktif dalam 30 hari" in p.notice()
    assert p.worklist_label("iuran_bulan_ini") == "Iuran bulan ini belum dibayar  (3)"


def test_the_regency_counts_per_kecamatan(make_ctx) -> None:  # type: ignore[no-untyped-def]
    from tests.dashboard.conftest import seed

    regency = make_ctx("kabupaten", name="kab")
    seed(regency)
    p = _loaded(regency)
    assert p.area_label() == "Kecamatan" and p.coverage_tab_title() == "Cakupan per kecamatan"
    assert len(p.areas()) == 26


def test_worklist_buttons_follow_the_rows_and_the_selection(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    p = _loaded(ctx)
    assert p.title() == NO_WORKLIST
    none = p.actions()
    assert (none.open, none.action, none.action_label) == (False, False, "Tindakan")
    assert p.open_request([]) is None and p.action_request([]) is None

    assert p.choose("iuran_bulan_ini")
    assert p.title(loading=True) == "Iuran bulan ini belum dibayar: memuat…"
    rows = p.rows_work("iuran_bulan_ini")(no_progress, never_cancelled)
    assert p.arrived("iuran_bulan_ini", rows)
    assert p.title().startswith("Iuran bulan ini belum dibayar: 3 pengurus. ")
    actions = p.actions()
    assert (actions.open, actions.action, actions.action_label) == (True, True, "Catat pembayaran iuran")
    every = {seeded["D"], seeded["E"], seeded["G"]}
    request = p.action_request([])
    assert request is not None and request[0] == "catat_pembayaran" and set(request[1]) == every
    assert p.action_request([1, 1]) == ("catat_pembayaran", [p.rows[1].official_id])
    assert p.open_request([0]) == ([p.rows[0].official_id], "Iuran bulan ini belum dibayar")
    assert p.row_request(2) == ([p.rows[2].official_id], p.rows[2].nama)

    # another worklist chosen: its action waits for its own rows; rows of the old one that arrive late are dropped
    assert p.choose("belum_terdaftar")
    waiting = p.actions()
    assert waiting.open and not waiting.action and waiting.action_label == "Ajukan ke BPJS"
    assert p.action_request([]) is None
    assert not p.arrived("iuran_bulan_ini", rows) and p.actions().action is False
    assert p.arrived("belum_terdaftar", p.rows_work("belum_terdaftar")(no_progress, never_cancelled))
    assert p.actions().action and len(p.rows) == 3  # "Perlu didaftarkan  (3)"
    assert {seeded["A"], seeded["J"]} <= {r.official_id for r in p.rows}

    assert p.choose("nik_ganda") and p.arrived("nik_ganda", [])
    empty = p.actions()
    assert not empty.open and not empty.action and empty.action_label == "Buka data untuk diperiksa"
    assert not p.choose(None) and p.rows == [] and p.title() == NO_WORKLIST


def test_the_recap_is_written_by_its_work(ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path) -> None:
    p = DashboardPresenter(ctx, SYSTEM)
    assert p.recap_file() == "rekap-cakupan-2026-11-24.pdf"
    assert p.recap_target(tmp_path / "rekap") == tmp_path / "rekap.pdf"
    assert p.recap_target(tmp_path / "rekap.XLSX") == tmp_path / "rekap.XLSX"
    written = p.recap_work(tmp_path / "rekap")(no_progress, never_cancelled)
    assert written == tmp_path / "rekap.pdf" and p.recap_report(written) == f"Rekap cakupan disimpan di {written}."
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(written)).pages).split())
    assert "Sengon 6 1 1 1 1 1 1 20,0%" in text
    with pytest.raises(Cancelled):
        p.recap_work(tmp_path / "batal.xlsx")(no_progress, lambda: True)
    assert not (tmp_path / "batal.xlsx").exists()
