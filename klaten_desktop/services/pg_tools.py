"""The PostgreSQL client tools (``pg_dump``, ``pg_restore``, ``psql``) for backups of a database on a server.

Found on PATH, or on Windows in the PostgreSQL installer's folders (``C:\\Program Files\\PostgreSQL\\<versi>\\bin``,
the newest version first). The connection comes from the database URL through libpq's environment variables
(``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGDATABASE``, ``PGPASSWORD``): the password never appears on a command line
(which other users of the PC can read) nor in a message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from klaten_desktop.services.errors import EnvironmentProblem, UserError

#: What to install when a tool is missing.
INSTALL_ADVICE = (
    "Pasang alat klien PostgreSQL dengan versi yang sama dengan servernya (atau lebih baru): di Windows penginstal "
    "PostgreSQL dari postgresql.org (komponen 'Command Line Tools' cukup), di Debian/Ubuntu paket postgresql-client. "
    "Lalu ulangi."
)
#: A dump of the whole database may take a while on a regency's server; beyond this something is wrong.
TIMEOUT_SECONDS = 3 * 3600
#: The tools are console programs: from the windowed app on Windows they must not flash a console window.
NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0


def _windows_folders() -> list[Path]:
    roots = [Path(os.environ.get(v, "")) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
    roots.append(Path("C:/Program Files"))
    found: list[tuple[tuple[int, ...], Path]] = []
    for root in roots:
        base = root / "PostgreSQL"
        if not base.is_dir():
            continue
        for folder in base.iterdir():
            version = tuple(int(p) for p in re.findall(r"\d+", folder.name))
            if (folder / "bin").is_dir():
                found.append((version, folder / "bin"))
    return [folder for _version, folder in sorted(found, reverse=True)]


def find(name: str) -> Path | None:
    """The tool ``name`` (``pg_dump``, ``pg_restore``, ``psql``), or None when it is not installed."""
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    if sys.platform == "win32":
        for folder in _windows_folders():
            candidate = folder / f"{name}.exe"
            if candidate.is_file():
                return candidate
    return None


def require(name: str, purpose: str) -> Path:
    """The tool ``name``; an Indonesian :class:`EnvironmentProblem` naming what to install when it is missing."""
    tool = find(name)
    if tool is None:
        raise EnvironmentProblem(
            f"{purpose} memerlukan program {name} (alat klien PostgreSQL), yang tidak ditemukan di komputer ini. "
            + INSTALL_ADVICE
        )
    return tool


def environment(url: str) -> dict[str, str]:
    """The process environment for a tool connecting to ``url`` (libpq variables, the password among them)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = dict(os.environ)
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSERVICE", "PGSSLMODE"):
        env.pop(key, None)
    values = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGDATABASE": parsed.database,
        "PGPASSWORD": parsed.password if isinstance(parsed.password, str) else None,
        "PGSSLMODE": parsed.query.get("sslmode") if isinstance(parsed.query.get("sslmode"), str) else None,
    }
    env.update({k: str(v) for k, v in values.items() if v})
    env["PGCONNECT_TIMEOUT"] = "15"
    env["PGAPPNAME"] = "klaten-desktop"
    return env


def failure(tool: Path, stderr: str) -> str:
    """The first meaningful line a tool wrote to stderr (its own words, quoted in an Indonesian sentence)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    reason = next((line for line in lines if "error" in line.lower() or "fatal" in line.lower()), None)
    reason = reason or (lines[0] if lines else "tanpa keterangan")
    return f"{tool.stem}: {reason[:300]}"


def run(tool: Path, args: Sequence[str], url: str | None, *, what: str) -> subprocess.CompletedProcess[str]:
    """Run ``tool`` with ``args`` (connected to ``url`` when given); a failure becomes an Indonesian
    :class:`EnvironmentProblem` starting with ``what`` (what was being done)."""
    try:
        done = subprocess.run(
            [str(tool), *args],
            env=environment(url) if url else None,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_SECONDS,
            check=False,
            creationflags=NO_WINDOW,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentProblem(f"{what} gagal: {tool.name} tidak dapat dijalankan ({exc}).") from exc
    if done.returncode != 0:
        raise EnvironmentProblem(f"{what} gagal ({failure(tool, done.stderr)}).")
    return done


#: The tables an archive of a Klaten Desktop database must hold data for.
REQUIRED_DATA = ("alembic_version", "office", "official", "audit_log")


def archive_revision(archive: Path) -> str:
    """The schema revision held by the ``pg_dump -Fc`` archive ``archive``, after ``pg_restore --list`` read its
    whole table of contents; :class:`UserError` for a file that is not a Klaten Desktop server backup."""
    pg_restore = require("pg_restore", "Pemeriksaan cadangan server")
    try:
        listing = subprocess.run(
            [str(pg_restore), "--list", str(archive)],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=TIMEOUT_SECONDS,
            creationflags=NO_WINDOW,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentProblem(
            f"Pemeriksaan cadangan gagal: {pg_restore.name} tidak dapat dijalankan ({exc})."
        ) from exc
    if listing.returncode != 0:
        raise UserError(
            f"Berkas {archive.name} bukan cadangan server yang utuh ({failure(pg_restore, listing.stderr)}); pilih "
            "cadangan lain. Tidak ada yang diubah."
        )
    data = set(re.findall(r"TABLE DATA public (\w+) ", listing.stdout))
    missing = [t for t in REQUIRED_DATA if t not in data]
    if missing:
        raise UserError(
            f"Berkas {archive.name} bukan cadangan basis data Klaten Desktop (tidak ada tabel {', '.join(missing)}). "
            "Tidak ada yang diubah."
        )
    script = run(
        pg_restore,
        ["--data-only", "--table=alembic_version", "--file=-", str(archive)],
        None,
        what="Pemeriksaan cadangan server",
    ).stdout
    match = re.search(r"^COPY public\.alembic_version .*FROM stdin;\n([^\n\\]+)\n", script, re.MULTILINE)
    if match is None:
        raise UserError(f"Cadangan {archive.name} tidak mencatat versi skemanya; bukan cadangan Klaten Desktop.")
    return match.group(1).strip()
