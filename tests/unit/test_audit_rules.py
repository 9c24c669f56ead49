"""The audit trail's plain rules: the canonical bytes are the JSON they are documented as, and masking."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain import audit as rules
from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.domain.normalize import mask_phone

texts = st.none() | st.text()


def _compact(values: list[object]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@given(texts, texts, texts)
def test_details_bytes_are_the_documented_json(old: str | None, new: str | None, summary: str | None) -> None:
    assert rules.details_bytes(old, new, summary) == _compact([old, new, summary])
    assert rules.details_hash(old, new, summary) == hashlib.sha256(_compact([old, new, summary])).hexdigest()


@given(st.text(), st.text(), st.text(), st.text(), texts, st.datetimes(dt.datetime(2000, 1, 1)))
def test_entry_bytes_are_the_documented_json(
    actor: str, action: str, entity: str, prev: str, entity_id: str | None, at: dt.datetime
) -> None:
    details = "d" * 64
    expected = ["klaten-audit-1", prev, at.isoformat(sep=" ", timespec="microseconds"), actor, action, entity,
                entity_id, details]  # fmt: skip
    assert rules.entry_bytes(prev, at, actor, action, entity, entity_id, details) == _compact(expected)
    assert (
        rules.entry_hash(prev, at, actor, action, entity, entity_id, details)
        == hashlib.sha256(_compact(expected)).hexdigest()
    )


def test_a_documented_example() -> None:
    """The worked example of docs/audit.md."""
    at = dt.datetime(2026, 12, 5, 9, 30, 0, 123456)
    details = rules.details_hash(None, '{"rt": 4}', None)
    assert rules.details_bytes(None, '{"rt": 4}', None) == b'[null,"{\\"rt\\": 4}",null]'
    body = rules.entry_bytes(rules.GENESIS, at, "sri", "update", "official", "0193-x", details)
    assert body.startswith(b'["klaten-audit-1","' + b"0" * 64 + b'","2026-12-05 09:30:00.123456","sri"')


def test_masks_keep_what_recognises() -> None:
    assert mask_nik_display("3310011205700001") == "3310 01•• •••• 0001"
    assert mask_nik_display("12345") == "•2345"
    assert mask_phone("081234567890") == "0812••••7890"
    assert mask_phone("0272321") == "•••••21"
    masked = rules.mask_values(
        {"nik": "3310011205700001", "tanggal_lahir": dt.date(1970, 5, 12), "telepon": "081234567890",
         "nama_ibu_kandung": "Suminah", "nama": "Sumarno", "rt": None}
    )  # fmt: skip
    assert masked == {
        "nik": "3310 01•• •••• 0001",
        "tanggal_lahir": "1970-••-••",
        "telepon": "0812••••7890",
        "nama_ibu_kandung": "S•••",
        "nama": "Sumarno",
        "rt": None,
    }
    assert rules.mask_values({"tanggal_lahir": "1970-05-12"})["tanggal_lahir"] == "1970-••-••"
