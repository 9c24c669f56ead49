"""Sync benchmarks: export of 100,000 officials, and import of 26 packages holding 13,000 officials.

    .venv/bin/python bench/bench_sync.py [--officials 100000] [--repeat 5] [--only export|import]
        [--engines sqlite,postgresql] [--pg-url URL]

Prints medians and the ratio against the bare library work on the same rows. Targets (issue #8): export of
100,000 officials <= 2.5 s and <= 2x bare; import of the 26 packages <= 5 s.

- Export bare: sqlite3 SELECT, json.dumps per row, zip at the package's deflate level, SHA-256, file write, of
  every row the package holds (100,000 officials and their enrollments). The issue's 1.15 s reference covered
  the officials alone, so that figure is printed too; the ratio is against all the rows.
- Import bare: json.loads per line and sqlite3 executemany, on a connection with the app's pragmas
  (engine.PRAGMAS), so the ratio measures the code and not the database settings; one transaction per package
  (the reference for importing the files one at a time) and one for all (the reference for a batch, which is
  how the regency screen imports the files chosen together).
- Import on PostgreSQL (issue #21, the regency's server), side by side: the same 26 packages' rows (kecamatan PCs
  on SQLite, fixed demo seeds) into a regency on a scratch database of the server (``--pg-url``, default the
  tests' server), each run on a fresh copy (CREATE DATABASE ... TEMPLATE), all dropped at the end. Bare: json.loads
  per line and psycopg COPY per table. Target: <= 5 s on either engine.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

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

PG_URL = os.environ.get("KLATEN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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


def make_packages(root: Path, regency: ServiceContext, tag: str) -> tuple[list[Path], int]:
    """26 kecamatan installations (SQLite, as on the kecamatan PCs) of 500 demo officials each (fixed seeds: the
    same rows for every regency), each trusting ``regency``; their first data packages."""
    packages: list[Path] = []
    officials = 0
    for i in range(1, 27):
        code = f"33.10.{i:02d}"
        kec = install(root, f"kec{i:02d}{tag}", OfficeRole.kecamatan, code)
        trust_both(kec, regency, root)
        officials += demo.populate(kec, SYSTEM, 500, seed=i).officials
        path = root / f"{code}{tag}.klsync"
        export.export(kec, SYSTEM, path)
        packages.append(path)
        kec.dispose()
    return packages, officials


def run_imports(
    packages: list[Path],
    payloads: list[dict[str, bytes]],
    repeat: int,
    fresh: Callable[[str], AppPaths],
    bare: Callable[[AppPaths, bool], None],
    *,
    checkpoint: bool,
) -> dict[str, float]:
    """Median seconds of the bare import and ours, each run on a fresh copy of the regency (``fresh(name)``)."""
    times: dict[str, list[float]] = {"bare": [], "bare_batch": [], "one": [], "batch": [], "checkpoint": []}
    created: dict[str, int] = {}

    def one_by_one(regency: ServiceContext) -> int:
        return sum(importer.import_package(regency, SYSTEM, p).total("created") for p in packages)

    def batch(regency: ServiceContext) -> int:
        outcomes = importer.import_packages(regency, SYSTEM, packages)
        return sum(o.result.total("created") for o in outcomes if o.result is not None)

    for r in range(repeat):
        for name, per_package in (("bare", True), ("bare_batch", False)):
            target = fresh(f"{name}-run{r}")
            start = time.perf_counter()
            bare(target, per_package)
            times[name].append(time.perf_counter() - start)
        for name, run in (("one", one_by_one), ("batch", batch)):
            regency = open_context(fresh(f"{name}-run{r}"))
            start = time.perf_counter()
            created[name] = run(regency)
            times[name].append(time.perf_counter() - start)
            if name == "batch" and checkpoint:  # what the window then does on a pool thread (housekeeping.py)
                start = time.perf_counter()
                housekeeping.checkpoint(regency, min_bytes=0)
                times["checkpoint"].append(time.perf_counter() - start)
            regency.dispose()
    assert created["one"] == created["batch"]
    med = {name: statistics.median(seconds) for name, seconds in times.items() if seconds}
    med["created"] = created["batch"]
    return med


def bench_import(root: Path, repeat: int, engines: list[str], pg_url: str) -> None:
    results: dict[str, dict[str, float]] = {}
    officials = 0
    if "sqlite" in engines:
        template = install(root, "kabupaten", OfficeRole.kabupaten, None)
        packages, officials = make_packages(root, template, "")
        template.dispose()
        payloads = [decrypted(p, AppPaths(root / "kabupaten")) for p in packages]
        results["SQLite"] = run_imports(
            packages,
            payloads,
            repeat,
            lambda name: copy_regency(root, name),
            lambda target, per_package: bare_import(target.database, payloads, per_package=per_package),
            checkpoint=True,
        )
    if "postgresql" in engines:
        with pg_server(pg_url) as server:
            template_url = server.create()
            template = open_context(AppPaths(root / "kabupaten-pg", database_url=template_url))
            office.init(template, SYSTEM, role=OfficeRole.kabupaten, name="kabupaten-pg")
            packages, officials = make_packages(root, template, "-pg")
            template.dispose()
            payloads = [decrypted(p, AppPaths(root / "kabupaten-pg", database_url=template_url)) for p in packages]

            def fresh(name: str) -> AppPaths:
                return AppPaths(root / f"pg-{name}", database_url=server.create(template_url))

            results["PostgreSQL"] = run_imports(
                packages,
                payloads,
                repeat,
                fresh,
                lambda target, per_package: bare_import_pg(
                    target.database_url or "", payloads, per_package=per_package
                ),
                checkpoint=False,
            )
    print(
        f"import: 26 packages, {officials:,} officials (seconds, median of {repeat}; load average "
        f"{os.getloadavg()[0]:.1f})"
    )
    head = "".join(f"{e:>22}" for e in results)
    print(f"{'':70}{head}")
    rows = (
        ("bare: JSON lines + driver bulk insert, a transaction per package", "bare", None),
        ("bare: JSON lines + driver bulk insert, one transaction for all", "bare_batch", None),
        ("sync import, the 26 files chosen together (one batch, the screen)", "batch", "bare_batch"),
        ("sync import, one file at a time ('sync import FILE' 26 times)", "one", "bare"),
        ("then the WAL checkpoint the window runs in the background", "checkpoint", None),
    )
    for label, key, against in rows:
        cells = ""
        for med in results.values():
            if key not in med:
                cells += f"{'-':>22}"
            elif against is None:
                cells += f"{med[key]:>22.2f}"
            else:
                cells += f"{med[key]:>12.2f} ({med[key] / med[against]:.2f}x)"
        print(f"  {label:68}{cells}")
    print("  bare driver bulk insert: sqlite3 executemany; psycopg COPY (the fastest way into PostgreSQL)")
    print("  (target <= 5 s for all 26 on either engine)")


class PgServer:
    """Scratch databases on the server of ``admin_url``, dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.admin_url = admin_url
        self.made: list[str] = []

    def create(self, template_url: str | None = None) -> str:
        name = f"klaten_bench_{uuid.uuid4().hex[:10]}"
        template = f" TEMPLATE {make_url(template_url).database}" if template_url else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}{template}")
        self.made.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def pg_server(admin_url: str) -> Iterator[PgServer]:
    server = PgServer(admin_url)
    try:
        yield server
    finally:
        with server.admin.connect() as conn:
            for name in server.made:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.admin.dispose()


def bare_import_pg(url: str, payloads: list[dict[str, bytes]], *, per_package: bool) -> None:
    """The bare libraries storing the same rows on PostgreSQL: json.loads per line and psycopg COPY per table, no
    checks; one transaction per package, or one for all."""
    import psycopg

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database) as con:
        for tables in payloads:
            for spec in SPECS:
                data = tables.get(spec.name, b"")
                if not data:
                    continue
                rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
                cols = spec.columns
                with con.cursor().copy(f"COPY {spec.name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(tuple(r[c] for c in cols))
            if per_package:
                con.commit()
        con.commit()


def copy_regency(root: Path, name: str) -> AppPaths:
    target = AppPaths(root / name)
    target.database.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(AppPaths(root / "kabupaten").database), sqlite3.connect(target.database)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def decrypted(path: Path, paths: AppPaths) -> dict[str, bytes]:
    regency = open_context(paths)
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
    parser.add_argument("--engines", default="sqlite,postgresql", help="import on sqlite, postgresql or both")
    parser.add_argument("--pg-url", default=PG_URL, help="a database on the server, used to create scratch ones")
    args = parser.parse_args()
    if args.only != "import":
        with tempfile.TemporaryDirectory() as tmp:
            bench_export(Path(tmp) / "export", args.officials, args.repeat)
    if args.only != "export":
        with tempfile.TemporaryDirectory() as tmp:
            engines = [e.strip() for e in args.engines.split(",")]
            bench_import(Path(tmp) / "import", max(1, args.repeat // 2 + 1), engines, args.pg_url)


if __name__ == "__main__":
    main()
