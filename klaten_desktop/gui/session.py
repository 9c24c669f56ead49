"""What the GUI knows about this run: who is acting (for the audit log) and the office's desa list."""

from __future__ import annotations

import getpass
import weakref

from klaten_desktop.services import office, wilayah
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.wilayah import WilayahRow


def desktop_actor() -> Actor:
    """The Windows user at this PC (there are no app accounts yet)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "pengguna"
    return Actor(f"pc:{user}", user)


_desa_cache: weakref.WeakKeyDictionary[ServiceContext, list[WilayahRow]] = weakref.WeakKeyDictionary()


def office_desa(ctx: ServiceContext) -> list[WilayahRow]:
    """The desa/kelurahan this office may record officials in (all of Klaten for the regency)."""
    rows = _desa_cache.get(ctx)
    if rows is None:
        data = office.get(ctx)
        rows = wilayah.desa(ctx, data.kecamatan_kode if data is not None else None)
        _desa_cache[ctx] = rows
    return rows
