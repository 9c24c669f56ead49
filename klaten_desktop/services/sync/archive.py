"""The archive of sent packages and the re-issue of one, byte for byte.

A package cannot be rebuilt identically (its encryption uses a fresh ephemeral key and nonce), so the export keeps
the bytes of every package it writes, named by the hash ``sync_package.sha256`` holds. Where they live is decided in
one place, :func:`in_database`:

- on a PostgreSQL server, in the table ``sync_package_archive``, written in the transaction that records the
  package (:func:`keep`): a recorded package always has its bytes, and an unrecorded one never has any. The server's
  backup (``pg_dump``) holds them, a server restore keeps those of the packages it carries forward
  (``services/restore.py``) and ``migrate-to`` fills the table from the SQLite folder
  (``services/server_migration.py``);
- on an SQLite PC, in ``arsip-sinkron/<sha256>.klsync`` in the data folder, written before the commit that records
  it. A copy whose hash is not recorded is left over from an export that did not commit (killed, disk full); it
  never leaves the data folder and the next export removes it (:func:`discard_unrecorded`). The folder lives
  outside the database so that a restored backup still finds the copies of the packages sent after it was made.
  The table stays empty there.

The SQLite folder also holds the state file of ``continuity.py`` (the record of sent packages that survives a
restore), rewritten here after every export commit. A server has no state file: its restore reads the sent
packages from the current database in its own transaction, after dumping it (``services/restore.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office
from klaten_desktop.db.models_sync import SyncPackage, SyncPackageArchive
from klaten_desktop.services import audit, identity
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.files import Staged, staged, write_bytes
from klaten_desktop.services.sync import continuity

SUFFIX = ".klsync"


def in_database(ctx: ServiceContext) -> bool:
    """Whether the archive is the table ``sync_package_archive`` (a server) rather than the folder beside the
    SQLite file: the one place that decides it."""
    return ctx.on_server


def folder(ctx: ServiceContext) -> Path | None:
    """The archive folder of this data folder (None on a server, or for a context without a database file)."""
    if in_database(ctx) or ctx.database is None:
        return None
    return ctx.database.parent / continuity.ARCHIVE_FOLDER


def archived(ctx: ServiceContext, sha256: str) -> Path | None:
    """The archived copy's file on an SQLite PC (None on a server: see :func:`in_database`)."""
    where = folder(ctx)
    return None if where is None else copy_path(where, sha256)


def copy_path(where: Path, sha256: str) -> Path:
    """The name of the copy of package ``sha256`` in the archive folder ``where``."""
    return where / f"{sha256}{SUFFIX}"


def keep(ctx: ServiceContext, session: Session, data: bytes) -> None:
    """Archive a package's bytes under their hash, in the export's transaction (``session``), before the recording
    commit: a row of ``sync_package_archive`` on a server, a file written atomically on an SQLite PC."""
    sha = hashlib.sha256(data).hexdigest()
    if in_database(ctx):
        session.execute(insert(SyncPackageArchive).values(sha256=sha, data=data, recorded_at=ctx.now()))
        return
    target = archived(ctx, sha)
    if target is not None and not target.exists():
        write_bytes(target, data)


def discard_unrecorded(ctx: ServiceContext, session: Session) -> list[Path]:
    """Remove archived copies no package record names, and temporary files: left by an export that did not commit.

    Called inside an export's write transaction: holding the write lock, no other export is between its
    :func:`keep` and its commit, so every unrecorded copy is from a transaction that is over. A server has none
    (its copy is written in the recording transaction).
    """
    where = folder(ctx)
    if where is None or not where.is_dir():
        return []
    recorded = set(session.scalars(select(SyncPackage.sha256).where(SyncPackage.direction == "sent")))
    removed = []
    for path in where.iterdir():
        leftover = path.name.startswith(".") and path.name.endswith(".tmp")
        unrecorded = path.suffix == SUFFIX and path.stem not in recorded
        if path.is_file() and (leftover or unrecorded):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def folder_copies(where: Path, recorded: Iterable[str]) -> dict[str, Path]:
    """The copies in the archive folder ``where`` of the packages ``recorded`` (hashes) whose bytes still have that
    hash, by hash (``migrate-to`` moves them into the table); a missing or changed copy is left out."""
    found = {}
    for sha in recorded:
        path = copy_path(where, sha)
        with contextlib.suppress(OSError):
            if hashlib.sha256(path.read_bytes()).hexdigest() == sha:
                found[sha] = path
    return found


def save_state(ctx: ServiceContext) -> None:
    """Rewrite the state file from the database's sent packages (after an export commit); an SQLite PC only."""
    if folder(ctx) is None or ctx.database is None:
        return
    cols = ", ".join(continuity.COLUMNS)
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None:
            return
        install = office.install_id
        rows = session.execute(
            text(f"SELECT {cols} FROM sync_package WHERE direction = 'sent' AND sender_install = :me ORDER BY id"),
            {"me": install},
        ).all()
    packages = [dict(zip(continuity.COLUMNS, r, strict=True)) for r in rows]
    key = identity.signing_key(ctx)
    write_bytes(continuity.state_path(ctx.database.parent), continuity.state_document(install, packages, key.sign))


def placed_or_explain(file: Staged, sequence: int) -> None:
    """Rename the committed package into place; if that fails, say that it is recorded and can be re-issued."""
    try:
        file.place()
    except EnvironmentProblem as exc:
        raise EnvironmentProblem(
            f"Paket no. {sequence} sudah tercatat sebagai terkirim, tetapi berkas {file.target.name} tidak dapat "
            f"disimpan. {exc} Paket itu dapat diterbitkan ulang persis sama (Sinkronisasi > Terbitkan ulang, atau "
            f"'klaten-desktop sync reissue --seq {sequence} --out BERKAS')."
        ) from exc


def state_saved(ctx: ServiceContext) -> tuple[str, ...]:
    """Rewrite the state file after the commit; a failure is a warning (the database holds the record)."""
    try:
        save_state(ctx)
    except EnvironmentProblem as exc:
        return (
            f"Catatan sinkronisasi di luar basis data ({continuity.STATE_NAME}) tidak dapat diperbarui: "
            f"{exc.message} Catatan itu diperbarui lagi pada ekspor berikutnya.",
        )
    return ()


@dataclass(frozen=True)
class Reissued:
    path: Path
    sequence: int
    sha256: str
    recipient_office: str
    bytes_written: int

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "sequence": self.sequence,
            "to": self.recipient_office,
            "sha256": self.sha256,
            "bytes": self.bytes_written,
        }


def reissue(ctx: ServiceContext, actor: Actor, sequence: int, out: Path, *, to: str | None = None) -> Reissued:
    """Write the recorded package ``sequence`` of the current stream (to the regency, or at the regency to
    kecamatan ``to``) again, byte for byte, to ``out``; audited. The copy is written only after the audit entry
    is committed."""
    require(actor, Permission.sync)
    from klaten_desktop.services.sync.export import recipient_of

    with ctx.read() as session:
        office, recipient = recipient_of(session, to)
        row = session.scalars(
            select(SyncPackage).where(
                SyncPackage.direction == "sent",
                SyncPackage.sender_install == office.install_id,
                SyncPackage.recipient_install == recipient.install_id,
                SyncPackage.sequence == sequence,
            )
        ).first()
        if row is None:
            raise UserError(f"Paket no. {sequence} untuk {recipient.name} belum pernah dibuat di kantor ini.")
        sha = row.sha256
        data = _archived_bytes(ctx, session, sha, sequence)
    out = Path(out)
    with staged(out, data) as file:
        with ctx.write() as session:
            audit.record(
                session,
                actor,
                "sync_reissue",
                "sync_package",
                None,
                new={"sequence": sequence, "recipient": recipient.office_code, "sha256": sha, "file": out.name},
                summary=f"Paket sinkronisasi no. {sequence} untuk {recipient.name} diterbitkan ulang",
            )
        try:
            file.place()
        except EnvironmentProblem as exc:
            raise EnvironmentProblem(f"Paket no. {sequence} tidak dapat disimpan ke {out.name}. {exc}") from exc
    return Reissued(out, sequence, sha, recipient.office_code, len(data))


def _archived_bytes(ctx: ServiceContext, session: Session, sha: str, sequence: int) -> bytes:
    where = "arsip basis data server" if in_database(ctx) else f"arsip folder data ({continuity.ARCHIVE_FOLDER})"
    lost = (
        f"Salinan paket no. {sequence} tidak ada di {where}, atau isinya berubah; paket itu tidak dapat "
        "diterbitkan ulang. Buat paket lengkap (centang 'paket lengkap', atau 'sync export --full'): kabupaten "
        "menerimanya sebagai lanjutan."
    )
    data: bytes | None
    if in_database(ctx):
        stored = session.scalar(select(SyncPackageArchive.data).where(SyncPackageArchive.sha256 == sha))
        data = None if stored is None else bytes(stored)
    else:
        path = archived(ctx, sha)
        try:
            data = None if path is None else path.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise EnvironmentProblem(f"Arsip paket no. {sequence} tidak dapat dibaca: {exc.strerror or exc}.") from exc
    if data is None or hashlib.sha256(data).hexdigest() != sha:
        raise UserError(lost)
    return data


def sent_sequences(ctx: ServiceContext, to: str | None = None) -> list[int]:
    """The sequence numbers of the current stream that can be re-issued (their copy is in the archive)."""
    from klaten_desktop.services.sync.export import recipient_of

    with ctx.read() as session:
        office, recipient = recipient_of(session, to)
        rows = session.execute(
            select(SyncPackage.sequence, SyncPackage.sha256)
            .where(
                SyncPackage.direction == "sent",
                SyncPackage.sender_install == office.install_id,
                SyncPackage.recipient_install == recipient.install_id,
            )
            .order_by(SyncPackage.sequence)
        ).all()
        if in_database(ctx):
            kept = set(
                session.scalars(
                    select(SyncPackageArchive.sha256).where(SyncPackageArchive.sha256.in_([sha for _, sha in rows]))
                )
            )
            return [seq for seq, sha in rows if sha in kept]
    return [seq for seq, sha in rows if (p := archived(ctx, sha)) is not None and p.exists()]
