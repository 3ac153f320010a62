"""The main window: navigation on the left, the Sammanträden and Diarium views on the right."""

import datetime as dt
from typing import Callable, TypeVar

from PySide6.QtCore import QEvent, QItemSelection, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from nämndtool import __version__, labels
from nämndtool.errors import NamndtoolError
from nämndtool.ui.models import AgendaModel, DiaryModel, MeetingsModel

APP_NAME = "Nämndtool"
SEARCH_DELAY_MS = 250
"""How long the diary waits after the last keystroke before it searches."""

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")

T = TypeVar("T")


def count_text(n: int, singular: str, plural: str) -> str:
    """``1 ärende``, ``10 ärenden``."""
    return f"{n} {singular if n == 1 else plural}"


def long_date(iso: str) -> str:
    """``onsdag 22 februari 2023`` from ``2023-02-22``; anything else is returned as it is."""
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def window_title(namnder: list[dict]) -> str:
    names = ", ".join(n["namn"] for n in namnder)
    return f"{APP_NAME} – {names}" if names else APP_NAME


def _page_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def _muted(text: str = "") -> QLabel:
    """A label in a softer colour than the text, yet readable on light and dark themes."""
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    text_colour = palette.color(QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorRole.Window)
    mixed = QColor(
        *(round(t * 0.7 + b * 0.3) for t, b in zip(text_colour.getRgb()[:3], background.getRgb()[:3]))
    )
    palette.setColor(QPalette.ColorRole.WindowText, mixed)
    label.setPalette(palette)
    return label


class CellDelegate(QStyledItemDelegate):
    """Shows the whole text of a cell as a tooltip when the column is too narrow for it."""

    def helpEvent(self, event, view, option, index) -> bool:
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        tip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
        if text and option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 16:
            tip = f"{text}\n{tip}" if tip else text
        if tip:
            QToolTip.showText(event.globalPos(), tip, view)
        else:
            QToolTip.hideText()
        return True


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setItemDelegate(CellDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    row_height = view.fontMetrics().height() + 10
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    return view


def _fit_columns(view: QTableView, stretch: int) -> None:
    """Every column as wide as its contents, except ``stretch``, which takes the remaining width."""
    header = view.horizontalHeader()
    for column in range(view.model().columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)


class MeetingsPage(QWidget):
    """The meetings, and the agenda of the selected one below them."""

    counts_changed = Signal(str)

    def __init__(self, load: Callable, parent=None):
        super().__init__(parent)
        self._load = load
        self.meetings_model = MeetingsModel(parent=self)
        self.agenda_model = AgendaModel(parent=self)
        self.meetings_view = _table(self.meetings_model)
        self.agenda_view = _table(self.agenda_model)
        _fit_columns(self.meetings_view, stretch=5)
        _fit_columns(self.agenda_view, stretch=1)
        self.agenda_title = QLabel("Dagordning")
        bold = self.agenda_title.font()
        bold.setBold(True)
        self.agenda_title.setFont(bold)
        self.agenda_info = _muted()

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
        layout.addWidget(_page_title("Sammanträden"))
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


class DiaryPage(QWidget):
    """The diary with a search field that filters as the user types."""

    counts_changed = Signal(str)

    def __init__(self, load: Callable, parent=None):
        super().__init__(parent)
        self._load = load
        self.model = DiaryModel(parent=self)
        self.view = _table(self.model)
        _fit_columns(self.view, stretch=1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök diarienummer eller rubrik …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i diariet")
        self.search.setMinimumWidth(360)
        self.result = _muted()
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
        layout.addWidget(_page_title("Diarium"))
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


class MainWindow(QMainWindow):
    """Nämndtool's main window over one open store."""

    VIEWS = ("Sammanträden", "Diarium")

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(window_title(self._load(lambda s: s.namnder(), [])))
        self.meetings_page = MeetingsPage(self._load)
        self.diary_page = DiaryPage(self._load)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.meetings_page)
        self.stack.addWidget(self.diary_page)
        self.navigation = self._build_navigation()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setStyleSheet(
            "QListWidget#navigation { border: none; border-right: 1px solid palette(mid);"
            " background: palette(window); outline: none; }"
            " QListWidget#navigation::item { padding: 9px 14px; }"
            " QTableView::item { padding-left: 6px; padding-right: 8px; }"
            " QHeaderView::section { padding-left: 8px; padding-right: 8px; }"
        )

        self._build_menus()
        self.store_label = QLabel(f"Register: {store.path}")
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.store_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.meetings_page.counts_changed.connect(lambda text: self._show_counts(0, text))
        self.diary_page.counts_changed.connect(lambda text: self._show_counts(1, text))

        self.meetings_page.reload()
        self.diary_page.reload()
        self.resize(1180, 760)
        self._restore_settings()

    # --- building -------------------------------------------------------------

    def _build_navigation(self) -> QListWidget:
        nav = QListWidget()
        nav.setObjectName("navigation")
        nav.setAccessibleName("Navigering")
        for name in self.VIEWS:
            item = QListWidgetItem(name)
            nav.addItem(item)
        nav.setFixedWidth(max(170, nav.sizeHintForColumn(0) + 40))
        nav.currentRowChanged.connect(self._on_view_changed)
        return nav

    def _build_menus(self) -> None:
        bar = self.menuBar()
        arkiv = bar.addMenu("&Arkiv")
        self.quit_action = QAction("A&vsluta", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        arkiv.addAction(self.quit_action)

        visa = bar.addMenu("&Visa")
        group = QActionGroup(self)
        self.view_actions = []
        for index, (name, key) in enumerate(zip(self.VIEWS, ("Ctrl+1", "Ctrl+2"))):
            action = QAction(name, self, checkable=True)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _checked=False, i=index: self.show_view(i))
            group.addAction(action)
            visa.addAction(action)
            self.view_actions.append(action)
        visa.addSeparator()
        self.refresh_action = QAction("&Uppdatera", self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh)
        visa.addAction(self.refresh_action)

        hjalp = bar.addMenu("&Hjälp")
        self.about_action = QAction("&Om Nämndtool", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        hjalp.addAction(self.about_action)

    # --- behaviour ------------------------------------------------------------

    def _load(self, query: Callable[..., T], fallback: T) -> T:
        """Run a store query; a store error is shown to the user and ``fallback`` is used instead."""
        try:
            return query(self.store)
        except NamndtoolError as error:
            QMessageBox.critical(self, APP_NAME, str(error))
            return fallback

    def show_view(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def current_view(self) -> str:
        return self.VIEWS[self.stack.currentIndex()]

    def _on_view_changed(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        self.view_actions[index].setChecked(True)
        page = self.stack.currentWidget()
        self.counts_label.setText(page.counts())
        if page is self.diary_page:
            self.diary_page.search.setFocus()
        else:
            self.meetings_page.meetings_view.setFocus()

    def _show_counts(self, index: int, text: str) -> None:
        if self.stack.currentIndex() == index:
            self.counts_label.setText(text)

    def refresh(self) -> None:
        self.setWindowTitle(window_title(self._load(lambda s: s.namnder(), [])))
        self.meetings_page.reload()
        self.diary_page.reload()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "Om Nämndtool",
            f"<h3>Nämndtool {__version__}</h3>"
            "<p>Kallelser, handlingar, protokoll och diarium för en kommunal nämnd.</p>"
            f"<p>Register: {self.store.path}</p>"
            "<p>Licens: EUPL-1.2. Typsnitt: DejaVu Sans.</p>",
        )

    # --- remembered window state ---------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state:
            self.restoreState(state)
        splitter = settings.value("main_window/meetings_splitter")
        if splitter:
            self.meetings_page.splitter.restoreState(splitter)
        view = settings.value("main_window/view", 0, type=int)
        self.show_view(view if 0 <= view < len(self.VIEWS) else 0)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/meetings_splitter", self.meetings_page.splitter.saveState())
        settings.setValue("main_window/view", self.stack.currentIndex())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
