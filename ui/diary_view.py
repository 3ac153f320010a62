"""Diarium: the case register with search-as-you-type."""

from typing import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from nämndtool.ui.models import DiaryModel
from nämndtool.ui.widgets import count_text, fit_columns, muted, page_title, table_view

SEARCH_DELAY_MS = 250
"""How long the diary waits after the last keystroke before it searches."""


class DiaryPage(QWidget):
    """The diary with a search field that filters as the user types."""

    counts_changed = Signal(str)

    def __init__(self, load: Callable, parent=None):
        super().__init__(parent)
        self._load = load
        self.model = DiaryModel(parent=self)
        self.view = table_view(self.model)
        fit_columns(self.view, stretch=1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök diarienummer eller rubrik …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i diariet")
        self.search.setMinimumWidth(360)
        self.result = muted()
        self.result.setWordWrap(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.reload)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search)
        search_row.addSpacing(12)
        search_row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Diarium"))
        layout.addLayout(search_row)
        layout.addWidget(self.view)

    def search_text(self) -> str:
        return self.search.text().strip()

    def reload(self) -> None:
        self._timer.stop()
        text = self.search_text()
        self.model.set_rows(self._load(lambda store: store.list_arenden(search=text or None), []))
        n = self.model.rowCount()
        if text and not n:
            self.result.setText(f"Inga ärenden matchar ”{text}”.")
        elif text:
            self.result.setText(f"{count_text(n, 'ärende', 'ärenden')} matchar ”{text}”.")
        else:
            self.result.setText(f"{count_text(n, 'ärende', 'ärenden')} i diariet.")
        self.counts_changed.emit(self.counts())

    def counts(self) -> str:
        return count_text(self.model.rowCount(), "ärende", "ärenden")


