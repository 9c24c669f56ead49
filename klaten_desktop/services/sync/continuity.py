"""Sync continuity across a restore: the office's record of the packages it sent, kept also outside the database.

A restored backup lacks the packages sent after it was made; numbering again from there would give the regency a
second, different package under numbers it already holds (refused as a clone). So the record of sent packages
(``sync_package`` rows of direction ``sent``) lives in two places:

- the database, as always;
- the *state file* ``arsip-sinkron/status-sinkron.json`` in the data folder, rewritten after every export commit:
  every sent package's number, hash and counts, signed with the office's Ed25519 signing key (a hand-edited or
  damaged file is not used).

:func:`carry_forward` (called by ``services/restore.py`` on the staged copy of the backup, with plain ``sqlite3``
because the backup may be of an older schema) adds to the restored database the sent packages it lacks, from the
current database when it can still be read and from the state file, and marks every stream as restored: the next
package of each stream says so in its manifest (``restored``), so the regency knows the PC went back to a
backup, and it continues after the newest package really sent, so the regency accepts it as the same
installation.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from klaten_desktop.db.models import Setting

log = logging.getLogger(__name__)

ARCHIVE_FOLDER = "arsip-sinkron"
STATE_NAME = "status-sinkron.json"
STATE_FORMAT = "klaten-desktop-status-sinkron"
#: The setting (``services/settings.py``) holding the restore mark until the next package of each stream carries it.
RESTORED_KEY = "sinkron.dipulihkan"
#: The ``sync_package`` columns the state file keeps for each sent package.
COLUMNS = (
    "kind",
    "sender_install",
    "sender_office",
    "recipient_install",
    "recipient_office",
    "sequence",
    "previous_sha256",
    "sha256",
    "full",
    "counts",
    "app_version",
    "schema_version",
    "created_at",
    "file_name",
    "recorded_at",
)


def state_path(data_dir: Path) -> Path:
    return data_dir / ARCHIVE_FOLDER / STATE_NAME


def body_bytes(body: Mapping[str, Any]) -> bytes:
    """The bytes the state file's signature covers."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


def state_document(install_id: str, packages: Iterable[Mapping[str, Any]], sign: Any) -> bytes:
    """The state file's bytes: ``sign(bytes) -> signature`` is the office's Ed25519 key's ``sign``."""
    body = {
        "format": STATE_FORMAT,
        "version": 1,
        "install_id": install_id,
        "packages": [{c: p[c] for c in COLUMNS} for p in packages],
    }
    signature = base64.b64encode(sign(body_bytes(body))).decode("ascii")
    return json.dumps({**body, "signature": signature}, ensure_ascii=False, indent=1).encode("utf-8")


def read_state(path: Path, install_id: str, signing_public_b64: str) -> list[dict[str, Any]] | None:
    """The sent packages in the state file, or None when it is missing, of another installation, or its signature
    does not match this office's key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        signature = base64.b64decode(raw.pop("signature"), validate=True)
        if raw.get("format") != STATE_FORMAT or raw.get("install_id") != install_id:
            return None
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_public_b64))
        key.verify(signature, body_bytes(raw))
        packages = raw["packages"]
        if not isinstance(packages, list) or not all(isinstance(p, dict) and set(p) == set(COLUMNS) for p in packages):
            return None
        return packages
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidSignature):
        return None


@dataclass(frozen=True)
class Carried:
    """What a restore did to the sync record: packages added from outside the backup, and whether the state
    file was used."""

    added: tuple[tuple[str, int], ...]  # (recipient office, sequence)
    state_file_used: bool
    state_file_refused: bool

    def as_json(self) -> dict[str, object]:
        return {
            "paket_terkirim_dilanjutkan": [{"tujuan": o, "nomor": n} for o, n in self.added],
            "berkas_status_sinkron_dipakai": self.state_file_used,
        }

    @property
    def message(self) -> str:
        """One Indonesian sentence about sync for the restore's result."""
        if self.state_file_refused:
            note = " Berkas status sinkronisasi di folder data tidak cocok dengan kunci kantor ini dan tidak dipakai."
        else:
            note = ""
        if not self.added:
            return "Catatan paket sinkronisasi yang terkirim sudah lengkap di cadangan." + note
        last = max(n for _, n in self.added)
        return (
            f"{len(self.added)} catatan paket sinkronisasi yang dikirim setelah cadangan dibuat dilanjutkan "
            f"(sampai no. {last}); paket berikutnya melanjutkan nomor itu dan memberi tahu kabupaten bahwa PC ini "
            "dipulihkan." + note
        )


def _sent_rows(conn: sqlite3.Connection, schema: str, install_id: str) -> list[dict[str, Any]]:
    cols = ", ".join(COLUMNS)
    rows = conn.execute(
        f"SELECT {cols} FROM {schema}.sync_package WHERE direction = 'sent' AND sender_install = ?", (install_id,)
    )
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def _current_rows(conn: sqlite3.Connection, current: Path | None, install_id: str) -> list[dict[str, Any]]:
    """The sent packages in the current database, when it can still be read."""
    if current is None or not current.exists():
        return []
    try:
        conn.execute("ATTACH DATABASE ? AS cur", (current.resolve().as_uri() + "?mode=ro",))
    except sqlite3.Error:
        return []
    try:
        return _sent_rows(conn, "cur", install_id)
    except sqlite3.DatabaseError as exc:
        log.info("Sent packages could not be read from the current database: %s", exc)
        return []
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("DETACH DATABASE cur")


def carry_forward(staged: Path, current: Path | None, data_dir: Path, *, restored_at: str) -> Carried:
    """Add to ``staged`` (the backup about to be put in place, whose office identity is already this PC's) the
    packages this installation sent that it lacks, and mark every stream as restored (see the module text)."""
    # uri=True: the read-only ATTACH URI (Windows' sqlite3.dll does not assume it)
    conn = sqlite3.connect(staged, uri=True)
    try:
        identity = conn.execute("SELECT install_id FROM office WHERE id = 1").fetchone()
        key = conn.execute("SELECT public_b64 FROM identity_key WHERE purpose = 'signing'").fetchone()
        if identity is None or key is None:
            return Carried((), False, False)
        install_id = identity[0]
        have = {(r["recipient_install"], r["sequence"]): r for r in _sent_rows(conn, "main", install_id)}
        last_in_backup: dict[str, int] = {}
        for recipient, sequence in have:
            last_in_backup[recipient] = max(sequence, last_in_backup.get(recipient, 0))
        from_state = None
        path = state_path(data_dir)
        if path.exists():
            from_state = read_state(path, install_id, key[0])
        sources = [*_current_rows(conn, current, install_id), *(from_state or [])]
        added: dict[tuple[str, int], dict[str, Any]] = {}
        for row in sources:
            where = (row["recipient_install"], row["sequence"])
            if where not in have and where not in added:
                added[where] = row
        with conn:
            if added:
                cols = ", ".join(COLUMNS)
                marks = ", ".join("?" for _ in COLUMNS)
                conn.executemany(
                    f"INSERT INTO sync_package (direction, {cols}) VALUES ('sent', {marks})",
                    [tuple(r[c] for c in COLUMNS) for r in added.values()],
                )
            streams = {r for r, _ in have} | {r for r, _ in added}
            if streams:
                mark = {"restored_at": restored_at, "last_in_backup": {r: last_in_backup.get(r, 0) for r in streams}}
                conn.execute(
                    "INSERT OR REPLACE INTO setting (key, value, updated_at) VALUES (?, ?, ?)",
                    (RESTORED_KEY, json.dumps(mark, sort_keys=True), restored_at),
                )
        carried = tuple(sorted((r["recipient_office"], r["sequence"]) for r in added.values()))
        return Carried(carried, from_state is not None, path.exists() and from_state is None)
    finally:
        conn.close()


def take_restored(session: Session, recipient_install: str) -> dict[str, Any] | None:
    """The manifest's ``restored`` member for the first package of a stream after a restore (the restore mark),
    which this package uses up (in the export's transaction); None otherwise."""
    row = session.get(Setting, RESTORED_KEY)
    mark = {} if row is None else json.loads(row.value)
    last = mark.get("last_in_backup", {})
    if row is None or recipient_install not in last:
        return None
    restored = {"restored_at": mark["restored_at"], "last_sequence_in_backup": last.pop(recipient_install)}
    if last:
        row.value = json.dumps(mark, sort_keys=True)
    else:
        session.delete(row)
    return restored
