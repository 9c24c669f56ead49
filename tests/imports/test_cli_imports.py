"""``import-officials``, ``export-officials`` and ``import-template`` from the command line."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from klaten_desktop import cli
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_import_json_dry_run_then_real(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], tmp_path: Path
) -> None:
    path = xlsx(
        [
            ["DAFTAR KETUA RT"],
            [],
            ["No", "Nama", "NIK", "RT", "RW", "Tanggal Lahir"],
            [1, "Contoh Satu", make_nik(1, 6, 1970), 1, 4, "01-06-1970"],
            [2, "Contoh Dua", 3310010206700000, 2, 4, None],
            [3, "Contoh Tiga", make_nik(3, 6, 1970), 3, 4, "04-06-1970"],
        ]
    )
    errors = tmp_path / "ditolak.xlsx"
    code, out, err = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001", "--dry-run", "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert list(payload) == [
        "rows_read", "created", "updated", "unchanged", "skipped", "rejected", "warnings", "dry_run"
    ]  # fmt: skip
    assert payload["rows_read"] == 3 and payload["created"] == 2 and payload["dry_run"] is True
    assert [r["row"] for r in payload["rejected"]] == [5]
    assert "Teks" in payload["rejected"][0]["messages"][0]
    assert payload["warnings"][0]["row"] == 6  # birth date differs from the NIK: kept with a warning
    assert officials.count_serving(ctx) == 0

    code, out, _ = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001", "--errors", str(errors))
    assert code == 0
    assert out.startswith("Impor berhasil: 2 pengurus baru, 0 diubah, 0 tidak berubah, 1 ditolak.")
    assert "Baris 5 ditolak" in out and errors.exists()
    assert "Baris 6 peringatan: " in out  # warnings are said in text too, not only with --json
    assert officials.count_serving(ctx) == 2

    code, out, _ = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001", "--json")
    payload = json.loads(out)
    assert (payload["created"], payload["updated"], payload["unchanged"], payload["dry_run"]) == (0, 0, 2, False)
    code, out, _ = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001")
    assert out.startswith("Tidak ada data yang diimpor") and "berhasil" not in out


def test_unreadable_file_exits_1(ctx: ServiceContext, tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"\x00\x01 bukan excel")
    code, out, err = run(ctx, "import-officials", str(bad), "--json")
    assert code == 1 and out == ""
    assert err.startswith("Gagal: Berkas rusak.xlsx rusak")
    headerless = tmp_path / "tanpa-judul.csv"
    headerless.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    code, _, err = run(ctx, "import-officials", str(headerless))
    assert code == 1 and "judul kolom tidak ditemukan" in err


def test_export_and_template_commands(ctx: ServiceContext, tmp_path: Path) -> None:
    code, out, _ = run(ctx, "demo", "--officials", "50")
    assert code == 0
    code, out, _ = run(ctx, "export-officials", str(tmp_path / "semua.csv"), "--json")
    assert code == 0 and json.loads(out)["officials"] == 50
    code, out, _ = run(ctx, "export-officials", str(tmp_path / "sengon.xlsx"), "--desa", "33.10.01.2001")
    assert code == 0 and out.endswith(f"pengurus diekspor ke {tmp_path / 'sengon.xlsx'}.\n")
    code, out, _ = run(ctx, "import-template", str(tmp_path / "templat.xlsx"))
    assert code == 0 and (tmp_path / "templat.xlsx").stat().st_size > 0
    code, out, _ = run(ctx, "import-officials", str(tmp_path / "semua.csv"), "--json")
    assert json.loads(out)["unchanged"] == 50


def test_the_sheet_to_read_can_be_named_and_the_others_are_noted(
    ctx: ServiceContext, make_nik: Callable[..., str], tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "dua lembar.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, people in (("Ketua RT", [(1, 7, 1970), (2, 7, 1970)]), ("Ketua RW", [(3, 7, 1970)])):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["Nama", "NIK", "RT", "RW"])
        for r, (d, m, y) in enumerate(people, start=1):
            ws.write_row(r, 0, [f"Contoh {name} {r}", make_nik(d, m, y), r, 1])
    wb.close()
    code, out, _ = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001", "--dry-run")
    assert code == 0
    assert out.startswith("Catatan: dibaca lembar \u201cKetua RT\u201d. Lembar \u201cKetua RW\u201d juga berisi")
    assert "2 baris dibaca" in out
    code, out, err = run(ctx, "import-officials", str(path), "--desa", "33.10.01.2001", "--sheet", "Ketua RW", "--json")
    assert code == 0 and json.loads(out)["created"] == 1
    code, _, err = run(ctx, "import-officials", str(path), "--sheet", "Tidak Ada")
    assert code == 1 and "Lembar \u201cTidak Ada\u201d tidak ada" in err
