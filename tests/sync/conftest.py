"""Three installations in temporary folders: Prambanan and Wedi (kecamatan) and the regency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, DocumentSubject, RegisterEntry
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.services import demo, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import keys
from klaten_desktop.services.sync.importer import ImportResult, import_package
from klaten_desktop.services.sync.tables import SPECS

PRAMBANAN = "33.10.01"
ENTRY_ID, DOC_ID = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
WEDI = "33.10.03"


def new_kecamatan(make_ctx: Callable[..., ServiceContext], name: str, code: str, nama: str) -> ServiceContext:
    """A distinct installation (own install id and keys), unlike copies of the kecamatan template."""
    ctx = make_ctx("empty", name=name)
    office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name=nama, kecamatan_kode=code)
    return ctx


def exchange_keys(kecamatan: ServiceContext, regency: ServiceContext, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    kec_file = folder / f"kunci-{id(kecamatan)}.json"
    reg_file = folder / "kunci-kabupaten.json"
    keys.export_identity(kecamatan, kec_file)
    keys.export_identity(regency, reg_file)
    keys.trust(regency, SYSTEM, keys.read_identity(regency, kec_file))
    keys.trust(kecamatan, SYSTEM, keys.read_identity(kecamatan, reg_file))


def snapshot(ctx: ServiceContext, *, office_code: str | None = None) -> dict[str, set[tuple[Any, ...]]]:
    """Every travelling row, as comparable tuples."""
    result: dict[str, set[tuple[Any, ...]]] = {}
    with ctx.read() as session:
        for spec in SPECS:
            t = spec.table
            stmt = select(*(t.c[c] for c in spec.columns))
            if office_code is not None:
                stmt = stmt.where(t.c.office_code == office_code)
            result[spec.name] = {tuple(r) for r in session.execute(stmt)}
    return result


@dataclass
class Offices:
    prambanan: ServiceContext
    wedi: ServiceContext
    regency: ServiceContext
    folder: Path
    make_ctx: Callable[..., ServiceContext]

    def path(self, name: str) -> Path:
        return self.folder / name

    def send(self, kecamatan: ServiceContext, name: str, **kwargs: Any) -> Path:
        from klaten_desktop.services.sync.export import export

        path = self.path(name)
        export(kecamatan, SYSTEM, path, **kwargs)
        return path

    def receive(self, path: Path, ctx: ServiceContext | None = None, **kwargs: Any) -> ImportResult:
        return import_package(ctx or self.regency, SYSTEM, path, **kwargs)


@pytest.fixture
def offices(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> Offices:
    prambanan = new_kecamatan(make_ctx, "prambanan", PRAMBANAN, "Kecamatan Prambanan")
    wedi = new_kecamatan(make_ctx, "wedi", WEDI, "Kecamatan Wedi")
    regency = make_ctx("kabupaten", name="regency")
    folder = tmp_path / "flashdisk"
    for kec in (prambanan, wedi):
        exchange_keys(kec, regency, folder)
    demo.populate(prambanan, SYSTEM, 40, seed=1)
    demo.populate(wedi, SYSTEM, 30, seed=2)
    return Offices(prambanan, wedi, regency, folder, make_ctx)


def add_letter(session: Session, install: str, subjects: list[str], *, payload: str = "{}") -> str:
    """A register entry and its letter (document) about ``subjects``, owned by Prambanan; returns the letter id."""
    common = {"row_version": 1, "office_code": PRAMBANAN, "origin_install": install}
    issued = dt.date(2026, 11, 24)
    session.execute(
        insert(RegisterEntry).values(
            id=ENTRY_ID, year=2026, sequence="surat", number=1, nomor="400/1/2026", kind="pengantar",
            state="issued", issued_on=issued, **common,
        )
    )  # fmt: skip
    session.execute(
        insert(Document).values(
            id=DOC_ID, register_entry_id=ENTRY_ID, kind="pengantar", nomor="400/1/2026", issued_on=issued,
            payload=payload, **common,
        )
    )  # fmt: skip
    session.execute(insert(DocumentSubject), [{"document_id": DOC_ID, "official_id": o} for o in subjects])
    return DOC_ID
