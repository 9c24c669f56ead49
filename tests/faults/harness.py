"""The machinery of the fault tests: the fork server, kill campaigns, and the checks every kill is judged by."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FORKSERVER = Path(__file__).with_name("forkserver.py")
DB_NAME = "klaten.sqlite"
WINDOWS_REASON = "SIGKILL, fork and size-limited file systems are POSIX; the Windows interpreter runs the rest"


@dataclass(frozen=True)
class Run:
    """What one job of the fork server did."""

    killed: bool
    exit: int | None
    seconds: float
    finished: dict[int, int]  # command index -> exit code, for the commands that returned
    stdout: str
    stderr: str
    events: list[str]


class ForkServer:
    """A Python process that imported the app once and forks a grandchild per job (tests/faults/forkserver.py)."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        env.pop("KLATEN_DATA_DIR", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(FORKSERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            encoding="utf-8",
            env=env,
            cwd=str(ROOT),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.close()
            raise RuntimeError(f"fork server did not start: {line!r}")
        self.jobs = 0

    def run(
        self,
        commands: Sequence[Sequence[str]],
        work: Path,
        *,
        kill_at: tuple[str, int] | None = None,
        delay: float | None = None,
        record: bool = False,
        fsize: int | None = None,
        stop_on_failure: bool = True,
    ) -> Run:
        """Run ``commands`` (each an argv of ``klaten-desktop``) in a grandchild; its files go into ``work``."""
        self.jobs += 1
        stem = work / f"job{self.jobs}"
        files = {k: Path(f"{stem}.{k}") for k in ("stdout", "stderr", "side", "record")}
        job: dict[str, Any] = {
            "commands": [list(c) for c in commands],
            "stdout": str(files["stdout"]),
            "stderr": str(files["stderr"]),
            "side": str(files["side"]),
            "kill_at": list(kill_at) if kill_at else None,
            "delay": delay,
            "record": str(files["record"]) if record else None,
            "fsize": fsize,
            "stop_on_failure": stop_on_failure,
        }
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        finished = {}
        if files["side"].exists():
            for line in files["side"].read_text(encoding="utf-8").splitlines():
                index, code = line.split()
                finished[int(index)] = int(code)
        events = files["record"].read_text(encoding="utf-8").splitlines() if record else []
        return Run(
            answer["killed"],
            answer["exit"],
            answer["seconds"],
            finished,
            files["stdout"].read_text(encoding="utf-8") if files["stdout"].exists() else "",
            files["stderr"].read_text(encoding="utf-8", errors="replace") if files["stderr"].exists() else "",
            events,
        )

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


# ------------------------------------------------------------------------------------------------ the database


def query(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on ``db`` (opening it as the next start would: a killed writer's -wal is recovered)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def storage_problems(db: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``: what is wrong (nothing on a sound file)."""
    conn = sqlite3.connect(db)
    try:
        lines = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        fks = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    problems = [] if lines == ["ok"] else [f"integrity_check: {lines[:3]}"]
    return problems + ([f"foreign_key_check: {fks[:3]}"] if fks else [])


def content_digest(db: Path) -> str:
    """A digest of every row of every table (what "the database is unchanged" compares)."""
    conn = sqlite3.connect(db)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_temporary(path: Path) -> bool:
    """A file services/files.py writes before its rename (``.name-xxxx.ext.tmp``): never taken for an output."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def contiguous(numbers: Sequence[int]) -> bool:
    return sorted(numbers) == list(range(1, len(numbers) + 1))


def register_problems(db: Path, out: Path) -> list[str]:
    """Issued documents: every PDF in ``out`` is recorded (its SHA-256 in ``document``), every document has its
    number in the register, and the register has no hole."""
    problems: list[str] = []
    recorded = {r[0] for r in query(db, "SELECT sha256 FROM document")}
    for pdf in sorted(out.glob("*.pdf")):
        if not is_temporary(pdf) and sha256(pdf) not in recorded:
            problems.append(f"{pdf.name} holds numbers the register lacks")
    unnumbered = query(
        db,
        "SELECT d.nomor FROM document d LEFT JOIN register_entry r ON r.id = d.register_entry_id "
        "WHERE r.id IS NULL OR r.nomor != d.nomor OR r.state != 'issued'",
    )
    if unnumbered:
        problems.append(f"documents without their register entry: {unnumbered[:3]}")
    orphans = query(
        db,
        "SELECT r.nomor FROM register_entry r LEFT JOIN document d ON d.register_entry_id = r.id "
        "WHERE r.state = 'issued' AND d.id IS NULL",
    )
    if orphans:
        problems.append(f"register entries issued without a document: {orphans[:3]}")
    for year, sequence in query(db, "SELECT DISTINCT year, sequence FROM register_entry"):
        numbers = [r[0] for r in query(db, "SELECT number FROM register_entry WHERE year=? AND sequence=?",
                                       (year, sequence))]  # fmt: skip
        if not contiguous(numbers):
            problems.append(f"register {sequence}/{year} has holes: {sorted(numbers)}")
    return problems


def package_problems(db: Path, out: Path) -> list[str]:
    """Sync packages written: every package file in ``out`` is recorded as sent, and the sequence has no hole."""
    problems: list[str] = []
    sent = {r[0] for r in query(db, "SELECT sha256 FROM sync_package WHERE direction = 'sent'")}
    for package in sorted(out.glob("*.klsync")):
        if not is_temporary(package) and sha256(package) not in sent:
            problems.append(f"orphan package {package.name}: its sequence is not recorded")
    sequences = [r[0] for r in query(db, "SELECT sequence FROM sync_package WHERE direction = 'sent'")]
    if not contiguous(sequences):
        problems.append(f"sent sequences have holes: {sorted(sequences)}")
    return problems


# ------------------------------------------------------------------------------------------------ campaigns

Commands = Callable[[Path], list[list[str]]]
"""The command lines of one run, given the run's folder (data folder ``data/``, output folder ``keluar/``)."""
Verify = Callable[[Path, Run], list[str]]
"""What is wrong in a run's folder after it ended (killed or not); empty when all holds."""


@dataclass
class Campaign:
    """Kills of one operation: at counted events (exact, reproducible) and after seeded random delays."""

    name: str
    seed_dir: Path
    commands: Commands
    verify: Verify
    event_kills: int = 36
    timed_kills: int = 6
    problems: list[str] = field(default_factory=list)
    kills: int = 0
    points: Counter[str] = field(default_factory=Counter)

    def fresh(self, base: Path, label: str) -> Path:
        folder = base / label
        shutil.copytree(self.seed_dir, folder)
        (folder / "keluar").mkdir(exist_ok=True)
        return folder

    def judge(self, folder: Path, run: Run, label: str) -> None:
        db = folder / "data" / DB_NAME
        found = storage_problems(db)
        if not found:
            found = self.verify(folder, run)
        if "Traceback" in run.stderr:
            found.append("a traceback: " + run.stderr[-400:])
        self.problems += [f"[{self.name} {label}] {p}" for p in found]
        if run.killed:
            self.kills += 1
        shutil.rmtree(folder, ignore_errors=True)

    def run(self, server: ForkServer, base: Path, *, seed: int) -> None:
        """Calibrate (no kill: everything must hold and every command finish), then kill at chosen points."""
        folder = self.fresh(base, "kalibrasi")
        whole = server.run(self.commands(folder), folder, record=True)
        commands = len(self.commands(folder))
        assert not whole.killed and whole.finished == dict.fromkeys(range(commands), 0), whole.stderr[-2000:]
        events, seconds = whole.events, whole.seconds
        self.judge(folder, whole, "tanpa-kill")
        rng = random.Random(seed)
        # a point may not come in a run (a few statements depend on timing): the next one is taken instead
        chosen = kill_points(events, self.event_kills, rng)
        points = iter(chosen + kill_points([e for e in events if e not in ("post:replace", "post:rename")],
                                           self.event_kills, rng))  # fmt: skip
        for n in range(2 * self.event_kills):
            point = next(points, None)
            if point is None or self.kills >= self.event_kills:
                break
            folder = self.fresh(base, f"k{n}")
            self.points[point[0]] += 1
            self.judge(folder, server.run(self.commands(folder), folder, kill_at=point), f"{point[0]}#{point[1]}")
        timed = self.kills
        for n in range(2 * self.timed_kills):
            if self.kills - timed >= self.timed_kills:
                break
            delay = rng.uniform(0.0, seconds)
            folder = self.fresh(base, f"t{n}")
            self.judge(folder, server.run(self.commands(folder), folder, delay=delay), f"{delay:.3f}s")


def kill_points(events: Sequence[str], budget: int, rng: random.Random) -> list[tuple[str, int]]:
    """``budget`` points ``(event name, occurrence)``: every moment a file appears under its name (just after
    its rename), about half the budget at other file operations and commits (the edges between the database
    and the files around it), the rest anywhere; drawn with ``rng``."""
    occurrence: Counter[str] = Counter()
    numbered: list[tuple[str, int]] = []
    for name in events:
        occurrence[name] += 1
        numbered.append((name, occurrence[name]))
    chosen = [p for p in numbered if p[0] in ("post:replace", "post:rename")][: budget // 3]
    edges = [p for p in numbered if p not in chosen and (p[0].startswith(("pre:", "post:")) or p[0] == "sql:COMMIT")]
    chosen += rng.sample(edges, min(len(edges), budget // 2 - len(chosen)))
    rest = [p for p in numbered if p not in chosen]
    chosen += rng.sample(rest, min(len(rest), budget - len(chosen)))
    return chosen
