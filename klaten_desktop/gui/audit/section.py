"""The "Audit" section: who did what and when, filtered by user, action, date range and official, exported to
Excel for an auditor (the table's own export, Ctrl+Shift+X, recorded in the trail like every export); the
retention of old details (``audit.retensi_tahun``) and its purge, an audited admin action; a check of the hash
chain on request (docs/audit.md). Its own section in the navigation, not a Pengaturan tab: the Kantor tab leaves
no mnemonic letter for another tab.

Enter in a filter field shows the entries.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.permits import permit
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.common import assign_mnemonics, hint_label
from klaten_desktop.gui.sync.texts import local_datetime
from klaten_desktop.services import audit, audit_chain, settings
from klaten_desktop.services.access import Permission, allowed
from klaten_desktop.services.audit import AuditFilter, AuditRow

LIMIT = 5_000  # entries shown at once (the newest); narrow the filters for older ones
ANY = "Semua"


def _values(row: AuditRow) -> str:
    """The old and new values as stored (personal data already masked; the tables' English keys named in
    Indonesian), or the purge's note."""
    if row.old_values is None and row.new_values is None and row.summary is None:
        return "(rincian dihapus karena masa simpan)"
    parts = []
    if row.old_values:
        parts.append(f"lama {audit.readable_values(row.old_values)}")
    if row.new_values:
        parts.append(f"baru {audit.readable_values(row.new_values)}")
    return "; ".join(parts)


COLUMNS: list[Column[AuditRow]] = [
    Column("No.", lambda r: str(r.id), numeric=True),
    Column("Waktu", lambda r: local_datetime(r.at)),
    Column("Pengguna", lambda r: r.actor),
    Column("Tindakan", lambda r: r.action_label),
    Column(
        "Data",
        lambda r: r.entity_label + (f" {r.entity_id[:8]}" if r.entity_id else ""),
        tooltip=lambda r: r.entity_id or "",
    ),
    Column("Keterangan", lambda r: r.summary or ""),
    Column("Nilai", _values, tooltip=_values),
]


class AuditSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = self._ctx = session.ctx
        self._actor = session.actor
        today = ctx.today()
        self.user = search_names(QComboBox())  # typing a name (or "Semua") selects it
        self.user.setAccessibleName("Pengguna")
        self.action = search_names(QComboBox())
        self.action.setAccessibleName("Tindakan")
        self.since = DateField(today=today, show_problem=False)
        self.until = DateField(today=today, show_problem=False)
        self.official = QLineEdit()
        self.official.setPlaceholderText("NIK lengkap atau sebagian nama")
        self.official.setAccessibleName("Pengurus")
        self.show_button = QPushButton("Tampilkan")
        self.show_button.clicked.connect(self.apply_filters)
        self.count = QLabel()
        self.model: RecordsTableModel[AuditRow] = RecordsTableModel(COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Log audit")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.years = QSpinBox()
        self.years.setRange(1, 50)
        self.years.setSuffix(" tahun")
        self.years.setAccessibleName("Masa simpan rincian")
        self.save_button = QPushButton("Simpan masa simpan")
        self.save_button.clicked.connect(self.save)
        self.purge_button = QPushButton("Hapus rincian lama…")
        self.purge_button.clicked.connect(self.purge)
        self.verify_button = QPushButton("Periksa rantai")
        self.verify_button.clicked.connect(self.verify)
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        labels = [QLabel(t) for t in ("Pengguna", "Tindakan", "Dari tanggal", "Sampai tanggal", "Pengurus")]
        fields = [self.user, self.action, self.since, self.until, self.official]
        for label, field in zip(labels, fields, strict=True):
            label.setBuddy(field)
        keep = QLabel("Simpan rincian selama")
        keep.setBuddy(self.years)
        permit(session.actor, Permission.office_settings, self.save_button, self.purge_button)
        self.years.setReadOnly(not allowed(session.actor, Permission.office_settings))
        buttons = [self.show_button, self.save_button, self.purge_button, self.verify_button]
        assign_mnemonics([*labels, keep, *buttons], set())
        self._layout(labels, fields, keep)

    def _layout(self, labels: list[QLabel], fields: list[QWidget], keep: QLabel) -> None:
        grid = QGridLayout()
        for n, (label, field) in enumerate(zip(labels, fields, strict=True)):
            grid.addWidget(label, n // 3 * 2, n % 3)
            grid.addWidget(field, n // 3 * 2 + 1, n % 3)
        grid.addWidget(self.show_button, 3, 2)
        retention = QHBoxLayout()
        retention.addWidget(keep)
        retention.addWidget(self.years)
        retention.addWidget(self.save_button)
        retention.addWidget(self.purge_button)
        retention.addStretch(1)
        retention.addWidget(self.chain, 2)
        retention.addWidget(self.verify_button)
        title = QLabel("Audit")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addWidget(
            hint_label(
                "Setiap perubahan, impor, ekspor, surat, sinkronisasi dan masuk aplikasi tercatat dengan pengguna dan "
                "waktunya. NIK, tanggal lahir dan telepon disamarkan. Ekspor tabel untuk pemeriksa: Ctrl+Shift+X."
            )
        )
        layout.addLayout(grid)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(retention)

    # ------------------------------------------------------------------------------ Section

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not event.modifiers() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply_filters()
            return
        super().keyPressEvent(event)

    def focus_search(self) -> None:
        self.official.setFocus()
        self.official.selectAll()

    def refresh(self) -> None:
        with shown(self):
            actors, actions = audit.choices(self._ctx)
            self._fill(self.user, [(a, a) for a in actors])
            labels = sorted(((audit.ACTION_LABELS.get(a, a), a) for a in actions), key=lambda p: p[0].casefold())
            self._fill(self.action, labels)
            self.years.setValue(int(settings.get(self._ctx, audit_chain.RETENTION_KEY)))
            self.apply_filters()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.clear()
        combo.addItem(ANY, None)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)

    def save(self) -> bool:
        self.years.interpretText()
        value = self.years.value()
        with shown(self) as failed:
            if settings.get(self._ctx, audit_chain.RETENTION_KEY) != value:
                settings.put(self._ctx, self._actor, audit_chain.RETENTION_KEY, value)
        if failed:
            return False
        messages.info(self, f"Masa simpan rincian log audit disimpan: {value} tahun.")
        return True

    # ------------------------------------------------------------------------------ actions

    def current_filter(self) -> AuditFilter:
        self.since.commit()
        self.until.commit()
        return AuditFilter(
            actor=self.user.currentData(),
            action=self.action.currentData(),
            since=self.since.value(),
            until=self.until.value(),
            official=self.official.text().strip() or None,
        )

    def apply_filters(self) -> None:
        where = self.current_filter()
        if where.since is not None and where.until is not None and where.until < where.since:
            self.count.setText("Tanggal akhir sebelum tanggal awal; tidak ada entri.")
            self.model.set_rows([])
            return
        with shown(self):
            rows = audit.recent(self._ctx, limit=LIMIT, where=where)
            self.model.set_rows(rows)
            more = " (yang terbaru; persempit saringan untuk yang lebih lama)" if len(rows) == LIMIT else ""
            self.count.setText(f"{format_number(len(rows))} entri{more}")
            self.table.resizeColumnsToContents()
            for column in (4, 5):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))

    def purge(self) -> None:
        years = self.years.value()
        if not messages.confirm(
            self,
            f"Hapus nilai lama/baru dan keterangan entri log audit yang lebih tua dari {years} tahun? Entri dan "
            "rantainya tetap ada; tindakan ini tercatat.",
            yes="Hapus rincian",
        ):
            return
        with shown(self) as failed:
            if settings.get(self._ctx, audit_chain.RETENTION_KEY) != years:
                settings.put(self._ctx, self._actor, audit_chain.RETENTION_KEY, years)
            purged = audit_chain.purge(self._ctx, self._actor)
        if failed:
            return
        messages.info(self, f"Rincian {format_number(purged)} entri lama dihapus.")
        self.refresh()

    def verify(self) -> None:
        with shown(self):
            state = audit_chain.verify(self._ctx)
            if state.broken is None:
                self.chain.setText(f"Rantai log audit utuh ({format_number(state.entries)} entri).")
                self.chain.setStyleSheet("")
            else:
                self.chain.setText(state.broken.message)
                self.chain.setStyleSheet("color: #7a1712;")
