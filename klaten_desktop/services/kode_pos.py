"""The kode pos of each desa/kelurahan, kept by the office (setting ``wilayah.kode_pos``: Kemendagri desa code ->
five digits). There is no postal code in the region data (docs/domain.md 4), so a desa without one stays empty
everywhere (the BPJS list's "Kode Pos" column); nothing is guessed."""

from __future__ import annotations

import json
from collections.abc import Mapping
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
    """Set (or, with an empty ``kode_pos``, clear) the kode pos of one desa; returns the stored code or None."""
    return set_codes(ctx, actor, {desa_kode: kode_pos})[desa_kode.strip()]


def set_codes(ctx: ServiceContext, actor: Actor, changes: Mapping[str, str]) -> dict[str, str | None]:
    """Set (an empty value clears) the kode pos of desa of the office's area, all or none (one transaction, each
    change audited). :class:`UserError` naming the desa for a code that is not five digits beginning 57."""
    cleaned: dict[str, str | None] = {}
    for desa_kode, kode_pos in changes.items():
        try:
            cleaned[desa_kode.strip()] = check_kode_pos(kode_pos) if kode_pos.strip() else None
        except ValueError as exc:
            raise UserError(f"{desa_kode.strip()}: {exc}", field="kode_pos") from exc
    with ctx.write() as session:
        for desa_kode in cleaned:
            office.require_desa_in_scope(session, desa_kode)
        stored = session.get(Setting, KEY)
        values: dict[str, str] = json.loads(stored.value) if stored is not None else {}
        changed = [(k, values.get(k), code) for k, code in cleaned.items() if values.get(k) != code]
        if not changed:
            return cleaned
        for desa_kode, _, code in changed:
            if code is None:
                values.pop(desa_kode, None)
            else:
                values[desa_kode] = code
        encoded = json.dumps(dict(sorted(values.items())), ensure_ascii=False, sort_keys=True)
        if stored is None:
            session.add(Setting(key=KEY, value=encoded, updated_at=session_now(session)))
        else:
            stored.value, stored.updated_at = encoded, session_now(session)
        audit.record_many(
            session,
            actor,
            "update",
            "kode_pos",
            [(k, {"kode_pos": old}, {"kode_pos": code}) for k, old, code in changed],
            summary=f"Kode pos {len(changed)} desa/kelurahan diubah",
        )
    return cleaned
