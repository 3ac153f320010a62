"""Sammanträden: the list of meetings (coming first) and the agenda of the selected one."""

from typing import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from nämndtool import labels
from nämndtool.ui.models import AgendaModel, MeetingsModel
from nämndtool.ui.widgets import count_text, fit_columns, long_date, muted, page_title, table_view


class MeetingsPage(QWidget):
    """The meetings, and the agenda of the selected one below them."""

    counts_changed = Signal(str)

    def __init__(self, load: Callable, parent=None):
        super().__init__(parent)
        self._load = load
        self.meetings_model = MeetingsModel(parent=self)
        self.agenda_model = AgendaModel(parent=self)
        self.meetings_view = table_view(self.meetings_model)
        self.agenda_view = table_view(self.agenda_model)
        fit_columns(self.meetings_view, stretch=5)
        fit_columns(self.agenda_view, stretch=1)
        self.agenda_title = QLabel("Dagordning")
        bold = self.agenda_title.font()
        bold.setBold(True)
        self.agenda_title.setFont(bold)
        self.agenda_info = muted()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.meetings_view)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 8, 0, 0)
        bottom_layout.addWidget(self.agenda_title)
        bottom_layout.addWidget(self.agenda_info)
        bottom_layout.addWidget(self.agenda_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Sammanträden"))
        layout.addWidget(self.splitter)
        self.meetings_view.selectionModel().selectionChanged.connect(self._on_selection)

    def reload(self) -> None:
        """Read the meetings again, keeping the selected one when it is still there."""
        selected = self.selected_meeting()
        meetings = self._load(lambda store: store.meetings(), [])
        self.meetings_model.set_rows(meetings)
        ids = [m["id"] for m in meetings]
        if ids:
            self.meetings_view.selectRow(ids.index(selected["id"]) if selected and selected["id"] in ids else 0)
        self._show_agenda(self.selected_meeting())

    def selected_meeting(self) -> dict | None:
        rows = self.meetings_view.selectionModel().selectedRows()
        return self.meetings_model.row_at(rows[0].row()) if rows else None

    def counts(self) -> str:
        text = count_text(self.meetings_model.rowCount(), "sammanträde", "sammanträden")
        if self.selected_meeting():
            text += " · dagordningen har " + count_text(self.agenda_model.rowCount(), "punkt", "punkter")
        return text

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_agenda(self.selected_meeting())

    def _show_agenda(self, meeting: dict | None) -> None:
        if meeting is None:
            self.agenda_model.set_rows([])
            self.agenda_title.setText("Dagordning")
            self.agenda_info.setText(
                "Välj ett sammanträde i listan för att se dess dagordning."
                if self.meetings_model.rowCount()
                else "Det finns inga sammanträden i registret ännu."
            )
        else:
            self.agenda_model.set_rows(self._load(lambda store: store.agenda(meeting["id"]), []))
            self.agenda_title.setText(f"Dagordning – {meeting['organ']} {long_date(meeting['datum'])}")
            self.agenda_info.setText(self._meeting_details(meeting))
        self.counts_changed.emit(self.counts())

    @staticmethod
    def _meeting_details(meeting: dict) -> str:
        parts = []
        when = f"Kl. {meeting['tid']}" if meeting.get("tid") else ""
        place = meeting.get("plats") or ""
        parts.append(", ".join(p for p in (when, place) if p))
        if meeting.get("ordforande"):
            party = f" ({meeting['ordforande_parti']})" if meeting.get("ordforande_parti") else ""
            parts.append(f"Ordförande: {meeting['ordforande']}{party}")
        parts.append(f"Status: {labels.MEETING_STATUS.get(meeting['status'], meeting['status'])}")
        return " · ".join(p for p in parts if p)


