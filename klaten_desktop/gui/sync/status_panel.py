"""The regency's console per kecamatan: who sent what and when, what needs a look (the state is
``regency_presenter.StatusPresenter``)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from klaten_desktop.domain.formatting import format_number, format_percent
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.sync.common import banner, set_banner, table_view
from klaten_desktop.gui.sync.regency_presenter import StatusPresenter
from klaten_desktop.gui.sync.texts import counts_text, counts_total, local_datetime, sender_date
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.sync import status
from klaten_desktop.services.sync.status import DuplicateNik, KecamatanStatus


def _days(k: KecamatanStatus) -> str:
    if k.days_since_import is None:
        return "belum pernah"
    return format_number(max(0, k.days_since_import))  # negative: this PC's clock is behind


def _flags(k: KecamatanStatus) -> str:
    notes = []
    if k.gaps:
        notes.append("paket hilang: no. " + ", ".join(str(g) for g in k.gaps))
    if len(k.installs) > 1:
        notes.append(f"{len(k.installs)} PC/instalasi mengirim paket")
    if k.open_conflicts:
        notes.append(f"{format_number(k.open_conflicts)} konflik")
    if k.waiting_rows:
        notes.append(f"{format_number(k.waiting_rows)} baris menunggu")
    return "; ".join(notes)


def console_columns() -> list[Column[KecamatanStatus]]:
    return [
        Column("Kode", lambda k: k.office_code),
        Column("Kecamatan", lambda k: k.nama),
        Column("Paket terakhir", lambda k: "—" if k.last_sequence is None else f"no. {k.last_sequence}"),
        Column("Dibuat (PC kecamatan)", lambda k: sender_date(k.last_created_at)),
        Column("Diterima", lambda k: local_datetime(k.last_imported_at)),
        Column("Hari sejak paket", _days, numeric=True),
        Column("Versi aplikasi", lambda k: k.app_version or ""),
        Column(
            "Baris paket",
            lambda k: counts_total(k.last_counts) if k.last_sequence is not None else "",
            numeric=True,
            tooltip=lambda k: counts_text(k.last_counts, sep="\n") if k.last_sequence is not None else "",
        ),
        Column("Wajib terlindungi", lambda k: format_number(k.officials_serving), numeric=True),
        Column("Aktif", lambda k: format_number(k.officials_aktif), numeric=True),
        Column("Cakupan", lambda k: format_percent(k.coverage_percent) if k.officials_serving else "—", numeric=True),
        Column("Log audit terakhir", _audit_head, tooltip=lambda k: (k.audit_head or {}).get("hash", "")),
        Column("Perhatian", _flags, tooltip=_flags),
    ]


def _audit_head(k: KecamatanStatus) -> str:
    """The kecamatan's audit chain head its last package carried: "entri #1234 · 3f9a21c0"."""
    if not k.audit_head:
        return "—"
    return f"entri #{format_number(k.audit_head['id'])} · {str(k.audit_head['hash'])[:8]}"


DUPLICATE_COLUMNS: list[Column[DuplicateNik]] = [
    Column("NIK", lambda d: d.nik_masked),
    Column("Kecamatan", lambda d: ", ".join(d.offices)),
    Column("Nama", lambda d: ", ".join(dict.fromkeys(d.names))),
]


class ConsolePanel(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = StatusPresenter(ctx)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setSuffix(" hari")
        self.days.setValue(self.presenter.default_days())
        self.days.valueChanged.connect(lambda _v: self.refresh())
        days_label = QLabel("Tandai kecamatan tanpa paket &selama")
        days_label.setBuddy(self.days)
        top = QHBoxLayout()
        top.addWidget(days_label)
        top.addWidget(self.days)
        top.addStretch(1)
        self.summary = banner("info")
        self.model: RecordsTableModel[KecamatanStatus] = RecordsTableModel(
            console_columns(), highlight=self.highlight, parent=self
        )
        self.view = table_view(self.model, [70, 120, 95, 145, 165, 110, 90, 80, 125, 105, 70])
        self.duplicates_model: RecordsTableModel[DuplicateNik] = RecordsTableModel(DUPLICATE_COLUMNS, parent=self)
        self.duplicates_box = QGroupBox("NIK yang sama di dua kecamatan (periksa dengan kedua kecamatan)")
        dup_layout = QVBoxLayout(self.duplicates_box)
        dup_layout.addWidget(table_view(self.duplicates_model, [180, 200]))
        self.duplicates_box.setMaximumHeight(170)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.duplicates_box)

    def highlight(self, k: KecamatanStatus) -> str | None:
        """The row's colour for the days chosen above the table."""
        return self.presenter.highlight(k, self.days.value())

    @property
    def console(self) -> status.Console | None:
        return self.presenter.console

    @shows_failures
    def refresh(self) -> None:
        console = self.presenter.load(self.days.value())
        self.model.set_rows(console.kecamatan)
        self.duplicates_model.set_rows(console.duplicate_niks)
        self.duplicates_box.setVisible(bool(console.duplicate_niks))
        summary = self.presenter.summary()
        self.summary.setText(summary.text)
        set_banner(self.summary, summary.kind)
