"""The officials list for the GUI table: the same rows as :func:`officials.list_rows`, read in a stream.

``list_rows`` buffers the whole result before building rows; at 100,000 officials that peak stays in the
process as ~60 MB of freed-but-kept memory. Here the rows come in chunks and repeated strings (desa, jabatan,
status) are shared, so the GUI stays under its memory budget. tests/gui/test_official_list.py checks that both
functions return identical rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, select

from klaten_desktop.db.models import Enrollment, Official, Wilayah
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusClassifier
from klaten_desktop.services.officials import _LIST_COLUMNS
from klaten_desktop.services.records import OfficialRow

CHUNK = 5_000


def table_rows(ctx: ServiceContext, *, on: dt.date | None = None) -> list[OfficialRow]:
    """Every live official (serving and past) with coverage status on ``on`` (default today)."""
    on = on or ctx.today()
    stmt = (
        select(*_LIST_COLUMNS)
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        .outerjoin(Enrollment, and_(Enrollment.official_id == Official.id, Enrollment.deleted_at.is_(None)))
        .where(Official.deleted_at.is_(None))
        .order_by(Official.desa_kode, Official.rw, Official.rt, Official.jabatan, Official.term_status.desc())
    )
    classify = StatusClassifier(on).status
    shared: dict[str, str] = {}
    share = shared.setdefault
    rows: dict[str, OfficialRow] = {}
    open_enrollment: set[str] = set()
    ended_on_of: dict[str, dt.date] = {}
    with ctx.read() as session:
        for (
            oid,
            nik,
            nama,
            jk,
            tempat,
            tgl,
            desa,
            desa_nama,
            rw,
            rt,
            jabatan,
            telepon,
            t_start,
            t_end,
            t_status,
            t_ended,
            version,
            e_id,
            e_ended,
            e_sub,
            e_reg,
            e_paid,
            kpj,
        ) in session.connection().execution_options(stream_results=True, max_row_buffer=CHUNK).execute(stmt):
            if oid in rows:
                # several enrollments: the open one wins, else the one that ended last
                if oid in open_enrollment or e_id is None:
                    continue
                if e_ended is not None and ended_on_of.get(oid, dt.date.min) >= e_ended:
                    continue
            if e_id is not None:
                if e_ended is None:
                    open_enrollment.add(oid)
                else:
                    ended_on_of[oid] = e_ended
            status = classify(
                term_status=t_status,
                term_ended_on=t_ended,
                has_enrollment=e_id is not None,
                enrollment_ended_on=e_ended,
                submitted_on=e_sub,
                registered_on=e_reg,
                paid_through=e_paid,
            )
            paid = None
            if e_paid is not None and e_reg is not None and e_paid >= f"{e_reg.year:04d}-{e_reg.month:02d}":
                paid = share(e_paid, e_paid)
            rows[oid] = OfficialRow(
                oid,
                nik,
                nama,
                share(jk, jk),
                share(tempat, tempat) if tempat is not None else None,
                tgl,
                share(desa, desa),
                share(desa_nama, desa_nama),
                rw,
                rt,
                share(jabatan, jabatan),
                telepon,
                t_start,
                t_end,
                share(t_status, t_status),
                status,
                kpj,
                paid,
                version,
            )
    return list(rows.values())
