"""Where the app keeps its files.

Everything lives in one data folder (per user, from platformdirs) unless ``--data-dir`` overrides it, so a
test or a second office can run side by side without touching the real home folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "KlatenDesktop"
APP_AUTHOR = "PemkabKlaten"
DATABASE_NAME = "klaten.sqlite"
#: Files that hold NIKs (exports of people, error workbooks, backups) and scratch folders: the owner's only, where
#: the OS has POSIX modes. On Windows the files keep the ACL the folder gives them (docs/backup-restore.md).
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_DIR_NAME, APP_AUTHOR, roaming=False)


def resources_dir() -> Path:
    """The shipped ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def windows_fonts_dir() -> Path | None:
    """The Windows fonts folder (``%WINDIR%\\Fonts``), or None elsewhere."""
    if sys.platform != "win32":
        return None
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def use_offscreen_qt() -> None:
    """Make Qt draw without a screen (self-test, tests, screenshots).

    On Windows Qt's offscreen platform reads fonts only from ``QT_QPA_FONTDIR`` (by default an empty folder inside
    Qt): without it every text is drawn as nothing. Point it at the Windows fonts folder unless already set.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    fonts = windows_fonts_dir()
    if fonts is not None and fonts.is_dir():
        os.environ.setdefault("QT_QPA_FONTDIR", str(fonts))


def migrations_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "db" / "migrations"


@dataclass(frozen=True)
class AppPaths:
    """The data folder, and the PostgreSQL server's URL in server mode (``--db-url``, docs/server-mode.md): the
    database is then on the server, and the folder keeps the logs, keys, exports and scratch files."""

    data_dir: Path
    database_url: str | None = None

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "cadangan"

    @property
    def logs(self) -> Path:
        return self.data_dir / "log"

    @property
    def exports(self) -> Path:
        return self.data_dir / "ekspor"

    @property
    def keys(self) -> Path:
        return self.data_dir / "kunci"

    @property
    def scratch(self) -> Path:
        """Temporary files holding NIKs (xlsxwriter's parts, outputs being written): the owner's only, and what a
        run left behind is removed at the next start (services/files.py ``use_scratch``)."""
        return self.data_dir / "sementara"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "tampilan.ini"

    @property
    def server_config_file(self) -> Path:
        """Where the database lives when it is on a server (``runtime/server_config.py``); never the password."""
        return self.data_dir / "basis-data.json"

    @property
    def crash_log(self) -> Path:
        return self.logs / "crash.log"

    @classmethod
    def resolve(cls, data_dir: str | Path | None, database_url: str | None = None) -> AppPaths:
        base = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
        return cls(data_dir=base, database_url=database_url or None)

    def ensure(self) -> None:
        for folder in (self.data_dir, self.backups, self.logs, self.exports, self.keys):
            folder.mkdir(parents=True, exist_ok=True)
        self.scratch.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
        if sys.platform != "win32":
            with contextlib.suppress(OSError):  # a flash disk's FAT takes no modes
                self.scratch.chmod(PRIVATE_FOLDER_MODE)  # also a folder made before, or under a loose umask
