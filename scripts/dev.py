#!/usr/bin/env python3
"""The two commands of the README, the same on Linux and Windows:

    python scripts/dev.py run      install everything into .venv (once per lock change) and open the app
    python scripts/dev.py test     install everything into .venv, then ruff, mypy, import contracts, pytest

Anything after the command is passed on (``run -- --data-dir D``, ``test -- -k nik``).
Needs only Python 3.11+ on PATH; everything else comes from PyPI with the pinned versions in
requirements/constraints.txt.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("KLATEN_VENV", ROOT / ".venv"))
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".klaten-installed"


def venv_tool(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_tool("python")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (CONSTRAINTS, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on whatever Python is on PATH
        sys.exit("Klaten Desktop memerlukan Python 3.11 atau lebih baru.")
    python = venv_python()
    if not python.exists():
        print(f"Membuat lingkungan Python di {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    wanted = _fingerprint()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == wanted:
        return python
    print("Memasang dependensi (versi terkunci) ...", flush=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "-c", str(CONSTRAINTS), "pip"], check=True)
    subprocess.run(
        [*pip, "install", "--quiet", "-c", str(CONSTRAINTS), "-e", f"{ROOT}[dev]"],
        check=True,
        cwd=ROOT,
    )
    STAMP.write_text(wanted, encoding="utf-8")
    return python


def run(python: Path, args: list[str]) -> int:
    return subprocess.call([str(python), "-m", "klaten_desktop", *args], cwd=ROOT)


def test(python: Path, args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    steps: list[tuple[str, list[str]]] = [
        ("ruff", [str(python), "-m", "ruff", "check", "."]),
        ("mypy", [str(python), "-m", "mypy"]),
        ("kontrak lapisan (import-linter)", [str(venv_tool("lint-imports"))]),
        ("pytest", [str(python), "-m", "pytest", *args]),
    ]
    for name, command in steps:
        print(f"\n=== {name} ===", flush=True)
        code = subprocess.call(command, cwd=ROOT, env=env)
        if code != 0:
            print(f"\nGAGAL pada langkah: {name} (kode {code})", flush=True)
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "install"}:
        print(__doc__)
        return 2
    command, rest = argv[0], [a for a in argv[1:] if a != "--"]
    python = ensure_environment()
    if command == "install":
        return 0
    if command == "run":
        return run(python, rest)
    return test(python, rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
