"""Letter templates staff can edit: kop, addressee, body with {{placeholders}}, signatory, tembusan.

Three kinds are built in (pengantar, keterangan, iuran); staff add kinds of their own, each based on one of
three data scopes. Every save adds a version (kept in the ``setting`` table under ``surat.templat.<kind>``);
letters record the kind and version they were made from. Templates export to and import from JSON files so
the regency can hand out a standard set. Unknown or misspelt placeholders are refused before saving.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Setting
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, NotFoundError, UserError, environment_message
from klaten_desktop.services.files import write_bytes

FILE_FORMAT = "klaten-desktop/templat-surat"
FILE_VERSION = 1
KEY_PREFIX = "surat.templat."
SCOPES = {
    "daftar": "Satu surat per desa dengan lampiran daftar pengurus",
    "pengurus": "Satu surat per pengurus",
    "iuran": "Satu surat per desa dengan rincian iuran",
}
LAYOUTS = ("surat", "keterangan")
BUILTIN_KINDS = ("pengantar", "keterangan", "iuran")
RINCIAN = "rincian"

COMMON = {
    "nomor": "nomor surat",
    "tanggal": "tanggal surat, mis. 24 November 2026",
    "tahun": "tahun surat",
    "kantor": "nama kantor",
    "kecamatan": "nama kecamatan, mis. Prambanan",
    "kecamatan_kapital": "nama kecamatan dalam huruf kapital",
    "alamat": "alamat kantor",
    "kontak": "telepon dan pos-el kantor",
    "telepon": "telepon kantor",
    "email": "pos-el kantor",
    "camat_nama": "nama camat",
    "camat_nip": "NIP camat",
    "camat_pangkat": "pangkat/golongan camat",
    "cabang_bpjs": "nama kantor cabang BPJS Ketenagakerjaan",
    "alamat_cabang_bpjs": "alamat kantor cabang BPJS Ketenagakerjaan",
    "desa": "nama desa",
    "jumlah": "jumlah pengurus dalam surat",
    "jumlah_terbilang": "jumlah pengurus dengan huruf",
    "jabatan_ditanggung": "jabatan yang ditanggung ADD pada tanggal surat, mis. Ketua RT dan Ketua RW",
    "sumber_dana": "sumber dana iuran pengurus dalam surat; ADD hanya bagi jabatan yang ditanggung ADD",
}
PENGURUS = {
    "nama": "nama pengurus",
    "nik": "NIK pengurus",
    "tempat_lahir": "tempat lahir",
    "tanggal_lahir": "tanggal lahir",
    "jabatan": "jabatan, mis. Ketua RT",
    "rt_rw": "RT/RW, mis. 001/002",
    "nomor_kpj": "nomor KPJ",
    "program": "program BPJS Ketenagakerjaan",
    "tanggal_mulai": "tanggal mulai kepesertaan",
    "iuran_bulanan": "iuran per bulan, mis. Rp 16.800",
    "iuran_bulanan_terbilang": "iuran per bulan dengan huruf",
    "status_kepesertaan": "status pada tanggal surat, mis. aktif; iuran terbayar s.d. Oktober 2026",
    RINCIAN: "tempat rincian data pengurus (satu paragraf tersendiri)",
}
IURAN = {
    "periode": "periode iuran, mis. Januari–Desember 2027",
    "jumlah_bulan": "jumlah bulan dalam periode",
    "total_iuran": "jumlah iuran seluruhnya, mis. Rp 1.008.000",
    "total_iuran_terbilang": "jumlah iuran seluruhnya dengan huruf",
    RINCIAN: "tempat tabel rincian iuran (satu paragraf tersendiri)",
}


def placeholders(scope: str) -> dict[str, str]:
    """The placeholders a template of ``scope`` may use, with what each is filled with."""
    extra = {"pengurus": PENGURUS, "iuran": IURAN}.get(scope, {})
    return {**COMMON, **extra}


@dataclass(frozen=True)
class LetterTemplate:
    kind: str
    label: str
    scope: str
    layout: str = "surat"
    title: str = ""
    sifat: str = "Biasa"
    hal: str = ""
    yth: tuple[str, ...] = ()
    di: str = ""
    body: str = ""
    tembusan: tuple[str, ...] = ()
    kop_instansi: str = "PEMERINTAH KABUPATEN KLATEN"
    kop_unit: str = "KECAMATAN {{kecamatan_kapital}}"
    kop_lines: tuple[str, ...] = ("{{alamat}}", "{{kontak}}")
    ttd_jabatan: str = "CAMAT {{kecamatan_kapital}}"
    ttd_nama: str = "{{camat_nama}}"
    ttd_pangkat: str = "{{camat_pangkat}}"
    ttd_nip: str = "{{camat_nip}}"
    version: int = 0  # 0: the built-in text, never saved
    saved_at: str | None = None
    saved_by: str | None = None

    @property
    def builtin(self) -> bool:
        return self.kind in BUILTIN_KINDS

    def texts(self) -> dict[str, str]:
        """Every editable text, by field name (lists joined by new lines)."""
        out: dict[str, str] = {}
        for f in TEXT_FIELDS:
            value = getattr(self, f)
            out[f] = "\n".join(value) if isinstance(value, tuple) else str(value)
        return out

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("yth", "tembusan", "kop_lines"):
            data[key] = list(data[key])
        return data


TEXT_FIELDS = (
    "title", "sifat", "hal", "yth", "di", "body", "tembusan", "kop_instansi", "kop_unit", "kop_lines",
    "ttd_jabatan", "ttd_nama", "ttd_pangkat", "ttd_nip",
)  # fmt: skip
FIELD_LABELS = {
    "title": "Judul",
    "sifat": "Sifat",
    "hal": "Hal",
    "yth": "Yth.",
    "di": "di",
    "body": "Isi surat",
    "tembusan": "Tembusan",
    "kop_instansi": "Kop (instansi)",
    "kop_unit": "Kop (unit)",
    "kop_lines": "Kop (alamat)",
    "ttd_jabatan": "Jabatan penanda tangan",
    "ttd_nama": "Nama penanda tangan",
    "ttd_pangkat": "Pangkat penanda tangan",
    "ttd_nip": "NIP penanda tangan",
}

BUILTIN: dict[str, LetterTemplate] = {
    "pengantar": LetterTemplate(
        kind="pengantar",
        label="Surat Pengantar Pendaftaran",
        scope="daftar",
        hal="Permohonan Pendaftaran Peserta BPJS Ketenagakerjaan bagi Pengurus RT/RW Desa {{desa}}",
        yth=("Kepala {{cabang_bpjs}}",),
        di="{{alamat_cabang_bpjs}}",
        body=(
            "Dengan hormat,\n\n"
            "Dalam rangka perlindungan jaminan sosial ketenagakerjaan bagi {{jabatan_ditanggung}} di wilayah "
            "Kecamatan {{kecamatan}} sesuai Peraturan Bupati Klaten Nomor 9 Tahun 2022, bersama ini kami "
            "mengajukan permohonan pendaftaran {{jumlah}} "
            "({{jumlah_terbilang}}) orang pengurus RT/RW Desa {{desa}} sebagai peserta program Jaminan Kecelakaan "
            "Kerja (JKK) dan Jaminan Kematian (JKM) BPJS Ketenagakerjaan kategori Bukan Penerima Upah, dengan "
            "iuran dibayarkan dari {{sumber_dana}}, sebagaimana daftar terlampir.\n\n"
            "Demikian permohonan ini kami sampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan "
            "terima kasih."
        ),
        tembusan=("Bupati Klaten (sebagai laporan)", "Kepala Desa {{desa}}"),
    ),
    "keterangan": LetterTemplate(
        kind="keterangan",
        label="Surat Keterangan Kepesertaan",
        scope="pengurus",
        layout="keterangan",
        title="SURAT KETERANGAN KEPESERTAAN BPJS KETENAGAKERJAAN",
        hal="Keterangan Kepesertaan BPJS Ketenagakerjaan a.n. {{nama}}",
        body=(
            "Yang bertanda tangan di bawah ini Camat {{kecamatan}}, Kabupaten Klaten, menerangkan bahwa:\n\n"
            "{{rincian}}\n\n"
            "adalah pengurus RT/RW di Desa {{desa}} yang didaftarkan sebagai peserta BPJS Ketenagakerjaan "
            "program {{program}} dengan nomor KPJ {{nomor_kpj}} sejak tanggal {{tanggal_mulai}}. Status "
            "kepesertaannya pada tanggal {{tanggal}}: {{status_kepesertaan}}. Iuran sebesar {{iuran_bulanan}} "
            "({{iuran_bulanan_terbilang}}) per bulan dibebankan pada {{sumber_dana}}.\n\n"
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."
        ),
        tembusan=("Kepala Desa {{desa}}",),
    ),
    "iuran": LetterTemplate(
        kind="iuran",
        label="Surat Pemberitahuan Iuran",
        scope="iuran",
        hal="Pemberitahuan Iuran BPJS Ketenagakerjaan Pengurus RT/RW Periode {{periode}}",
        yth=("Kepala Desa {{desa}}",),
        di="Tempat",
        body=(
            "Dengan hormat,\n\n"
            "Bersama ini kami beritahukan iuran BPJS Ketenagakerjaan (JKK dan JKM) bagi {{jumlah}} "
            "({{jumlah_terbilang}}) orang pengurus RT/RW Desa {{desa}} ({{jabatan_ditanggung}}) yang dibayarkan "
            "dari {{sumber_dana}} untuk periode {{periode}} ({{jumlah_bulan}} bulan), dengan rincian sebagai "
            "berikut:\n\n"
            "{{rincian}}\n\n"
            "Jumlah iuran yang harus dibayarkan seluruhnya sebesar {{total_iuran}} ({{total_iuran_terbilang}}). "
            "Iuran dibayarkan paling lambat tanggal 15 setiap bulan; kepesertaan menjadi nonaktif bila iuran "
            "tidak dibayar selama 3 (tiga) bulan berturut-turut.\n\n"
            "Demikian pemberitahuan ini kami sampaikan untuk dapat dianggarkan dan dibayarkan tepat waktu. Atas "
            "perhatian Saudara, kami ucapkan terima kasih."
        ),
        tembusan=("Kepala {{cabang_bpjs}}",),
    ),
}

_TOKEN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_KIND = re.compile(r"[a-z][a-z0-9_]{2,39}")


def check(template: LetterTemplate) -> list[str]:
    """Problems that keep a template from being saved (Indonesian, one per problem); empty when fine."""
    problems: list[str] = []
    if not _KIND.fullmatch(template.kind):
        problems.append("Kode jenis surat hanya boleh huruf kecil, angka dan garis bawah (3–40 karakter).")
    if template.scope not in SCOPES:
        problems.append(f"Cakupan data {template.scope!r} tidak dikenal (pilihan: {', '.join(SCOPES)}).")
    if template.layout not in LAYOUTS:
        problems.append("Tata letak harus 'surat' atau 'keterangan'.")
    if not template.label.strip():
        problems.append("Nama jenis surat wajib diisi.")
    if template.layout == "surat" and not template.hal.strip():
        problems.append("Hal surat wajib diisi.")
    if template.layout == "keterangan" and not template.title.strip():
        problems.append("Judul surat keterangan wajib diisi.")
    if not template.body.strip():
        problems.append("Isi surat wajib diisi.")
    allowed = placeholders(template.scope) if template.scope in SCOPES else COMMON
    for field_name, text in template.texts().items():
        where = FIELD_LABELS[field_name]
        for match in _TOKEN.finditer(text):
            name = match.group(1)
            if name in allowed:
                if name == RINCIAN and (field_name != "body" or not _alone(text, match.group(0))):
                    problems.append(f"{where}: {{{{rincian}}}} harus berdiri sendiri sebagai satu paragraf isi surat.")
                continue
            elsewhere = [scope for scope in SCOPES if name in placeholders(scope)]
            if elsewhere:
                problems.append(
                    f"{where}: isian {{{{{name}}}}} tidak tersedia untuk jenis surat ini "
                    f"(hanya untuk cakupan: {', '.join(elsewhere)})."
                )
                continue
            guess = difflib.get_close_matches(name.lower().replace(" ", "_"), list(allowed), n=1, cutoff=0.6)
            hint = f"; maksud Anda {{{{{guess[0]}}}}}?" if guess else ""
            problems.append(f"{where}: isian {{{{{name}}}}} tidak dikenal{hint}")
        rest = _TOKEN.sub("", text)
        if "{" in rest or "}" in rest:
            problems.append(f"{where}: kurung kurawal tidak berpasangan; isian ditulis seperti {{{{nama}}}}.")
    return problems


def _alone(body: str, token: str) -> bool:
    return any(p.strip() == token for p in re.split(r"\n\s*\n", body))


def fill(text: str, values: Mapping[str, str]) -> str:
    return _TOKEN.sub(lambda m: values.get(m.group(1), ""), text)


# ------------------------------------------------------------------------------------------------ storage


def _key(kind: str) -> str:
    return KEY_PREFIX + kind


def _from_json(data: Mapping[str, Any]) -> LetterTemplate:
    known = {f.name for f in dataclasses.fields(LetterTemplate)}
    values = {k: v for k, v in data.items() if k in known}
    for key in ("yth", "tembusan", "kop_lines"):
        if key in values:
            values[key] = tuple(str(v) for v in values[key])
    for key in (
        "kind",
        "label",
        "scope",
        "layout",
        *[f for f in TEXT_FIELDS if f not in ("yth", "tembusan", "kop_lines")],
    ):
        if key in values:
            values[key] = str(values[key])
    return LetterTemplate(**values)


def _versions(session: Session, kind: str) -> list[LetterTemplate]:
    raw = session.scalar(select(Setting.value).where(Setting.key == _key(kind)))
    if raw is None:
        return []
    return [_from_json(v) for v in json.loads(raw)["versions"]]


def load(session: Session, kind: str, version: int | None = None) -> LetterTemplate:
    versions = _versions(session, kind)
    if version == 0 or (not versions and kind in BUILTIN):
        if kind not in BUILTIN:
            raise NotFoundError(f"Templat surat {kind} tidak ada.")
        return BUILTIN[kind]
    if not versions:
        raise NotFoundError(f"Jenis surat {kind!r} tidak dikenal.")
    if version is None:
        return versions[-1]
    for t in versions:
        if t.version == version:
            return t
    raise NotFoundError(f"Templat surat {kind} versi {version} tidak ada.")


def get(ctx: ServiceContext, kind: str, version: int | None = None) -> LetterTemplate:
    with ctx.read() as session:
        return load(session, kind, version)


def history(ctx: ServiceContext, kind: str) -> list[LetterTemplate]:
    """Every saved version, oldest first (the built-in text as version 0 for built-in kinds)."""
    with ctx.read() as session:
        saved = _versions(session, kind)
    base = [BUILTIN[kind]] if kind in BUILTIN else []
    if not saved and not base:
        raise NotFoundError(f"Jenis surat {kind!r} tidak dikenal.")
    return [*base, *saved]


def list_templates(ctx: ServiceContext) -> list[LetterTemplate]:
    """The current version of every kind: built-in first, then the office's own kinds by name."""
    with ctx.read() as session:
        keys = list(session.scalars(select(Setting.key).where(Setting.key.like(KEY_PREFIX + "%"))))
        kinds = [k[len(KEY_PREFIX) :] for k in keys]
        own = sorted(k for k in kinds if k not in BUILTIN)
        return [load(session, kind) for kind in (*BUILTIN_KINDS, *own)]


def _store(session: Session, actor: Actor, template: LetterTemplate, action: str, now: dt.datetime) -> LetterTemplate:
    versions = _versions(session, template.kind)
    if template.kind in BUILTIN and template.scope != BUILTIN[template.kind].scope:
        raise UserError(f"Cakupan data surat bawaan {template.kind} tidak dapat diubah.")
    number = (versions[-1].version if versions else 0) + 1
    saved = replace(template, version=number, saved_at=now.isoformat(timespec="seconds"), saved_by=actor.username)
    encoded = json.dumps({"versions": [t.as_json() for t in [*versions, saved]]}, ensure_ascii=False)
    row = session.get(Setting, _key(template.kind))
    if row is None:
        session.add(Setting(key=_key(template.kind), value=encoded, updated_at=now))
    else:
        row.value = encoded
        row.updated_at = now
    audit.record(
        session,
        actor,
        action,
        "letter_template",
        template.kind,
        new={"kind": template.kind, "version": number, **template.texts()},
        summary=f"Templat {template.label} versi {number}",
    )
    return saved


def _validated(template: LetterTemplate) -> LetterTemplate:
    template = replace(
        template,
        label=" ".join(template.label.split()),
        yth=tuple(s.strip() for s in template.yth if s.strip()),
        tembusan=tuple(s.strip() for s in template.tembusan if s.strip()),
        kop_lines=tuple(s.strip() for s in template.kop_lines if s.strip()),
    )
    problems = check(template)
    if problems:
        raise UserError("Templat belum dapat disimpan: " + problems[0], details=problems)
    return template


def save(ctx: ServiceContext, actor: Actor, template: LetterTemplate) -> LetterTemplate:
    """Validate and save as a new version; returns the saved version."""
    template = _validated(template)
    with ctx.write() as session:
        return _store(session, actor, template, "save", ctx.now())


def restore(ctx: ServiceContext, actor: Actor, kind: str, version: int) -> LetterTemplate:
    """Make an older version current again (saved as a new version)."""
    old = get(ctx, kind, version)
    return save(ctx, actor, old)


def export_file(ctx: ServiceContext, path: Path, kinds: Sequence[str] | None = None) -> int:
    """Write the current templates (all, or ``kinds``) to a JSON file; returns how many."""
    chosen = [t for t in list_templates(ctx) if kinds is None or t.kind in kinds]
    data = {
        "format": FILE_FORMAT,
        "versi": FILE_VERSION,
        "templat": [{k: v for k, v in t.as_json().items() if k not in ("saved_at", "saved_by")} for t in chosen],
    }
    write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return len(chosen)


@dataclass(frozen=True)
class ImportResult:
    saved: tuple[str, ...]
    unchanged: tuple[str, ...]


def import_file(ctx: ServiceContext, actor: Actor, path: Path) -> ImportResult:
    """Read templates from a file made by :func:`export_file`; each changed one becomes a new version.

    All or nothing: one bad template and none is saved.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EnvironmentProblem(environment_message(exc) or f"Berkas tidak dapat dibaca: {exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError("Berkas bukan berkas templat surat Klaten Desktop (JSON tidak sah).") from exc
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT or not isinstance(data.get("templat"), list):
        raise UserError("Berkas bukan berkas templat surat Klaten Desktop.")
    if int(data.get("versi", 0)) > FILE_VERSION:
        raise UserError("Berkas templat dibuat oleh versi aplikasi yang lebih baru; perbarui aplikasi.")
    templates: list[LetterTemplate] = []
    for raw in data["templat"]:
        try:
            template = _from_json({**raw, "version": 0, "saved_at": None, "saved_by": None})
        except TypeError as exc:
            raise UserError(f"Templat dalam berkas tidak lengkap: {exc}.") from exc
        try:
            templates.append(_validated(template))
        except UserError as exc:
            raise UserError(f"Templat {template.kind}: {exc.message}", details=exc.details) from exc
    saved: list[str] = []
    unchanged: list[str] = []
    with ctx.write() as session:
        for template in templates:
            current = None
            try:
                current = load(session, template.kind)
            except NotFoundError:
                pass
            if current is not None and _same(current, template):
                unchanged.append(template.kind)
                continue
            _store(session, actor, template, "import", ctx.now())
            saved.append(template.kind)
    return ImportResult(tuple(saved), tuple(unchanged))


def _same(a: LetterTemplate, b: LetterTemplate) -> bool:
    keep = ("version", "saved_at", "saved_by")
    return {k: v for k, v in a.as_json().items() if k not in keep} == {
        k: v for k, v in b.as_json().items() if k not in keep
    }
