"""Remember a column mapping the user corrected, for the next file of the same shape.

Kept in the ``setting`` table under keys ``impor.pemetaan.<shape>`` until the schema has a table for it.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from klaten_desktop.db.models import Setting
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.columns import FIELD_LABELS, HEADER_SCAN_ROWS
from klaten_desktop.services.imports.header import ColumnMapping, detect_mapping, mapping_from_header_row
from klaten_desktop.services.imports.reader import RawTable

KEY_PREFIX = "impor.pemetaan."


def remember_mapping(ctx: ServiceContext, actor: Actor, mapping: ColumnMapping) -> None:
    require(actor, Permission.import_export)
    key = KEY_PREFIX + mapping.shape
    value = json.dumps({"fields": list(mapping.fields)}, ensure_ascii=False)
    with ctx.write() as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value, updated_at=ctx.now()))
        else:
            row.value = value
            row.updated_at = ctx.now()
        audit.record(session, actor, "update", "setting", key, new={"fields": list(mapping.fields)})


def _stored(ctx: ServiceContext, shapes: list[str]) -> dict[str, list[str | None]]:
    keys = [KEY_PREFIX + s for s in shapes]
    with ctx.read() as session:
        rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys))).all()
    result: dict[str, list[str | None]] = {}
    for key, raw in rows:
        try:
            fields = json.loads(raw)["fields"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(fields, list) and all(f is None or f in FIELD_LABELS for f in fields):
            result[key[len(KEY_PREFIX) :]] = fields
    return result


def mapping_for(ctx: ServiceContext, table: RawTable) -> ColumnMapping:
    """The remembered mapping when a header row of the same shape was corrected before, else the detected one."""
    candidates: list[ColumnMapping] = []
    detected: ColumnMapping | None = None
    try:
        detected = detect_mapping(table)
        candidates.append(detected)
    except UserError:
        pass
    for index in range(min(HEADER_SCAN_ROWS, len(table.rows))):
        if detected is None or index != detected.header_row:
            candidates.append(mapping_from_header_row(table, index))
    stored = _stored(ctx, [c.shape for c in candidates])
    for candidate in candidates:
        fields = stored.get(candidate.shape)
        if fields is not None and len(fields) <= len(candidate.fields):
            padded = tuple(fields) + (None,) * (len(candidate.fields) - len(fields))
            return ColumnMapping(candidate.header_row, candidate.data_start, candidate.labels, padded, True)
    if detected is None:
        return detect_mapping(table)  # raises the UserError again
    return detected
