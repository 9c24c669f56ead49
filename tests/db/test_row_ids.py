"""Row ids: time-ordered UUIDs (version 7), unique, and later ids sort after earlier ones."""

from __future__ import annotations

import time
import uuid

from klaten_desktop.db.models import new_uuid, new_uuids


def test_ids_are_version_7_uuids_with_the_current_time() -> None:
    before = time.time_ns() // 1_000_000
    ids = [*new_uuids(1000), new_uuid()]
    after = time.time_ns() // 1_000_000
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after
    assert len(set(ids)) == len(ids)


def test_ids_made_later_sort_after_earlier_ones() -> None:
    first = new_uuids(50)
    time.sleep(0.002)
    second = new_uuids(50)
    assert max(first) < min(second)


def test_the_random_part_is_random() -> None:
    # 74 random bits: two batches made in the same millisecond still differ everywhere after the timestamp
    tails = {text[15:] for text in new_uuids(5000)}
    assert len(tails) == 5000
