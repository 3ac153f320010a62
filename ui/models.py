"""Table models of the desktop app: rows (dicts) from the store, shown by Qt views.

The models never query the store themselves; the window hands them the rows with ``set_rows``.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from nämndtool import labels
from nämndtool.ui.widgets import long_date

ROW_ROLE = Qt.ItemDataRole.UserRole
"""The whole row (the store's dict) behind a cell."""

SECRET_ROLE = Qt.ItemDataRole.UserRole + 1
"""True when the row is covered by sekretess."""

# DejaVu Sans has no lock symbol (U+1F512), so secret rows are marked with this word instead.
SECRET_MARK = "SEKRETESS"
SECRET_BACKGROUND = QColor("#fbe4e4")
SECRET_FOREGROUND = QColor("#8b1d1d")
MUTED_FOREGROUND = QColor("#6b6b6b")
UNNUMBERED = "(utan nummer)"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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
            return labels.sekretess(1, row.get("sekretess_lagrum"))
        return None


def _text(key: str) -> Callable[[dict], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


class MeetingsModel(RowTableModel):
    """Sammanträden as ``store.meetings()`` gives them: coming ones first, held ones after them in a softer colour."""

    COLUMNS = (
        Column("Datum", _text("datum")),
        Column("Tid", _text("tid")),
        Column("Organ", _text("organ")),
        Column("Plats", _text("plats")),
        Column("Punkter", _text("antal_punkter"), _RIGHT),
        Column("Status", lambda m: labels.MEETING_STATUS.get(m["status"], m["status"] or "")),
    )

    def __init__(self, rows: list[dict] | None = None, parent=None, today: Callable[[], str] | None = None):
        super().__init__(rows, parent)
        self._today = today or (lambda: dt.date.today().isoformat())

    def is_held(self, row: int) -> bool:
        """True for a meeting whose date has passed."""
        return (self._rows[row].get("datum") or "") < self._today()

    def row_of(self, meeting_id: int | None) -> int | None:
        return next((i for i, m in enumerate(self._rows) if m["id"] == meeting_id), None)

    def update_row(self, row: int, meeting: dict) -> None:
        """One meeting read again (its number of items after an agenda change), keeping the selection."""
        self._rows[row] = meeting
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < len(self._rows):
            if role == Qt.ItemDataRole.ForegroundRole and self.is_held(index.row()):
                return MUTED_FOREGROUND
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
                return long_date(self._rows[index.row()]["datum"])
        return super().data(index, role)


def agenda_beteckning(item: dict) -> str:
    """The diary number of an agenda item, with the secret marker on secret items."""
    number = item.get("diarienummer") or ""
    if item.get("sekretess"):
        return f"{number}  {SECRET_MARK}" if number else SECRET_MARK
    return number


def diary_number(arende: dict) -> str:
    return arende.get("diarienummer") or UNNUMBERED


def diary_sekretess(arende: dict) -> str:
    return labels.sekretess(1, arende.get("sekretess_lagrum")) if arende.get("sekretess") else ""


class DiaryModel(RowTableModel):
    """Ärenden of the diary as ``store.list_arenden()`` gives them."""

    COLUMNS = (
        Column("Diarienummer", diary_number),
        Column("Rubrik", _text("rubrik")),
        Column("Status", lambda a: labels.STATUS.get(a["status"], a["status"] or "")),
        Column("Handläggare", _text("handlaggare")),
        Column("Sekretess", diary_sekretess, emphasis=True),
    )

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        unnumbered = (
            index.isValid() and index.column() == 0 and not self.row_at(index.row()).get("diarienummer")
        )
        if unnumbered and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if unnumbered and role == Qt.ItemDataRole.ForegroundRole and not self.row_at(index.row()).get("sekretess"):
            return MUTED_FOREGROUND
        return super().data(index, role)
