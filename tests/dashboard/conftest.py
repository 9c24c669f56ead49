"""A Prambanan database with ten synthetic officials whose coverage status is known by hand on given dates.

On 24 November 2026 (past the 15th: November is due; aktif from paid-through 2026-11, nonaktif up to 2026-08):

=====  ==============  ====================================================  ==================
name   desa            facts                                                 status on 24 Nov
=====  ==============  ====================================================  ==================
A      Sengon          no enrollment                                         belum_terdaftar
B      Sengon          submitted 1 Oct 2026, no KPJ                          diajukan
C      Sengon          registered 5 Jan 2026, paid through 2026-11, ADD      aktif
D      Sengon          registered 5 Jan 2026, paid through 2026-10, ADD      menunggak
E      Sengon          registered 5 Jan 2026, paid through 2026-08, APBDes   nonaktif
F      Sengon          term ended 30 Jun 2026, no enrollment                 berakhir
G      Cucukan         registered 10 Mar 2026, paid through 2026-09, ADD     menunggak
H      Cucukan         registered 1 Feb 2026, paid 2026-10, ended 31 Oct     berakhir
I      Cucukan         submitted 10 Nov 2026                                 diajukan
J      Cucukan         no enrollment; term 1 Nov 2026 - 31 Dec 2026          belum_terdaftar
=====  ==============  ====================================================  ==================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import insert

from klaten_desktop.db.models import Enrollment, Event, EventParticipant, Official, new_uuid, utcnow
from klaten_desktop.services.context import ServiceContext

SENGON = "33.10.01.2001"
CUCUKAN = "33.10.01.2002"
AMOUNT = 16_800
D = dt.date

OFFICIALS: dict[str, dict[str, Any]] = {
    "A": {"desa_kode": SENGON, "rt": 1, "rw": 1},
    "B": {"desa_kode": SENGON, "rt": 2, "rw": 1},
    "C": {"desa_kode": SENGON, "rt": 3, "rw": 1},
    "D": {"desa_kode": SENGON, "rt": 4, "rw": 1},
    "E": {"desa_kode": SENGON, "rt": 5, "rw": 1},
    "F": {"desa_kode": SENGON, "rt": 6, "rw": 1, "term_status": "berakhir", "ended_on": D(2026, 6, 30)},
    "G": {"desa_kode": CUCUKAN, "rt": 1, "rw": 2},
    "H": {"desa_kode": CUCUKAN, "rt": 2, "rw": 2},
    "I": {"desa_kode": CUCUKAN, "rt": 3, "rw": 2},
    "J": {"desa_kode": CUCUKAN, "rt": 4, "rw": 2, "term_start": D(2026, 11, 1), "term_end": D(2026, 12, 31)},
}
ENROLLMENTS: dict[str, dict[str, Any]] = {
    "B": {"submitted_on": D(2026, 10, 1)},
    "C": {"submitted_on": D(2025, 12, 1), "registered_on": D(2026, 1, 5), "paid_through": "2026-11"},
    "D": {"submitted_on": D(2025, 12, 1), "registered_on": D(2026, 1, 5), "paid_through": "2026-10"},
    "E": {
        "submitted_on": D(2025, 12, 1),
        "registered_on": D(2026, 1, 5),
        "paid_through": "2026-08",
        "funding_source": "APBDes",
    },
    "G": {"submitted_on": D(2026, 3, 1), "registered_on": D(2026, 3, 10), "paid_through": "2026-09"},
    "H": {
        "submitted_on": D(2026, 1, 20),
        "registered_on": D(2026, 2, 1),
        "paid_through": "2026-10",
        "ended_on": D(2026, 10, 31),
    },
    "I": {"submitted_on": D(2026, 11, 10)},
}


def _sync(office_code: str) -> dict[str, Any]:
    return {"row_version": 1, "updated_at": utcnow(), "office_code": office_code, "origin_install": None}


def seed(
    ctx: ServiceContext, *, attended: tuple[str, ...] = ("C",), absent: tuple[str, ...] = ("D",)
) -> dict[str, str]:
    """Insert the ten officials (synthetic NIKs), their enrollments and one socialization; returns name -> id."""
    ids = {name: new_uuid() for name in OFFICIALS}
    officials = []
    for n, (name, extra) in enumerate(OFFICIALS.items(), start=1):
        row = {
            "id": ids[name],
            **_sync("33.10.01"),
            "nik": f"33100141019{n:05d}",
            "nama": f"Pengurus {name}",
            "jenis_kelamin": "L",
            "jabatan": "ketua_rt",
            "term_start": D(2025, 1, 1),
            "term_end": D(2030, 1, 1),
            "term_status": "menjabat",
            "ended_on": None,
            **extra,
        }
        officials.append(row)
    enrollments = []
    for name, extra in ENROLLMENTS.items():
        enrollments.append(
            {
                "id": new_uuid(),
                **_sync("33.10.01"),
                "official_id": ids[name],
                "nomor_kpj": "12345678901" if extra.get("registered_on") else None,
                "programs": "JKK,JKM",
                "tariff_code": "BPU-1JT",
                "monthly_amount": AMOUNT,
                "funding_source": "ADD",
                "submitted_on": None,
                "registered_on": None,
                "ended_on": None,
                "paid_through": None,
                **extra,
            }
        )
    event_id = new_uuid()
    with ctx.write() as session:
        conn = session.connection()
        conn.execute(insert(Official), officials)
        conn.execute(insert(Enrollment), enrollments)
        conn.execute(
            insert(Event),
            [
                {
                    "id": event_id,
                    **_sync("33.10.01"),
                    "title": "Sosialisasi BPJS Ketenagakerjaan",
                    "starts_at": dt.datetime(2026, 9, 1, 9, 0),
                    "place": "Pendapa Kecamatan",
                }
            ],
        )
        conn.execute(
            insert(EventParticipant),
            [
                {"id": new_uuid(), **_sync("33.10.01"), "event_id": event_id, "official_id": ids[name], "attended": 1}
                for name in attended
            ]
            + [
                {"id": new_uuid(), **_sync("33.10.01"), "event_id": event_id, "official_id": ids[name], "attended": 0}
                for name in absent
            ],
        )
    return ids


@pytest.fixture
def seeded(ctx: ServiceContext) -> dict[str, str]:
    return seed(ctx)


@pytest.fixture
def seeded_on(make_ctx: Any) -> Any:
    """``seeded_on(date)``: the seeded Prambanan database with ``today`` fixed to ``date`` (one database each)."""

    def factory(today: dt.date) -> ServiceContext:
        c: ServiceContext = make_ctx("kecamatan", today=today, name=f"d{today.isoformat()}")
        seed(c)
        return c

    return factory
