"""Checking a received package: every check that can refuse a file, run before its first row is written.

:func:`check_package` reads the file (framing, sender, signature, recipient, manifest, rows) without writing
anything. Inside the import's transaction ``stream.place`` places the package in its sender's chain (already
imported, a clone's second package with the same number, a chain that does not continue, a re-base) and
:func:`check_install` refuses a second installation speaking for the same kecamatan unless told it replaces the
first. Every refusal is a :class:`PackageRejected` ending "Tidak ada data yang diubah."
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db import dialects
from klaten_desktop.db.migrate import KNOWN_REVISIONS
from klaten_desktop.db.models import Office, TrustedPeer, Wilayah
from klaten_desktop.db.models_sync import SyncPackage, SyncPeerState
from klaten_desktop.services import identity
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync import package
from klaten_desktop.services.sync.columns import RowProblem
from klaten_desktop.services.sync.merge import Values
from klaten_desktop.services.sync.package import PackageRejected
from klaten_desktop.services.sync.tables import BY_NAME, SPECS, SUBJECTS, TABLE_LABELS, TableSpec


@dataclass(frozen=True)
class Checked:
    """A package that passed :func:`check_package`: its frame, manifest, rows by table and the sender's name."""

    opened: package.Opened
    manifest: dict[str, Any]
    rows: dict[str, list[Values]]
    sender_name: str


def _reject(message: str) -> PackageRejected:
    """The refusal of a package, saying that nothing was changed."""
    return PackageRejected(message + " Tidak ada data yang diubah.")


# ---------------------------------------------------------------- the file


def check_package(ctx: ServiceContext, path: Path) -> Checked:
    """Authenticate, decrypt and parse ``path``; raises :class:`PackageRejected` (nothing is written)."""
    opened = package.open_package(package.read_file(Path(path)))
    header = opened.header
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None:
            raise UserError("Kantor belum diatur (init).")
        peer = session.get(TrustedPeer, header.sender_install)
        me_install, me_role, me_code = office.install_id, office.role, office.office_code
        sender = None if peer is None else (peer.office_code, peer.name, peer.signing_public_b64)
    if sender is None:
        raise _reject(
            f"Pengirim paket tidak dikenal (kantor {header.sender_office}). Impor dahulu berkas kunci kantor itu "
            "('keys import') setelah mencocokkan sidik jarinya lewat telepon."
        )
    sender_office, sender_name, signing_public = sender
    if sender_office != header.sender_office:
        raise _reject(f"Paket mengaku dari {header.sender_office} tetapi kuncinya milik {sender_office}.")
    package.verify(opened, signing_public, sender_name)
    if header.recipient_install != me_install:
        raise _reject(
            f"Paket ini ditujukan untuk kantor lain ({header.recipient_office}), bukan instalasi ini. "
            "Pengirim perlu mengimpor berkas kunci kantor ini lalu mengekspor ulang."
        )
    if (header.kind == "data") != (me_role == "kabupaten") or header.recipient_office != me_code:
        raise _reject("Jenis paket ini tidak dapat diimpor di kantor ini.")
    payload = package.decrypt(opened, identity.encryption_key(ctx))
    manifest, raw_tables = package.read_zip(payload)
    _check_manifest(manifest, header, raw_tables)
    owner = header.sender_office if header.kind == "data" else me_code
    rows: dict[str, list[Values]] = {}
    for spec in SPECS:
        rows[spec.name] = _parse_rows(spec, raw_tables.get(spec.name, b""), owner)
        if len(rows[spec.name]) != manifest["counts"].get(spec.name, 0):
            raise _reject("Isi paket rusak (jumlah baris tidak sesuai manifest).")
    return Checked(opened, manifest, rows, sender_name)


def _check_manifest(manifest: Mapping[str, Any], header: package.Header, tables: Mapping[str, bytes]) -> None:
    """Refuse a manifest from a newer app or schema, one that contradicts the header, or one malformed."""
    version = manifest.get("format_version")
    if isinstance(version, int) and version > package.FORMAT_VERSION:
        raise _reject("Paket dibuat oleh versi aplikasi yang lebih baru. Perbarui Klaten Desktop lalu coba lagi.")
    schema = manifest.get("schema_version")
    if schema not in KNOWN_REVISIONS:
        raise _reject(
            f"Paket dibuat dengan skema basis data yang lebih baru ({schema}). "
            "Perbarui Klaten Desktop di kantor ini lalu impor lagi."
        )
    expected = {
        "format_version": package.FORMAT_VERSION,
        "kind": header.kind,
        "office": header.sender_office,
        "install_id": header.sender_install,
        "recipient_office": header.recipient_office,
        "recipient_install": header.recipient_install,
        "sequence": header.sequence,
    }
    if any(manifest.get(k) != v for k, v in expected.items()):
        raise _reject("Isi paket rusak (manifest tidak sesuai kepala berkas).")
    unknown = sorted(set(tables) - set(BY_NAME))
    if unknown:
        raise _reject(
            f"Paket berisi berkas rows/{unknown[0]}.jsonl untuk tabel yang tidak dikenal versi aplikasi ini; "
            "paket ditolak."
        )
    counts = manifest.get("counts")
    prev = manifest.get("previous_sha256")
    problems = {
        "counts": not isinstance(counts, dict)
        or not set(counts) <= set(BY_NAME)
        or not all(type(n) is int and n >= 0 for n in counts.values()),
        "full": not isinstance(manifest.get("full"), bool),
        "created_at": not isinstance(manifest.get("created_at"), str),
        "app_version": not isinstance(manifest.get("app_version"), str),
        "previous_sha256": not (prev is None or isinstance(prev, str)),
        "audit_head": not _audit_head_ok(manifest.get("audit_head")),
    }
    bad = [name for name, wrong in problems.items() if wrong]
    if bad:
        raise _reject(f"Isi paket rusak (manifest tidak sah: {', '.join(bad)}).")


def _audit_head_ok(head: object) -> bool:
    """The optional ``audit_head``: null, or ``{"id": entry id >= 1, "hash": 64 lower-case hex digits}``."""
    if head is None:
        return True
    if not isinstance(head, dict) or set(head) != {"id", "hash"}:
        return False
    entry, digest = head["id"], head["hash"]
    return (
        type(entry) is int
        and entry >= 1
        and isinstance(digest, str)
        and len(digest) == 64
        and all(c in "0123456789abcdef" for c in digest)
    )


def _parse_rows(spec: TableSpec, data: bytes, owner: str) -> list[Values]:
    """The rows of one ``rows/<table>.jsonl``, checked against what each column allows and all belonging to
    ``owner`` (an official also by its desa)."""
    if not data:
        return []
    label = f"{TABLE_LABELS[spec.name]} ({spec.name})"
    # split on the newline byte only: a value may hold U+2028 or U+0085 unescaped, which str.splitlines
    # would take for line breaks
    lines = [raw for raw in data.split(b"\n") if raw]
    try:
        rows: list[Values] = list(map(orjson.loads, lines))
    except ValueError:  # orjson.JSONDecodeError (also invalid UTF-8) is a ValueError
        raise _reject(f"Isi paket rusak: tabel {label} baris {_bad_json_line(lines)} bukan JSON yang sah.") from None
    try:
        spec.check_rows(rows)
    except RowProblem as problem:
        raise _reject(problem.message(TABLE_LABELS[spec.name])) from None
    codes = set(map(itemgetter("office_code"), rows))
    desa = {d[: len(owner)] for d in map(itemgetter("desa_kode"), rows)} if spec.name == "official" else {owner}
    if codes != {owner} or desa != {owner}:
        _name_foreign_row(spec, rows, owner, label)
    if SUBJECTS in spec.keys:
        for values in rows:
            values[SUBJECTS] = sorted(values[SUBJECTS])
    return rows


def _bad_json_line(lines: list[bytes]) -> int:
    """The number (from 1) of the first line that is not JSON."""
    for line, raw in enumerate(lines, start=1):
        try:
            orjson.loads(raw)
        except ValueError:
            return line
    return 0


def _name_foreign_row(spec: TableSpec, rows: list[Values], owner: str, label: str) -> None:
    """Refuse the first row owned by another office (by ``office_code``, or by its desa for an official)."""
    for line, values in enumerate(rows, start=1):
        code, column = values["office_code"], "office_code"
        if code == owner and spec.name == "official" and values["desa_kode"][: len(owner)] != owner:
            code, column = values["desa_kode"], "desa_kode"
        if code != owner:
            raise _reject(
                f"Paket berisi data milik kantor lain ({code}; tabel {label} baris {line}, kolom {column}); hanya "
                "kecamatan pemilik yang boleh mengirim datanya. Paket ditolak."
            )


def check_references(session: Session, checked: Checked) -> None:
    """Refuse rows that hang off a stored row of another kecamatan (an enrollment of another kecamatan's
    official, a letter about its people) and officials of a desa the region table does not know.

    Run inside the import's transaction before any row is written, so later packages of a batch see the earlier
    ones. A parent that is in neither the package nor the database leaves its row waiting (``sync_pending``).
    """
    owner = _owner(checked)
    desa = {v["desa_kode"] for v in checked.rows["official"]}
    if desa:
        known = set(session.scalars(select(Wilayah.kode).where(Wilayah.kode.in_(sorted(desa)))))
        for line, values in enumerate(checked.rows["official"], start=1):
            if values["desa_kode"] not in known:
                raise _reject(
                    f"Paket ditolak: tabel {TABLE_LABELS['official']} (official) baris {line} (id {values['id']}), "
                    f"kolom desa_kode: desa {values['desa_kode']} tidak ada dalam daftar wilayah."
                )
    for spec in SPECS:
        links = [*spec.foreign_keys, *([(SUBJECTS, "official")] if SUBJECTS in spec.keys else [])]
        for column, parent in links:
            _check_parents(session, spec, column, parent, checked.rows, owner)


def _owner(checked: Checked) -> str:
    header = checked.opened.header
    return header.sender_office if header.kind == "data" else header.recipient_office


def _check_parents(
    session: Session, spec: TableSpec, column: str, parent: str, rows: Mapping[str, list[Values]], owner: str
) -> None:
    """Refuse the first row of ``spec`` whose ``column`` names a stored ``parent`` row of another office."""
    in_package = set(map(itemgetter("id"), rows[parent]))
    values_of = list(map(itemgetter(column), rows[spec.name]))
    if column != SUBJECTS and not set(values_of) - in_package - {None}:
        return  # every parent is in the package (a first package): nothing to look up
    refs: dict[str, int] = {}
    for line, value in enumerate(values_of, start=1):
        for ref in value if isinstance(value, list) else [value]:
            if ref is not None and ref not in in_package:
                refs.setdefault(ref, line)
    if not refs:
        return
    table = BY_NAME[parent].table
    others: dict[str, str] = {
        row_id: code
        for row_id, code in session.execute(
            select(table.c.id, table.c.office_code).where(
                dialects.id_in(session, table.c.id, refs), table.c.office_code != owner
            )
        )
    }
    if others:
        line = min(refs[ref] for ref in others)
        values = rows[spec.name][line - 1]
        ref = next(r for r in others if refs[r] == line)
        raise _reject(
            f"Paket ditolak: tabel {TABLE_LABELS[spec.name]} ({spec.name}) baris {line} (id {values['id']}), kolom "
            f"{column}: menunjuk data {parent} milik kantor lain ({others[ref]}). Hanya data milik kecamatan "
            "pengirim yang boleh dikirim."
        )


# ---------------------------------------------------------------- the sender's chain and installation


def check_install(session: Session, office_code: str, install: str, new_install: bool) -> list[str]:
    """Refuse a replaced installation, or a second one unless ``new_install``; the warning when it replaces."""
    others = list(
        session.scalars(
            select(SyncPeerState.install_id).where(
                SyncPeerState.office_code == office_code,
                SyncPeerState.install_id != install,
                SyncPeerState.status == "aktif",
            )
        )
    )
    state = session.get(SyncPeerState, install)
    if state is not None and state.status == "diganti":
        raise _reject(
            f"Instalasi pengirim ini sudah diganti oleh instalasi lain untuk kecamatan {office_code}. "
            "Paket dari PC lama tidak digabungkan."
        )
    if others and not new_install:
        raise _reject(
            f"Kecamatan {office_code} sudah mengirim paket dari instalasi lain. Dua instalasi untuk satu kecamatan "
            "(PC disalin atau dipasang ulang) tidak digabungkan diam-diam. Jika PC kecamatan memang diganti, "
            "impor dengan pilihan 'instalasi baru' (--new-install)."
        )
    return [f"Instalasi baru untuk kecamatan {office_code} menggantikan instalasi sebelumnya."] if others else []


def gaps(session: Session, sender_install: str) -> tuple[int, ...]:
    """The sequence numbers still missing from ``sender_install``."""
    rows = session.execute(
        select(SyncPackage.sequence, SyncPackage.full).where(
            SyncPackage.direction == "received", SyncPackage.sender_install == sender_install
        )
    ).all()
    return sequence_gaps([(seq, bool(full)) for seq, full in rows])


def sequence_gaps(received: Iterable[tuple[int, bool]]) -> tuple[int, ...]:
    """Missing sequence numbers; those before the newest full package are covered by it."""
    seqs = {seq for seq, _ in received}
    if not seqs:
        return ()
    fulls = [seq for seq, full in received if full]
    start = max(fulls) if fulls else 1
    return tuple(n for n in range(start, max(seqs)) if n not in seqs)
