"""``users`` and ``--user``: commands run as before until the first admin exists, then need a login; a wrong
password exits 1 with an Indonesian message and is audited."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from klaten_desktop import cli
from klaten_desktop.db.models import AuditLog
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import accounts, backup
from klaten_desktop.services.context import ServiceContext


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(argv), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def with_admin(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> ServiceContext:
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-admin-1")
    code, out, err = run(ctx, "users", "add", "ana", "--nama", "Ana Lestari", "--peran", "admin")
    assert (code, err) == (0, ""), err
    assert "Akun admin pertama dibuat: ana" in out
    return ctx


def test_commands_run_as_before_without_accounts(ctx: ServiceContext) -> None:
    code, out, _ = run(ctx, "office", "show", "--json")
    assert code == 0 and json.loads(out)


def test_first_account_must_be_admin(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-oki-1")
    code, _, err = run(ctx, "users", "add", "oki", "--nama", "Oki", "--peran", "operator")
    assert code == 1 and "Akun pertama harus berperan admin" in err


def test_login_required_once_an_admin_exists(with_admin: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(with_admin, "office", "show", "--json")
    assert code == 1 and "--user NAMA" in err
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-admin-1")
    code, out, _ = run(with_admin, "--user", "ana", "office", "show", "--json")
    assert code == 0 and json.loads(out)


def test_wrong_password_exits_1_and_is_audited(with_admin: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLATEN_PASSWORD", "salah-sandi")
    code, out, err = run(with_admin, "--user", "ana", "office", "show")
    assert (code, out) == (1, "")
    assert err == "Gagal: Nama pengguna atau kata sandi salah.\n"
    with with_admin.read() as session:
        last = session.execute(select(AuditLog.actor, AuditLog.action).order_by(AuditLog.id.desc())).first()
    assert last is not None and tuple(last) == ("ana", "login_failed")


def test_users_commands(with_admin: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-admin-1")
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-oki-1")
    as_ana = ("--user", "ana", "users")
    assert run(with_admin, *as_ana, "add", "oki", "--nama", "Oki", "--peran", "operator")[0] == 0
    code, out, _ = run(with_admin, *as_ana, "set-role", "oki", "pembaca", "--json")
    assert code == 0 and json.loads(out)["peran"] == "pembaca"
    assert run(with_admin, *as_ana, "disable", "oki")[0] == 0
    code, out, _ = run(with_admin, *as_ana, "list", "--json")
    users = {u["username"]: u for u in json.loads(out)["pengguna"]}
    assert (users["oki"]["aktif"], users["oki"]["peran"], users["ana"]["peran"]) == (False, "pembaca", "admin")
    code, _, err = run(with_admin, *as_ana, "disable", "ana")
    assert code == 1 and "Admin terakhir" in err
    assert run(with_admin, *as_ana, "enable", "oki")[0] == 0
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-oki-2")
    assert run(with_admin, *as_ana, "reset-password", "oki")[0] == 0
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-oki-2")
    code, _, err = run(with_admin, "--user", "oki", "users", "list")
    assert code == 1 and err.startswith("Gagal: Akses ditolak: peran Pembaca (Oki)")
    code, out, _ = run(with_admin, "--user", "oki", "office", "show", "--json")
    assert code == 0


def test_password_from_the_environment_in_a_real_process(tmp_path: Path) -> None:
    def klaten(*args: str, password: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "KLATEN_PASSWORD": password, "KLATEN_NEW_PASSWORD": "sandi-admin-1"}
        return subprocess.run(
            [sys.executable, "-m", "klaten_desktop", "--data-dir", str(tmp_path / "data"), *args],
            capture_output=True, encoding="utf-8", timeout=120, check=False, env=env,
        )  # fmt: skip

    assert klaten("users", "add", "ana", "--nama", "Ana", "--peran", "admin", password="").returncode == 0
    wrong = klaten("--user", "ana", "users", "list", password="keliru-sandi")
    assert wrong.returncode == 1 and "kata sandi salah" in wrong.stderr
    right = klaten("--user", "ana", "users", "list", "--json", password="sandi-admin-1")
    assert right.returncode == 0 and json.loads(right.stdout)["pengguna"][0]["username"] == "ana"


def test_restore_needs_an_admin(with_admin: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = accounts.authenticate(with_admin, "ana", "sandi-admin-1")
    accounts.add_user(with_admin, admin, "oki", "Oki", "operator", "sandi-oki-1")
    if with_admin.on_server:
        pytest.skip("restores an SQLite backup file; a server's database is restored with pg_restore")
    copy = backup.create(with_admin).path
    assert with_admin.database is not None
    paths = AppPaths(with_admin.database.parent)
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-oki-1")
    out, err = io.StringIO(), io.StringIO()
    args = cli.parse(["--user", "oki", "restore", str(copy), "--yes"])
    assert cli.run_on_folder(args, paths, out=out, err=err) == 1
    assert err.getvalue().startswith("Gagal: Akses ditolak: peran Operator (Oki) tidak boleh memulihkan cadangan")
    args = cli.parse(["--user", "ana", "restore", str(copy), "--yes"])
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-admin-1")
    with_admin.dispose()
    assert cli.run_on_folder(args, paths, out=out, err=io.StringIO()) == 0, out.getvalue()
