"""Where this installation's database lives: the first step "Letak basis data" of the first-run set-up and the tab
"Server basis data" of Pengaturan (gui/settings/database_tab.py; docs/server-mode.md).

"Satu PC" keeps the database file in the data folder (nothing to configure). "Server kantor" points the app at a
PostgreSQL database on a LAN PC or the regency's server: host, port, database, user and password, with "Uji
sambungan" run on a worker. The choice is stored in the data folder, the password in the OS credential store
(``services/server.py``); where no store exists it is asked at each start (:class:`ServerPasswordDialog`).

The step comes before the rest of the wizard (gui/wizard.py) because those pages read the database it chooses: a
second PC pointed at a server the first PC already set up goes straight to the login.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from klaten_desktop import APP_NAME
from klaten_desktop.gui.kit import qt_indonesian
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.gui.kit.tasks import Task, run_task
from klaten_desktop.runtime import credentials
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.server_config import DEFAULT_PORT, ServerSetting
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import server
from klaten_desktop.services.errors import EnvironmentProblem, UserError

LOCAL_TEXT = "&Satu PC (berkas lokal, tanpa pengaturan)"
SERVER_TEXT = "Server &kantor (PostgreSQL)"
OK_COLOR = "#1b6e2d"


def password_note() -> str:
    if credentials.available():
        return f"Kata sandi disimpan oleh {credentials.store_name()} untuk akun komputer ini, tidak di folder data."
    return (
        "Komputer ini tidak memiliki penyimpan kata sandi sistem: kata sandi tidak disimpan dan ditanyakan setiap "
        "kali aplikasi dibuka."
    )


def try_connection(
    _progress: Progress, _cancelled: CancelCheck, setting: ServerSetting, password: str | None
) -> server.Probe | str:
    """The connection test on a worker: what the server holds, or why it cannot be used (shown next to the
    fields, not in a message box)."""
    try:
        return server.probe(setting, password)
    except (UserError, EnvironmentProblem) as exc:
        return exc.message


class ServerForm(QWidget):
    """The choice and the server's fields, with "Uji sambungan"; ``tested`` holds the setting last found usable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.local_radio = QRadioButton(LOCAL_TEXT)
        self.server_radio = QRadioButton(SERVER_TEXT)
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        self.local_radio.setChecked(True)
        self.host = QLineEdit()
        self.host.setPlaceholderText("nama komputer atau alamat IP, mis. 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setMaximumWidth(110)
        self.database = QLineEdit("klaten")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Kata sandi server")
        self.test_button = QPushButton("&Uji sambungan")
        self.test_button.clicked.connect(self.test)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.tested: ServerSetting | None = None
        self.tested_password: str | None = None
        self._task: Task | None = None
        self._then_ok: list[Callable[[], object]] = []
        fields = QFormLayout()
        for text, field in (
            ("&Alamat server:", self.host),
            ("P&ort:", self.port),
            ("Nama &basis data:", self.database),
            ("Nama &pengguna:", self.user),
            ("Kata san&di:", self.password),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            fields.addRow(label, field)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        self.fields_box = QWidget()
        box = QVBoxLayout(self.fields_box)
        box.setContentsMargins(22, 0, 0, 0)
        box.addLayout(fields)
        note = QLabel(password_note())
        note.setWordWrap(True)
        note.setStyleSheet("color: #4a4f57;")
        box.addWidget(note)
        box.addLayout(row)
        box.addWidget(self.status)
        local_hint = QLabel(
            "Untuk satu komputer di kantor kecamatan: basis data berupa berkas di folder data komputer ini."
        )
        server_hint = QLabel(
            "Untuk beberapa PC di satu jaringan, atau server kabupaten: semua PC memakai satu basis data PostgreSQL. "
            "Jangan menaruh berkas basis data di folder jaringan bersama (berkas itu bisa rusak)."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.local_radio, local_hint, self.server_radio, server_hint, self.fields_box):
            if isinstance(widget, QLabel):
                widget.setWordWrap(True)
                widget.setStyleSheet("color: #4a4f57; margin-left: 22px;")
            layout.addWidget(widget)
        self.server_radio.toggled.connect(self._on_mode)
        for line in (self.host, self.database, self.user, self.password):
            line.textChanged.connect(self._on_edited)
        self.port.valueChanged.connect(self._on_edited)
        self._on_mode()

    def use_server(self) -> bool:
        return self.server_radio.isChecked()

    def setting(self) -> ServerSetting:
        return ServerSetting(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
        )

    def show_setting(self, setting: ServerSetting | None) -> None:
        """Fill the form with the stored choice (the password is never shown)."""
        if setting is None:
            self.local_radio.setChecked(True)
            return
        self.server_radio.setChecked(True)
        self.host.setText(setting.host)
        self.port.setValue(setting.port)
        self.database.setText(setting.database)
        self.user.setText(setting.user)
        self.password.clear()

    def is_tested(self) -> bool:
        """True when the fields as they are now connected in the last test."""
        return self.tested == self.setting() and self.tested_password == self.password.text()

    def busy(self) -> bool:
        return self._task is not None

    def _on_mode(self) -> None:
        self.fields_box.setEnabled(self.server_radio.isChecked())

    def _on_edited(self) -> None:
        if self.tested is not None and not self.is_tested():
            self._say("", OK_COLOR)

    def _say(self, text: str, color: str) -> None:
        self.status.setStyleSheet(f"color: {color};")
        self.status.setText(text)

    def test(self, *, then: Callable[[], object] | None = None) -> None:
        """Try the fields on a worker; ``then`` (a callable) runs once they connected."""
        if self._task is not None:
            return
        setting = self.setting()
        problem = setting.problem()
        if problem is not None:
            self._say(problem, ERROR_COLOR)
            return
        password = self.password.text()
        self._then_ok = [then] if then is not None else []
        self._say("Menyambung ke server…", "#4a4f57")
        self.test_button.setEnabled(False)
        self._task = run_task(
            self,
            f"Menguji sambungan ke {setting.label}…",
            try_connection,
            setting,
            password or None,
            on_done=lambda result: self._on_tested(setting, password, result),
            on_end=self._on_test_end,
            cancellable=False,
        )

    def _on_tested(self, setting: ServerSetting, password: str, result: object) -> None:
        if isinstance(result, str):
            self._say(result, ERROR_COLOR)
            return
        assert isinstance(result, server.Probe)
        self.tested, self.tested_password = setting, password
        if result.other_tables:
            self.tested = None  # a database of something else is never used
            self._say(result.summary(setting.label) + " Pilih basis data lain.", ERROR_COLOR)
            return
        self._say(result.summary(setting.label), OK_COLOR)
        for then in self._then_ok:
            then()

    def _on_test_end(self) -> None:
        self._task = None
        self.test_button.setEnabled(True)
        if not self.status.text() or self.status.text() == "Menyambung ke server…":
            self._say("Sambungan gagal; lihat pesan. Periksa isian lalu uji lagi.", ERROR_COLOR)

    def task(self) -> Task | None:
        return self._task

    def remember(self, paths: AppPaths) -> bool:
        """Store the choice (the tested fields, or the file); True when the password is kept by the OS store."""
        if not self.use_server():
            server.remember(paths, None, None)
            return False
        assert self.is_tested()
        return server.remember(paths, self.setting(), self.password.text() or None)


class DatabasePage(QWizardPage):
    """The wizard's first step. With "Server kantor" Lanjut tests the fields first (unless just tested)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Letak basis data")
        self.setSubTitle("Pilih di mana data kantor disimpan. Dapat diubah kemudian di Pengaturan › Server basis data.")
        self.form = ServerForm()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def validatePage(self) -> bool:
        if not self.form.use_server() or self.form.is_tested():
            return True
        wizard = self.wizard()
        self.form.test(then=wizard.accept if wizard.currentPage() is self and wizard.nextId() == -1 else wizard.next)
        return False


class DatabaseWizard(QWizard):
    """The first step of the first-run set-up (before the database opens); the office's pages follow in
    :class:`klaten_desktop.gui.wizard.SetupWizard` once the chosen database is open."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self.setWindowTitle(f"{APP_NAME} — pengaturan awal")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        qt_indonesian.wizard_buttons(self)
        # its only page leads on to the office's pages (SetupWizard), so its finish reads as the next step
        self.setButtonText(
            QWizard.WizardButton.FinishButton, qt_indonesian.WIZARD_BUTTONS[QWizard.WizardButton.NextButton]
        )
        self.database_page = DatabasePage()
        self.addPage(self.database_page)
        self.resize(760, 520)
        self.kept_in_store = False
        self.typed_password: str | None = None  # for this start only (where no store keeps it)

    def accept(self) -> None:
        if not self.database_page.validatePage():
            return  # tested first; accept() again once connected
        form = self.database_page.form
        self.kept_in_store = form.remember(self._paths)
        self.typed_password = (form.password.text() or None) if form.use_server() else None
        super().accept()


@dataclass(frozen=True)
class DatabaseChoice:
    """The step's answer: the choice is stored; ``password`` is what was typed, for opening the server now."""

    password: str | None


def choose_database(paths: AppPaths) -> DatabaseChoice | None:
    """The first start's question; None when the person cancelled (the app then closes, nothing stored)."""
    wizard = DatabaseWizard(paths)
    if not wizard.exec():
        return None
    return DatabaseChoice(wizard.typed_password)


class ServerPasswordDialog(FormDialog):
    """The server's password at start when none is kept (no OS credential store) or the kept one was refused."""

    def __init__(self, setting: ServerSetting, problem: str | None = None, parent: QWidget | None = None) -> None:
        intro = f"Basis data kantor ada di server {setting.label} (pengguna {setting.user}). Ketik kata sandinya. " + (
            "" if credentials.available() else "Komputer ini tidak menyimpan kata sandi, jadi selalu ditanyakan."
        )
        super().__init__("Kata sandi server basis data", intro, "&Sambungkan", parent)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Kata sandi server")
        self.add_row("&Kata sandi", self.password)
        if problem:
            self.show_error(problem)

    def run_action(self) -> str:
        return self.password.text()


def ask_password(setting: ServerSetting, problem: str | None) -> str | None:
    """``services.server.AskPassword`` for the GUI's start."""
    dialog = ServerPasswordDialog(setting, problem)
    if not dialog.exec():
        return None
    return dialog.password.text()
