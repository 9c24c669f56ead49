"""Certificates benchmark: 500 certificates of one event into one PDF.

    .venv/bin/python bench/bench_certificates.py [--count 500] [--repeat 5]

Prints the median time of ``render_certificates`` over the archived payloads (target: <= 1 s for 500), the
median of bare reportlab drawing the same page 500 times (every line, the border and the QR modules drawn
directly on each page, as one would without our forms and inline QR image), their ratio, and the end-to-end
issue (numbers, signatures, QR encoding, archive, PDF, atomic write) for information.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import Document
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.reports import certificate_pdf as cp
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import demo, events, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.events import certificates

TODAY = dt.date(2026, 11, 24)


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _setup(folder: Path, count: int) -> tuple[ServiceContext, str]:
    ctx = open_context(AppPaths(folder), clock=ShiftedClock.on(TODAY))
    office.init(
        ctx,
        SYSTEM,
        role=OfficeRole.kecamatan,
        name="Kecamatan Prambanan",
        kecamatan_kode="33.10.01",
        address="Jl. Raya Prambanan No. 1, Klaten",
        camat_nama="Drs. Contoh Camat, M.Si.",
        camat_nip="197001011990031001",
        camat_pangkat="Pembina Tk. I (IV/b)",
        bpjs_branch_name="Kantor Cabang BPJS Ketenagakerjaan Klaten",
        bpjs_branch_head="Contoh Kepala Cabang, S.E.",
    )
    demo.populate(ctx, SYSTEM, count + 100)
    event = events.create(
        ctx,
        SYSTEM,
        title="Sosialisasi Jaminan Sosial Ketenagakerjaan bagi Ketua RT dan RW",
        starts_at=dt.datetime(2026, 12, 9, 9),
        ends_at=dt.datetime(2026, 12, 9, 12),
        place="Pendopo Kecamatan Prambanan",
    )
    chosen = [c.id for c in events.candidates(ctx)][:count]
    events.add_participants(ctx, SYSTEM, event.id, chosen)
    events.attend_all(ctx, SYSTEM, event.id)
    return ctx, event.id


def bare_reportlab(payloads: Sequence[Mapping[str, Any]], *, qr: bool = True) -> bytes:
    """The same page with plain canvas calls: everything drawn on every page, the QR as a path of modules."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    mm, width, height = cp.MM, cp.WIDTH, cp.HEIGHT
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=True, pageCompression=1)
    for p in payloads:
        cp._border(c)
        centre = width / 2
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(centre, height - 24 * mm, p["kop"]["instansi"])
        c.setFont("Helvetica-Bold", 13)
        c.drawCentredString(centre, height - 29.5 * mm, p["kop"]["unit"])
        c.setFont("Times-Bold", 44)
        c.drawCentredString(centre, height - 53 * mm, p["title"])
        c.setFont("Helvetica", 11)
        c.drawCentredString(centre, height - 63 * mm, f"Nomor: {p['nomor']}")
        c.setFont("Times-Italic", 15)
        c.drawCentredString(centre, height - 74 * mm, "diberikan kepada")
        c.setFont("Times-BoldItalic", 30)
        c.drawCentredString(centre, height - 87 * mm, p["nama"])
        c.setFont("Helvetica", 13)
        c.drawCentredString(centre, height - 97 * mm, p["peran"])
        c.setFont("Times-Italic", 15)
        c.drawCentredString(centre, height - 111 * mm, "sebagai peserta")
        y = height - 120 * mm
        c.setFont("Helvetica-Bold", 15)
        for line in simpleSplit(p["acara"]["judul"], "Helvetica-Bold", 15, 235 * mm):
            c.drawCentredString(centre, y, line)
            y -= 18
        c.setFont("Helvetica", 11.5)
        c.drawCentredString(centre, y, f"yang diselenggarakan pada {p['acara']['hari_tanggal']}")
        c.drawCentredString(centre, y - 14, f"bertempat di {p['acara']['tempat']}")
        for x, sig in zip((66 * mm, width - 66 * mm), p["signatures"], strict=True):
            c.setFont("Helvetica", 11)
            c.drawCentredString(x, 58 * mm, sig["jabatan"] + ",")
            c.setFont("Helvetica-Bold", 11)
            c.drawCentredString(x, 30 * mm, sig["nama"])
            c.setFont("Helvetica", 10)
            c.drawCentredString(x, 25 * mm, sig["pangkat"])
        modules = p["verification"]["modules"]
        if not qr:
            c.showPage()
            continue
        n = int(modules["n"])
        bits = int.from_bytes(base64.b64decode(modules["bits"]), "big")
        total = len(base64.b64decode(modules["bits"])) * 8
        size = 25 * mm / n
        path = c.beginPath()
        for r in range(n):
            for col in range(n):
                if (bits >> (total - 1 - (r * n + col))) & 1:
                    path.rect(centre - 12.5 * mm + col * size, 27 * mm + (n - 1 - r) * size, size, size)
        c.drawPath(path, stroke=0, fill=1)
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(centre, 19.5 * mm, p["verification"]["code"])
        c.showPage()
    c.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx, event_id = _setup(folder / "data", args.count)
        start = time.perf_counter()
        result = certificates.issue_certificates(ctx, SYSTEM, event_id, out=folder / "sertifikat.pdf")
        issue_s = time.perf_counter() - start
        with ctx.read() as session:
            payloads = [json.loads(p) for p in session.scalars(select(Document.payload).order_by(Document.nomor))]
        assert len(payloads) == args.count == result.issued
        ours = _median(lambda: cp.render_certificates(payloads), args.repeat)
        bare = _median(lambda: bare_reportlab(payloads), args.repeat)
        bare_text = _median(lambda: bare_reportlab(payloads, qr=False), args.repeat)
        ctx.dispose()
    print(f"{args.count} sertifikat, median dari {args.repeat} kali")
    print(f"  render_certificates          : {ours * 1000:8.1f} ms  (target <= 1000 ms)")
    print(f"  bare reportlab, same page    : {bare * 1000:8.1f} ms")
    print(f"  ratio ours / bare            : {ours / bare:8.2f}")
    print(f"  bare reportlab, without QR   : {bare_text * 1000:8.1f} ms  (ratio ours / this {ours / bare_text:.2f})")
    print(f"  end-to-end issue (once)      : {issue_s * 1000:8.1f} ms  (numbers, signatures, QR, archive, PDF)")


if __name__ == "__main__":
    main()
