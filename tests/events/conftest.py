"""Fixtures for socialization events: the Prambanan office with synthetic officials and one event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from klaten_desktop.services import demo, events, office
from klaten_desktop.services.context import SYSTEM, ServiceContext

EVENT_TITLE = "Sosialisasi Jaminan Sosial Ketenagakerjaan bagi Ketua RT dan RW"
EVENT_START = dt.datetime(2026, 12, 9, 9, 0)
EVENT_END = dt.datetime(2026, 12, 9, 12, 0)
BRANCH_HEAD = "Contoh Kepala Cabang, S.E."


@dataclass(frozen=True)
class EventSetup:
    ctx: ServiceContext
    event: events.EventRow


@pytest.fixture
def ev(ctx: ServiceContext) -> EventSetup:
    """120 synthetic officials, both signatories set, one event on 9 December 2026 without participants."""
    demo.populate(ctx, SYSTEM, 120)
    office.update(
        ctx,
        SYSTEM,
        bpjs_branch_name="Kantor Cabang BPJS Ketenagakerjaan Klaten",
        bpjs_branch_head=BRANCH_HEAD,
    )
    event = events.create(
        ctx,
        SYSTEM,
        title=EVENT_TITLE,
        starts_at=EVENT_START,
        ends_at=EVENT_END,
        place="Pendopo Kecamatan Prambanan",
        organiser="Kecamatan Prambanan",
        speakers=[events.Speaker("Contoh Narasumber", "BPJS Ketenagakerjaan Cabang Klaten")],
    )
    return EventSetup(ctx, event)


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]
