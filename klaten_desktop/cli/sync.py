"""``keys export|import`` and ``sync export|reissue|import|status|conflicts|accept|refuse|history``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli import key_commands
from klaten_desktop.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    IndonesianArgumentParser,
    Subparsers,
    ask_yes,
    emit,
    kecamatan_arg,
)
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync import archive, conflicts, export, importer, keys, status
from klaten_desktop.services.sync.tables import TABLE_LABELS


def register(sub: Subparsers) -> None:
    k = sub.add_parser("keys", help="kunci kantor: berkas kunci publik, perlindungan dan cadangan kunci pribadi")
    ksub = k.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = ksub.add_parser("export", help="tulis berkas kunci publik kantor ini, atau bundel verifikasi (--bundle)")
    e.set_defaults(handler=_keys_export)
    where = e.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="BERKAS", help="berkas kunci kantor ini (untuk sinkronisasi)")
    where.add_argument(
        "--bundle", type=Path, metavar="BERKAS", help="kunci publik kantor ini dan semua kantor yang dipercaya, "
        "untuk memeriksa surat dan sertifikat dengan klaten_verify.py (docs/verification.md)",
    )  # fmt: skip
    e.add_argument("--json", action="store_true")
    e = ksub.add_parser("import", help="percayai kunci kantor lain (tampilkan sidik jarinya)")
    e.set_defaults(handler=_keys_import)
    e.add_argument("file", type=Path, metavar="BERKAS")
    e.add_argument("--yes", action="store_true", help="percayai tanpa bertanya (sidik jari sudah dicocokkan)")
    e.add_argument("--json", action="store_true")
    key_commands.register(ksub)

    s = sub.add_parser("sync", help="paket sinkronisasi kecamatan dan kabupaten")
    ssub = s.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = ssub.add_parser("export", help="tulis paket perubahan (kecamatan) atau paket balikan (kabupaten, --to)")
    e.set_defaults(handler=_export)
    e.add_argument("--out", type=Path, required=True, metavar="BERKAS")
    e.add_argument("--full", action="store_true", help="kirim semua data, bukan hanya perubahan")
    e.add_argument("--to", type=kecamatan_arg, metavar="33.10.NN", help="kecamatan tujuan paket balikan")
    e.add_argument("--json", action="store_true")
    e = ssub.add_parser("reissue", help="terbitkan ulang paket yang sudah tercatat, persis sama (byte demi byte)")
    e.set_defaults(handler=_reissue)
    e.add_argument("--seq", type=int, required=True, metavar="N", help="nomor urut paket")
    e.add_argument("--out", type=Path, required=True, metavar="BERKAS")
    e.add_argument("--to", type=kecamatan_arg, metavar="33.10.NN", help="kecamatan tujuan (paket balikan kabupaten)")
    e.add_argument("--json", action="store_true")
    e = ssub.add_parser("import", help="impor paket")
    e.set_defaults(handler=_import)
    e.add_argument("files", type=Path, nargs="+", metavar="BERKAS", help="satu paket, atau beberapa sekaligus")
    e.add_argument("--dry-run", action="store_true", help="tampilkan hasilnya tanpa mengubah data")
    e.add_argument("--new-install", action="store_true", help="PC kecamatan memang diganti: terima instalasi baru")
    e.add_argument(
        "--terima-rebase",
        action="store_true",
        dest="rebase",
        help="terima aliran paket instalasi yang sama yang berbeda dari paket yang sudah diterima (menggantikan "
        "paket-paket itu; lihat dulu dengan --dry-run)",
    )
    e.add_argument("--json", action="store_true")
    e = ssub.add_parser("status", help="konsol kabupaten: paket terakhir tiap kecamatan")
    e.set_defaults(handler=_status)
    e.add_argument("--days", type=int, metavar="N", help="kecamatan tanpa paket selama N hari")
    e.add_argument("--json", action="store_true")
    e = ssub.add_parser("conflicts", help="daftar konflik dan koreksi yang menunggu keputusan")
    e.set_defaults(handler=_conflicts)
    e.add_argument("--all", action="store_true", help="termasuk yang sudah diputuskan")
    e.add_argument("--json", action="store_true")
    for name, handler, text in (
        ("accept", _accept, "terima koreksi/versi nomor ID"),
        ("refuse", _refuse, "tolak koreksi/versi nomor ID"),
    ):
        e = ssub.add_parser(name, help=text)
        e.set_defaults(handler=handler)
        e.add_argument("id", type=int, metavar="ID")
        e.add_argument("--json", action="store_true")
    e = ssub.add_parser("history", help="riwayat paket dikirim dan diterima")
    e.set_defaults(handler=_history)
    e.add_argument("--json", action="store_true")


def _peer_json(peer: keys.PeerData) -> dict[str, Any]:
    return {
        "install_id": peer.install_id,
        "office": peer.office_code,
        "role": peer.role,
        "name": peer.name,
        "fingerprint": peer.fingerprint,
    }


def _keys_export(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    if args.bundle is not None:
        return _bundle_export(args, ctx, out)
    peer = keys.export_identity(ctx, args.out)
    if args.json:
        emit(out, {**_peer_json(peer), "path": str(args.out)})
    else:
        out.write(f"Berkas kunci {peer.name} ditulis ke {args.out}.\nSidik jari: {peer.fingerprint}\n")
    return EXIT_OK


def _bundle_export(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    bundle = keys.export_bundle(ctx, args.bundle)
    if args.json:
        emit(out, {"path": str(bundle.path), "made_by": _peer_json(bundle.made_by),
                   "offices": [_peer_json(o) for o in bundle.offices]})  # fmt: skip
        return EXIT_OK
    out.write(f"Bundel verifikasi ditulis ke {bundle.path}: kunci publik {len(bundle.offices)} kantor.\n")
    for office in bundle.offices:
        out.write(f"  {office.office_code}  {office.name}  (sidik jari {office.fingerprint})\n")
    out.write(
        f"Sidik jari pembuat bundel ({bundle.made_by.name}): {bundle.made_by.fingerprint}\n"
        "Periksa surat atau sertifikat dengan: python klaten_verify.py --bundle BERKAS KODE_QR\n"
    )
    return EXIT_OK


def _keys_import(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    found = keys.read_identity(ctx, args.file)
    peer = found.peer
    if not args.json:
        out.write(f"Kantor: {peer.name} ({peer.office_code}, {peer.role})\nSidik jari: {peer.fingerprint}\n")
        for old in found.replaces:
            out.write(f"Menggantikan kunci lama {old.name} (sidik jari {old.fingerprint}).\n")
    if not args.yes and not ask_yes(
        out,
        "Sidik jari sama dengan yang dibacakan kantor pengirim?",
        refusal="Cocokkan sidik jari dengan kantor pengirim lewat telepon, lalu ulangi dengan --yes.",
    ):
        out.write("Dibatalkan; kunci tidak dipercaya.\n")
        return EXIT_FAILED
    keys.trust(ctx, args.actor, found)
    if args.json:
        emit(out, {**_peer_json(peer), "already_trusted": found.already_trusted, "trusted": True})
    else:
        out.write("Kunci dipercaya.\n")
    return EXIT_OK


def _export(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = export.export(ctx, args.actor, args.out, full=args.full, to=args.to)
    if args.json:
        emit(
            out,
            {
                "path": str(result.path),
                "office": result.office,
                "to": result.recipient_office,
                "sequence": result.sequence,
                "full": result.full,
                "sha256": result.sha256,
                "counts": result.counts,
                "bytes": result.bytes_written,
            },
        )
    else:
        out.write(f"Paket no. {result.sequence} ditulis ke {result.path} ({sum(result.counts.values())} baris).\n")
        for name, n in result.counts.items():
            if n:
                out.write(f"  {TABLE_LABELS[name]}: {n}\n")
    for warning in result.warnings:
        sys.stderr.write(f"Perhatian: {warning}\n")
    return EXIT_OK


def _reissue(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = archive.reissue(ctx, args.actor, args.seq, args.out, to=args.to)
    if args.json:
        emit(out, result.as_json())
    else:
        out.write(
            f"Paket no. {result.sequence} untuk {result.recipient_office} diterbitkan ulang ke {result.path} "
            f"(persis sama, SHA-256 {result.sha256}).\n"
        )
    return EXIT_OK


def _import(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    options = {"dry_run": args.dry_run, "new_install": args.new_install, "rebase": args.rebase}
    if len(args.files) == 1:
        result = importer.import_package(ctx, args.actor, args.files[0], **options)
        if args.json:
            emit(out, _result_json(result, args.rebase))
        else:
            _write_result(out, result, args.dry_run)
        return EXIT_OK
    # several files: one batch, each package whole or not at all; refused ones are listed, the others imported
    outcomes = importer.import_packages(ctx, args.actor, args.files, **options)
    if args.json:
        emit(
            out,
            [
                {"file": o.path.name, **_result_json(o.result, args.rebase)}
                if o.result
                else {"file": o.path.name, "error": o.error}
                for o in outcomes
            ],
        )
    refused = [o for o in outcomes if o.result is None]
    for o in outcomes:
        if o.result is not None and not args.json:
            out.write(f"{o.path.name}\n")
            _write_result(out, o.result, args.dry_run)
    if refused:  # reported on stderr with exit code 1, after the others' results
        done = "uji coba, tidak ada yang diubah" if args.dry_run else "paket lainnya sudah diimpor"
        raise UserError(
            f"{len(refused)} dari {len(outcomes)} paket ditolak ({done}):\n"
            + "\n".join(f"  {o.path.name}: {o.error}" for o in refused)
        )
    return EXIT_OK


def _result_json(result: importer.ImportResult, rebase: bool) -> dict[str, Any]:
    """The documented object; with ``--terima-rebase`` also the received packages it replaces."""
    data: dict[str, Any] = result.as_json()
    if rebase:
        data["replaced"] = [r.as_json() for r in result.replaced]
    return data


def _write_result(out: TextIO, result: importer.ImportResult, dry_run: bool) -> None:
    head = "Uji coba (tidak ada yang diubah)" if dry_run else "Impor selesai"
    if result.already_imported:
        head = "Paket ini sudah pernah diimpor; tidak ada yang berubah"
    out.write(f"{head}: paket no. {result.sequence} dari {result.office}.\n")
    if result.replaced:
        verb = "akan diganti" if dry_run else "diganti"
        out.write(f"Aliran paket dibuat ulang: paket yang sudah diterima yang {verb} oleh paket ini:\n")
        for r in result.replaced:
            out.write(f"  no. {r.sequence}  SHA-256 {r.sha256}  ({r.file_name or 'tanpa nama berkas'})\n")
    out.write(f"{'Tabel':<22}{'baru':>8}{'ubah':>8}{'hapus':>8}{'sama':>8}{'konflik':>9}{'tunggu':>8}\n")
    for name, c in result.tables.items():
        out.write(
            f"{TABLE_LABELS[name]:<22}{c.created:>8}{c.updated:>8}{c.deleted:>8}{c.unchanged:>8}"
            f"{c.conflicts:>9}{c.waiting:>8}\n"
        )
    for warning in result.warnings:
        out.write(f"Perhatian: {warning}\n")


def _status(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    console = status.console(ctx, stale_days=args.days)
    if args.json:
        emit(out, console.as_json())
        return EXIT_OK
    for k in console.kecamatan:
        last = "belum ada paket" if k.last_sequence is None else f"paket no. {k.last_sequence}"
        when = "" if k.last_imported_at is None else f", diterima {format_date(k.last_imported_at.date())}"
        gaps = f", paket hilang: {', '.join(map(str, k.gaps))}" if k.gaps else ""
        out.write(
            f"{k.office_code} {k.nama:<16} {last}{when}; cakupan {k.coverage_percent:.1f}% "
            f"({k.officials_aktif} aktif dari {k.officials_serving} wajib terlindungi){gaps}\n"
        )
    if console.stale:
        out.write(f"Tanpa paket {console.stale_days} hari atau lebih: {', '.join(console.stale)}\n")
    for d in console.duplicate_niks:
        out.write(f"NIK ganda {d.nik_masked} di {', '.join(d.offices)}\n")
    return EXIT_OK


def _conflict_json(c: conflicts.ConflictRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "table": c.table_name,
        "row_id": c.row_id,
        "office": c.office_code,
        "proposed_version": c.proposed_version,
        "current_version": c.current_version,
        "changed_fields": list(c.changed_fields),
    }


def _conflicts(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = conflicts.list_conflicts(ctx, status=None if args.all else "terbuka")
    waiting = conflicts.pending(ctx)
    if args.json:
        emit(
            out,
            {
                "conflicts": [_conflict_json(c) for c in rows],
                "waiting": [
                    {"table": p.table_name, "row_id": p.row_id, "office": p.office_code, "reason": p.reason}
                    for p in waiting
                ],
            },
        )
        return EXIT_OK
    if not rows and not waiting:
        out.write("Tidak ada konflik atau data yang menunggu.\n")
    for c in rows:
        out.write(f"[{c.id}] {c.kind_label} - {c.title} ({c.office_code}); berbeda: {', '.join(c.changed_fields)}\n")
    for p in waiting:
        out.write(f"Menunggu: {TABLE_LABELS[p.table_name]} {p.row_id} ({p.office_code}): {p.reason}\n")
    return EXIT_OK


def _decided(args: argparse.Namespace, out: TextIO, row: conflicts.ConflictRow, verb: str) -> int:
    if args.json:
        emit(out, _conflict_json(row))
    else:
        out.write(f"[{row.id}] {row.title} {verb}.\n")
    return EXIT_OK


def _accept(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    return _decided(args, out, conflicts.accept(ctx, args.actor, args.id), "diterima")


def _refuse(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    return _decided(args, out, conflicts.refuse(ctx, args.actor, args.id), "ditolak")


def _history(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = export.history(ctx)
    if args.json:
        emit(
            out,
            {
                "packages": [
                    {
                        "direction": r.direction,
                        "kind": r.kind,
                        "from": r.sender_office,
                        "to": r.recipient_office,
                        "sequence": r.sequence,
                        "full": r.full,
                        "counts": r.counts,
                        "created_at": r.created_at,
                        "recorded_at": r.recorded_at.isoformat(),
                        "sha256": r.sha256,
                    }
                    for r in rows
                ]
            },
        )
        return EXIT_OK
    for r in rows:
        arrow = "dikirim ke" if r.direction == "sent" else "diterima dari"
        other = r.recipient_office if r.direction == "sent" else r.sender_office
        out.write(
            f"{format_date(r.recorded_at.date())}: paket no. {r.sequence} {arrow} {other} "
            f"({sum(r.counts.values())} baris)\n"
        )
    return EXIT_OK
