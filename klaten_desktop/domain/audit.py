"""The audit trail's plain rules: the canonical bytes of an entry, its hash chain, and the personal data it masks.

Each audit entry holds the hash of the entry before it (``prev_hash``) and its own (``hash``), so an entry edited
or deleted outside the app breaks the chain at that point (docs/audit.md states the bytes precisely). The
details of an entry (old values, new values, summary) enter the chain through their own hash
(``details_hash``), so a retention purge can empty old details and the chain still verifies.

NIK, birth date, telephone and mother's maiden name are masked in audit values before they are stored: enough
to recognise the person, not to reuse the data (UU 27/2022).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.domain.normalize import mask_phone

#: ``prev_hash`` of the first entry of a chain.
GENESIS = "0" * 64


#: JSON text of a string exactly as ``json.dumps(ensure_ascii=False)`` writes it (the C encoder).
encode_text = json.encoder.encode_basestring


def _text(value: str | None) -> str:
    return "null" if value is None else encode_text(value)


def canonical_time(at: dt.datetime) -> str:
    """The entry's time as the chain hashes it: naive UTC, "2026-12-05 15:59:13.123456"."""
    return at.isoformat(sep=" ", timespec="microseconds")


def details_bytes(old_values: str | None, new_values: str | None, summary: str | None) -> bytes:
    """The compact UTF-8 JSON array ``[old_values, new_values, summary]`` (the stored texts, or null): what
    ``json.dumps([...], ensure_ascii=False, separators=(",", ":"))`` writes, built without the generic encoder."""
    return f"[{_text(old_values)},{_text(new_values)},{_text(summary)}]".encode()


def details_hash(old_values: str | None, new_values: str | None, summary: str | None) -> str:
    """SHA-256 (hex) of :func:`details_bytes`."""
    return hashlib.sha256(details_bytes(old_values, new_values, summary)).hexdigest()


def entry_bytes(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    details: str,
) -> bytes:
    """The canonical bytes of an entry (docs/audit.md): the compact UTF-8 JSON array
    ``["klaten-audit-1", prev_hash, at, actor, action, entity, entity_id, details_hash]``."""
    return (
        f'["klaten-audit-1",{encode_text(prev_hash)},"{canonical_time(at)}",{encode_text(actor)},'
        f"{encode_text(action)},{encode_text(entity)},{_text(entity_id)},{encode_text(details)}]"
    ).encode()


def entry_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    details: str,
) -> str:
    """SHA-256 (hex) of :func:`entry_bytes`: the entry's ``hash``, the next entry's ``prev_hash``."""
    return hashlib.sha256(entry_bytes(prev_hash, at, actor, action, entity, entity_id, details)).hexdigest()


# --------------------------------------------------------------------------- personal data in audit values


def _birth(value: Any) -> Any:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    # the year is kept (an age band), the day and month hidden
    return text[:4] + "-••-••" if len(text) >= 10 and text[4] == "-" else "••••"


def _ibu(value: Any) -> Any:
    text = str(value)
    return text[:1] + "•••" if text else text


#: The keys of audit values that hold personal data, and how each is masked.
MASKS: dict[str, Any] = {
    "nik": lambda v: mask_nik_display(str(v)),
    "tanggal_lahir": _birth,
    "telepon": lambda v: mask_phone(str(v)),
    "nama_ibu_kandung": _ibu,
}


def mask_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each personal-data key (:data:`MASKS`) masked; None stays None."""
    out = dict(values)
    for key, mask in MASKS.items():
        value = out.get(key)
        if value is not None and value != "":
            out[key] = mask(value)
    return out
