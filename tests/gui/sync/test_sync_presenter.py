"""The Sinkronisasi presenters without Qt: the phases of each console, which actions are enabled in each, and the
service calls they hand to the task runner (run here directly, as the CLI would)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from klaten_desktop.gui.sync import jobs
from klaten_desktop.gui.sync.kecamatan_presenter import KecamatanActions, KecamatanPresenter
from klaten_desktop.gui.sync.keys_presenter import KeysPresenter
from klaten_desktop.gui.sync.presenter import ConsolePresenter, Job, Phase, package_path
from klaten_desktop.gui.sync.regency_presenter import (
    NO_PEERS,
    FileLine,
    ImportActions,
    ImportPresenter,
    ReturnPresenter,
    StatusPresenter,
    detail,
)
from klaten_desktop.gui.sync.review_presenter import NO_SELECTION, Review, ReviewPresenter
from klaten_desktop.runtime.work import never_cancelled, no_progress
from klaten_desktop.services import office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync.export import ExportPreview, PackageRow
from klaten_desktop.services.sync.importer import ImportResult, PackageOutcome, TableCounts

from .conftest import PRAMBANAN, WEDI, Offices, new_kecamatan

PRESENTERS = [
    "klaten_desktop.gui.sync.presenter",
    "klaten_desktop.gui.sync.kecamatan_presenter",
    "klaten_desktop.gui.sync.regency_presenter",
    "klaten_desktop.gui.sync.review_presenter",
    "klaten_desktop.gui.sync.keys_presenter",
    "klaten_desktop.gui.sync.jobs",
    "klaten_desktop.gui.sync.texts",
]


def test_presenters_load_without_qt() -> None:
    """With PySide6 made unimportable, every presenter (and what it imports) still loads."""
    code = "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n" + "".join(
        f"import {name}\n" for name in PRESENTERS
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def _job(phase: Phase) -> Job:
    return Job(phase, "…", jobs.export_package, ())


def _preview(total: int, *, full: bool = False) -> ExportPreview:
    return ExportPreview("Kecamatan Prambanan", PRAMBANAN, 3, full, {"official": total} if total else {}, 0)


def _outcome(name: str, office_code: str, sequence: int, *, created: int = 2, already: bool = False) -> PackageOutcome:
    result = ImportResult(office_code, sequence, "data", True, already, {"official": TableCounts(created=created)})
    return PackageOutcome(Path("/stick") / name, result, None)


def _refused(name: str) -> PackageOutcome:
    return PackageOutcome(Path("/stick") / name, None, "Tanda tangan paket tidak cocok.")


# ---------------------------------------------------------------------------------------------- shared base


def test_a_console_is_busy_while_its_own_job_or_anothers_runs(ctx: ServiceContext) -> None:
    console = ConsolePresenter(ctx, SYSTEM)
    assert console.phase is Phase.IDLE and console.free
    console.start(_job(Phase.EXPORTING))
    assert console.phase is Phase.EXPORTING and not console.free
    with pytest.raises(RuntimeError, match="exporting cannot start importing"):
        console.start(_job(Phase.IMPORTING))
    console.end()
    assert console.phase is Phase.IDLE and console.free
    console.busy = True  # another console's work holds the screen's one task slot
    assert not console.free
    with pytest.raises(RuntimeError):
        console.start(_job(Phase.EXPORTING))


def test_package_path_adds_the_suffix_and_remembers_the_folder(ctx: ServiceContext, tmp_path: Path) -> None:
    assert package_path(tmp_path / "paket") == tmp_path / "paket.klsync"
    assert package_path(tmp_path / "paket.KLSYNC") == tmp_path / "paket.KLSYNC"
    console = ConsolePresenter(ctx, SYSTEM)
    assert console.suggested("a.klsync") == Path.home() / "a.klsync"
    assert console.save_path(tmp_path / "stick" / "a") == tmp_path / "stick" / "a.klsync"
    assert console.suggested("b.klsync") == tmp_path / "stick" / "b.klsync"


# ---------------------------------------------------------------------------------------------- the kecamatan


def test_kecamatan_without_the_regency_key_cannot_export(make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = new_kecamatan(make_ctx, "baru", PRAMBANAN, "Kecamatan Prambanan")
    kec = KecamatanPresenter(ctx, SYSTEM, office.require(ctx))
    with pytest.raises(UserError, match="Kunci kantor kabupaten belum diimpor"):
        kec.load_preview(full=False)
    kec.preview_unavailable()
    assert kec.phase is Phase.IDLE
    assert kec.actions() == KecamatanActions(export=False, import_return=True, full_package=True, reissue=False)


def test_kecamatan_phases_and_enabled_actions(ctx: ServiceContext, tmp_path: Path) -> None:
    kec = KecamatanPresenter(ctx, SYSTEM, office.require(ctx))
    kec.preview = _preview(0)
    assert kec.phase is Phase.REVIEWING
    assert kec.actions() == KecamatanActions(export=True, import_return=True, full_package=True, reissue=False)
    sent = PackageRow("sent", "data", "33.10.01", "33.10", 2, "ab" * 32, False, {}, None, "", dt.datetime(2026, 11, 1),
                      None)  # fmt: skip
    assert kec.actions(sent).reissue  # a chosen package can be re-issued while nothing runs
    assert kec.asks_before_empty()  # an empty change package only after asking
    code = office.require(ctx).office_code.replace(".", "")
    assert kec.suggested_path() == Path.home() / f"sinkron-{code}-0003.klsync"

    job = kec.export_job(tmp_path / "flashdisk" / "paket")
    assert job.phase is Phase.EXPORTING and job.fn is jobs.export_package and job.cancellable
    assert job.args[2:] == (tmp_path / "flashdisk" / "paket.klsync", False, None)
    assert job.label == "Membuat paket sinkronisasi no. 3…"
    kec.start(job)
    assert kec.actions(sent) == KecamatanActions(export=False, import_return=False, full_package=False, reissue=False)
    kec.end()
    assert kec.phase is Phase.REVIEWING and kec.actions().export

    kec.preview = _preview(0, full=True)
    assert not kec.asks_before_empty()
    assert kec.suggested_path() == tmp_path / "flashdisk" / f"sinkron-{code}-0003-lengkap.klsync"

    back = kec.import_return_job(tmp_path / "balikan.klsync")
    assert back.phase is Phase.IMPORTING and not back.cancellable and back.fn is jobs.import_return_package
    kec.start(back)
    assert kec.phase is Phase.IMPORTING and not kec.actions().import_return
    kec.end()


def test_kecamatan_texts() -> None:
    preview = ExportPreview("Pemerintah Kabupaten Klaten", "33.10", 2, False, {"official": 1200}, 3)
    assert KecamatanPresenter.preview_title(preview) == (
        "Paket no. 2 (perubahan) untuk Pemerintah Kabupaten Klaten: 1.200 baris"
    )
    assert KecamatanPresenter.preview_note(preview).startswith(
        "Data yang dihapus ikut terkirim sebagai tanda hapus (3 baris)."
    )
    result = ImportResult("33.10", 4, "return", False, True, {})
    assert KecamatanPresenter.return_imported_message(result) == (
        "Paket balikan no. 4 sudah pernah diimpor; tidak ada yang berubah."
    )


# ---------------------------------------------------------------------------------------------- the regency's import


def test_import_goes_idle_previewing_reviewing_importing_reviewing(ctx: ServiceContext) -> None:
    imp = ImportPresenter(ctx, SYSTEM)
    assert imp.phase is Phase.IDLE
    assert imp.actions() == ImportActions(choose=True, apply=False, clear=False, new_install=True, rebase=True)

    check = imp.check_job([Path("/stick/w-2.klsync"), Path("/stick/p-1.klsync")], True)
    assert check.phase is Phase.PREVIEWING and check.fn is jobs.check_packages
    assert check.args[2:] == ([Path("/stick/p-1.klsync"), Path("/stick/w-2.klsync")], True, False)  # name order
    imp.start(check)
    assert imp.actions() == ImportActions(choose=False, apply=False, clear=False, new_install=False, rebase=False)
    imp.end()

    report = imp.checked([_outcome("w-2.klsync", WEDI, 2), _outcome("p-1.klsync", PRAMBANAN, 1), _refused("x")])
    assert imp.phase is Phase.REVIEWING
    assert imp.actions() == ImportActions(choose=True, apply=True, clear=True, new_install=True, rebase=True)
    assert report.kind == "error" and report.text.startswith("Uji coba selesai: 2 paket siap diimpor, 1 ditolak.")
    assert report.warning == (
        "Paket berikut ditolak; tidak ada data yang diubah:\n\nx: Tanda tangan paket tidak cocok."
    )
    assert [f.state for f in imp.lines] == ["Uji coba: siap diimpor", "Uji coba: siap diimpor", "Ditolak"]
    assert imp.confirm_text(False).startswith(f"Impor 2 paket dari {PRAMBANAN}, {WEDI} sekarang?")
    assert "PERHATIAN" in imp.confirm_text(True)
    assert "tidak ada paket yang sudah diterima yang diganti" in imp.confirm_text(False, True)

    real = imp.import_job(False)
    assert real.phase is Phase.IMPORTING and real.fn is jobs.import_packages
    assert real.args[2:] == ([Path("/stick/p-1.klsync"), Path("/stick/w-2.klsync")], False, False)  # office, number
    imp.start(real)
    assert imp.phase is Phase.IMPORTING and not imp.actions().clear
    imp.end()
    report = imp.imported([_outcome("p-1.klsync", PRAMBANAN, 1), _outcome("w-2.klsync", WEDI, 2)])
    assert report.kind == "ok" and report.warning is None
    assert report.text == "2 paket diimpor. Baru 4, diubah 0, dihapus 0, konflik 0."
    assert [f.state for f in imp.lines] == ["Diimpor", "Diimpor", "Ditolak"]
    assert imp.phase is Phase.REVIEWING
    nothing_left = ImportActions(choose=True, apply=False, clear=True, new_install=True, rebase=True)
    assert imp.actions() == nothing_left

    imp.clear()
    assert imp.phase is Phase.IDLE and not imp.actions().clear


def test_packages_already_imported_are_not_ready(ctx: ServiceContext) -> None:
    imp = ImportPresenter(ctx, SYSTEM)
    report = imp.checked([_outcome("p-1.klsync", PRAMBANAN, 1, already=True)])
    assert [f.state for f in imp.lines] == ["Sudah pernah diimpor"]
    assert report.kind == "info" and report.warning is None
    assert not imp.actions().apply and imp.actions().clear


def test_the_detail_of_a_refused_package_is_its_reason() -> None:
    refused = detail(FileLine(_refused("rusak.klsync"), False))
    assert refused.refused and refused.title == "rusak.klsync ditolak:" and refused.tables == []
    assert refused.reason == "Tanda tangan paket tidak cocok."
    good = detail(FileLine(_outcome("p-1.klsync", PRAMBANAN, 1), False))
    assert not good.refused and [t.label for t in good.tables] == ["Pengurus"]
    assert detail(None).tables == []


# ---------------------------------------------------------------------------------------------- return packages


def test_return_console_exports_only_when_there_are_corrections(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path
) -> None:
    ret = ReturnPresenter(make_ctx("kabupaten"), SYSTEM)
    assert ret.offices() == [] and ret.load_preview(None) is None
    assert ret.phase is Phase.IDLE and ret.preview_title() == NO_PEERS and not ret.actions().export
    ret.preview = _preview(0)
    assert ret.phase is Phase.REVIEWING and not ret.actions().export  # nothing to send back
    assert ret.preview_title() == "Paket balikan no. 3 untuk Kecamatan Prambanan: tidak ada koreksi baru"
    ret.preview = _preview(1)
    assert ret.actions().export and ret.preview_title().endswith(": 1 koreksi")
    assert ret.suggested_path() == Path.home() / "balikan-331001-0003.klsync"
    job = ret.export_job(tmp_path / "balik")
    assert job.phase is Phase.EXPORTING and job.args[2:] == (tmp_path / "balik.klsync", False, PRAMBANAN)
    ret.start(job)
    assert not ret.actions().export
    ret.end()
    ret.busy = True
    assert not ret.actions().export


# ---------------------------------------------------------------------------------------------- status, review, keys


def test_status_console_of_a_regency_nobody_sent_to(make_ctx: Callable[..., ServiceContext]) -> None:
    console = StatusPresenter(make_ctx("kabupaten"))
    days = console.default_days()
    loaded = console.load(days)
    assert len(loaded.kecamatan) == 26
    summary = console.summary()
    assert summary.text.startswith("0 dari 26 kecamatan sudah mengirim paket.")
    assert summary.kind == "warning"  # none sent within the days: all yellow
    assert {console.highlight(k, days) for k in loaded.kecamatan} == {"warning"}


def test_review_decides_only_open_rows(ctx: ServiceContext) -> None:
    regency = ReviewPresenter(ctx, SYSTEM, regency=True)
    kecamatan = ReviewPresenter(ctx, SYSTEM, regency=False)
    assert not regency.can_decide(None) and regency.detail_title(None) == NO_SELECTION
    assert regency.summary(Review([], [])) == "Tidak ada versi untuk ditinjau."
    assert kecamatan.summary(Review([], [])) == "Tidak ada koreksi menunggu keputusan."
    assert kecamatan.load(show_all=True) == Review([], [])


def test_keys_texts_follow_the_office(ctx: ServiceContext, tmp_path: Path) -> None:
    kec = KeysPresenter(ctx, SYSTEM, regency=False)
    assert kec.other == "kabupaten" and "kantor kabupaten" in kec.hint()
    loaded = kec.load()
    assert loaded.peers == [] and kec.no_peers_text().startswith("Kunci kabupaten belum diimpor")
    message = kec.export_key(tmp_path / "kunci.json")
    assert (tmp_path / "kunci.json").is_file() and loaded.me.fingerprint in message
    assert KeysPresenter(ctx, SYSTEM, regency=True).other == "kecamatan"


# ---------------------------------------------------------------------------------------------- the real work


def test_the_jobs_run_without_qt_from_package_to_import(offices: Offices) -> None:
    """What the views hand to the task runner, run directly: export at the kecamatan, dry run and import at the
    regency."""
    kec = KecamatanPresenter(offices.prambanan, SYSTEM, office.require(offices.prambanan))
    preview = kec.load_preview(full=False)
    assert kec.phase is Phase.REVIEWING and preview.total > 0
    job = kec.export_job(offices.stick / "p1")
    exported = job.fn(no_progress, never_cancelled, *job.args)
    assert exported.path == offices.stick / "p1.klsync" and exported.path.is_file()

    imp = ImportPresenter(offices.regency, SYSTEM)
    check = imp.check_job([exported.path], False)
    report = imp.checked(check.fn(no_progress, never_cancelled, *check.args))
    assert report.kind == "info" and [f.state for f in imp.lines] == ["Uji coba: siap diimpor"]
    real = imp.import_job(False)
    report = imp.imported(real.fn(no_progress, never_cancelled, *real.args))
    assert report.text.startswith("1 paket diimpor. Baru ") and [f.state for f in imp.lines] == ["Diimpor"]
    assert not imp.actions().apply
