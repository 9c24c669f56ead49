"""``events create|list|add-participants|add-guest|attend``, ``attendance-sheet`` and ``certificates``."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TextIO

from klaten_desktop.cli.base import EXIT_OK, IndonesianArgumentParser, Subparsers, add_command, date_arg, desa_arg, emit
from klaten_desktop.services import events
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events import certificates


def time_arg(text: str) -> dt.time:
    m = re.fullmatch(r"(\d{1,2})[.:](\d{2})", text.strip())
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise argparse.ArgumentTypeError(f"jam {text!r} harus berformat JJ:MM, mis. 09:00")
    return dt.time(int(m.group(1)), int(m.group(2)))


def speaker_arg(text: str) -> events.Speaker:
    nama, _, peran = text.partition("|")
    if not nama.strip():
        raise argparse.ArgumentTypeError("narasumber harus berformat 'Nama|Peran'")
    return events.Speaker(nama.strip(), peran.strip())


def register(sub: Subparsers) -> None:
    p = sub.add_parser("events", help="sosialisasi: acara, peserta, kehadiran")
    esub = p.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)

    e = esub.add_parser("create", help="buat acara sosialisasi baru")
    e.set_defaults(handler=_create)
    e.add_argument("--title", required=True, help="judul sosialisasi")
    e.add_argument("--date", type=date_arg, required=True, metavar="YYYY-MM-DD")
    e.add_argument("--place", required=True, help="tempat")
    e.add_argument("--time", type=time_arg, metavar="JJ:MM", help="jam mulai")
    e.add_argument("--until", type=time_arg, metavar="JJ:MM", help="jam selesai")
    e.add_argument("--organiser", help="penyelenggara (bawaan: kantor ini)")
    e.add_argument("--speaker", type=speaker_arg, action="append", metavar="'NAMA|PERAN'", help="narasumber")
    e.add_argument("--notes", help="catatan")
    e.add_argument("--json", action="store_true")

    e = esub.add_parser("list", help="daftar acara sosialisasi")
    e.set_defaults(handler=_list)
    e.add_argument("--json", action="store_true")

    e = esub.add_parser("add-participants", help="undang pengurus yang menjabat dari registri")
    e.set_defaults(handler=_add_participants)
    e.add_argument("event_id", metavar="ID")
    e.add_argument("--desa", type=desa_arg, required=True, metavar="KODE")
    e.add_argument("--jabatan", choices=["ketua_rt", "ketua_rw"], help="hanya Ketua RT atau Ketua RW")
    e.add_argument("--rw", type=int, help="hanya RW ini")
    e.add_argument("--json", action="store_true")

    e = esub.add_parser("add-guest", help="tambahkan tamu yang tidak ada di registri")
    e.set_defaults(handler=_add_guest)
    e.add_argument("event_id", metavar="ID")
    e.add_argument("--name", required=True)
    e.add_argument("--role", help="jabatan/peran, mis. Kepala Desa")
    e.add_argument("--origin", help="asal, mis. Desa Sengon")
    e.add_argument("--json", action="store_true")

    e = esub.add_parser("attend", help="catat kehadiran peserta")
    e.set_defaults(handler=_attend)
    e.add_argument("event_id", metavar="ID")
    who = e.add_mutually_exclusive_group(required=True)
    who.add_argument("--nik", nargs="+", metavar="NIK", help="NIK peserta yang hadir")
    who.add_argument("--all", action="store_true", help="semua peserta hadir")
    who.add_argument("--from-file", type=Path, metavar="FILE", help="impor daftar hadir (.xlsx/.csv)")
    e.add_argument("--json", action="store_true")

    e = add_command(sub, "attendance-sheet", _sheet, "cetak daftar hadir sosialisasi (PDF)")
    e.add_argument("--event", required=True, metavar="ID")
    e.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    e.add_argument("--desa", type=desa_arg, metavar="KODE", help="hanya peserta desa ini")
    e.add_argument("--per-desa", action="store_true", help="tiap desa di halaman sendiri")
    e.add_argument("--paper", choices=["A4", "F4"])
    e.add_argument("--json", action="store_true")

    e = add_command(sub, "certificates", _certificates, "cetak sertifikat peserta yang hadir (PDF)")
    e.add_argument("--event", required=True, metavar="ID")
    e.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    e.add_argument("--json", action="store_true")


def _create(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    start = dt.datetime.combine(args.date, args.time or dt.time(0, 0))
    end = None
    if args.until is not None:
        if args.time is None:
            raise UserError("Isi --time (jam mulai) bila --until diisi.")
        end = dt.datetime.combine(args.date, args.until)
    row = events.create(
        ctx,
        args.actor,
        title=args.title,
        starts_at=start,
        ends_at=end,
        place=args.place,
        organiser=args.organiser,
        speakers=args.speaker,
        notes=args.notes,
    )
    if args.json:
        emit(out, {"id": row.id})
    else:
        out.write(f"Sosialisasi dibuat: {row.title}, {row.date_label}, {row.place}\nID: {row.id}\n")
    return EXIT_OK


def _list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = events.list_events(ctx)
    if args.json:
        emit(
            out,
            {
                "events": [
                    {
                        "id": r.id,
                        "judul": r.title,
                        "tanggal": r.starts_at.date().isoformat(),
                        "tempat": r.place,
                        "peserta": r.participants,
                        "hadir": r.attended,
                        "sertifikat": r.certificates,
                    }
                    for r in rows
                ]
            },
        )
    else:
        for r in rows:
            out.write(f"{r.id}  {r.date_label}  {r.title} ({r.attended}/{r.participants} hadir)\n")
        if not rows:
            out.write("Belum ada sosialisasi.\n")
    return EXIT_OK


def _add_participants(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    added = events.add_from_registry(
        ctx,
        args.actor,
        args.event_id,
        desa_kode=args.desa,
        rw=args.rw,
        jabatan=[args.jabatan] if args.jabatan else None,
    )
    total = events.get(ctx, args.event_id).participants
    if args.json:
        emit(out, {"added": added, "participants": total})
    else:
        out.write(f"{added} peserta ditambahkan; jumlah peserta sekarang {total}.\n")
    return EXIT_OK


def _add_guest(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    row = events.add_guest(ctx, args.actor, args.event_id, nama=args.name, peran=args.role, asal=args.origin)
    if args.json:
        emit(out, {"id": row.id, "nama": row.nama})
    else:
        out.write(f"Tamu ditambahkan: {row.nama}\n")
    return EXIT_OK


def _attend(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    if args.all:
        marked = events.attend_all(ctx, args.actor, args.event_id)
        if args.json:
            emit(out, {"marked": marked})
        else:
            out.write(f"{marked} peserta ditandai hadir.\n")
        return EXIT_OK
    if args.from_file is not None:
        result = events.import_attendance(ctx, args.actor, args.event_id, args.from_file)
        if args.json:
            emit(
                out,
                {
                    "marked": result.marked,
                    "already": result.already,
                    "added": result.added,
                    "absent": result.absent,
                    "not_found": list(result.not_found),
                },
            )
        else:
            out.write(
                f"{result.marked} ditandai hadir, {result.already} sudah hadir, {result.added} ditambahkan, "
                f"{result.absent} tidak hadir, {len(result.not_found)} tidak dikenali.\n"
            )
            for line in result.not_found:
                out.write(f"  - tidak dikenali: {line}\n")
        return EXIT_OK
    found = events.attend_by_nik(ctx, args.actor, args.event_id, args.nik)
    if args.json:
        emit(
            out,
            {
                "marked": found.marked,
                "already": found.already,
                "added": found.added,
                "not_found": list(found.not_found),
            },
        )
    else:
        out.write(f"{found.marked} ditandai hadir, {found.already} sudah hadir, {found.added} ditambahkan.\n")
        for nik in found.not_found:
            out.write(f"  - NIK {nik} bukan pengurus yang menjabat di kantor ini.\n")
    if found.not_found and not (found.marked or found.already or found.added):
        raise UserError("Tidak satu pun NIK dikenali sebagai pengurus yang menjabat di kantor ini.")
    return EXIT_OK


def _sheet(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = events.print_attendance_sheet(
        ctx,
        args.event,
        out=args.out,
        desa_kode=args.desa,
        per_desa=args.per_desa,
        paper=args.paper,
    )
    if args.json:
        emit(out, {"path": str(result.path), "pages": result.pages, "participants": result.participants})
    else:
        out.write(f"Daftar hadir {result.participants} peserta, {result.pages} halaman: {result.path}\n")
    return EXIT_OK


def _certificates(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = certificates.issue_certificates(ctx, args.actor, args.event, out=args.out)
    if args.json:
        emit(out, {"certificates": [c.as_json() for c in result.certificates]})
    else:
        for c in result.certificates:
            mark = f"  (cetakan ke-{c.cetakan})" if c.cetakan > 1 else ""
            out.write(f"{c.nomor}  {c.nama}  kode {c.kode_verifikasi}{mark}\n")
        out.write(
            f"{result.issued} sertifikat baru, {result.reprinted} cetak ulang, {result.pages} halaman: {result.path}\n"
        )
    return EXIT_OK
