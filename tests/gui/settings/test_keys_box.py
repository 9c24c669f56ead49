"""Pengaturan › Sinkronisasi › Kunci kantor and the key passphrase at start, by keyboard (issue #20): clear keys
wrapped with a passphrase typed twice, a wrong passphrase named in the dialog and the keys left locked, the right
one opens them; the encrypted key backup written from the box."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings import keys_box
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import key_protection, keywrap
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from tests.conftest import TEST_ADMIN, Shown
from tests.gui.conftest import Modal
from tests.gui.keyboard import press, tab, type_text

PASS = "bambu runcing 1945"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keywrap, "SCRYPT_LOG2_N", 12)


def typed(qtbot: QtBot, *fields: str) -> Callable[[QWidget], None]:
    """Type each text into the dialog's fields from its initial focus (Tab between them), then Enter."""

    def action(dialog: QWidget) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        for n, text in enumerate(fields):
            if n:
                tab(qtbot)
            type_text(qtbot, text)
        press(qtbot, Qt.Key.Key_Return)

    return action


def section_on_keys(qtbot: QtBot, ctx: ServiceContext) -> OfficeSettingsSection:
    section = OfficeSettingsSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.tabs.setCurrentWidget(section.sync)
    section.refresh()
    return section


def test_keys_are_wrapped_locked_and_opened_from_the_tab(
    qtbot: QtBot, ctx: ServiceContext, shown: Shown, modal: Modal
) -> None:
    section = section_on_keys(qtbot, ctx)
    keys = section.sync.keys
    assert keys.state.text() == "Kunci pribadi kantor: belum dilindungi; terbuka untuk menandatangani."

    failures = modal(typed(qtbot, PASS, "frasa lain sekali"))  # the two do not match: refused, dialog stays
    failures += modal(lambda dialog: dialog.close())
    keys.protect_button.click()
    assert not failures
    assert key_protection.status(ctx).protection == keywrap.CLEAR

    failures = modal(typed(qtbot, PASS, PASS))
    keys.protect_button.click()
    assert not failures
    assert key_protection.status(ctx) == key_protection.KeyStatus(keywrap.SCRYPT, unlocked=True)
    assert keys.state.text() == "Kunci pribadi kantor: dilindungi frasa sandi kunci; terbuka untuk menandatangani."
    assert shown.info[-1] == "Kunci kantor dilindungi dengan frasa sandi kunci yang baru."

    key_protection.lock(ctx)
    keys.refresh()
    assert keys.state.text().endswith("terkunci.") and keys.unlock_button.isEnabled()
    errors: list[str] = []

    def wrong_then_right(dialog: QWidget) -> None:
        typed(qtbot, "bukan frasa sandinya")(dialog)
        assert isinstance(dialog, keys_box.PassphraseDialog)
        errors.append(dialog.error_text())
        assert not key_protection.status(ctx).unlocked
        dialog.passphrase.selectAll()
        typed(qtbot, PASS)(dialog)

    failures = modal(wrong_then_right)
    keys.unlock_button.click()
    assert not failures
    assert errors == ["✖ Frasa sandi kunci salah. Kunci kantor tetap terkunci."]
    assert key_protection.status(ctx).unlocked and not keys.unlock_button.isEnabled()


def test_the_key_backup_is_written_from_the_tab(
    qtbot: QtBot, ctx: ServiceContext, shown: Shown, modal: Modal, tmp_path: Path
) -> None:
    section = section_on_keys(qtbot, ctx)
    target = tmp_path / "cadangan-kunci.json"
    shown.save_paths.append(target)
    failures = modal(typed(qtbot, "cadangan kunci 2026", "cadangan kunci 2026"))
    section.sync.keys.backup_button.click()
    assert not failures
    assert target.exists() and b"PRIVATE KEY" not in target.read_bytes()
    assert shown.info[-1] == f"Cadangan kunci ditulis ke {target}."


def test_at_start_a_locked_office_is_asked_for_its_passphrase(qtbot: QtBot, ctx: ServiceContext, modal: Modal) -> None:
    key_protection.protect(ctx, SYSTEM, PASS)
    key_protection.lock(ctx)
    failures = modal(typed(qtbot, PASS))
    state = keys_box.ask_at_start(ctx, SYSTEM)
    assert not failures
    assert state == key_protection.KeyStatus(keywrap.SCRYPT, unlocked=True)


def test_at_start_clear_keys_are_wrapped_with_a_new_passphrase(qtbot: QtBot, ctx: ServiceContext, modal: Modal) -> None:
    if keywrap.dpapi_available():
        pytest.skip("on Windows the start wraps them for the Windows user without asking")
    failures = modal(typed(qtbot, PASS, PASS))
    state = keys_box.ask_at_start(ctx, SYSTEM)
    assert not failures
    assert state == key_protection.KeyStatus(keywrap.SCRYPT, unlocked=True)


def test_at_start_clear_keys_are_not_wrapped_by_an_operator(
    qtbot: QtBot, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Protecting the office's keys is an admin's: an operator's start asks nothing, the keys stay clear (and sign)."""
    if keywrap.dpapi_available():
        pytest.skip("on Windows the start wraps them for the Windows user without asking")
    asked: list[str] = []
    monkeypatch.setattr(keys_box.PassphraseDialog, "exec", lambda self: asked.append(self.windowTitle()) or 0)
    state = keys_box.ask_at_start(ctx, Actor("oki", "Oki", "operator"))
    assert asked == []
    assert state == key_protection.KeyStatus(keywrap.CLEAR, unlocked=True)
    keys_box.ask_at_start(ctx, TEST_ADMIN)
    assert asked == ["Lindungi kunci kantor"]  # an admin's start asks


def test_screenshots_of_the_keys_box_and_the_prompt(
    qtbot: QtBot, ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    from tests.gui.settings.test_screenshots import _save

    key_protection.protect(ctx, SYSTEM, PASS)
    key_protection.lock(ctx)
    section = section_on_keys(qtbot, ctx)
    image = _save(qtbot, section, tmp_path, "pengaturan-sinkronisasi-kunci.png")
    assert image.pixelColor(10, 10).isValid()
    assert section.sync.keys.state.text() == "Kunci pribadi kantor: dilindungi frasa sandi kunci; terkunci."
    dialog = keys_box.PassphraseDialog(ctx, SYSTEM, protect=False)
    qtbot.addWidget(dialog)
    dialog.show()
    size = dialog.sizeHint()
    _save(qtbot, dialog, tmp_path, "buka-kunci.png", (max(size.width(), 480), size.height()))
