"""A cancel on every long-work path comes out as ``runtime.work.Cancelled`` with the message the person reads,
and leaves the database and the folder as they were (``runtime/work.py``: the one long-work protocol)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from klaten_desktop.runtime.work import CancelCheck, Cancelled
from klaten_desktop.services import demo, exports, recap, recap_files
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import detect_mapping, plan_import, read_workbook
from klaten_desktop.services.sync import export, importer, keys


def fingerprint(ctx: ServiceContext) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal before and after means nothing changed."""
    with ctx.read() as session:
        names = sorted(inspect(session.connection()).get_table_names())
        return {
            name: sorted((tuple(r) for r in session.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
            for name in list(names)
        }


def after(calls: int) -> CancelCheck:
    """A ``cancelled()`` that turns true at its ``calls``-th question (the person presses Batal mid-way)."""
    asked = itertools.count(1)
    return lambda: next(asked) >= calls


@pytest.fixture
def populated(ctx: ServiceContext) -> ServiceContext:
    demo.populate(ctx, SYSTEM, 1_200)
    return ctx


def test_cancelled_is_not_a_user_error() -> None:
    assert not issubclass(Cancelled, UserError)


def test_export_cancel_leaves_no_file(populated: ServiceContext, tmp_path: Path) -> None:
    folder = tmp_path / "keluar"
    folder.mkdir()
    before = fingerprint(populated)
    for name in ("daftar.xlsx", "daftar.csv"):
        with pytest.raises(Cancelled) as stopped:
            exports.export_officials(populated, SYSTEM, folder / name, cancelled=after(1))
        assert stopped.value.message == "Ekspor dibatalkan; berkas tidak dibuat."
    assert list(folder.iterdir()) == []
    assert fingerprint(populated) == before


def test_import_plan_cancel(populated: ServiceContext, make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> None:
    sheet = tmp_path / "desa.xlsx"
    exports.export_officials(populated, SYSTEM, sheet)
    other = make_ctx("kecamatan", name="lain")  # an office without officials: the plan would create 1 200
    before = fingerprint(other)
    table = read_workbook(sheet)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled) as stopped:
        plan_import(other, table, detect_mapping(table), progress=lambda d, t: seen.append((d, t)), cancelled=after(2))
    assert stopped.value.message == "Impor dibatalkan; tidak ada data yang berubah."
    assert seen == [(500, 1_200)]  # asked at row 500, stopped at row 1 000
    assert fingerprint(other) == before


def _trust_each_other(kecamatan: ServiceContext, regency: ServiceContext, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    keys.export_identity(kecamatan, folder / "kunci-kecamatan.json")
    keys.export_identity(regency, folder / "kunci-kabupaten.json")
    keys.trust(regency, SYSTEM, keys.read_identity(regency, folder / "kunci-kecamatan.json"))
    keys.trust(kecamatan, SYSTEM, keys.read_identity(kecamatan, folder / "kunci-kabupaten.json"))


def test_sync_export_and_import_cancel(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> None:
    kecamatan = make_ctx("kecamatan", name="kecamatan")
    regency = make_ctx("kabupaten", name="kabupaten")
    stick = tmp_path / "flashdisk"
    _trust_each_other(kecamatan, regency, stick)
    demo.populate(kecamatan, SYSTEM, 40)

    sent_before = fingerprint(kecamatan)
    with pytest.raises(Cancelled) as stopped:
        export.export(kecamatan, SYSTEM, stick / "batal.klsync", cancelled=after(3))
    assert stopped.value.message == "Ekspor dibatalkan; tidak ada yang berubah."
    assert not (stick / "batal.klsync").exists()
    assert fingerprint(kecamatan) == sent_before  # the sequence number is not used up

    package = stick / "paket.klsync"
    assert export.export(kecamatan, SYSTEM, package).sequence == 1
    received_before = fingerprint(regency)
    for dry_run in (True, False):
        with pytest.raises(Cancelled) as stopped:
            importer.import_packages(regency, SYSTEM, [package], dry_run=dry_run, cancelled=after(2))
        assert stopped.value.message == "Impor paket dibatalkan; tidak ada data yang berubah."
    assert fingerprint(regency) == received_before  # the package was applied, then rolled back


def test_recap_cancel_leaves_no_file(populated: ServiceContext, tmp_path: Path) -> None:
    data = recap.recap(populated)
    before = fingerprint(populated)
    for name, cancelled in (("rekap.pdf", after(1)), ("rekap.pdf", after(4)), ("rekap.xlsx", after(1))):
        with pytest.raises(Cancelled) as stopped:  # before the work, and in the renderer (after(4)) alike
            recap_files.write_recap(populated, SYSTEM, data, tmp_path / name, cancelled=cancelled)
        assert stopped.value.message == "Rekap cakupan dibatalkan; berkas tidak dibuat."
    assert list(tmp_path.glob("rekap*")) == []
    assert fingerprint(populated) == before
    pages: list[tuple[int, int]] = []
    written = recap_files.write_recap(
        populated, SYSTEM, data, tmp_path / "rekap.pdf", progress=lambda d, t: pages.append((d, t))
    )
    assert written.read_bytes().startswith(b"%PDF") and pages[-1][0] == pages[-1][1]


def test_demo_cancel_keeps_nothing(ctx: ServiceContext) -> None:
    before = fingerprint(ctx)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled) as stopped:  # 6 000 officials: cancelled after the first chunk was written
        demo.populate(ctx, SYSTEM, 6_000, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: bool(seen))
    assert stopped.value.message == "Pembuatan data contoh dibatalkan; tidak ada data yang berubah."
    assert seen[0][0] == demo.CHUNK
    assert fingerprint(ctx) == before
