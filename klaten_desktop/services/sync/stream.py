"""Placing a received package in its sender's stream: already imported, continuing, a clone, or a re-base.

Inside the import's transaction :func:`place` compares the package with the packages already received from the
same installation: by its number, its ``previous_sha256``, the package after it, and the hashes it names for every
earlier number of its stream (manifest ``stream_sha256``). A package that contradicts any package held with a
lower number is refused, also when it leaves a gap: skipping a number no longer gets a diverging stream (a
cloned PC, a restored PC that lost its record of sent packages) past the clone check.

A re-base (``rebase=True``, the regency's explicit decision) accepts such a package from the same installation:
the received packages from the first number where the streams differ onward are replaced (their records are
removed and kept in the audit log with their hashes; the rows they brought stay, merged as always). The dry run
shows the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor
from klaten_desktop.services.sync.checks import Checked
from klaten_desktop.services.sync.package import PackageRejected

REBASE_HINT = (
    " Bila kecamatan itu memang memakai aliran paket ini (misalnya PC dipulihkan dari cadangan tanpa catatan "
    "sinkronisasinya), kabupaten dapat menerimanya sebagai aliran baru setelah memeriksa: 'Terima aliran baru' "
    "di layar impor, atau 'klaten-desktop sync import BERKAS --terima-rebase' (lihat dulu dengan --dry-run)."
)


@dataclass(frozen=True)
class Replaced:
    """A received package a re-base replaces."""

    sequence: int
    sha256: str
    file_name: str | None

    def as_json(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "sha256": self.sha256, "file": self.file_name}


@dataclass(frozen=True)
class Placement:
    already_imported: bool
    replaced: tuple[Replaced, ...] = ()
    warnings: tuple[str, ...] = ()


def _reject(message: str) -> PackageRejected:
    return PackageRejected(message + " Tidak ada data yang diubah.")


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _claims(checked: Checked) -> dict[int, str]:
    """The hashes the package names for earlier numbers of its stream."""
    manifest = checked.manifest
    s = checked.opened.header.sequence
    listed = manifest.get("stream_sha256")
    claims: dict[int, str] = {}
    if listed is not None:
        if not isinstance(listed, list) or len(listed) != s - 1 or not all(h is None or _is_hash(h) for h in listed):
            raise _reject("Isi paket rusak (manifest tidak sah: stream_sha256).")
        claims = {n: h for n, h in enumerate(listed, start=1) if h is not None}
    previous = manifest.get("previous_sha256")
    if isinstance(previous, str) and s > 1:
        claims[s - 1] = previous
    return claims


def divergence(checked: Checked, held: dict[int, tuple[str, str | None]]) -> tuple[int | None, str]:
    """The first number from which the held packages and this package's stream differ, with the reason; None when
    the package continues what is held."""
    header = checked.opened.header
    s, sha = header.sequence, checked.opened.sha256
    claims = _claims(checked)
    differ = [q for q in sorted(held) if q < s and q in claims and claims[q] != held[q][0]]
    if differ:
        q = differ[0]
        what = (
            f"paket no. {s} menyebut SHA-256 paket no. {q} yang berbeda dengan paket no. {q} yang sudah diimpor"
            if q < s - 1
            else f"previous_sha256 paket no. {s} tidak sama dengan SHA-256 paket no. {s - 1} yang sudah diimpor"
        )
        return q, what
    if s in held and held[s][0] != sha:
        return s, "clone"
    after = held.get(s + 1)
    if after is not None and after[1] != sha:
        return s + 1, f"paket no. {s + 1} yang sudah diimpor tidak menunjuk ke paket no. {s} ini"
    return None, ""


def place(session: Session, actor: Actor, checked: Checked, *, rebase: bool) -> Placement:
    """Where the package goes in its sender's stream; raises when it contradicts it (unless ``rebase``)."""
    header = checked.opened.header
    rows = session.execute(
        select(SyncPackage.sequence, SyncPackage.sha256, SyncPackage.previous_sha256, SyncPackage.file_name).where(
            SyncPackage.direction == "received", SyncPackage.sender_install == header.sender_install
        )
    ).all()
    held = {seq: (sha, prev) for seq, sha, prev, _ in rows}
    if held.get(header.sequence, ("",))[0] == checked.opened.sha256:
        return Placement(True)
    start, what = divergence(checked, held)
    warnings = _restored_note(checked, held)
    if start is None:
        return Placement(False, (), warnings)
    if not rebase:
        raise _refusal(checked, what)
    replaced = tuple(Replaced(seq, sha, name) for seq, sha, _, name in sorted(rows) if seq >= start)
    session.execute(
        delete(SyncPackage).where(
            SyncPackage.direction == "received",
            SyncPackage.sender_install == header.sender_install,
            SyncPackage.sequence >= start,
        )
    )
    numbers = ", ".join(str(r.sequence) for r in replaced)
    audit.record(
        session,
        actor,
        "sync_rebase",
        "sync_package",
        None,
        old={"sender": header.sender_office, "install": header.sender_install,
             "replaced": [r.as_json() for r in replaced]},
        new={"sequence": header.sequence, "sha256": checked.opened.sha256, "from": start},
        summary=f"Aliran paket {checked.sender_name} dibuat ulang dari no. {start}: paket no. {numbers} diganti "
        f"oleh paket no. {header.sequence}",
    )  # fmt: skip
    note = (
        f"Aliran paket {checked.sender_name} diterima ulang mulai no. {start}: paket no. {numbers} yang sudah "
        f"diimpor diganti oleh paket no. {header.sequence} ini (data yang dibawanya tetap ada)."
    )
    return Placement(False, replaced, (*warnings, note))


def _refusal(checked: Checked, what: str) -> PackageRejected:
    header = checked.opened.header
    sender = checked.sender_name
    whom = "kecamatan itu" if header.kind == "data" else "kantor kabupaten"
    hint = REBASE_HINT if header.kind == "data" else ""
    if what == "clone":
        return _reject(
            f"Ada dua salinan instalasi {sender} yang mengirim paket berbeda dengan nomor urut yang sama "
            f"({header.sequence}; PC disalin/klon atau dipulihkan dari cadangan). Paket tidak digabungkan; hubungi "
            f"{whom} untuk menentukan data mana yang benar." + hint
        )
    return _reject(
        f"Rangkaian paket dari {sender} tidak bersambung: {what}. Paket dibuat dari data yang tidak melanjutkan "
        "paket yang sudah diterima (PC disalin atau dipulihkan dari cadangan, atau program pengirim tidak mengisi "
        f"previous_sha256 dengan SHA-256 berkas paket sebelumnya). Paket tidak digabungkan; hubungi {whom}." + hint
    )


def _restored_note(checked: Checked, held: dict[int, tuple[str, str | None]]) -> tuple[str, ...]:
    """The warning for the first package after the sender restored a backup (manifest ``restored``)."""
    restored = checked.manifest.get("restored")
    if not isinstance(restored, dict):
        return ()
    last = restored.get("last_sequence_in_backup")
    lost = [q for q in sorted(held) if isinstance(last, int) and q > last]
    text = f"PC {checked.sender_name} dipulihkan dari cadangan dan melanjutkan aliran paketnya (instalasi yang sama)."
    if lost:
        text += (
            f" Perubahan yang dikirim dalam paket no. {lost[0]}–{lost[-1]} dibuat setelah cadangan itu dan tidak ada "
            "lagi di PC kecamatan; minta kecamatan memeriksa dan memasukkannya ulang bila perlu."
        )
    return (text,)
