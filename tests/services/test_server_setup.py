"""Server mode set-up (docs/server-mode.md): the stored choice in the data folder, the password in the OS credential
store (a keyring test backend), the start that uses the stored server, the connection test, the self-test on the
real PostgreSQL server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime import credentials, server_config
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.server_config import ServerConfigError, ServerSetting
from klaten_desktop.services import bootstrap, office, server
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from tests import keyrings


def _setting(url: str) -> ServerSetting:
    parsed = make_url(url)
    return ServerSetting(
        host=parsed.host or "", port=parsed.port or 5432, database=parsed.database or "", user=parsed.username or ""
    )


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    with keyrings.memory() as kept:
        yield kept


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with keyrings.none():
        yield


def test_config_round_trip(tmp_path: Path) -> None:
    assert server_config.load(tmp_path) is None and not server_config.exists(tmp_path)
    setting = ServerSetting(host=" 192.168.1.10 ", port=5433, database="klaten", user="staf")
    path = server_config.save(tmp_path, setting)
    assert path == AppPaths(tmp_path).server_config_file
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "mode": "server",
        "host": "192.168.1.10",
        "port": 5433,
        "database": "klaten",
        "user": "staf",
    }
    assert server_config.load(tmp_path) == ServerSetting("192.168.1.10", "klaten", "staf", 5433)
    server_config.save(tmp_path, None)
    assert server_config.exists(tmp_path) and server_config.load(tmp_path) is None
    assert not list(tmp_path.glob("*.baru"))


@pytest.mark.parametrize("content", ["{", '{"mode": "awan"}', '{"mode": "server", "host": "x"}', "[]"])
def test_damaged_config_is_refused_with_the_way_out(tmp_path: Path, content: str) -> None:
    AppPaths(tmp_path).server_config_file.write_text(content, encoding="utf-8")
    with pytest.raises(ServerConfigError, match=r"basis-data\.json"):
        server_config.load(tmp_path)
    with pytest.raises(UserError, match=r"basis-data\.json"):
        server.stored(AppPaths(tmp_path))


def test_password_kept_in_the_credential_store_not_in_the_file(
    tmp_path: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    paths = AppPaths(tmp_path)
    setting = ServerSetting("pc-server", "klaten", "staf")
    assert credentials.available()
    assert server.remember(paths, setting, "rahasia-kantor") is True
    assert memory_keyring == {(credentials.SERVICE, "staf@pc-server:5432/klaten"): "rahasia-kantor"}
    assert "rahasia-kantor" not in paths.server_config_file.read_text(encoding="utf-8")
    assert credentials.load(setting.account) == "rahasia-kantor"
    moved = ServerSetting("pc-baru", "klaten", "staf")
    assert server.remember(paths, moved, "sandi-baru") is True
    assert memory_keyring == {(credentials.SERVICE, "staf@pc-baru:5432/klaten"): "sandi-baru"}  # the old one went
    assert server.remember(paths, None, None) is False
    assert memory_keyring == {}


def test_without_a_credential_store_nothing_is_kept(tmp_path: Path, no_keyring: None) -> None:
    assert not credentials.available() and credentials.store_name() == "tidak ada"
    assert server.remember(AppPaths(tmp_path), ServerSetting("pc-server", "klaten", "staf"), "rahasia") is False
    assert credentials.load("staf@pc-server:5432/klaten") is None


def test_url_escapes_the_password_and_labels_never_show_it() -> None:
    url = server.url_of(ServerSetting("10.0.0.5", "klaten", "staf", 5433), "p@ss:w/rd")
    parsed = make_url(url)
    assert (parsed.password, parsed.host, parsed.port, parsed.database) == ("p@ss:w/rd", "10.0.0.5", 5433, "klaten")
    assert parsed.query == {"connect_timeout": str(server.CONNECT_TIMEOUT_S)}
    assert bootstrap.server_label(url) == "10.0.0.5/klaten"


def test_first_start_needs_the_choice_only_on_a_new_folder(tmp_path: Path) -> None:
    fresh = AppPaths(tmp_path / "baru")
    assert server.needs_choice(fresh)
    assert not server.needs_choice(AppPaths(tmp_path / "baru", database_url="postgresql+psycopg://x@h/d"))
    old = AppPaths(tmp_path / "lama")
    old.ensure()
    old.database.write_bytes(b"")  # an installation from before server mode: its file, no question
    assert not server.needs_choice(old)
    server_config.save(fresh.data_dir, None)
    assert not server.needs_choice(fresh)


def test_start_with_stored_server_uses_postgresql(tmp_path: Path, pg_url: str, no_keyring: None) -> None:
    paths = AppPaths(tmp_path / "data")
    server_config.save(paths.data_dir, _setting(pg_url))
    asked: list[Any] = []
    ctx = server.open_stored(paths, bootstrap.open_context, ask=lambda s, p: asked.append((s, p)) or "")
    try:
        assert ctx.engine.dialect.name == "postgresql"
        assert ctx.database is None and not paths.database.exists()
        assert ctx.engine.url.database == make_url(pg_url).database
        assert office.get(ctx) is None
    finally:
        ctx.dispose()
    assert asked == []  # the test server trusts local connections: no password needed, none asked


def test_command_line_url_wins_over_the_stored_server(tmp_path: Path, pg_url: str) -> None:
    paths = AppPaths(tmp_path / "data")
    server_config.save(paths.data_dir, ServerSetting("tidak-ada.invalid", "x", "y"))
    chosen = AppPaths(paths.data_dir, database_url=pg_url)
    ctx = server.open_stored(chosen, bootstrap.open_context, ask=None)
    try:
        assert ctx.engine.url.database == make_url(pg_url).database
    finally:
        ctx.dispose()


def test_refused_password_is_asked_then_kept(tmp_path: Path, memory_keyring: dict[tuple[str, str], str]) -> None:
    """The kept password is refused (changed on the server): it is asked, and the one that opens replaces it.
    (The test server trusts local connections, so the server's refusal is what bootstrap reports for one.)"""
    setting = ServerSetting("pc-server", "klaten", "staf")
    paths = AppPaths(tmp_path / "data")
    server.remember(paths, setting, "lama")
    tried: list[str | None] = []

    def open_fn(opened: AppPaths) -> str:
        password = make_url(opened.database_url or "").password
        tried.append(password)
        if password != "benar-123":
            raise EnvironmentProblem(
                "Server basis data pc-server/klaten tidak dapat dipakai saat ini (connection failed: FATAL:  password "
                'authentication failed for user "staf").'
            )
        return "terbuka"

    asked: list[str | None] = []

    def ask(_s: ServerSetting, problem: str | None) -> str | None:
        asked.append(problem)
        return "keliru" if len(asked) == 1 else "benar-123"

    assert server.open_stored(paths, open_fn, ask=ask) == "terbuka"
    assert tried == ["lama", "keliru", "benar-123"]
    assert asked == ["Kata sandi ditolak server; ketik ulang."] * 2
    assert credentials.load(setting.account) == "benar-123"
    server.remember(paths, setting, "lama")
    with pytest.raises(UserError, match="tidak diisi"):
        server.open_stored(paths, open_fn, ask=lambda _s, _p: None)
    with pytest.raises(EnvironmentProblem, match="password authentication"):
        server.open_stored(paths, open_fn, ask=None)


def test_probe_tells_empty_klaten_and_unreachable(tmp_path: Path, pg_url: str, pg_databases: Any) -> None:
    empty = server.probe(_setting(pg_databases.create()), None)
    assert empty.revision is None and empty.other_tables == 0
    assert "masih kosong" in empty.summary("h/d")
    url = pg_databases.create()
    ctx = bootstrap.open_context(AppPaths(tmp_path, database_url=url))
    try:
        migrated = server.probe(_setting(url), None)
        assert migrated.revision is not None and migrated.office_name is None
        assert "kantornya belum diatur" in migrated.summary("h/d")
        office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten")
    finally:
        ctx.dispose()
    used = server.probe(_setting(url), None)
    assert used.office_name == "Pemerintah Kabupaten Klaten"
    assert used.summary("h/d").endswith(
        "basis data berisi data kantor Pemerintah Kabupaten Klaten (PC lain sudah memakainya; langsung masuk)."
    )
    with pytest.raises(UserError, match="alamat server"):
        server.probe(ServerSetting("", "klaten", "staf"), None)
    missing = _setting(pg_url)
    with pytest.raises(EnvironmentProblem, match="belum ada di server"):
        server.probe(ServerSetting(missing.host, "tidak_ada_basis_data_ini", missing.user, missing.port), None)
    with pytest.raises(EnvironmentProblem, match="tidak terjangkau"):
        server.probe(ServerSetting("127.0.0.1", "klaten", "staf", 1), None)


def test_self_test_runs_on_the_server_in_a_scratch_database(pg_databases: Any) -> None:
    """``klaten-desktop --db-url URL --self-test`` as a person runs it (Qt in its own process, as in packaging)."""
    url = pg_databases.create()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--db-url", url, "--self-test"],
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env=env,
    )
    report = result.stdout
    assert result.returncode == 0, report + result.stderr
    scratch = re.search(r"Basis data uji di server: 127\.0\.0\.1/(klaten_ujimandiri_[0-9a-f]{12}) ", report)
    assert scratch is not None, report
    checks = ("migrasi-baru", "kantor-dan-data-contoh", "integritas", "surat-pdf", "excel", "sinkronisasi", "akun")
    for name in (*checks, "jendela-utama"):
        assert re.search(rf"^OK {name} \(", report, re.MULTILINE), report
    assert "Uji mandiri BERHASIL: 13 OK, 0 GAGAL, 0 LEWATI" in report
    assert re.search(r"^OK pengandar-server \(psycopg 3\.\S+ \(binary, libpq \d+\.\d+\)", report, re.MULTILINE)
    admin = create_engine(url)
    try:
        with admin.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": scratch[1]})
            assert left.scalar() == 0  # dropped after the run
            tables = conn.execute(text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"))
            assert tables.scalar() == 0  # the database of --db-url itself was never opened
    finally:
        admin.dispose()


def test_command_line_on_a_pc_set_up_for_the_server(tmp_path: Path, pg_databases: Any) -> None:
    """A command without --db-url on a PC whose stored choice is the server: the office is made on the server."""
    url = pg_databases.create()
    data = tmp_path / "data"
    server_config.save(data, _setting(url))
    result = subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data), "init", "--kecamatan", "33.10.01",
         "--office-name", "Kecamatan Prambanan (server)", "--json"],
        capture_output=True, encoding="utf-8", timeout=180, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert not AppPaths(data).database.exists()
    ctx = bootstrap.open_context(AppPaths(tmp_path / "lain", database_url=url))
    try:
        data_office = office.get(ctx)
        assert data_office is not None and data_office.name == "Kecamatan Prambanan (server)"
    finally:
        ctx.dispose()


def test_password_just_typed_opens_without_asking_again(tmp_path: Path, no_keyring: None) -> None:
    """No credential store: the password typed in the first start's step opens the server at once (it is asked
    again only at the next start)."""
    paths = AppPaths(tmp_path / "data")
    assert server.remember(paths, ServerSetting("pc-server", "klaten", "staf"), "baru-diketik") is False
    tried: list[str | None] = []

    def open_fn(opened: AppPaths) -> str:
        tried.append(make_url(opened.database_url or "").password)
        return "terbuka"

    def never(_s: ServerSetting, _p: str | None) -> str:
        raise AssertionError("asked again")

    assert server.open_stored(paths, open_fn, ask=never, typed="baru-diketik") == "terbuka"
    assert server.open_stored(paths, open_fn, ask=never) == "terbuka"  # a trust server: nothing asked
    assert tried == ["baru-diketik", None]


def test_console_prompt_stays_silent_without_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduled command (no console) is never blocked on a password prompt: the start then says what to do."""
    from klaten_desktop.cli import base

    monkeypatch.setattr(base, "stdin_is_console", lambda: False)
    assert base.ask_server_password(ServerSetting("pc-server", "klaten", "staf"), None) is None
