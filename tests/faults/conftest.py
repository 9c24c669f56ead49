"""Fixtures of the fault tests: the fork server (POSIX) and offices built once with the real services."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from klaten_desktop.app import open_context
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import demo, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.faults.harness import WINDOWS_REASON, ForkServer

TODAY = dt.date(2026, 11, 24)
PRAMBANAN = "33.10.01"


@pytest.fixture(scope="session")
def forkserver() -> Iterator[ForkServer]:
    if sys.platform == "win32":
        pytest.skip(WINDOWS_REASON)
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


def open_office(folder: Path) -> ServiceContext:
    return open_context(AppPaths(folder / "data"), clock=ShiftedClock.on(TODAY))


def new_office(folder: Path, *, role: str = "kecamatan", officials: int = 0, seed: int = 1) -> ServiceContext:
    """An office in ``folder/data`` set up with ``init`` (kecamatan Prambanan or the regency) and demo officials."""
    ctx = open_office(folder)
    if role == "kecamatan":
        office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode=PRAMBANAN,
                    camat_nama="Drs. Contoh Camat, M.Si.", camat_nip="197001011990031001",
                    camat_pangkat="Pembina Tk. I (IV/b)")  # fmt: skip
    else:
        office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten")
    if officials:
        demo.populate(ctx, SYSTEM, officials, seed=seed)
    return ctx
