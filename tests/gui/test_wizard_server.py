"""Where the database lives, chosen by keyboard: the first start's step "Letak basis data" against the real
PostgreSQL server, the start that then uses it, the password asked where no store keeps it, and Pengaturan's tab
(docs/server-mode.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from klaten_desktop.gui import application, installation, wizard_server
from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.settings.database_tab import DatabaseTab
from klaten_desktop.runtime import credentials, server_config
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.server_config import ServerSetting
from klaten_desktop.services import bootstrap, server
from klaten_desktop.services.context import ServiceContext
from tests import keyrings
from tests.conftest import TEST_ADMIN, Shown

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    with keyrings.memory() as kept:
        yield kept


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with keyrings.none():
        yield


def _alt(qtbot: QtBot, _window: QWidget, letter: str) -> None:
    """Alt+letter where the focus is, as staff press it."""
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has the keyboard focus"
    qtbot.keyClick(focused, getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)
    qtbot.wait(150)  # a button's mnemonic clicks it after 100 ms (animateClick)


def _type(qtbot: QtBot, text: str) -> None:
    """Replace the focused field's text by typing (select all, then the keys)."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused, text)


def _fill_server(qtbot: QtBot, window: QWidget, url: str, password: str) -> None:
    parsed = make_url(url)
    _alt(qtbot, window, "k")  # Server kantor
    _alt(qtbot, window, "a")
    _type(qtbot, parsed.host or "")
    _alt(qtbot, window, "o")
    _type(qtbot, str(parsed.port or 5432))
    _alt(qtbot, window, "b")
    _type(qtbot, parsed.database or "")
    _alt(qtbot, window, "p")
    _type(qtbot, parsed.username or "")
    _alt(qtbot, window, "d")
    _type(qtbot, password)


def _wait_tested(qtbot: QtBot, form: wizard_server.ServerForm) -> None:
    qtbot.waitUntil(lambda: not form.busy() and form.status.text() != "Menyambung ke server…", timeout=15_000)
    tasks.wait_all()


def test_first_start_chooses_the_office_server_by_keyboard(
    qtbot: QtBot, tmp_path: Path, pg_databases: Any, memory_keyring: dict[tuple[str, str], str], shown: Shown
) -> None:
    url = pg_databases.create()
    paths = AppPaths(tmp_path / "data")
    assert server.needs_choice(paths)
    wizard = wizard_server.DatabaseWizard(paths)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    form = wizard.database_page.form
    assert form.local_radio.isChecked() and not form.fields_box.isEnabled()  # nothing to configure by default
    _fill_server(qtbot, wizard, url, "sandi-uji")
    assert form.server_radio.isChecked() and form.host.text() == "127.0.0.1"
    _alt(qtbot, wizard, "u")  # Uji sambungan
    _wait_tested(qtbot, form)
    assert "masih kosong" in form.status.text(), form.status.text()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        _alt(qtbot, wizard, "l")  # Lanjut
    assert wizard.result() == wizard.DialogCode.Accepted
    stored = json.loads(paths.server_config_file.read_text(encoding="utf-8"))
    parsed = make_url(url)
    assert stored == {
        "mode": "server",
        "host": "127.0.0.1",
        "port": 5432,
        "database": parsed.database,
        "user": "postgres",
    }
    assert list(memory_keyring.values()) == ["sandi-uji"]  # in the credential store, not in the data folder
    assert not server.needs_choice(paths)
    # the start uses the server now: the office's tables are made there, no file in the data folder
    ctx = application.open_services(paths, bootstrap.open_context)
    assert isinstance(ctx, ServiceContext)
    try:
        assert ctx.engine.dialect.name == "postgresql" and ctx.engine.url.database == parsed.database
        assert not paths.database.exists()
    finally:
        ctx.dispose()
    assert shown.error == []


def test_lanjut_tests_first_and_a_wrong_server_stays_on_the_page(
    qtbot: QtBot, tmp_path: Path, pg_url: str, no_keyring: None, shown: Shown
) -> None:
    paths = AppPaths(tmp_path / "data")
    wizard = wizard_server.DatabaseWizard(paths)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    form = wizard.database_page.form
    _fill_server(qtbot, wizard, pg_url.replace("5432", "1"), "")
    _alt(qtbot, wizard, "l")  # Lanjut tests first
    _wait_tested(qtbot, form)
    assert "tidak terjangkau" in form.status.text()
    assert wizard.isVisible() and not server_config.exists(paths.data_dir)
    _alt(qtbot, wizard, "o")
    _type(qtbot, "5432")
    with qtbot.waitSignal(wizard.finished, timeout=15_000):
        _alt(qtbot, wizard, "l")  # tested, then accepted once connected
    tasks.wait_all()
    assert server_config.load(paths.data_dir) == ServerSetting(
        "127.0.0.1", make_url(pg_url).database or "", "postgres", 5432
    )
    assert "Komputer ini tidak memiliki penyimpan kata sandi" in wizard_server.password_note()
    assert shown.error == []


def test_single_pc_is_stored_and_needs_nothing(qtbot: QtBot, tmp_path: Path, shown: Shown) -> None:
    paths = AppPaths(tmp_path / "data")
    wizard = wizard_server.DatabaseWizard(paths)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        _alt(qtbot, wizard, "l")
    assert json.loads(paths.server_config_file.read_text(encoding="utf-8")) == {"mode": "lokal"}
    ctx = application.open_services(paths, bootstrap.open_context)
    assert isinstance(ctx, ServiceContext)
    try:
        assert ctx.engine.dialect.name == "sqlite" and paths.database.exists()
    finally:
        ctx.dispose()


def test_password_asked_at_start_when_no_store_keeps_it(
    qtbot: QtBot, tmp_path: Path, no_keyring: None, modal: Any
) -> None:
    """No credential store and a server that wants a password: the dialog asks, by keyboard, in Indonesian."""
    setting = ServerSetting("pc-server", "klaten", "staf")
    asked: list[str | None] = []

    def type_password(dialog: QWidget) -> None:
        assert isinstance(dialog, wizard_server.ServerPasswordDialog)
        assert dialog.windowTitle() == "Kata sandi server basis data"
        start = dialog.focusWidget()
        assert start is dialog.password  # the dialog opens on the password field
        qtbot.keyClicks(start, "rahasia")
        qtbot.keyClick(start, Qt.Key.Key_Return)

    failures = modal(type_password)
    asked.append(wizard_server.ask_password(setting, None))
    assert not failures, failures
    assert asked == ["rahasia"]
    assert not credentials.available()


def test_settings_tab_points_this_pc_at_the_server(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext, pg_url: str, memory_keyring: dict[tuple[str, str], str],
    shown: Shown,
) -> None:  # fmt: skip
    paths = AppPaths(tmp_path / "pc")
    tab = DatabaseTab(ctx, TEST_ADMIN, paths, set("kufish"))
    qtbot.addWidget(tab)
    with qtbot.waitActive(tab):
        tab.show()
        tab.activateWindow()
    tab.refresh()
    assert tab.current.text() == f"Basis data yang dipakai sekarang: berkas {paths.database}."
    form = tab.form
    form.server_radio.setFocus()
    qtbot.keyClick(form.server_radio, Qt.Key.Key_Space)
    for field, text in ((form.host, "127.0.0.1"), (form.database, make_url(pg_url).database or "")):
        field.setFocus()
        _type(qtbot, text)
    form.user.setFocus()
    _type(qtbot, "postgres")
    qtbot.keyClick(form.user, Qt.Key.Key_Return)  # Enter saves the tab: tested first, then stored
    qtbot.waitUntil(lambda: bool(shown.info), timeout=15_000)
    tasks.wait_all()
    assert shown.info[0].startswith("Letak basis data disimpan. Tutup lalu buka kembali aplikasi")
    assert server_config.load(paths.data_dir) == ServerSetting(
        "127.0.0.1", make_url(pg_url).database or "", "postgres", 5432
    )
    assert memory_keyring == {}  # no password typed: none kept
    assert tab.current.text().startswith("Basis data yang dipakai sekarang: server 127.0.0.1/")


def test_settings_section_shows_the_tab_with_its_own_mnemonics(
    qtbot: QtBot, tmp_path: Path, ctx: ServiceContext, shown: Shown
) -> None:
    from klaten_desktop.gui.session import GuiSession
    from klaten_desktop.gui.settings.common import mnemonic
    from klaten_desktop.gui.settings.section import OfficeSettingsSection

    installation.install(AppPaths(tmp_path / "pc"))
    section = OfficeSettingsSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.show()
    titles = [section.tabs.tabText(i) for i in range(section.tabs.count())]
    assert titles[-1] == "Ser&ver basis data" and section.database is not None
    section.tabs.setCurrentWidget(section.database)
    section.refresh()
    shared = [*titles, section.save_button.text(), section.reset_button.text()]
    labels = [w.text() for w in section.database.findChildren(QLabel) if w.buddy() is not None]
    buttons = [w.text() for w in section.database.findChildren(QAbstractButton) if w.text()]
    letters = [mnemonic(t) for t in [*shared, *labels, *buttons]]
    assert None not in letters, [*shared, *labels, *buttons]
    assert len(letters) == len(set(letters)) and not set(letters) & set("btd"), letters
    assert (
        section.database.current.text()
        == f"Basis data yang dipakai sekarang: berkas {tmp_path / 'pc' / 'klaten.sqlite'}."
    )


def test_first_start_asks_before_opening_anything(qtbot: QtBot, tmp_path: Path, modal: Any, shown: Shown) -> None:
    paths = AppPaths(tmp_path / "baru")

    def choose_single_pc(dialog: QWidget) -> None:
        assert isinstance(dialog, wizard_server.DatabaseWizard)
        assert not paths.database.exists()  # nothing opened before the choice
        start = dialog.focusWidget()
        assert start is dialog.database_page.form.local_radio
        qtbot.keyClick(start, Qt.Key.Key_Return)  # Enter: the default button, Lanjut

    failures = modal(choose_single_pc)
    ctx = application.open_services(paths, bootstrap.open_context)
    assert not failures, failures
    assert isinstance(ctx, ServiceContext)
    try:
        assert ctx.engine.dialect.name == "sqlite" and paths.database.exists()
    finally:
        ctx.dispose()
    assert server_config.exists(paths.data_dir) and server_config.load(paths.data_dir) is None


def test_unreachable_stored_server_offers_to_change_it(tmp_path: Path, pg_url: str, shown: Shown) -> None:
    paths = AppPaths(tmp_path / "data")
    server_config.save(paths.data_dir, ServerSetting("127.0.0.1", make_url(pg_url).database or "", "postgres", 1))
    shown.confirm_answer = False  # "Ubah letak basis data ...?" Batal: the app closes
    assert application.open_services(paths, bootstrap.open_context) == 1
    assert len(shown.confirm) == 1
    assert shown.confirm[0].startswith("Server basis data 127.0.0.1/")
    assert shown.confirm[0].endswith("Ubah letak basis data komputer ini sekarang?")


def test_cancelled_first_start_closes_quietly(qtbot: QtBot, tmp_path: Path, modal: Any, shown: Shown) -> None:
    paths = AppPaths(tmp_path / "baru")

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, wizard_server.DatabaseWizard)
        start = dialog.focusWidget()
        assert start is not None
        qtbot.keyClick(start, Qt.Key.Key_Escape)

    failures = modal(cancel)
    assert application.open_services(paths, bootstrap.open_context) == 0
    assert not failures, failures
    assert not server_config.exists(paths.data_dir) and not paths.database.exists()  # nothing stored or made
    assert shown.error == []
