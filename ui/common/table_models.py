"""Table models of the desktop app: rows (dicts) from the store, shown by Qt views.

The models never query the store themselves; the window hands them the rows with ``set_rows``.
"""

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from nämndtool.secrecy.labels import secrecy_status

ROW_ROLE = Qt.ItemDataRole.UserRole
"""The whole row (the store's dict) behind a cell."""

SECRET_ROLE = Qt.ItemDataRole.UserRole + 1
"""True when the row is covered by sekretess."""

# DejaVu Sans has no lock symbol (U+1F512), so secret rows are marked with this word instead.
SECRET_MARK = "SEKRETESS"
SECRET_BACKGROUND = QColor("#fbe4e4")
SECRET_FOREGROUND = QColor("#8b1d1d")
MUTED_FOREGROUND = QColor("#6b6b6b")
READY_COLOUR = QColor("#1d6b32")
"""Something ready or in order (an agenda item, a protokoll check)."""
MISSING_COLOUR = QColor("#a04000")
"""Something still missing."""
UNNUMBERED = "(utan nummer)"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[dict], str]
    align: Qt.AlignmentFlag = _LEFT
    emphasis: bool = False
    """Bold on secret rows, for the column that carries the secret marker."""


class RowTableModel(QAbstractTableModel):
    """A read-only table of dict rows; subclasses list their columns in ``COLUMNS``."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, rows: list[dict] | None = None, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = list(rows or [])

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> dict:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.COLUMNS[section].align
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], self.COLUMNS[index.column()]
        secret = bool(row.get("sekretess"))
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == ROW_ROLE:
            return row
        if role == SECRET_ROLE:
            return secret
        if role == Qt.ItemDataRole.BackgroundRole and secret:
            return SECRET_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and secret:
            return SECRET_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and secret and column.emphasis:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and secret:
            return secrecy_status(1, row.get("sekretess_lagrum"))
        return None


def text_of(key: str) -> Callable[[dict], str]:
    """A column's text: the row's value under ``key``, empty when there is none."""
    return lambda row: "" if row.get(key) is None else str(row[key])
