"""This office's public identity and the offices it trusts: export our key file, import another office's after
comparing its fingerprint (read out over the phone). The state, the texts and the service calls are
``keys_presenter.py``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.sync.common import KEY_FILTER, table_view
from klaten_desktop.gui.sync.keys_presenter import KeysPresenter
from klaten_desktop.services.context import Actor, ServiceContext
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
        self.presenter = KeysPresenter(ctx, actor, regency=regency)
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
        self.import_action = add_action(self, f"&Impor kunci {self.presenter.other}…", self.import_key)
        buttons = QHBoxLayout()
        buttons.addWidget(button_for(self.export_action))
        buttons.addWidget(button_for(self.import_action))
        buttons.addStretch(1)
        hint = QLabel(self.presenter.hint())
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
        loaded = self.presenter.load()
        me, peers = loaded.me, loaded.peers
        self.office_name.setText(me.name)
        self.office_code.setText(me.office_code)
        self.install.setText(me.install_id)
        self.fingerprint.setText(me.fingerprint)
        self.peers_model.set_rows(peers)
        self.peers_view.setVisible(bool(peers))
        self.no_peers.setVisible(not peers)
        self.no_peers.setText(self.presenter.no_peers_text())

    @shows_failures
    def export_key(self) -> None:
        suggested = self.presenter.suggested_key_path()
        path = messages.ask_save_path(self, "Simpan berkas kunci publik", KEY_FILTER, suggested)
        if path is None:
            return
        messages.info(self, self.presenter.export_key(path))

    @shows_failures
    def import_key(self) -> None:
        path = messages.ask_open_path(self, "Pilih berkas kunci", KEY_FILTER)
        if path is None:
            return
        found = self.presenter.read_key(path)
        text = self.presenter.compare_text(found)
        if not messages.confirm(self, text, title="Cocokkan sidik jari", yes="Sama, percayai", no="Batal"):
            return
        trusted = self.presenter.trust(found)
        self.refresh()
        self.trusted_changed.emit()
        messages.info(self, trusted)
