"""The archive of sent packages and the re-issue of one, byte for byte.

A package cannot be rebuilt identically (its encryption uses a fresh ephemeral key and nonce), so the export keeps
every package it writes in ``arsip-sinkron/<sha256>.klsync`` in the data folder, before the commit that records
it: a recorded package always has its bytes, named by the hash ``sync_package.sha256`` holds. A copy whose hash is
not recorded is left over from an export that did not commit (killed, disk full); it never leaves the data folder
and the next export removes it (:func:`discard_unrecorded`).

The same folder holds the state file of ``continuity.py`` (the record of sent packages that survives a restore),
rewritten here after every export commit.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office
from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.services import audit, identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.files import Staged, staged, write_bytes
from klaten_desktop.services.sync import continuity

SUFFIX = ".klsync"


def folder(ctx: ServiceContext) -> Path | None:
    """The archive folder of this data folder (None for a context without a database file)."""
    return None if ctx.database is None else ctx.database.parent / continuity.ARCHIVE_FOLDER


def archived(ctx: ServiceContext, sha256: str) -> Path | None:
    where = folder(ctx)
    return None if where is None else where / f"{sha256}{SUFFIX}"


def keep(ctx: ServiceContext, data: bytes) -> None:
    """Archive a package's bytes under their hash (written atomically; called before the recording commit)."""
    target = archived(ctx, hashlib.sha256(data).hexdigest())
    if target is not None and not target.exists():
        write_bytes(target, data)


def discard_unrecorded(ctx: ServiceContext, session: Session) -> list[Path]:
    """Remove archived copies no package record names, and temporary files: left by an export that did not commit.

    Called inside an export's write transaction: holding the write lock, no other export is between its
    :func:`keep` and its commit, so every unrecorded copy is from a transaction that is over.
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


def save_state(ctx: ServiceContext) -> None:
    """Rewrite the state file from the database's sent packages (after an export commit)."""
    if ctx.database is None:
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
    data = _archived_bytes(ctx, sha, sequence)
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


def _archived_bytes(ctx: ServiceContext, sha: str, sequence: int) -> bytes:
    path = archived(ctx, sha)
    lost = (
        f"Salinan paket no. {sequence} tidak ada di arsip folder data ({continuity.ARCHIVE_FOLDER}), atau isinya "
        "berubah; paket itu tidak dapat diterbitkan ulang. Buat paket lengkap (centang 'paket lengkap', atau "
        "'sync export --full'): kabupaten menerimanya sebagai lanjutan."
    )
    if path is None:
        raise UserError(lost)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(lost) from None
    except OSError as exc:
        raise EnvironmentProblem(f"Arsip paket no. {sequence} tidak dapat dibaca: {exc.strerror or exc}.") from exc
    if hashlib.sha256(data).hexdigest() != sha:
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
    return [seq for seq, sha in rows if (p := archived(ctx, sha)) is not None and p.exists()]
