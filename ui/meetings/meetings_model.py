"""The list of meetings in the Sammanträden view."""

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from nämndtool import labels
from nämndtool.ui.common.table_models import MUTED_FOREGROUND, Column, RowTableModel, text_of
from nämndtool.ui.common.widgets import long_date

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class MeetingsModel(RowTableModel):
    """Sammanträden as ``store.meetings()`` gives them: coming ones first, held ones after them in a softer colour."""

    COLUMNS = (
        Column("Datum", text_of("datum")),
        Column("Tid", text_of("tid")),
        Column("Organ", text_of("organ")),
        Column("Plats", text_of("plats")),
        Column("Punkter", text_of("antal_punkter"), _RIGHT),
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
