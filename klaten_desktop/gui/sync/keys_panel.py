"""This office's public identity and the offices it trusts: export our key file, import another office's after
comparing its fingerprint (read out over the phone)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.sync.common import KEY_FILTER, table_view
from klaten_desktop.services import identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.sync import keys
from klaten_desktop.services.sync.keys import PeerData

ROLE_LABELS = {"kecamatan": "Kecamatan", "kabupaten": "Kabupaten"}
FINGERPRINT_STYLE = "font-family: Consolas, 'DejaVu Sans Mono', monospace; font-size: 14px; font-weight: 600;"

PEER_COLUMNS: list[Column[PeerData]] = [
    Column("Kode", lambda p: p.office_code),
    Column("Kantor", lambda p: p.name),
    Column("Peran", lambda p: ROLE_LABELS.get(p.role, p.role)),
    Column("Sidik jari", lambda p: p.fingerprint),
    Column("ID instalasi", lambda p: p.install_id[:8], tooltip=lambda p: p.install_id),
]


def _selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class KeysPanel(QWidget):
    trusted_changed = Signal()

    def __init__(self, ctx: ServiceContext, actor: Actor, *, regency: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._regency = regency
        self.office_name = _selectable()
        self.office_code = _selectable()
        self.install = _selectable()
        self.fingerprint = _selectable()
        self.fingerprint.setStyleSheet(FINGERPRINT_STYLE)
        mine = QGroupBox("Kantor ini")
        form = QFormLayout(mine)
        form.addRow("Nama kantor:", self.office_name)
        form.addRow("Kode:", self.office_code)
        form.addRow("ID instalasi:", self.install)
        form.addRow("Sidik jari kunci:", self.fingerprint)

        self.export_action = add_action(self, "&Ekspor kunci publik…", self.export_key)
        other = "kecamatan" if regency else "kabupaten"
        self.import_action = add_action(self, f"&Impor kunci {other}…", self.import_key)
        buttons = QHBoxLayout()
        buttons.addWidget(button_for(self.export_action))
        buttons.addWidget(button_for(self.import_action))
        buttons.addStretch(1)
        hint = QLabel(
            "Berikan berkas kunci publik kantor ini kepada "
            + ("setiap kecamatan" if regency else "kantor kabupaten")
            + " (berkas ini tidak rahasia). Sebelum memercayai kunci kantor lain, cocokkan sidik jarinya "
            "dengan yang dibacakan petugas kantor itu lewat telepon."
        )
        hint.setWordWrap(True)

        self.peers_model: RecordsTableModel[PeerData] = RecordsTableModel(PEER_COLUMNS, parent=self)
        self.peers_view = table_view(self.peers_model, [90, 230, 100, 420])
        peers = QGroupBox("Kantor yang dipercaya" if regency else "Kunci kabupaten yang dipercaya")
        peers_layout = QVBoxLayout(peers)
        self.no_peers = QLabel()
        self.no_peers.setWordWrap(True)
        peers_layout.addWidget(self.no_peers)
        peers_layout.addWidget(self.peers_view)

        layout = QVBoxLayout(self)
        layout.addWidget(mine)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(peers, 1)

    @shows_failures
    def refresh(self) -> None:
        me = identity.public_identity(self._ctx)
        peers = keys.trusted_peers(self._ctx)
        self.office_name.setText(me.name)
        self.office_code.setText(me.office_code)
        self.install.setText(me.install_id)
        self.fingerprint.setText(me.fingerprint)
        self.peers_model.set_rows(peers)
        self.peers_view.setVisible(bool(peers))
        self.no_peers.setVisible(not peers)
        self.no_peers.setText(
            "Belum ada kunci kecamatan yang dipercaya. Impor berkas kunci dari setiap kecamatan."
            if self._regency
            else "Kunci kabupaten belum diimpor: paket sinkronisasi belum dapat dibuat."
        )

    @shows_failures
    def export_key(self) -> None:
        me = identity.public_identity(self._ctx)
        suggested = Path.home() / f"kunci-{me.office_code}.json"
        path = messages.ask_save_path(self, "Simpan berkas kunci publik", KEY_FILTER, suggested)
        if path is None:
            return
        peer = keys.export_identity(self._ctx, path)
        messages.info(
            self,
            f"Berkas kunci {peer.name} disimpan ke {path.name}.\n\nSidik jari:\n{peer.fingerprint}\n\n"
            "Bacakan sidik jari ini lewat telepon kepada kantor yang mengimpor berkas ini.",
        )

    @shows_failures
    def import_key(self) -> None:
        path = messages.ask_open_path(self, "Pilih berkas kunci", KEY_FILTER)
        if path is None:
            return
        found = keys.read_identity(self._ctx, path)
        peer = found.peer
        text = (
            f"Kantor: {peer.name} ({peer.office_code})\n\nSidik jari:\n{peer.fingerprint}\n\n"
            "Minta petugas kantor itu membacakan sidik jari kuncinya lewat telepon. "
            "Percayai kunci ini hanya jika keduanya sama persis."
        )
        for old in found.replaces:
            text += f"\n\nKunci ini menggantikan kunci lama {old.name} (sidik jari {old.fingerprint})."
        if found.already_trusted:
            text += "\n\nKunci ini sudah dipercaya sebelumnya."
        if not messages.confirm(self, text, title="Cocokkan sidik jari", yes="Sama, percayai", no="Batal"):
            return
        keys.trust(self._ctx, self._actor, found)
        self.refresh()
        self.trusted_changed.emit()
        messages.info(self, f"Kunci {peer.name} ({peer.office_code}) sekarang dipercaya.")
