"""The checkable list of officials a letter is made for (who is eligible depends on the kind)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.services.letters.drafting import DESA_FUNDED
from klaten_desktop.services.letters.payload import Subject

COLUMNS = ("Nama", "Jabatan", "RT/RW", "Desa", "Kepesertaan")


def status_text(s: Subject) -> str:
    if s.enrollment_id is None:
        return "Belum diajukan"
    if not s.nomor_kpj:
        return "Diajukan, belum ada surat pengantar" if s.needs_pengantar() else "Diajukan"
    return f"Terdaftar ({s.funding_source or 'sumber dana belum diisi'})"


def eligible(kind: str, s: Subject) -> bool:
    """Whether the service makes a letter of ``kind`` for this official (staff-defined kinds: everyone)."""
    if kind == "pengantar":
        return s.needs_pengantar()
    if kind == "keterangan":
        return bool(s.nomor_kpj)
    if kind == "iuran":
        return bool(s.nomor_kpj and s.registered_on and s.funding_source in DESA_FUNDED)
    return True


def _jabatan(s: Subject) -> str:
    try:
        return Jabatan(s.jabatan).label
    except ValueError:
        return s.jabatan_lain or s.jabatan


def _rt_rw(s: Subject) -> str:
    return f"{s.rt or 0:03d}/{s.rw or 0:03d}" if s.rt is not None or s.rw is not None else "—"


class SubjectsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Subject] = []
        self._eligible: list[bool] = []
        self._checked: list[bool] = []

    def set_rows(self, kind: str, rows: Sequence[Subject]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._eligible = [eligible(kind, s) for s in self._rows]
        self._checked = list(self._eligible)
        self.endResetModel()

    def set_all(self, checked: bool) -> None:
        self._checked = [checked and ok for ok in self._eligible]
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, 0), [Qt.ItemDataRole.CheckStateRole]
            )

    def checked_ids(self) -> list[str]:
        return [s.id for s, on in zip(self._rows, self._checked, strict=True) if on]

    def subject_at(self, row: int) -> Subject:
        return self._rows[row]

    def eligible_count(self) -> int:
        return sum(self._eligible)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self._eligible[index.row()]:
            return Qt.ItemFlag.ItemIsSelectable
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(COLUMNS):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.nama, _jabatan(s), _rt_rw(s), s.desa_nama.title(), status_text(s))[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if self._checked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and not self._eligible[index.row()]:
            return "Tidak termasuk surat jenis ini (lihat kolom Kepesertaan)."
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        if not self._eligible[index.row()]:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        self._checked[index.row()] = state == Qt.CheckState.Checked.value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None
