"""Who is insured from the ADD: the dated setting ``kepesertaan.jabatan_ditanggung``.

Perbup Klaten 9/2022 (docs/domain.md 2.1) covers the Ketua RT and the Ketua RW: that is the built-in rule
(:data:`klaten_desktop.domain.coverage.DEFAULT_INSURED_RULE`). An office that also pays for Sekretaris,
Bendahara and other posts adds a version from a date, with its basis; each version records who set it and when.
Versions are never removed: a later one switches back. :func:`klaten_desktop.services.coverage.insured_posts`
applies the rule to every figure, submission and bill.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from klaten_desktop.db.models import Setting
from klaten_desktop.domain.coverage import DEFAULT_INSURED_RULE, InsuredPostsRule, insured_rule_on
from klaten_desktop.services import audit, settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError

KEY = "kepesertaan.jabatan_ditanggung"


def rule_from_setting(raw: dict[str, Any]) -> InsuredPostsRule:
    return InsuredPostsRule(
        valid_from=dt.date.fromisoformat(raw["berlaku_mulai"]),
        other_posts=bool(raw["jabatan_lain"]),
        source=str(raw.get("dasar") or ""),
        set_by=str(raw.get("diatur_oleh") or ""),
        set_at=raw.get("diatur_pada"),
    )


def rule_to_setting(rule: InsuredPostsRule) -> dict[str, Any]:
    return {
        "berlaku_mulai": rule.valid_from.isoformat(),
        "jabatan_lain": rule.other_posts,
        "dasar": rule.source,
        "diatur_oleh": rule.set_by,
        "diatur_pada": rule.set_at,
    }


def load(session: Session) -> list[InsuredPostsRule]:
    """The office's versions in the order they were set (without the built-in rule)."""
    row = session.get(Setting, KEY)
    raw: Sequence[dict[str, Any]] = settings.DEFAULTS[KEY] if row is None else json.loads(row.value)
    return [rule_from_setting(r) for r in raw]


def rules(ctx: ServiceContext) -> list[InsuredPostsRule]:
    """The built-in rule, then the office's versions in the order they were set."""
    with ctx.read() as session:
        return [DEFAULT_INSURED_RULE, *load(session)]


def rule_on(ctx: ServiceContext, on: dt.date) -> InsuredPostsRule:
    with ctx.read() as session:
        return insured_rule_on(load(session), on)


def set_other_posts(
    ctx: ServiceContext, actor: Actor, *, other_posts: bool, valid_from: dt.date, source: str
) -> InsuredPostsRule:
    """From ``valid_from``, include (or no longer include) Sekretaris, Bendahara and other posts."""
    require(actor, Permission.office_settings)
    source = " ".join((source or "").split())
    if not source:
        raise UserError("Dasar pengaturan wajib diisi (mis. nomor Perbup atau surat keputusan).", field="source")
    with ctx.write() as session:
        versions = load(session)
        rule = InsuredPostsRule(
            valid_from=valid_from,
            other_posts=other_posts,
            source=source,
            set_by=actor.username,
            set_at=session_now(session).isoformat(timespec="seconds"),
        )
        encoded = json.dumps([*map(rule_to_setting, versions), rule_to_setting(rule)], ensure_ascii=False)
        row = session.get(Setting, KEY)
        if row is None:
            session.add(Setting(key=KEY, value=encoded, updated_at=session_now(session)))
        else:
            row.value = encoded
            row.updated_at = session_now(session)
        audit.record(
            session,
            actor,
            "update",
            "setting",
            KEY,
            new=rule_to_setting(rule),
            summary=("Sekretaris, Bendahara dan jabatan lain ditanggung ADD" if other_posts
                     else "Hanya Ketua RT dan Ketua RW ditanggung ADD") + f" mulai {valid_from.isoformat()}",
        )  # fmt: skip
    return rule
