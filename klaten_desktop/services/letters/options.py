"""The office's choice whether a surat keterangan may be issued for an official who is not aktif.

Default: not. A keterangan is what a family brings to a JKM claim; one that reads as cover the person did not have
on the letter's date fails the claim, so :func:`klaten_desktop.services.letters.issue.issue` refuses it, naming
who and why, unless the office allows it here (the letter then states the real status, docs/letters.md).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from klaten_desktop.db.models import Setting
from klaten_desktop.services import settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext

KEY = "surat.keterangan_tidak_aktif"


def inactive_keterangan_allowed(session: Session) -> bool:
    row = session.get(Setting, KEY)
    return bool(settings.DEFAULTS[KEY] if row is None else json.loads(row.value))


def allowed(ctx: ServiceContext) -> bool:
    with ctx.read() as session:
        return inactive_keterangan_allowed(session)


def set_allowed(ctx: ServiceContext, actor: Actor, value: bool) -> None:
    """Allow (or again refuse) a keterangan for officials who are menunggak, nonaktif, berakhir or not yet aktif."""
    require(actor, Permission.office_settings)
    settings.put(ctx, actor, KEY, bool(value))
