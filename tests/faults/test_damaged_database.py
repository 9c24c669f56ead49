"""Damaged, foreign and empty database files (issue #19, "Fault tests in CI"), generated here from one office.

Each fixture damages a copy of a real office database the way disks, copies and people do: cut short, zeroed or
wrong header, bytes broken in a table page, an index page or the freelist, a ``-wal`` of another database, a
foreign SQLite file, files that are not SQLite at all. For each one, ``check`` (the command line) and the start
of the app (``bootstrap.open_context``, then the quick check the window runs before anyone adds data, then the
full check it runs in the background) must find it, say what to do, and never crash; and neither may change a
byte of the file (nothing replaced silently, nothing written into a foreign file). Where the damage is in
indexes only, ``check --repair`` mends it after a backup. Runs in-process, on Windows too.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from klaten_desktop import cli
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import bootstrap, integrity
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from tests.faults.conftest import new_office

DB_NAME = "klaten.sqlite"
PAGE = 4096
ADVICE = ("pulihkan", "--repair", "perbarui")  # restore a backup, repair the indexes, update the app


def _sha(folder: Path) -> dict[str, str]:
    """Digests of the database and its -wal (what must not change); an empty -wal SQLite opens beside a file it
    then finds unreadable holds nothing and is not counted."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob(DB_NAME + "*"))
            if not p.name.endswith("-shm") and (p.name == DB_NAME or p.stat().st_size)}  # fmt: skip


@pytest.fixture(scope="module")
def office_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Prambanan office with 60 demo officials, closed; plus free pages (a scratch table made and dropped)."""
    folder = tmp_path_factory.mktemp("damaged-seed")
    ctx = new_office(folder, officials=60, seed=13)
    ctx.dispose()
    db = folder / "data" / DB_NAME
    shutil.copyfile(db, folder / "tanpa-halaman-bebas.sqlite")
    conn = sqlite3.connect(db)
    try:
        conn.execute("CREATE TABLE sampah AS SELECT * FROM official")
        conn.execute("INSERT INTO sampah SELECT * FROM sampah")
        conn.commit()
        conn.execute("DROP TABLE sampah")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    other = new_office(tmp_path_factory.mktemp("other-office"), role="kabupaten")
    other.dispose()
    shutil.copyfile(other.database, folder / "lain.sqlite")
    return db


def _root(name: str, source: Path) -> int:
    """The root page of table or index ``name`` in the undamaged ``source``."""
    conn = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0])
    finally:
        conn.close()


def _page(n: int) -> int:
    return (n - 1) * PAGE


def _set(raw: bytearray, offset: int, data: bytes) -> None:
    raw[offset : offset + len(data)] = data


Damage = Callable[[Path, Path], None]
"""Damages the database at the first path; the second is the undamaged original (for page numbers, other files)."""


def _bytes(change: Callable[[bytearray, Path], None]) -> Damage:
    def damage(db: Path, original: Path) -> None:
        raw = bytearray(db.read_bytes())
        change(raw, original)
        db.write_bytes(bytes(raw))

    return damage


def _truncate(size: Callable[[int], int]) -> Damage:
    return lambda db, _o: db.write_bytes(db.read_bytes()[: size(db.stat().st_size)])


def _table_leaf(raw: bytearray, original: Path) -> int:
    """The offset of the first leaf page of the ``official`` table (its root is an interior page)."""
    root = _page(_root("official", original))
    assert raw[root] == 0x05, "official fits one page; grow the demo office"
    cell = _cell(raw, root, 12)
    (child,) = struct.unpack(">I", raw[cell : cell + 4])
    return _page(child)


def _cell(raw: bytearray, page: int, header: int) -> int:
    """The offset of the first cell of the b-tree page at ``page`` (header of ``header`` bytes)."""
    (pointer,) = struct.unpack(">H", raw[page + header : page + header + 2])
    return page + pointer


def _index_key(raw: bytearray, original: Path) -> None:
    """The smallest NIK in ``ix_official_nik`` made smaller still: the index stays in order but no longer matches
    its table (index-only damage, what REINDEX mends)."""
    page = _page(_root("ix_official_nik", original))
    assert raw[page] == 0x0A
    cell = _cell(raw, page, 8)
    digits = bytes(raw[cell : cell + 40])
    start = next(i for i in range(len(digits) - 16) if digits[i : i + 16].isdigit())
    raw[cell + start] = ord("0")


def _foreign_wal_readable(db: Path, original: Path) -> None:
    """As :func:`_foreign_wal` on the office without free pages: the foreign pages land where the schema still
    reads, so the file opens and only the checks find the damage."""
    shutil.copyfile(original.parent.parent / "tanpa-halaman-bebas.sqlite", db)
    _foreign_wal(db, original)


def _foreign_wal(db: Path, original: Path) -> None:
    """The -wal of another database (the regency's) beside this one, with committed pages of its own."""
    other = db.parent / "lain-kerja.sqlite"
    shutil.copyfile(original.parent.parent / "lain.sqlite", other)
    conn = sqlite3.connect(other)
    try:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("UPDATE office SET name = 'Kabupaten Lain'")
        conn.execute("CREATE TABLE catatan (isi TEXT)")
        conn.executemany("INSERT INTO catatan VALUES (?)", [("x" * 500,)] * 200)
        conn.commit()
        shutil.copyfile(other.with_name(other.name + "-wal"), db.with_name(db.name + "-wal"))
    finally:
        conn.close()
    for p in db.parent.glob("lain-kerja*"):
        p.unlink()


def _foreign_sqlite(*, wal: bool) -> Damage:
    def damage(db: Path, _original: Path) -> None:
        db.unlink()
        conn = sqlite3.connect(db)
        try:
            if wal:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA wal_autocheckpoint=0")
            conn.execute("CREATE TABLE catatan (isi TEXT)")
            conn.executemany("INSERT INTO catatan VALUES (?)", [("catatan kas",)] * 50)
            conn.commit()
            if wal:  # leave the -wal as a crash would: a copy taken while the connection is open
                kept = db.with_name("salinan-wal")
                shutil.copyfile(db.with_name(db.name + "-wal"), kept)
        finally:
            conn.close()
        if wal:
            kept.replace(db.with_name(db.name + "-wal"))

    return damage


def _newer_schema(db: Path, _original: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '9999_versi_baru'")
        conn.commit()
    finally:
        conn.close()


def _zip(db: Path, _original: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    db.write_bytes(buffer.getvalue())


def _freelist_trunk(raw: bytearray) -> int:
    (trunk,) = struct.unpack(">I", raw[32:36])
    assert trunk, "the office has no free pages"
    return _page(trunk)


FIXTURES: dict[str, Damage] = {
    "nol-byte": lambda db, _o: db.write_bytes(b""),
    "terpotong-50-byte": _truncate(lambda _n: 50),
    "terpotong-header": _truncate(lambda _n: 100),
    "terpotong-satu-halaman": _truncate(lambda _n: PAGE),
    "terpotong-separuh": _truncate(lambda n: n // 2 // PAGE * PAGE),
    "terpotong-halaman-akhir": _truncate(lambda n: n - PAGE),
    "terpotong-ganjil": _truncate(lambda n: n // 2 + 1234),
    "header-nol": _bytes(lambda raw, _o: _set(raw, 0, bytes(100))),
    "tanda-sqlite-salah": _bytes(lambda raw, _o: _set(raw, 0, b"SQLite format 2\0")),
    "ukuran-halaman-salah": _bytes(lambda raw, _o: _set(raw, 16, struct.pack(">H", 1024))),
    "ukuran-halaman-tidak-sah": _bytes(lambda raw, _o: _set(raw, 16, struct.pack(">H", 3000))),
    "skema-rusak": _bytes(lambda raw, _o: _set(raw, 100, b"\x00" * 8 + b"\xff" * 200)),
    "halaman-tabel-jenis": _bytes(lambda raw, o: _set(raw, _table_leaf(raw, o), b"\x07")),
    "halaman-tabel-sel": _bytes(lambda raw, o: _set(raw, _table_leaf(raw, o) + 8, b"\xff\xf0" * 4)),
    "halaman-tabel-anak": _bytes(lambda raw, o: _set(raw, _page(_root("official", o)) + 8, b"\x7f\xff\xff\xff")),
    "halaman-indeks-jenis": _bytes(lambda raw, o: _set(raw, _page(_root("ix_official_desa_slot", o)), b"\x07")),
    "kunci-indeks": _bytes(_index_key),
    "freelist-di-luar-berkas": _bytes(lambda raw, _o: _set(raw, 32, struct.pack(">I", 10_000_000))),
    "freelist-trunk-rusak": _bytes(lambda raw, _o: _set(raw, _freelist_trunk(raw) + 4, b"\x00\xff\xff\xff")),
    "freelist-jumlah-salah": _bytes(
        lambda raw, _o: _set(raw, 36, struct.pack(">I", struct.unpack(">I", raw[36:40])[0] + 9))
    ),
    "wal-basis-data-lain": _foreign_wal,
    "wal-basis-data-lain-terbaca": _foreign_wal_readable,
    "sqlite-asing": _foreign_sqlite(wal=False),
    "sqlite-asing-dengan-wal": _foreign_sqlite(wal=True),
    "berkas-teks": lambda db, _o: db.write_text("Ini catatan, bukan basis data.\n" * 40, encoding="utf-8"),
    "acak": lambda db, _o: db.write_bytes(random.Random(19).randbytes(64 * 1024)),
    "berkas-zip": _zip,
    "versi-lebih-baru": _newer_schema,
}
#: Damage in indexes only: ``check`` advises ``check --repair``, which mends it.
REPAIRABLE = {"kunci-indeks"}


def _check(data: Path, *args: str) -> tuple[int, str]:
    """``klaten-desktop --data-dir DATA check ARGS`` as the command line runs it; its exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.run_on_folder(cli.parse(["--data-dir", str(data), "check", *args]), AppPaths(data), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def _start(data: Path) -> str | None:
    """What the app's start finds: the refusal to open, else the quick check the window runs before anyone adds
    data, else the full check it runs in the background; None when all is well."""
    try:
        ctx = bootstrap.open_context(AppPaths(data))
    except (UserError, EnvironmentProblem) as exc:
        return exc.message
    try:
        found = integrity.quick_damage(ctx)
        if found is None:
            found = "; ".join(integrity.storage_damage(ctx)) or None
        return found
    except EnvironmentProblem as exc:
        return exc.message
    finally:
        ctx.dispose()


@pytest.fixture
def damaged(office_db: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(office_db, data / DB_NAME)
    FIXTURES[request.param](data / DB_NAME, office_db)
    return data


def test_there_are_twenty_damaged_fixtures_and_more() -> None:
    assert len(FIXTURES) >= 20


@pytest.mark.parametrize("damaged", sorted(FIXTURES), indirect=True)
def test_check_and_start_find_the_damage_and_leave_the_file_alone(damaged: Path) -> None:
    before = _sha(damaged)
    code, said = _check(damaged)
    assert code == 1, said
    assert "Traceback" not in said
    assert any(word in said.lower() for word in ADVICE), said  # says what to do
    assert _sha(damaged) == before, "check changed the file"
    found = _start(damaged)
    assert found, "the start did not notice"
    assert _sha(damaged) == before, "opening the file changed it"


@pytest.mark.parametrize("damaged", sorted(REPAIRABLE), indirect=True)
def test_check_repair_mends_index_damage_after_a_backup(damaged: Path) -> None:
    code, said = _check(damaged)
    assert code == 1 and "check --repair" in said, said
    code, said = _check(damaged, "--repair")
    assert "REINDEX" in said, said
    assert list((damaged / "cadangan").glob("sebelum-perbaikan-*.sqlite")), "no copy before the repair"
    code, said = _check(damaged)
    assert code == 0, said
    assert _start(damaged) is None
