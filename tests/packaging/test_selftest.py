"""``--self-test``: the checks pass on a working installation, and a broken one is reported, not hidden."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from klaten_desktop.app import build_renderers, open_context
from klaten_desktop.db.migrate import HEAD_REVISION
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.selftest import checks as selftest_checks
from klaten_desktop.selftest import runner
from klaten_desktop.selftest.runner import CHECKS, run_self_test
from klaten_desktop.selftest.state import DEMO_OFFICIALS, Check, SelfTestState, Skip
from klaten_desktop.services import demo
from klaten_desktop.services.context import SYSTEM

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = [c for c in CHECKS if c.name not in ("qt", "jendela-utama")]  # Qt runs in the subprocess test


def _lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_command_line_self_test_passes_in_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "uji"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--self-test", "--data-dir", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert lines[1] == f"Folder uji: {target}"
    status = {line.split()[1].rstrip(":"): line.split()[0] for line in lines[2:-1]}
    expected_fixture = "OK" if selftest_checks.oldest_fixture(selftest_checks.fixture_databases()) else "LEWATI"
    assert status == {
        "jalur": "OK",
        "log": "OK",
        "migrasi-baru": "OK",
        "migrasi-lama": expected_fixture,
        "kantor-dan-data-contoh": "OK",
        "integritas": "OK",
        "surat-pdf": "OK",
        "excel": "OK",
        "sinkronisasi": "OK",
        "akun": "OK",
        "pengandar-server": "OK",
        "qt": "OK",
        "jendela-utama": "OK",
    }
    assert [c.name for c in CHECKS] == list(status)
    assert f"OK migrasi-baru ({HEAD_REVISION}, 26 kecamatan" in result.stdout
    assert lines[-1].startswith("Uji mandiri BERHASIL: ")
    assert "verifikasi sah" in result.stdout
    assert f"{DEMO_OFFICIALS} pengurus dimuat" in result.stdout
    assert f"{DEMO_OFFICIALS} pengurus tiba di kabupaten" in result.stdout
    # The given folder is kept for inspection: the database, the log and the files the checks wrote.
    assert (target / "data" / "klaten.sqlite").is_file()
    for name in ("surat-pengantar.pdf", "surat-keterangan.pdf", "surat-iuran.pdf"):
        assert (target / "keluaran" / name).read_bytes().startswith(b"%PDF-")
    assert (target / "keluaran" / "ekspor-pengurus.xlsx").read_bytes().startswith(b"PK")
    assert "self-test log marker" in (target / "data" / "log" / "klaten-desktop.log").read_text(encoding="utf-8")


def test_core_checks_pass_in_process_and_clean_up_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner.tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    assert run_self_test(None, out, checks=HEADLESS, renderers=build_renderers()) == 0, out.getvalue()
    assert f"OK kantor-dan-data-contoh ({DEMO_OFFICIALS} pengurus" in out.getvalue()
    assert list(tmp_path.iterdir()) == []  # the temporary folder is gone


def test_refuses_a_folder_that_already_holds_files(tmp_path: Path) -> None:
    office_data = tmp_path / "data-kantor"
    office_data.mkdir()
    database = office_data / "klaten.sqlite"
    database.write_bytes(b"data kantor yang asli")
    out = io.StringIO()
    assert run_self_test(office_data, out) == 1
    assert "GAGAL jalur: Folder" in out.getvalue()
    assert "tidak kosong" in out.getvalue()
    assert database.read_bytes() == b"data kantor yang asli"
    assert sorted(p.name for p in office_data.iterdir()) == ["klaten.sqlite"]


@pytest.mark.log_warnings_expected  # the self-test logs a failed check at ERROR
def test_a_failing_check_is_reported_and_the_rest_still_run(tmp_path: Path) -> None:
    ran: list[str] = []

    def good(state: SelfTestState) -> str:
        ran.append("baik")
        return "rinci"

    def broken(state: SelfTestState) -> str:
        ran.append("rusak")
        raise RuntimeError("berkas hilang")

    def unavailable(state: SelfTestState) -> str:
        ran.append("tidak-ada")
        raise Skip("belum tersedia")

    def crashing(state: SelfTestState) -> None:
        ran.append("galat")
        raise KeyError("x")

    out = io.StringIO()
    checks = [Check("baik", good), Check("rusak", broken), Check("tidak-ada", unavailable), Check("galat", crashing)]
    assert run_self_test(tmp_path / "baru", out, checks=checks) == 1
    lines = _lines(out.getvalue())
    assert lines[1] == f"Folder uji: {tmp_path / 'baru'}"
    assert lines[2].startswith("OK baik (rinci; ")
    assert lines[3] == "GAGAL rusak: berkas hilang"
    assert lines[4] == "LEWATI tidak-ada: belum tersedia"
    assert lines[5] == "GAGAL galat: KeyError: 'x'"
    assert lines[6].startswith("Uji mandiri GAGAL: 1 OK, 2 GAGAL, 1 LEWATI")
    assert ran == ["baik", "rusak", "tidak-ada", "galat"]


@pytest.mark.log_warnings_expected  # the self-test logs a failed check at ERROR
def test_checks_that_need_the_database_fail_when_migration_failed(tmp_path: Path) -> None:
    out = io.StringIO()
    only = [c for c in CHECKS if c.name in ("kantor-dan-data-contoh", "integritas")]
    assert run_self_test(tmp_path / "baru", out, checks=only) == 1
    assert "GAGAL kantor-dan-data-contoh: basis data belum terbuka" in out.getvalue()


def _fake_fixture(path: Path, revision: str) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.commit()
    conn.close()
    return path


def test_oldest_fixture_is_chosen_by_known_revision_order(tmp_path: Path) -> None:
    newer = _fake_fixture(tmp_path / "a-dari-masa-depan.sqlite", "9999_dari_versi_baru")
    known = _fake_fixture(tmp_path / "z-awal.sqlite", HEAD_REVISION)
    broken = tmp_path / "rusak.sqlite"
    broken.write_bytes(b"bukan sqlite")
    assert selftest_checks.oldest_fixture([newer, broken, known]) == known
    assert selftest_checks.oldest_fixture([newer, broken]) is None
    assert selftest_checks.oldest_fixture([]) is None


def _fixture_with_officials(folder: Path, n: int) -> Path:
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.services import office, officials

    paths = AppPaths(folder)
    ctx = open_context(paths)
    try:
        office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Contoh", kecamatan_kode="33.10.02")
        demo.populate(ctx, SYSTEM, n)
        officials.delete(ctx, SYSTEM, officials.list_rows(ctx)[0].id)  # a soft-deleted row is not counted
    finally:
        ctx.dispose()
    fixture = folder / "fixture.sqlite"
    src, dst = sqlite3.connect(paths.database), sqlite3.connect(fixture)
    src.backup(dst)
    dst.execute("PRAGMA journal_mode=DELETE")
    dst.close()
    src.close()
    return fixture


def test_fixture_migration_works_on_a_copy_and_keeps_every_official(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture = _fixture_with_officials(tmp_path / "fixture", 25)
    digest = hashlib.sha256(fixture.read_bytes()).hexdigest()
    monkeypatch.setattr(selftest_checks, "fixture_databases", lambda: [fixture])
    state = SelfTestState(root=tmp_path / "uji", paths=AppPaths(tmp_path / "uji" / "data"))
    try:
        detail = selftest_checks.check_fixture_migration(state)
    finally:
        state.close()
    assert detail == f"fixture.sqlite: {HEAD_REVISION} -> {HEAD_REVISION}, 24 pengurus"
    assert hashlib.sha256(fixture.read_bytes()).hexdigest() == digest  # the shipped fixture is never written
    assert (tmp_path / "uji" / "migrasi-lama" / "klaten.sqlite").is_file()


def test_fixture_migration_is_skipped_only_when_no_fixture_is_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = SelfTestState(root=tmp_path, paths=AppPaths(tmp_path / "data"))
    monkeypatch.setattr(selftest_checks, "fixture_databases", lambda: [])
    with pytest.raises(Skip, match="tidak ada basis data contoh"):
        selftest_checks.check_fixture_migration(state)
    unknown = _fake_fixture(tmp_path / "asing.sqlite", "9999_asing")
    monkeypatch.setattr(selftest_checks, "fixture_databases", lambda: [unknown])
    with pytest.raises(RuntimeError, match="revisi yang dikenal"):
        selftest_checks.check_fixture_migration(state)


def test_a_truncated_pdf_is_not_taken_for_a_letter(tmp_path: Path) -> None:
    whole = tmp_path / "utuh.pdf"
    whole.write_bytes(b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF\n")
    assert selftest_checks._check_pdf(whole) == len(whole.read_bytes())
    cut = tmp_path / "terpotong.pdf"
    cut.write_bytes(whole.read_bytes()[:60])
    with pytest.raises(RuntimeError, match="bukan PDF yang utuh"):
        selftest_checks._check_pdf(cut)


def test_report_survives_a_console_that_cannot_encode_the_text(tmp_path: Path) -> None:
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1252", errors="strict")

    def unicode_detail(state: SelfTestState) -> str:
        return "folder C:\\Users\\Wénĝ → 田中"

    assert run_self_test(tmp_path / "baru", console, checks=[Check("jalur", unicode_detail)]) == 0
    console.flush()
    text = raw.getvalue().decode("cp1252")
    assert "OK jalur (folder C:\\Users\\Wén? ? ??; " in text
    assert "Uji mandiri BERHASIL: 1 OK, 0 GAGAL, 0 LEWATI" in text
