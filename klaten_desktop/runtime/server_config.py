"""Where this installation's database lives, chosen in the first-run wizard or in Pengaturan: the file in the data
folder (one PC) or a PostgreSQL server (an office with several PCs, the regency; docs/server-mode.md).

The choice is stored outside the database it names, in ``basis-data.json`` next to the per-PC view settings
(``AppPaths.server_config_file``): host, port, database and user. Never the password: that is kept by the OS
credential store (``runtime/credentials.py``) or asked at each start. ``--db-url`` on the command line overrides
the file.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "basis-data.json"
MODE_LOCAL, MODE_SERVER = "lokal", "server"
DEFAULT_PORT = 5432


class ServerConfigError(ValueError):
    """The config file cannot be read (damaged or edited by hand); the message is in Indonesian."""


@dataclass(frozen=True)
class ServerSetting:
    """A PostgreSQL database on a server, without its password."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT

    @property
    def label(self) -> str:
        """``HOST/DB`` for messages (as ``services/bootstrap.server_label``)."""
        return f"{self.host}/{self.database}"

    @property
    def account(self) -> str:
        """The name the password is kept under in the OS credential store."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def problem(self) -> str | None:
        """What is missing or wrong, in Indonesian; None when the setting can be tried."""
        if not self.host.strip():
            return "Isi alamat server (nama komputer atau alamat IP)."
        if not 0 < self.port < 65536:
            return "Port harus angka 1 sampai 65535 (bawaan PostgreSQL: 5432)."
        if not self.database.strip():
            return "Isi nama basis data di server."
        if not self.user.strip():
            return "Isi nama pengguna basis data."
        return None


def config_path(data_dir: Path) -> Path:
    return data_dir / CONFIG_NAME  # = AppPaths.server_config_file


def exists(data_dir: Path) -> bool:
    """True once a choice was stored (either one)."""
    return config_path(data_dir).is_file()


def load(data_dir: Path) -> ServerSetting | None:
    """The server this installation uses, or None for the database file in the data folder (also when nothing was
    chosen yet). :class:`ServerConfigError` when the file is damaged."""
    path = config_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ServerConfigError(
            f"Berkas pengaturan basis data {path} tidak dapat dibaca ({exc}). Hapus berkas itu lalu pilih kembali "
            "letak basis data di pengaturan awal."
        ) from exc
    if not isinstance(raw, dict) or raw.get("mode") not in (MODE_LOCAL, MODE_SERVER):
        raise ServerConfigError(
            f"Berkas pengaturan basis data {path} tidak dikenal. Hapus berkas itu lalu pilih kembali letak basis "
            "data di pengaturan awal."
        )
    if raw["mode"] == MODE_LOCAL:
        return None
    try:
        setting = ServerSetting(
            host=str(raw["host"]), database=str(raw["database"]), user=str(raw["user"]), port=int(raw["port"])
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerConfigError(f"Berkas pengaturan basis data {path} tidak lengkap ({exc}).") from exc
    problem = setting.problem()
    if problem is not None:
        raise ServerConfigError(f"Berkas pengaturan basis data {path} tidak lengkap: {problem}")
    return setting


def save(data_dir: Path, setting: ServerSetting | None) -> Path:
    """Store the choice: ``setting`` (a server) or None (the file in the data folder). Written to a temporary file
    and moved over the old one, so a crash leaves either choice whole."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = config_path(data_dir)
    if setting is None:
        payload: dict[str, object] = {"mode": MODE_LOCAL}
    else:
        payload = {
            "mode": MODE_SERVER,
            "host": setting.host.strip(),
            "port": setting.port,
            "database": setting.database.strip(),
            "user": setting.user.strip(),
        }
    tmp = path.with_name(path.name + ".baru")
    try:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
