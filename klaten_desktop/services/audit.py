"""The audit trail: who did what, with the old and new values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from klaten_desktop.db.dialects import driver_sql
from klaten_desktop.db.models import AuditLog, Enrollment, Official, User
from klaten_desktop.domain import audit as rules
from klaten_desktop.domain.formatting import format_datetime
from klaten_desktop.domain.nik import normalize_nik
from klaten_desktop.runtime.clock import office_time
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext, session_now
from klaten_desktop.services.errors import StaleRecordError


def _default(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def to_json(values: Mapping[str, Any] | None) -> str | None:
    """The stored text of audit values: JSON with sorted keys, personal data masked (domain/audit.py)."""
    if values is None:
        return None
    return json.dumps(rules.mask_values(values), default=_default, ensure_ascii=False, sort_keys=True)


def changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def chain_head(session: Session) -> str:
    """The hash of the last entry (or the genesis value), read inside the caller's write transaction: the next
    entry links to it. ``ORDER BY id DESC LIMIT 1`` in the same transaction, so two writers cannot both link to
    the same entry (SQLite has one writer; on PostgreSQL the transaction must serialise writers of the log)."""
    head = session.execute(select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).scalar()
    return head if head else rules.GENESIS


def head_of(session: Session) -> dict[str, Any] | None:
    """The chain head a sync package carries (manifest member ``audit_head``): the last entry's id and hash, or
    None for an empty log."""
    last = session.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).first()
    return None if last is None else {"id": int(last[0]), "hash": str(last[1])}


_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "old_values", "new_values", "summary",
            "details_hash", "prev_hash", "hash")  # fmt: skip


_INSERT_SQL = f"INSERT INTO audit_log ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def write_rows(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert prepared audit rows (at, actor, action, entity, entity_id, old_values, new_values, summary: the
    stored texts) chained to the head in the same pass, in one DBAPI executemany. The one writer of
    ``audit_log``: 13,000 entries of an import cost one hash pair each, the time bound once per distinct value."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    bind_time = AuditLog.__table__.c.at.type.dialect_impl(dialect).bind_processor(dialect)
    times: dict[dt.datetime, Any] = {}
    prev = chain_head(session)
    details_hash, entry_hash = rules.details_hash, rules.entry_hash
    params = []
    for row in rows:
        at, actor, action, entity, entity_id = row["at"], row["actor"], row["action"], row["entity"], row["entity_id"]
        old, new, summary = row["old_values"], row["new_values"], row["summary"]
        details = details_hash(old, new, summary)
        entry = entry_hash(prev, at, actor, action, entity, entity_id, details)
        stored_at = times.get(at)
        if stored_at is None:
            stored_at = times[at] = bind_time(at) if bind_time is not None else at
        params.append((stored_at, actor, action, entity, entity_id, old, new, summary, details, prev, entry))
        prev = entry
    connection.exec_driver_sql(driver_sql(_INSERT_SQL, dialect), params)
    return len(rows)


def row_encoder(keys: Sequence[str]) -> Callable[[Sequence[Any]], str]:
    """:func:`to_json` for many rows of the same keys (each row's values in ``keys`` order), writing the same text
    (sorted keys, personal data masked) without building a dict per row: the bulk import's 13,000 entries."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    heads = [rules.encode_text(keys[i]) + ": " for i in order]
    masks = [rules.MASKS.get(keys[i]) for i in order]
    plan = list(zip(order, heads, masks, strict=True))
    enc = rules.encode_text

    def value(v: Any) -> str:
        kind = type(v)
        if v is None:
            return "null"
        if kind is str:
            return str(enc(v))
        if kind is int:
            return str(v)
        if kind is dt.date:
            return f'"{v.isoformat()}"'
        return json.dumps(v, default=_default, ensure_ascii=False)

    def encode(values: Sequence[Any]) -> str:
        parts = []
        for i, head, mask in plan:
            v = values[i]
            if mask is not None and v is not None and v != "":
                v = mask(v)
            parts.append(head + value(v))
        return "{" + ", ".join(parts) + "}"

    return encode


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    summary: str | None = None,
) -> None:
    write_rows(
        session,
        [
            {
                "at": session_now(session),
                "actor": actor.username,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "old_values": to_json(old),
                "new_values": to_json(new),
                "summary": summary,
            }
        ],
    )


def record_many(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entries: Iterable[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    *,
    summary: str | None = None,
) -> int:
    now = session_now(session)
    rows = [
        {
            "at": now,
            "actor": actor.username,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "old_values": to_json(old),
            "new_values": to_json(new),
            "summary": summary,
        }
        for entity_id, old, new in entries
    ]
    return write_rows(session, rows)


# --------------------------------------------------------------------------- events that change no data

#: The actions the trail names, with their labels on the Audit screen (others are shown as stored).
ACTION_LABELS: dict[str, str] = {
    "create": "Tambah",
    "update": "Ubah",
    "delete": "Hapus",
    "end": "Akhiri",
    "replace": "Ganti pengurus",
    "import": "Impor",
    "export": "Ekspor berkas",
    "backup": "Buat cadangan",
    "issue": "Terbitkan dokumen",
    "reprint": "Cetak ulang",
    "sync_export": "Kirim paket sinkron",
    "sync_import": "Terima paket sinkron",
    "login": "Masuk",
    "login_failed": "Gagal masuk",
    "logout": "Keluar",
    "role_change": "Ubah peran",
    "reveal_nik": "Lihat NIK lengkap",
    "purge_audit": "Hapus rincian audit lama",
    "register": "Daftarkan kepesertaan",
    "submit": "Ajukan kepesertaan",
    "pay": "Catat iuran",
    "end_term": "Akhiri masa jabatan",
    "void": "Batalkan dokumen",
    "init": "Atur kantor",
    "demo": "Data contoh",
    "repair": "Perbaikan basis data",
    "trust": "Percayai kunci kantor",
    "attend": "Hadir",
    "unattend": "Batal hadir",
    "login_refused": "Masuk ditolak (tunggu)",
    "add_user": "Tambah pengguna",
    "enable_user": "Aktifkan pengguna",
    "disable_user": "Nonaktifkan pengguna",
    "set_role": "Ubah peran",
    "reset_password": "Atur ulang kata sandi",
    "change_password": "Ganti kata sandi sendiri",
    "add_participant": "Undang peserta",
    "add_guest": "Tambah tamu",
    "remove_participant": "Hapus peserta",
    "import_attendance": "Impor daftar hadir",
    "reserve": "Pesan nomor surat",
    "use": "Pakai nomor pesanan",
    "void_payment": "Batalkan iuran",
    "sync_accept": "Terima usulan sinkron",
    "sync_refuse": "Tolak usulan sinkron",
    "sync_rebase": "Terima aliran paket baru",
    "sync_reissue": "Terbitkan ulang paket",
    "kunci_dilindungi": "Lindungi kunci kantor",
    "kunci_dicadangkan": "Cadangkan kunci kantor",
    "kunci_dipulihkan": "Pulihkan kunci kantor",
}

#: What an entry is about, as the Audit screen names it (the tables' own names are English).
ENTITY_LABELS: dict[str, str] = {
    "app_user": "Akun",
    "audit_log": "Log audit",
    "database": "Basis data",
    "document": "Dokumen",
    "enrollment": "Kepesertaan",
    "event": "Sosialisasi",
    "event_participant": "Peserta",
    "file": "Berkas",
    "identity_key": "Kunci kantor",
    "kode_pos": "Kode pos",
    "letter_template": "Templat surat",
    "office": "Kantor",
    "official": "Pengurus",
    "register_entry": "Nomor surat",
    "setting": "Pengaturan",
    "sync_package": "Paket sinkron",
    "tariff": "Tarif",
    "trusted_peer": "Kunci kantor lain",
    "umk": "UMK",
    "contribution_payment": "Iuran",
}


def record_reveal(
    ctx: ServiceContext, actor: Actor, entity: str, entity_id: str, *, purpose: str | None = None
) -> None:
    """``actor`` was shown a full NIK (of the ``entity`` row ``entity_id``): in its own transaction, before the
    NIK is shown. What was revealed is named by the row, never by the NIK itself."""
    with ctx.write() as session:
        record(
            session,
            actor,
            "reveal_nik",
            entity,
            entity_id,
            new={"keperluan": purpose} if purpose else None,
            summary="NIK lengkap ditampilkan" + (f" ({purpose})" if purpose else ""),
        )


#: The keys of stored old/new values that are the tables' English column names, as the Audit screen shows them
#: (:func:`readable_values`); what is stored, and hashed in the chain, stays as it is.
VALUE_LABELS: dict[str, str] = {
    "added": "ditambah", "address": "alamat", "amount": "jumlah", "batch_id": "id_batch",
    "bpjs_branch_address": "alamat_cabang_bpjs", "bpjs_branch_head": "kepala_cabang_bpjs",
    "bpjs_branch_name": "nama_cabang_bpjs", "conflict": "konflik", "counts": "jumlah", "created_at": "dibuat_pada",
    "declared_income": "penghasilan_dilaporkan", "deleted_at": "dihapus_pada", "end_note": "catatan_berakhir",
    "end_reason": "alasan_berakhir", "ended_on": "berakhir_tanggal", "ends_at": "selesai",
    "enrollment_id": "id_kepesertaan", "event_id": "id_sosialisasi", "fields": "kolom", "file": "berkas",
    "fingerprint": "sidik_jari", "from": "dari", "full": "lengkap", "funding_source": "sumber_dana",
    "guest_name": "nama_tamu", "guest_role": "peran_tamu", "install": "instalasi", "install_id": "id_instalasi",
    "issued_on": "terbit_tanggal", "kecamatan_nama": "nama_kecamatan", "kind": "jenis", "marked": "ditandai",
    "monthly_amount": "iuran_bulanan", "months": "bulan", "name": "nama", "not_found": "tidak_ditemukan",
    "note": "catatan", "notes": "catatan", "number": "nomor_urut", "office_code": "kode_kantor",
    "official_id": "id_pengurus", "organiser": "penyelenggara", "origin_install": "instalasi_asal",
    "paid_on": "dibayar_tanggal", "paid_through": "dibayar_sampai", "phone": "telepon", "place": "tempat",
    "programs": "program", "reason": "alasan", "recipient": "penerima", "reference": "referensi",
    "registered_on": "terdaftar_tanggal", "replaced": "diganti", "replaced_by_id": "diganti_oleh", "role": "peran",
    "row_version": "versi_baris", "sender": "pengirim", "sequence": "urutan", "speakers": "narasumber",
    "starts_at": "mulai", "state": "keadaan", "submitted_on": "diajukan_tanggal", "tariff_code": "kode_tarif",
    "term_end": "akhir_jabatan", "term_start": "mulai_jabatan", "term_status": "status_jabatan", "title": "judul",
    "updated_at": "diubah_pada", "valid_to": "berlaku_sampai", "value": "nilai", "version": "versi",
    "void_reason": "alasan_pembatalan", "voided_at": "dibatalkan_pada", "voided_by": "dibatalkan_oleh",
    "year": "tahun",
}  # fmt: skip


def readable_values(text: str) -> str:
    """Stored values (a JSON object) with the English keys named in Indonesian (:data:`VALUE_LABELS`), for the
    screen; anything else as it is."""
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    return json.dumps({VALUE_LABELS.get(k, k): v for k, v in values.items()}, ensure_ascii=False)


#: The editor named when the audit trail does not say who changed a row (it came in a sync package).
SOMEONE_ELSE = "pengguna lain"


def last_change(session: Session, entity: str, entity_id: str) -> tuple[str, dt.datetime] | None:
    """Who changed the row last and when (naive UTC), from its newest audit entry: the account's display name,
    the username when no account has it. None when the trail has no entry of the row."""
    last = session.execute(
        select(AuditLog.actor, AuditLog.at)
        .where(AuditLog.entity_id == entity_id, AuditLog.entity == entity)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    username, at = last
    name = session.scalar(select(User.display_name).where(User.username == username))
    if name is None:
        name = SYSTEM.display_name if username == SYSTEM.username else username
    return name, at


def stale_record(session: Session, entity: str, entity_id: str, *, updated_at: dt.datetime) -> StaleRecordError:
    """The refusal of a save made on an outdated copy of a row (its ``row_version`` moved on since the form loaded
    it; another PC or another window saved it): who saved it and when, at the office's time. ``updated_at`` (the
    row's stamp) tells the time when the audit trail does not know the editor."""
    change = last_change(session, entity, entity_id)
    name, at = change if change is not None and change[1] >= updated_at else (SOMEONE_ELSE, updated_at)
    return StaleRecordError(
        f"Data ini diubah oleh {name} pada {format_datetime(office_time(at))} WIB; muat ulang lalu ulangi."
    )


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    old_values: str | None
    new_values: str | None
    summary: str | None
    id: int = 0

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.entity, self.entity)


@dataclass(frozen=True)
class AuditFilter:
    """What the Audit screen (or an auditor's export) asks for; None: any. ``until`` is inclusive."""

    actor: str | None = None
    action: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    official: str | None = None  # an official's id, full NIK or part of the name: its entries, its enrollments


def recent(
    ctx: ServiceContext, *, entity_id: str | None = None, limit: int = 200, where: AuditFilter | None = None
) -> list[AuditRow]:
    """The newest entries first (of one ``entity_id``, and/or matching ``where``)."""
    stmt = select(
        AuditLog.at,
        AuditLog.actor,
        AuditLog.action,
        AuditLog.entity,
        AuditLog.entity_id,
        AuditLog.old_values,
        AuditLog.new_values,
        AuditLog.summary,
        AuditLog.id,
    ).order_by(AuditLog.id.desc())
    if entity_id is not None:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    if where is not None:
        if where.actor:
            stmt = stmt.where(AuditLog.actor == where.actor)
        if where.action:
            stmt = stmt.where(AuditLog.action == where.action)
        if where.since is not None:
            stmt = stmt.where(AuditLog.at >= dt.datetime.combine(where.since, dt.time()))
        if where.until is not None:
            stmt = stmt.where(AuditLog.at < dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time()))
        if where.official and where.official.strip():
            people = _officials_matching(where.official)
            enrollments = select(Enrollment.id).where(Enrollment.official_id.in_(people))
            stmt = stmt.where(or_(AuditLog.entity_id.in_(people), AuditLog.entity_id.in_(enrollments)))
    with ctx.read() as session:
        return [AuditRow(*row) for row in session.execute(stmt.limit(limit))]


def _officials_matching(text: str) -> Select[tuple[str]]:
    """The ids of the officials ``text`` names: their id, their full NIK (typed with spaces or not), or a part of
    their name (case-insensitive)."""
    typed = text.strip()
    nik = normalize_nik(typed)
    full_nik = nik.isdigit() and len(nik) == 16
    named = Official.nik == nik if full_nik else Official.nama.ilike(f"%{typed}%")
    return select(Official.id).where(or_(Official.id == typed, named))


def choices(ctx: ServiceContext) -> tuple[list[str], list[str]]:
    """The users and the actions the trail holds, sorted: what the screen's filters offer."""
    with ctx.read() as session:
        actors = sorted(session.scalars(select(AuditLog.actor).distinct()))
        actions = sorted(session.scalars(select(AuditLog.action).distinct()))
    return actors, actions
