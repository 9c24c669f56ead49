"""Sync benchmarks: export of 100,000 officials, and import of 26 packages holding 13,000 officials.

    .venv/bin/python bench/bench_sync.py [--officials 100000] [--repeat 5] [--only export|import]

Prints medians and the ratio against the bare library work on the same rows. Targets (issue #8): export of
100,000 officials <= 2.5 s and <= 2x bare; import of the 26 packages <= 5 s.

- Export bare: sqlite3 SELECT, json.dumps per row, zip at the package's deflate level, SHA-256, file write, of
  every row the package holds (100,000 officials and their enrollments). The issue's 1.15 s reference covered
  the officials alone, so that figure is printed too; the ratio is against all the rows.
- Import bare: json.loads per line and sqlite3 executemany, on a connection with the app's pragmas
  (engine.PRAGMAS), so the ratio measures the code and not the database settings; one transaction per package
  (the reference for importing the files one at a time) and one for all (the reference for a batch, which is
  how the regency screen imports the files chosen together).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from klaten_desktop.app import open_context
from klaten_desktop.db.engine import PRAGMAS
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import (
    demo,
    housekeeping,
    identity,
    office,
)
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import export, importer, keys, package
from klaten_desktop.services.sync.tables import SPECS


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def install(root: Path, name: str, role: OfficeRole, code: str | None) -> ServiceContext:
    ctx = open_context(AppPaths(root / name))
    office.init(ctx, SYSTEM, role=role, name=name, kecamatan_kode=code)
    return ctx


def trust_both(kec: ServiceContext, regency: ServiceContext, folder: Path) -> None:
    a, b = folder / f"{id(kec)}.json", folder / "kab.json"
    keys.export_identity(kec, a)
    keys.export_identity(regency, b)
    keys.trust(regency, SYSTEM, keys.read_identity(regency, a))
    keys.trust(kec, SYSTEM, keys.read_identity(kec, b))


def bare_export(database: Path, out: Path, tables: tuple[str, ...] | None = None) -> None:
    """The same rows through the bare libraries: sqlite3 SELECT, json per row, zip, sha256, file write."""
    buffer = io.BytesIO()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    con = sqlite3.connect(database)
    level = package.COMPRESSLEVEL
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for spec in SPECS:
            if tables is not None and spec.name not in tables:
                continue
            cursor = con.execute(f"SELECT {', '.join(spec.columns)} FROM {spec.name}")
            cols = spec.columns
            lines = [dumps(dict(zip(cols, row, strict=True))) for row in cursor.fetchall()]
            zf.writestr(f"rows/{spec.name}.jsonl", "\n".join(lines) + "\n")
    con.close()
    data = buffer.getvalue()
    hashlib.sha256(data).hexdigest()
    out.write_bytes(data)


def bench_export(root: Path, n: int, repeat: int) -> None:
    regency = install(root, "kabupaten-x", OfficeRole.kabupaten, None)
    kec = install(root, "prambanan", OfficeRole.kecamatan, "33.10.01")
    trust_both(kec, regency, root)
    # a kecamatan holds at most a few thousand officials, so the 100,000 are made at a scratch regency
    # installation and copied in as if this kecamatan owned them all
    scratch = install(root, "scratch", OfficeRole.kabupaten, None)
    demo.populate(scratch, SYSTEM, n, with_payments=False)
    scratch.dispose()
    assert kec.database is not None
    con = sqlite3.connect(kec.database)
    con.execute("ATTACH DATABASE ? AS src", (str(AppPaths(root / "scratch").database),))
    with con:
        for table in ("official", "enrollment"):
            con.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
            con.execute(f"UPDATE main.{table} SET office_code = '33.10.01'")
    con.close()
    with kec.read() as session:
        rows = {s.name: session.execute(select(s.table.c.id)).all().__len__() for s in SPECS}
    print(f"export: {rows['official']:,} officials, {sum(rows.values()):,} rows in all")
    out = root / "out.klsync"
    assert kec.database is not None
    database = kec.database
    officials_only = timed(lambda: bare_export(database, root / "bare1.zip", ("official",)), repeat)
    bare = timed(lambda: bare_export(database, root / "bare.zip"), repeat)
    first = timed(lambda: export.export(kec, SYSTEM, out, full=True), 1)  # sync_row_state still empty
    ours = timed(lambda: export.export(kec, SYSTEM, out, full=True), repeat)
    level = package.COMPRESSLEVEL
    print(f"  bare sqlite3 + JSON lines + zip (level {level}) + sha256, officials only: median {officials_only:.2f} s")
    print(f"  bare sqlite3 + JSON lines + zip (level {level}) + sha256, all rows: median {bare:.2f} s")
    print(f"  first sync export --full (every row new in sync_row_state): {first:.2f} s")
    print(f"  sync export --full (signed, encrypted, fsync, state): median {ours:.2f} s  ratio {ours / bare:.2f}x")
    print(f"  package size {out.stat().st_size / 1e6:.1f} MB (target <= 2.5 s and <= 2x bare)")


def bench_import(root: Path, repeat: int) -> None:
    template = install(root, "kabupaten", OfficeRole.kabupaten, None)
    packages: list[Path] = []
    officials = 0
    for i in range(1, 27):
        code = f"33.10.{i:02d}"
        kec = install(root, f"kec{i:02d}", OfficeRole.kecamatan, code)
        trust_both(kec, template, root)
        officials += demo.populate(kec, SYSTEM, 500, seed=i).officials
        path = root / f"{code}.klsync"
        export.export(kec, SYSTEM, path)
        packages.append(path)
        kec.dispose()
    template.dispose()
    payloads = [decrypted(p, root) for p in packages]
    times: dict[str, list[float]] = {"bare": [], "bare_batch": [], "one": [], "batch": [], "checkpoint": []}
    created: dict[str, int] = {}

    def one_by_one(regency: ServiceContext) -> int:
        return sum(importer.import_package(regency, SYSTEM, p).total("created") for p in packages)

    def batch(regency: ServiceContext) -> int:
        outcomes = importer.import_packages(regency, SYSTEM, packages)
        return sum(o.result.total("created") for o in outcomes if o.result is not None)

    for r in range(repeat):
        for name, per_package in (("bare", True), ("bare_batch", False)):
            target = copy_regency(root, f"{name}-run{r}")
            start = time.perf_counter()
            bare_import(target.database, payloads, per_package=per_package)
            times[name].append(time.perf_counter() - start)
        for name, run in (("one", one_by_one), ("batch", batch)):
            regency = open_context(copy_regency(root, f"{name}-run{r}"))
            start = time.perf_counter()
            created[name] = run(regency)
            times[name].append(time.perf_counter() - start)
            if name == "batch":  # what the window then does on a pool thread (services/housekeeping.py)
                start = time.perf_counter()
                housekeeping.checkpoint(regency, min_bytes=0)
                times["checkpoint"].append(time.perf_counter() - start)
            regency.dispose()
    assert created["one"] == created["batch"]
    med = {name: statistics.median(seconds) for name, seconds in times.items()}
    print(f"import: 26 packages, {officials:,} officials, {created['batch']:,} rows created")
    print(f"  bare JSON lines + sqlite3 executemany, one transaction per package: median {med['bare']:.2f} s")
    print(f"  bare JSON lines + sqlite3 executemany, one transaction for all: median {med['bare_batch']:.2f} s")
    print(
        f"  sync import, the 26 files chosen together (one batch, as the screen does): median {med['batch']:.2f} s"
        f"  ratio {med['batch'] / med['bare_batch']:.2f}x"
    )
    print(f"  then the WAL checkpoint, which the window runs in the background: median {med['checkpoint']:.2f} s")
    print(
        f"  sync import, one file at a time (as 'sync import FILE' 26 times): median {med['one']:.2f} s"
        f"  ratio {med['one'] / med['bare']:.2f}x"
    )
    print("  (target <= 5 s for all 26)")


def copy_regency(root: Path, name: str) -> AppPaths:
    target = AppPaths(root / name)
    target.database.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(AppPaths(root / "kabupaten").database), sqlite3.connect(target.database)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def decrypted(path: Path, root: Path) -> dict[str, bytes]:
    regency = open_context(AppPaths(root / "kabupaten"))
    opened = package.open_package(path.read_bytes())
    _, tables = package.read_zip(package.decrypt(opened, identity.encryption_key(regency)))
    regency.dispose()
    return tables


def bare_import(database: Path, payloads: list[dict[str, bytes]], *, per_package: bool) -> None:
    """The bare libraries storing the same rows: json.loads per line and executemany, no checks at all; one
    transaction per package, or one for all of them."""
    con = sqlite3.connect(database, isolation_level=None)
    for pragma in PRAGMAS:
        con.execute(pragma)
    if not per_package:
        con.execute("BEGIN IMMEDIATE")
    for tables in payloads:
        if per_package:
            con.execute("BEGIN IMMEDIATE")
        for spec in SPECS:
            data = tables.get(spec.name, b"")
            if not data:
                continue
            rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
            cols = spec.columns
            sql = f"INSERT INTO {spec.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
            con.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
        if per_package:
            con.execute("COMMIT")
    if not per_package:
        con.execute("COMMIT")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("export", "import"), help="run one of the two benchmarks")
    args = parser.parse_args()
    if args.only != "import":
        with tempfile.TemporaryDirectory() as tmp:
            bench_export(Path(tmp) / "export", args.officials, args.repeat)
    if args.only != "export":
        with tempfile.TemporaryDirectory() as tmp:
            bench_import(Path(tmp) / "import", max(1, args.repeat // 2 + 1))


if __name__ == "__main__":
    main()
