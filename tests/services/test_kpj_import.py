"""KPJ numbers in bulk: the branch's list read with the import's reader, checked row by row, written all or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain.enums import Sex
from klaten_desktop.services import enrollment, kpj_import, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import read_workbook
from klaten_desktop.services.kpj_import import KpjOutcome

from .test_officials import NIK_MAN, NIK_OTHER, NIK_WOMAN, fields

SENGON = "33.10.01.2001"
NIK_UNKNOWN = "3310010101900009"
HEADER = ["No", "NIK", "Nama", "No. KPJ", "TMT Kepesertaan"]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("KPJ")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value is not None:
                ws.write_string(r, c, str(value))
    wb.close()
    return path


def three_officials(ctx: ServiceContext) -> tuple[str, str, str]:
    """Two submitted officials (a man and a woman) and one never submitted."""
    a = officials.register(ctx, SYSTEM, fields()).id
    b = officials.register(
        ctx,
        SYSTEM,
        fields(nik=NIK_WOMAN, nama="Sri Wahyuni", jenis_kelamin=Sex.P, tanggal_lahir=dt.date(1975, 8, 12), rt=5),
    ).id
    c = officials.register(
        ctx, SYSTEM, fields(nik=NIK_OTHER, nama="Joko Santoso", tanggal_lahir=dt.date(1980, 9, 23), rt=4)
    ).id
    enrollment.submit(ctx, SYSTEM, [a, b], on=dt.date(2026, 10, 1))
    return a, b, c


def audit_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(AuditLog)) or 0


def branch_list(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "kpj_cabang.xlsx",
        [
            ["DAFTAR NOMOR KPJ PESERTA BPU RT/RW"],  # a title above the header
            [],
            HEADER,
            [1, NIK_MAN, "Sumarno", "12345678901", dt.date(2026, 11, 1)],
            [2, NIK_WOMAN, "SRI WAHYUNI", 23456789012, "01-11-2026"],  # KPJ as an Excel number, date as text
            [3, NIK_OTHER, "Joko Santoso", "34567890123", "1 Nov 2026"],  # never submitted
            [4, NIK_UNKNOWN, "Orang Lain", "45678901234", "01/11/2026"],  # no such official
            [5, NIK_MAN, "Sumarno", "56789012345", "01/11/2026"],  # the same person twice
        ],
    )


def test_dry_run_then_import_registers_the_submitted_and_refuses_the_rest(ctx: ServiceContext, tmp_path: Path) -> None:
    a, b, c = three_officials(ctx)
    path = branch_list(tmp_path)
    before = audit_count(ctx)
    plan, _table = kpj_import.plan_kpj_file(ctx, path)
    assert audit_count(ctx) == before  # the dry run writes nothing
    assert [r.outcome for r in plan.rows] == [KpjOutcome.registered] * 2 + [KpjOutcome.rejected] * 3
    report = plan.report(dry_run=True)
    assert (report["rows_read"], report["registered"], report["unchanged"]) == (5, 2, 0)
    rejected = {r["row"]: " ".join(r["messages"]) for r in report["rejected"]}  # type: ignore[attr-defined]
    assert set(rejected) == {6, 7, 8}  # sheet rows, counting the title
    assert "belum diajukan" in rejected[6]
    assert "tidak terdaftar" in rejected[7]
    assert "baris 4" in rejected[8]
    assert officials.get(ctx, a).status.value == "diajukan"

    result = kpj_import.apply_kpj_plan(ctx, SYSTEM, plan)
    assert (result.registered, result.unchanged, result.rejected) == (2, 0, 3)
    detail_a, detail_b = officials.get(ctx, a), officials.get(ctx, b)
    assert detail_a.enrollment is not None and detail_a.enrollment.nomor_kpj == "12345678901"
    assert detail_a.enrollment.registered_on == dt.date(2026, 11, 1)
    assert detail_b.enrollment is not None and detail_b.enrollment.nomor_kpj == "23456789012"
    assert officials.get(ctx, c).enrollment is None
    if not ctx.on_server:  # a server's database is backed up with pg_dump, scheduled on the server
        assert ctx.backups_dir is not None and any(ctx.backups_dir.iterdir())  # backup.auto before the import

    # the same file again changes nothing
    after = audit_count(ctx)
    again, _ = kpj_import.plan_kpj_file(ctx, path)
    assert (again.registered, again.unchanged, len(again.rejected)) == (0, 2, 3)
    assert kpj_import.apply_kpj_plan(ctx, SYSTEM, again).registered == 0
    assert audit_count(ctx) == after


def test_a_kpj_taken_or_invalid_or_already_recorded_is_refused(ctx: ServiceContext, tmp_path: Path) -> None:
    a, b, _c = three_officials(ctx)
    enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2026, 10, 5))
    path = write_xlsx(
        tmp_path / "kpj.xlsx",
        [
            HEADER,
            [1, NIK_WOMAN, "Sri Wahyuni", "12345678901", "01-11-2026"],  # Sumarno's number
            [2, NIK_MAN, "Sumarno", "99999999999", "01-11-2026"],  # already has another KPJ
            [3, NIK_WOMAN, "Sri Wahyuni", "12AB", "01-11-2026"],
            [4, NIK_WOMAN, "Sri Wahyuni", "23456789012", None],
        ],
    )
    plan, _ = kpj_import.plan_kpj_file(ctx, path)
    messages = [" ".join(r.errors) for r in plan.rows]
    assert all(r.outcome is KpjOutcome.rejected for r in plan.rows)
    assert "sudah dipakai oleh Sumarno" in messages[0]
    assert "sudah tercatat dengan KPJ 12345678901" in messages[1]
    assert "hanya boleh berisi angka" in messages[2]
    assert "wajib diisi" in messages[3]
    assert kpj_import.apply_kpj_plan(ctx, SYSTEM, plan).registered == 0
    assert officials.get(ctx, b).status.value == "diajukan"


def test_all_or_nothing_when_the_registry_changed_since_the_dry_run(ctx: ServiceContext, tmp_path: Path) -> None:
    a, b, _c = three_officials(ctx)
    plan, _ = kpj_import.plan_kpj_file(ctx, branch_list(tmp_path))
    enrollment.register(ctx, SYSTEM, b, kpj="77777777777", start=dt.date(2026, 11, 2))  # someone else was faster
    before = audit_count(ctx)
    with pytest.raises(UserError, match="berubah sejak pratinjau"):
        kpj_import.apply_kpj_plan(ctx, SYSTEM, plan)
    assert audit_count(ctx) == before
    assert officials.get(ctx, a).status.value == "diajukan"  # the valid row before it was not kept either


def test_error_workbook_holds_the_rejected_rows_with_reasons(ctx: ServiceContext, tmp_path: Path) -> None:
    three_officials(ctx)
    plan, table = kpj_import.plan_kpj_file(ctx, branch_list(tmp_path))
    out = tmp_path / "ditolak.xlsx"
    assert kpj_import.write_kpj_error_workbook(plan, table, out) == 3
    back = read_workbook(out)
    header = [str(c) for c in back.rows[0] if c is not None]
    assert header == ["No", "NIK", "Nama", "Nomor KPJ", "Tanggal Mulai Kepesertaan", "Alasan Ditolak", "Baris Asal"]
    assert [row[1] for row in back.rows[1:]] == [NIK_OTHER, NIK_UNKNOWN, NIK_MAN]
    assert "belum diajukan" in str(back.rows[1][5]) and back.rows[1][6] == 6
    # the fixed file is read again with the same columns
    assert kpj_import.kpj_mapping(back).column_of("nomor_kpj") == 3


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["NIK", "Nama Peserta", "Nomor Kepesertaan", "Tgl Mulai"], ("nik", "nama", "nomor_kpj", "kpj_mulai")),
        (["N I K", "NAMA", "KPJ", "TMT"], ("nik", "nama", "nomor_kpj", "kpj_mulai")),
        (["NIK", "Tanggal Lahir", "No KPJ", "Tanggal Kepesertaan"], ("nik", None, "nomor_kpj", "kpj_mulai")),
    ],
)
def test_header_names_of_the_branch_list(labels: list[str], expected: tuple[str | None, ...]) -> None:
    assert tuple(kpj_import.kpj_field_for_header(label) for label in labels) == expected


def test_a_list_without_a_kpj_column_is_refused(ctx: ServiceContext, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "salah.xlsx", [["NIK", "Nama", "Tanggal Mulai"], [NIK_MAN, "Sumarno", "1-11-2026"]])
    with pytest.raises(UserError, match="Kolom Nomor KPJ tidak ditemukan"):
        kpj_import.plan_kpj_file(ctx, path)


def test_typed_numbers_of_a_desa(ctx: ServiceContext) -> None:
    a, b, _c = three_officials(ctx)
    waiting = kpj_import.submitted_without_kpj(ctx, SENGON)
    assert {w.official_id for w in waiting} == {a, b}
    typed = [(w, "12345678901" if w.official_id == a else "") for w in waiting]
    plan = kpj_import.plan_typed_numbers(ctx, typed, start=dt.date(2026, 11, 3))
    assert (plan.rows_read, plan.registered) == (1, 1)
    assert kpj_import.apply_kpj_plan(ctx, SYSTEM, plan).registered == 1
    assert [w.official_id for w in kpj_import.submitted_without_kpj(ctx, SENGON)] == [b]
    with pytest.raises(UserError, match="Belum ada nomor KPJ"):
        kpj_import.plan_typed_numbers(ctx, [(waiting[0], " ")], start=dt.date(2026, 11, 3))
