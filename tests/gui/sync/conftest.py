"""Fixtures for the Sinkronisasi screen: three distinct installations (Prambanan and Wedi kecamatan, the regency)
in temporary folders, real widgets, dialogs recorded instead of shown. The people are synthetic (demo.populate).

The setup mirrors tests/sync/conftest.py (which is not importable as a module here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.sync import SyncSection, common
from klaten_desktop.services import demo, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import keys
from tests.conftest import TEST_ADMIN, Shown

PRAMBANAN = "33.10.01"
WEDI = "33.10.03"


@pytest.fixture
def shown(shown: Shown, monkeypatch: pytest.MonkeyPatch) -> Shown:
    """The shared recorder, plus answers to the screen's own multi-file dialog (``open_many``)."""
    monkeypatch.setattr(common, "ask_open_paths", lambda *_a, **_k: shown.open_many.pop(0) if shown.open_many else [])
    return shown


def new_kecamatan(
    make_ctx: Callable[..., ServiceContext], name: str, code: str, nama: str, today: dt.date | None = None
) -> ServiceContext:
    """A distinct installation (its own install id and keys), unlike copies of the kecamatan template."""
    ctx = make_ctx("empty", name=name) if today is None else make_ctx("empty", name=name, today=today)
    office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name=nama, kecamatan_kode=code)
    return ctx


def key_files(kecamatan: ServiceContext, regency: ServiceContext, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    kec_file = folder / f"kunci-{office.require(kecamatan).office_code}.json"
    reg_file = folder / "kunci-kabupaten.json"
    keys.export_identity(kecamatan, kec_file)
    keys.export_identity(regency, reg_file)
    return kec_file, reg_file


def exchange_keys(kecamatan: ServiceContext, regency: ServiceContext, folder: Path) -> None:
    kec_file, reg_file = key_files(kecamatan, regency, folder)
    keys.trust(regency, SYSTEM, keys.read_identity(regency, kec_file))
    keys.trust(kecamatan, SYSTEM, keys.read_identity(kecamatan, reg_file))


@dataclass
class Offices:
    prambanan: ServiceContext
    wedi: ServiceContext
    regency: ServiceContext
    stick: Path  # the USB stick


@pytest.fixture
def offices(make_ctx: Callable[..., ServiceContext], tmp_path: Path, shown: Shown) -> Iterator[Offices]:
    prambanan = new_kecamatan(make_ctx, "prambanan", PRAMBANAN, "Kecamatan Prambanan")
    wedi = new_kecamatan(make_ctx, "wedi", WEDI, "Kecamatan Wedi")
    # packages are stamped with this PC's clock: the regency's "today" is the same clock, so "days since" is 0
    regency = make_ctx("kabupaten", name="regency", today=dt.datetime.now(dt.UTC).date())
    stick = tmp_path / "flashdisk"
    for kec in (prambanan, wedi):
        exchange_keys(kec, regency, stick)
    demo.populate(prambanan, SYSTEM, 40, seed=1)
    demo.populate(wedi, SYSTEM, 30, seed=2)
    yield Offices(prambanan, wedi, regency, stick)
    tasks.wait_all()
    assert shown.crash == []


def make_section(qtbot: QtBot, ctx: ServiceContext) -> SyncSection:
    section = SyncSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.refresh()
    return section


def idle(qtbot: QtBot, section: SyncSection) -> None:
    qtbot.waitUntil(lambda: not section.tasks.busy, timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window.
    for item in items:
        if "tests/gui/sync/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
