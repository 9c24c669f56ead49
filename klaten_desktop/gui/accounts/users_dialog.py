"""Pengguna (admin): the accounts of this office with their role and state; add, change role, reset a password,
disable or enable, and the idle-lock minutes. The services refuse what the last admin may not lose."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.accounts.dialogs import AddUserDialog, ResetPasswordDialog, RoleDialog
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.sync.texts import local_datetime
from klaten_desktop.services import accounts
from klaten_desktop.services.context import Actor, ServiceContext

HEADERS = ("Nama pengguna", "Nama lengkap", "Peran", "Status", "Masuk terakhir")


class UsersDialog(QDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pengguna - Klaten Desktop")
        self._ctx, self._actor = ctx, actor
        self.rows: list[accounts.UserRow] = []
        layout = QVBoxLayout(self)
        roles = QLabel(
            "Admin: pengguna, pengaturan kantor, templat, kunci, tarif, pemulihan. Operator: data pengurus, "
            "kepesertaan, iuran, kegiatan, surat, impor/ekspor, sinkronisasi. Pembaca: melihat, mencari, "
            "mencetak laporan."
        )
        roles.setWordWrap(True)
        layout.addWidget(roles)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Tambah pengguna…")
        self.role_button = QPushButton("Ubah &peran…")
        self.reset_button = QPushButton("Ganti &kata sandi…")
        self.active_button = QPushButton("&Nonaktifkan")
        for button in (self.add_button, self.role_button, self.reset_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        lock_row = QHBoxLayout()
        lock_row.addWidget(QLabel("Kunci layar setelah tidak dipakai (menit, 0: tidak pernah):"))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setValue(accounts.idle_lock_minutes(ctx))
        self.idle_minutes.setAccessibleName("Menit sebelum layar dikunci")
        lock_row.addWidget(self.idle_minutes)
        self.save_idle = QPushButton("Simpan")
        lock_row.addWidget(self.save_idle)
        lock_row.addStretch(1)
        layout.addLayout(lock_row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Tutup")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.save_idle.clicked.connect(self.save_idle_minutes)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(820, 420)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.rows = accounts.list_users(self._ctx, self._actor)
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            last = local_datetime(row.last_login_at) if row.last_login_at else "belum pernah"
            state = "aktif" if row.active else "nonaktif"
            for j, text in enumerate((row.username, row.display_name, row.role_label, state, last)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        names = [r.username for r in self.rows]
        self.table.selectRow(names.index(select) if select in names else 0)
        self._update_buttons()

    def selected(self) -> accounts.UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.role_button, self.reset_button, self.active_button):
            button.setEnabled(row is not None)
        self.active_button.setText("&Aktifkan" if row is not None and not row.active else "&Nonaktifkan")

    def add_user(self) -> None:
        dialog = AddUserDialog(self._ctx, self._actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.result_value.username)

    def change_role(self) -> None:
        row = self.selected()
        if row is not None and RoleDialog(self._ctx, self._actor, row, self).exec() == QDialog.DialogCode.Accepted:
            self.reload(row.username)

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None:
            ResetPasswordDialog(self._ctx, self._actor, row.username, self).exec()
            self.reload(row.username)

    @shows_failures
    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            accounts.set_active(self._ctx, self._actor, row.username, not row.active)
            self.reload(row.username)

    def save_idle_minutes(self) -> None:
        with shown(self):
            accounts.set_idle_lock_minutes(self._ctx, self._actor, self.idle_minutes.value())
