"""The login, lock, first-admin and account forms (FormDialog: the focus starts on the first field, Enter submits,
a refusal is shown in the form). Every check is the service's (services/accounts.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.services import accounts
from klaten_desktop.services.access import PERSON_ROLES, ROLE_LABELS
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def role_box(current: str = "operator") -> QComboBox:
    box = QComboBox()
    for role in PERSON_ROLES:
        box.addItem(ROLE_LABELS[role], str(role))
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class LoginDialog(FormDialog):
    """Masuk: name and password; ``result_value`` is the logged-in :class:`Actor`."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Masuk - Klaten Desktop",
            "Masukkan nama pengguna dan kata sandi Anda. Setiap perubahan dicatat atas nama Anda.",
            "Masuk",
            parent,
        )
        self._ctx = ctx
        self.username = QLineEdit()
        self.add_row("Nama pengguna", self.username)
        self.password = password_field()
        self.add_row("Kata sandi", self.password)

    def run_action(self) -> Actor:
        try:
            return accounts.authenticate(self._ctx, self.username.text(), self.password.text())
        except UserError:
            self.password.clear()
            self.password.setFocus()
            raise

    def reject(self) -> None:  # nothing to keep: a typed password is not a change worth asking about
        super(FormDialog, self).reject()


class LockDialog(FormDialog):
    """The window locked after idle time (or Ctrl+L): only the same user's password opens it; "Ganti pengguna"
    (Batal) leads to the login of another person."""

    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(
            "Terkunci - Klaten Desktop",
            f"Layar dikunci. {actor.display_name} ({actor.username}), masukkan kata sandi Anda untuk melanjutkan.",
            "Buka kunci",
            parent,
        )
        self._ctx, self._actor = ctx, actor
        self.form.addRow("Pengguna", QLabel(f"{actor.display_name} ({actor.username})"))
        self.password = password_field()
        self.add_row("Kata sandi", self.password)
        self.cancel_button.setText("Ganti pengguna")

    def run_action(self) -> Actor:
        try:
            return accounts.authenticate(self._ctx, self._actor.username, self.password.text())
        except UserError:
            self.password.clear()
            raise

    def reject(self) -> None:
        super(FormDialog, self).reject()


def matching(password: QLineEdit, again: QLineEdit) -> str:
    if password.text() != again.text():
        raise UserError("Kedua kata sandi tidak sama.", field="password")
    return password.text()


FIRST_ADMIN_NOTE = (
    "Admin mengatur kantor, templat, kunci, tarif dan akun pengguna lain. Kata sandi minimal "
    f"{accounts.MIN_PASSWORD} karakter; simpan di tempat aman, tidak ada kata sandi bawaan."
)


class FirstAdminFields:
    """The fields of the first admin account, for the dialog at a first start (``FirstAdminDialog``) and the setup
    wizard's page (gui/wizard_admin.py): one set of fields, the service's rules."""

    def __init__(self) -> None:
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = password_field()
        self.again = password_field()

    def rows(self) -> list[tuple[str, QLineEdit]]:
        return [
            ("Nama pengguna", self.username),
            ("Nama lengkap", self.display_name),
            ("Kata sandi", self.password),
            ("Ulangi kata sandi", self.again),
        ]

    def field(self, name: object) -> QLineEdit:
        """The field a refusal names (``UserError.field``), else the first."""
        named = {"username": self.username, "display_name": self.display_name, "password": self.password}
        return named.get(str(name), self.username)

    def check(self) -> None:
        """Refuse what the account service would refuse, writing nothing."""
        accounts.check_account(self.username.text(), self.display_name.text(), matching(self.password, self.again))

    def create(self, ctx: ServiceContext) -> Actor:
        password = matching(self.password, self.again)
        return accounts.create_first_admin(ctx, self.username.text(), self.display_name.text(), password)


class FirstAdminDialog(FormDialog):
    """The first admin account (a database from before accounts, at its first start): no default password."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Akun admin pertama - Klaten Desktop",
            "Belum ada akun pengguna. Buat akun admin pertama. " + FIRST_ADMIN_NOTE,
            "Buat akun",
            parent,
        )
        self._ctx = ctx
        self.fields = FirstAdminFields()
        for label, widget in self.fields.rows():
            self.add_row(label, widget)
        self.username, self.display_name = self.fields.username, self.fields.display_name
        self.password, self.again = self.fields.password, self.fields.again

    def run_action(self) -> Actor:
        return self.fields.create(self._ctx)


class AddUserDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Tambah pengguna", "Akun baru untuk petugas di kantor ini.", "Simpan", parent)
        self._ctx, self._actor = ctx, actor
        self.username = QLineEdit()
        self.add_row("Nama pengguna", self.username)
        self.display_name = QLineEdit()
        self.add_row("Nama lengkap", self.display_name)
        self.role = role_box()
        self.add_row("Peran", self.role)
        self.password = password_field()
        self.add_row("Kata sandi", self.password)
        self.again = password_field()
        self.add_row("Ulangi kata sandi", self.again)

    def run_action(self) -> accounts.UserRow:
        return accounts.add_user(
            self._ctx,
            self._actor,
            self.username.text(),
            self.display_name.text(),
            str(self.role.currentData()),
            matching(self.password, self.again),
        )


class ResetPasswordDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, username: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Ganti kata sandi",
            f"Kata sandi baru untuk {username}. Sampaikan kepada pemilik akun secara langsung.",
            "Simpan",
            parent,
        )
        self._ctx, self._actor, self._username = ctx, actor, username
        self.password = password_field()
        self.add_row("Kata sandi baru", self.password)
        self.again = password_field()
        self.add_row("Ulangi kata sandi", self.again)

    def run_action(self) -> accounts.UserRow:
        return accounts.reset_password(self._ctx, self._actor, self._username, matching(self.password, self.again))


class RoleDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, row: accounts.UserRow, parent: QWidget | None = None) -> None:
        super().__init__("Ubah peran", f"Peran baru untuk {row.display_name} ({row.username}).", "Simpan", parent)
        self._ctx, self._actor, self._username = ctx, actor, row.username
        self.role = role_box(row.role)
        self.add_row("Peran", self.role)

    def run_action(self) -> accounts.UserRow:
        return accounts.set_role(self._ctx, self._actor, self._username, str(self.role.currentData()))


class OwnPasswordDialog(FormDialog):
    """Akun › Ganti kata sandi saya: any person, proving the current password."""

    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Ganti kata sandi saya", f"Kata sandi baru untuk {actor.display_name}.", "Simpan", parent)
        self._ctx, self._actor = ctx, actor
        self.current = password_field()
        self.add_row("Kata sandi sekarang", self.current)
        self.password = password_field()
        self.add_row("Kata sandi baru", self.password)
        self.again = password_field()
        self.add_row("Ulangi kata sandi baru", self.again)

    def run_action(self) -> None:
        accounts.change_own_password(self._ctx, self._actor, self.current.text(), matching(self.password, self.again))
