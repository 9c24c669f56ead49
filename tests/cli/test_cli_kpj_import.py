"""``enrollment import-kpj``: the branch's KPJ list from the command line (dry run, JSON report, error workbook)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from klaten_desktop import cli
from klaten_desktop.domain.enums import Sex
from klaten_desktop.services import enrollment, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.services.test_kpj_import import HEADER, NIK_UNKNOWN, write_xlsx
from tests.services.test_officials import NIK_MAN, NIK_WOMAN, fields


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_import_kpj_dry_run_json_then_real_then_again(ctx: ServiceContext, tmp_path: Path) -> None:
    a = officials.register(ctx, SYSTEM, fields()).id
    b = officials.register(
        ctx,
        SYSTEM,
        fields(nik=NIK_WOMAN, nama="Sri Wahyuni", jenis_kelamin=Sex.P, tanggal_lahir=dt.date(1975, 8, 12), rt=5),
    ).id
    enrollment.submit(ctx, SYSTEM, [a], on=dt.date(2026, 10, 1))
    path = write_xlsx(
        tmp_path / "kpj.xlsx",
        [
            HEADER,
            [1, NIK_MAN, "Sumarno", "12345678901", "01-11-2026"],
            [2, NIK_WOMAN, "Sri Wahyuni", "23456789012", "01-11-2026"],  # not submitted
            [3, NIK_UNKNOWN, "Orang Lain", "34567890123", "01-11-2026"],
        ],
    )
    code, out, err = run(ctx, "enrollment", "import-kpj", str(path), "--dry-run", "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert list(payload) == ["rows_read", "registered", "unchanged", "rejected", "dry_run"]
    assert (payload["rows_read"], payload["registered"], payload["unchanged"], payload["dry_run"]) == (3, 1, 0, True)
    assert [r["row"] for r in payload["rejected"]] == [3, 4]
    assert "belum diajukan" in payload["rejected"][0]["messages"][0]
    assert officials.get(ctx, a).status.value == "diajukan"

    errors = tmp_path / "ditolak.xlsx"
    code, out, _ = run(ctx, "enrollment", "import-kpj", str(path), "--errors", str(errors))
    assert code == 0
    assert out.startswith("1 nomor KPJ dicatat; 0 tidak berubah, 2 ditolak.")
    assert "Baris 4 ditolak: NIK ini tidak terdaftar" in out and errors.exists()
    detail = officials.get(ctx, a)
    assert detail.enrollment is not None and detail.enrollment.nomor_kpj == "12345678901"
    assert officials.get(ctx, b).enrollment is None

    code, out, _ = run(ctx, "enrollment", "import-kpj", str(path), "--json")
    payload = json.loads(out)
    assert (payload["registered"], payload["unchanged"], payload["dry_run"]) == (0, 1, False)


def test_import_kpj_refuses_an_error_file_that_is_not_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.parse(["enrollment", "import-kpj", str(tmp_path / "a.xlsx"), "--errors", "ditolak.csv"])
    assert exit_info.value.code == 2 and ".xlsx" in capsys.readouterr().err
