"""The kode pos of each desa/kelurahan, kept by the office (setting ``wilayah.kode_pos``: Kemendagri desa code ->
five digits). There is no postal code in the region data (docs/domain.md 4), so a desa without one stays empty
everywhere (the BPJS list's "Kode Pos" column); nothing is guessed."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from klaten_desktop.db.models import Office, Setting, Wilayah
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.wilayah import check_kode_pos
from klaten_desktop.services import audit, office, settings
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError

KEY = "wilayah.kode_pos"


@dataclass(frozen=True)
class KodePosRow:
    desa_kode: str
    desa: str
    kecamatan: str
    kode_pos: str | None


def codes(ctx: ServiceContext) -> dict[str, str]:
    """Desa code -> kode pos, for the desa that have one."""
    return dict(settings.get(ctx, KEY))


def rows(ctx: ServiceContext) -> list[KodePosRow]:
    """Every desa/kelurahan of the office's area (all of Klaten at the regency) with its kode pos or none."""
    known = codes(ctx)
    desa, kec = aliased(Wilayah), aliased(Wilayah)
    stmt = (
        select(desa.kode, desa.nama, kec.nama)
        .join(kec, kec.kode == desa.kode_induk)
        .where(desa.tingkat.in_(("desa", "kelurahan")))
        .order_by(desa.kode)
    )
    with ctx.read() as session:
        row = session.get(Office, 1)
        if row is not None and row.role == OfficeRole.kecamatan.value:
            stmt = stmt.where(desa.kode_induk == row.office_code)
        return [KodePosRow(k, d, c, known.get(k)) for k, d, c in session.execute(stmt)]


def set_code(ctx: ServiceContext, actor: Actor, desa_kode: str, kode_pos: str) -> str | None:
    """Set (or, with an empty ``kode_pos``, clear) the kode pos of a desa of the office's area; audited.
    Returns the stored code or None."""
    desa_kode = desa_kode.strip()
    try:
        code = check_kode_pos(kode_pos) if kode_pos.strip() else None
    except ValueError as exc:
        raise UserError(str(exc), field="kode_pos") from exc
    with ctx.write() as session:
        office.require_desa_in_scope(session, desa_kode)
        stored = session.get(Setting, KEY)
        values: dict[str, str] = json.loads(stored.value) if stored is not None else {}
        old = values.get(desa_kode)
        if old == code:
            return code
        if code is None:
            values.pop(desa_kode, None)
        else:
            values[desa_kode] = code
        encoded = json.dumps(dict(sorted(values.items())), ensure_ascii=False, sort_keys=True)
        if stored is None:
            session.add(Setting(key=KEY, value=encoded, updated_at=session_now(session)))
        else:
            stored.value, stored.updated_at = encoded, session_now(session)
        audit.record(session, actor, "update", "kode_pos", desa_kode, old={"kode_pos": old}, new={"kode_pos": code})
    return code
