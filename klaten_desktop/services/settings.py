"""Office settings kept in the database, with defaults declared here.

Window geometry and column widths are not here: those are per PC and go to QSettings in the GUI.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from klaten_desktop.db.models import Setting
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor, ServiceContext

DEFAULTS: dict[str, Any] = {
    # tariff used for new enrollments; see klaten_desktop.domain.tariffs.DEFAULT_TARIFFS
    "tarif.kode_default": "BPU-PP82-2019",
    "tarif.program_default": "JKK,JKM",
    "tarif.sumber_dana_default": "ADD",
    # extra tariffs entered by the office (list of dicts like domain Tariff fields)
    "tarif.tambahan": [],
    # Klaten's UMK by year as the office entered it ({"tahun", "umk_sen", "sumber"}); the defaults with their
    # sources are domain.umk.DEFAULT_UMK, a year entered here replaces the default of that year
    "tarif.umk": [],
    # kode pos per desa/kelurahan the office keeps: {Kemendagri desa code: five digits}; unknown: absent
    "wilayah.kode_pos": {},
    "ekspor.pengingat_hari": 30,
    # dated versions of who is insured from the ADD (services/coverage_settings.py); none: Perbup 9/2022
    "kepesertaan.jabatan_ditanggung": [],
    # whether a surat keterangan may be issued for an official who is not aktif on the letter's date
    "surat.keterangan_tidak_aktif": False,
    # the folder of the second backup copy (a flash disk), written on demand and at closing; None: not set
    "cadangan.folder_salinan": None,
    # set by a restore (services/sync/continuity.py), used up by the next package of each sync stream: when the
    # backup was restored and the last package of each stream it knew; None: no restore pending
    "sinkron.dipulihkan": None,
}


def get(ctx: ServiceContext, key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(key)
    with ctx.read() as session:
        raw = session.scalar(select(Setting.value).where(Setting.key == key))
    return DEFAULTS[key] if raw is None else json.loads(raw)


def get_all(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.read() as session:
        stored = dict(session.execute(select(Setting.key, Setting.value)).tuples().all())
    result = dict(DEFAULTS)
    for key, raw in stored.items():
        if key in DEFAULTS:
            result[key] = json.loads(raw)
    return result


def put(ctx: ServiceContext, actor: Actor, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    with ctx.write() as session:
        row = session.get(Setting, key)
        old = None if row is None else json.loads(row.value)
        if row is None:
            session.add(Setting(key=key, value=encoded, updated_at=ctx.now()))
        else:
            row.value = encoded
            row.updated_at = ctx.now()
        audit.record(session, actor, "update", "setting", key, old={"value": old}, new={"value": value})
