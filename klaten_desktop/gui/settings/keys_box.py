"""The box "Kunci kantor" of Pengaturan › Sinkronisasi and the key passphrase prompt at start (docs/keys.md):
whether the office's private keys are wrapped and open, unlocking them, wrapping them (or a new passphrase), the
encrypted key backup and its restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.settings.common import assign_mnemonics, hint_label
from klaten_desktop.services import key_backup, key_protection, keywrap
from klaten_desktop.services.access import Permission, allowed
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

FILTER = "Cadangan kunci (*.json)"


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PassphraseDialog(FormDialog):
    """Open the wrapped keys (``unlock``) or wrap them with a new passphrase (``protect``: typed twice)."""

    def __init__(self, ctx: ServiceContext, actor: Actor, *, protect: bool, parent: QWidget | None = None) -> None:
        if protect:
            title, intro, ok = (
                "Lindungi kunci kantor",
                "Kunci tanda tangan kantor disimpan terbungkus dengan frasa sandi kunci, agar salinan folder data "
                f"tidak dapat menandatangani surat. Pilih frasa sandi (minimal {keywrap.MIN_PASSPHRASE} karakter); "
                "frasa ini ditanyakan setiap kali aplikasi dibuka.",
                "&Lindungi",
            )
        else:
            title, intro, ok = (
                "Buka kunci kantor",
                "Kunci tanda tangan kantor terkunci. Ketik frasa sandi kunci untuk menandatangani surat, sertifikat "
                "dan paket sinkronisasi. Tanpa itu, data tetap dapat dilihat dan surat tetap dapat diverifikasi.",
                "&Buka kunci",
            )
        super().__init__(title, intro, ok, parent)
        self._ctx, self._actor, self._protect = ctx, actor, protect
        self.passphrase = secret_field("Frasa sandi kunci")
        self.add_row("&Frasa sandi kunci", self.passphrase)
        self.repeat = secret_field("Ulangi frasa sandi")
        if protect:
            self.add_row("&Ulangi frasa sandi", self.repeat)

    def run_action(self) -> key_protection.KeyStatus:
        passphrase = self.passphrase.text()
        if not self._protect:
            return key_protection.unlock(self._ctx, self._actor, passphrase)
        if passphrase != self.repeat.text():
            raise UserError("Kedua frasa sandi tidak sama.", field="passphrase")
        return key_protection.protect(self._ctx, self._actor, passphrase)


class KeyBackupDialog(FormDialog):
    """Write the encrypted key backup to ``path`` (``restore`` False) or restore the keys from it."""

    def __init__(
        self, ctx: ServiceContext, actor: Actor, path: Path, *, restore: bool, parent: QWidget | None = None
    ) -> None:
        if restore:
            intro = f"Pulihkan kunci kantor dari {path.name}. Ketik frasa sandi cadangan kunci" + (
                "." if keywrap.dpapi_available() else ", lalu frasa sandi kunci baru untuk komputer ini."
            )
        else:
            intro = (
                f"Tulis cadangan kunci terenkripsi ke {path.name}. Simpan berkas ini dan frasa sandinya terpisah, "
                "seperti stempel kantor: dengan keduanya kunci dapat dipulihkan di komputer baru."
            )
        super().__init__("Pulihkan kunci" if restore else "Cadangkan kunci", intro, "&Simpan", parent)
        self._ctx, self._actor, self._path, self._restore = ctx, actor, path, restore
        self.passphrase = secret_field("Frasa sandi cadangan")
        self.add_row("&Frasa sandi cadangan", self.passphrase)
        self.repeat = secret_field("Ulangi frasa sandi")
        self.local = secret_field("Frasa sandi kunci baru")
        if not restore:
            self.add_row("&Ulangi frasa sandi", self.repeat)
        elif not keywrap.dpapi_available():
            self.add_row("Frasa sandi &kunci baru", self.local)

    def run_action(self) -> key_backup.KeyBackup:
        passphrase = self.passphrase.text()
        if self._restore:
            local = None if keywrap.dpapi_available() else self.local.text()
            return key_backup.restore(self._ctx, self._actor, self._path, passphrase, local)
        if passphrase != self.repeat.text():
            raise UserError("Kedua frasa sandi tidak sama.", field="passphrase")
        return key_backup.backup(self._ctx, self._actor, self._path, passphrase)


def ask_at_start(ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> key_protection.KeyStatus | None:
    """At start: Windows wraps clear keys itself; elsewhere ask to open the keys, or to wrap clear ones.
    Batal starts with the keys locked (or still clear); Pengaturan › Sinkronisasi offers the same later."""
    state = key_protection.protect_at_start(ctx, actor)
    if state is None or not state.needs_passphrase:
        return state
    if state.protection == keywrap.CLEAR and not allowed(actor, Permission.keys):
        return state  # wrapping the office's keys is an admin's: asked at an admin's start; the clear keys still sign
    PassphraseDialog(ctx, actor, protect=state.protection == keywrap.CLEAR, parent=parent).exec()
    return key_protection.status(ctx)


class KeysBox(QGroupBox):
    """The box "Kunci kantor" of Pengaturan › Sinkronisasi."""

    def __init__(self, ctx: ServiceContext, actor: Actor, used: set[str], parent: QWidget | None = None) -> None:
        super().__init__("Kunci kantor", parent)
        self._ctx, self._actor = ctx, actor
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-weight: 600;")
        self.unlock_button = QPushButton("Buka kunci…")
        self.protect_button = QPushButton("Lindungi / ganti frasa sandi…")
        self.backup_button = QPushButton("Cadangkan kunci…")
        self.restore_button = QPushButton("Pulihkan kunci…")
        buttons = (self.unlock_button, self.protect_button, self.backup_button, self.restore_button)
        assign_mnemonics(list(buttons), used)
        self.unlock_button.clicked.connect(self.unlock)
        self.protect_button.clicked.connect(self.protect)
        self.backup_button.clicked.connect(self.backup)
        self.restore_button.clicked.connect(self.restore)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                "Kunci pribadi kantor menandatangani surat, sertifikat dan paket sinkronisasi. Kunci itu disimpan "
                "terbungkus: di Windows oleh akun Windows pengguna ini, di tempat lain oleh frasa sandi kunci. "
                "Salinan folder data tidak dapat menandatangani. Buat cadangan kunci terenkripsi sekali dan "
                "simpan terpisah; dengan itu kunci dipulihkan di komputer baru (docs/keys.md)."
            )
        )
        layout.addWidget(self.state)
        layout.addLayout(row)

    def refresh(self) -> None:
        state = key_protection.status(self._ctx)
        opened = "terbuka untuk menandatangani" if state.unlocked else "terkunci"
        self.state.setText(f"Kunci pribadi kantor: {state.label}; {opened}.")
        self.unlock_button.setEnabled(not state.unlocked)

    def unlock(self) -> None:
        self._run(PassphraseDialog(self._ctx, self._actor, protect=False, parent=self), "Kunci kantor terbuka.")

    def protect(self) -> None:
        dialog = PassphraseDialog(self._ctx, self._actor, protect=True, parent=self)
        self._run(dialog, "Kunci kantor dilindungi dengan frasa sandi kunci yang baru.")

    def backup(self) -> None:
        path = messages.ask_save_path(self, "Cadangkan kunci", FILTER, Path("cadangan-kunci.json"))
        if path is not None:
            dialog = KeyBackupDialog(self._ctx, self._actor, path, restore=False, parent=self)
            self._run(dialog, f"Cadangan kunci ditulis ke {path}.")

    def restore(self) -> None:
        path = messages.ask_open_path(self, "Pulihkan kunci", FILTER)
        if path is not None:
            dialog = KeyBackupDialog(self._ctx, self._actor, path, restore=True, parent=self)
            self._run(dialog, "Kunci kantor dipulihkan dari cadangan.")

    def _run(self, dialog: FormDialog, done: str) -> None:
        if dialog.exec():
            messages.info(self, done)
        self.refresh()
