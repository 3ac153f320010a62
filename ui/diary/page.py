"""Diarium: the case register as a lazy table with search-as-you-type, filters, SQL sorting, registering new
ärenden and dropping files on an ärende to register them as handlingar."""

import os
import re
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSizePolicy, QTableView,
    QVBoxLayout, QWidget,
)

from nämndtool import diarienummer, labels
from nämndtool.errors import DiarienummerError, NamndtoolError
from nämndtool.operations import diary
from nämndtool.ui.diary.model import COLUMNS, RUBRIK_COLUMN, DiaryQuery, LazyDiaryModel
from nämndtool.ui.common.form_fields import problem_label, show_problems
from nämndtool.ui.common.handlingar_dialog import local_files
from nämndtool.ui.diary.register_dialogs import HandlingarDialog, RegisterArendeDialog, arende_name, handlingar_text
from nämndtool.ui.common import changes
from nämndtool.ui.common.dialogs import Dialogs, error_text
from nämndtool.ui.common.tasks import Task, location_of
from nämndtool.ui.common.widgets import LoadWhenShown, muted, page_title, table_view
from nämndtool.secrecy.labels import secrecy_status

SEARCH_DELAY_MS = 150
"""How long the diary waits after the last keystroke before it searches."""

_NUMBER_SHAPE = re.compile(r"[A-Za-zÅÄÖåäö]+/?[0-9]+:[0-9]+\S*")
"""Text the user meant as a diary number (SOCN/2023:17, socn2023:17, SOCN/2022:015 …), valid or not."""
_YEAR_AND_NUMBER = re.compile(r"[0-9]{4}:[1-9][0-9]*")
"""``2023:17``: a diary number without the code, which is clear when the store has one nämnd."""


def thousands(n: int) -> str:
    """``1 234`` with a non-breaking space, as Swedish writes large numbers."""
    return f"{n:,}".replace(",", "\u00a0")


def arenden_text(n: int) -> str:
    return f"{thousands(n)} {'ärende' if n == 1 else 'ärenden'}"


class FileDropFilter(QObject):
    """Lets a table's viewport take files dropped from the file manager, row by row."""

    dropped = Signal(int, list)
    """The row the files were dropped on (-1 for none) and their paths."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self._view = view
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            event.setAccepted(bool(local_files(event)))
            if local_files(event):
                event.acceptProposedAction()
            return True
        if kind == QEvent.Type.DragMove:
            row = self._view.indexAt(event.position().toPoint()).row()
            if row >= 0 and local_files(event):
                self._view.selectRow(row)
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop:
            paths = local_files(event)
            if not paths:
                return False
            event.acceptProposedAction()
            self.dropped.emit(self._view.indexAt(event.position().toPoint()).row(), paths)
            return True
        return False


def progress_text(done: int, total: int, text: str) -> str:
    """``Kopierar Rapport.pdf (1 av 2) …`` while copying, the plain step after."""
    return f"{text} ({done + 1} av {total}) …" if done < total and total > 1 else f"{text} …"


def file_problem(path: Path) -> str | None:
    """Why a dropped path cannot be registered as a handling, in Swedish, or None."""
    if path.is_dir():
        return f"{path.name} är en mapp. Dra filerna i mappen, inte själva mappen."
    if not path.exists():
        return f"{path.name} finns inte längre där den låg."
    if not path.is_file() or not os.access(path, os.R_OK):
        return f"{path.name} kan inte läsas. Kontrollera att du har behörighet till filen."
    return None


class DiaryPage(QWidget):
    """The diary: filters, search (also by diary number), the lazy table, new ärenden, handlingar by drag and drop."""

    open_arende = Signal(int)
    """The user wants this ärende (id) open in the editor: double-click or Enter on a row."""
    message = Signal(str)
    """A short Swedish message for the main window's status bar."""
    counts_changed = Signal(str)

    def __init__(self, store, dialogs=None, parent=None):
        super().__init__(parent)
        self._store = store
        self._dialogs = dialogs or Dialogs()
        self._tasks: set[Task] = set()
        self.register_dialog: RegisterArendeDialog | None = None
        self.handling_dialog: HandlingarDialog | None = None
        self._total = 0

        self.model = LazyDiaryModel(store, parent=self)
        self.model.load_failed.connect(self._show_search_problem)
        self.view = self._build_table()
        self.drop_filter = FileDropFilter(self.view)
        self.drop_filter.dropped.connect(self.register_dropped_files)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök diarienummer eller rubrik …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i diariet")
        self.search.setToolTip("Sök i rubrik, diarienummer, klassificering och extern beteckning. "
                               "Ett diarienummer kan skrivas som SOCN/2023:17, socn2023:17 eller 2023:17.")
        self.search.setMinimumWidth(320)
        self.search_problem = problem_label()
        self.result = muted()
        self.result.setWordWrap(False)
        self.result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._on_search_return)

        self.year_filter = self._filter_combo("År")
        self.status_filter = self._filter_combo("Status")
        self.handlaggare_filter = self._filter_combo("Handläggare")
        self.secrecy_filter = self._filter_combo("Sekretess")
        for combo in (self.secrecy_filter, self.status_filter):
            combo.blockSignals(True)   # filling them must not run the whole-diary query; reload() runs it once
        for text, value in (("Alla", None), ("Bara offentliga", False), ("Bara sekretess", True)):
            self.secrecy_filter.addItem(text, value)
        self.status_filter.addItem("Alla", None)
        for code, text in labels.STATUS.items():
            self.status_filter.addItem(text, code)
        for combo in (self.secrecy_filter, self.status_filter):
            combo.blockSignals(False)
        self.clear_button = QPushButton("Rensa filter")
        self.clear_button.clicked.connect(self.clear_filters)

        self.new_action = QAction("&Nytt ärende …", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.setToolTip("Registrera ett nytt ärende i diariet (Ctrl+N)")
        self.new_action.triggered.connect(self.open_register_dialog)
        self.addAction(self.new_action)
        self.new_button = QPushButton("Nytt ärende …")
        self.new_button.setToolTip(self.new_action.toolTip())
        self.new_button.clicked.connect(self.open_register_dialog)

        self._lay_out()
        # Nothing is read until the page is first shown (reload); a change while it is hidden is read when shown.
        self.loading = LoadWhenShown(self, self.reload)
        # A handläggare added, changed or merged under Personer (or with an ärende, or imported) is offered at once.
        # (Through a weak reference: the page's Python side is freed with it, never later by the garbage collector
        # while its lazy model's reads run.)
        refill = weakref.WeakMethod(self._refill_filters)
        changes.follow(self, changes.PEOPLE_TOPICS, lambda: (refill() or (lambda: None))(), store)
        # An ärende registered or changed elsewhere (another user of a shared register, an import) is listed.
        changes.follow(self, {changes.DIARY, changes.EXCHANGE}, self.loading.reload_when_shown, store)
        self.view.activated.connect(self._on_activated)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait_for_tasks)

    # --- building -------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        view = table_view(self.model)
        view.setAccessibleName("Diariet")
        header = view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort)
        self._size_columns(view)
        return view

    @staticmethod
    def _size_columns(view: QTableView) -> None:
        """Widths from the longest text a column can hold, never from the rows: measuring rows would fetch them."""
        metrics = view.fontMetrics()
        bold = QFont(view.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        samples = {
            0: [metrics.horizontalAdvance("SOCN/2026:9999"), metrics.horizontalAdvance("(utan nummer)")],
            2: [metrics.horizontalAdvance(text) for text in labels.STATUS.values()],
            3: [metrics.horizontalAdvance("Madelene Sönnerfors")],
            4: [bold_metrics.horizontalAdvance(secrecy_status(1, "26 kap. 1 § OSL"))],
            5: [metrics.horizontalAdvance("2026-12-31")],
        }
        header = view.horizontalHeader()
        header.setMinimumSectionSize(60)
        for column in range(len(COLUMNS)):
            if column == RUBRIK_COLUMN:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title = metrics.horizontalAdvance(COLUMNS[column].header) + 24  # room for the sort arrow
            view.setColumnWidth(column, max([title, *samples[column]]) + 28)

    def _filter_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    def _lay_out(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(page_title("Diarium"))
        title_row.addStretch(1)
        title_row.addWidget(self.new_button)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 2)
        search_row.addSpacing(12)
        search_row.addWidget(self.result, 3)

        # The filter row may be cut off in a very narrow window rather than force the window wide.
        filters = QWidget()
        filters.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        filter_row = QHBoxLayout(filters)
        filter_row.setContentsMargins(0, 0, 0, 0)
        for text, combo in (("&År:", self.year_filter), ("S&tatus:", self.status_filter),
                            ("&Handläggare:", self.handlaggare_filter), ("S&ekretess:", self.secrecy_filter)):
            label = QLabel(text)
            label.setBuddy(combo)
            filter_row.addWidget(label)
            filter_row.addWidget(combo)
            filter_row.addSpacing(10)
        filter_row.addWidget(self.clear_button)
        filter_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addLayout(search_row)
        layout.addWidget(self.search_problem)
        layout.addWidget(filters)
        layout.addWidget(self.view, 1)
        self.hint = muted("Dubbelklicka eller tryck Enter för att öppna ett ärende. "
                               "Dra filer till ett ärende för att registrera dem som handlingar.")
        layout.addWidget(self.hint)

    def _refill_filters(self) -> None:
        """The filters' choices read again after a change elsewhere; the diary is queried again only when a
        choice the user had made is gone (a handläggare merged into another). A page whose window is closed
        (its register closed with it) reads nothing, and a page that has not read its data yet reads it all when
        it is shown."""
        if not self.window().isVisible():
            return
        if not self.loading.is_loaded:
            self.loading.reload_when_shown()
            return
        before = (self.year_filter.currentData(), self.handlaggare_filter.currentData())
        try:
            self._fill_filters()
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return
        if (self.year_filter.currentData(), self.handlaggare_filter.currentData()) != before:
            self.apply_filters()

    def _fill_filters(self) -> None:
        """The years and handläggare that occur in the diary, keeping what the user chose."""
        years = self._store.diary_years()
        people = self._store.handlaggare_list()
        for combo, choices, everything in (
            (self.year_filter, [(str(y), y) for y in years], "Alla"),
            (self.handlaggare_filter, [(p["namn"], p["id"]) for p in people], "Alla"),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in choices:
                combo.addItem(text, value)
            index = combo.findData(chosen)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

    # --- reading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read filters and ärenden again (after changes elsewhere), keeping the search, filters and selection."""
        self.loading.loaded()
        try:
            self._fill_filters()
            self._total = self._store.arende_count()
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return
        self.apply_filters()

    def apply_filters(self) -> None:
        """Query the ids for what the search box and filters say; an invalid diary number is explained inline."""
        self._timer.stop()
        text = self.search.text().strip()
        try:
            number = self._typed_number(text)
            found = isinstance(number, diarienummer.Diarienummer)
            only_id = self._store.arende_id_by_number(number) if found else None
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return
        problem = str(number) if isinstance(number, DiarienummerError) else None
        if found and only_id is None:
            problem = f"Ärendet {number} finns inte i diariet."
        query = DiaryQuery(
            search=text or None, year=self.year_filter.currentData(), status=self.status_filter.currentData(),
            handlaggare_id=self.handlaggare_filter.currentData(), sekretess=self.secrecy_filter.currentData(),
            sort=self.model.query.sort, descending=self.model.query.descending, only_id=only_id,
        )
        if not self._run(query):
            return
        # A number-shaped text may still be found as written, e.g. another authority's reference (KS/2022:311).
        show_problems(self.search_problem, [problem] if problem and not self.model.rowCount() else [])
        self._show_result(text, number if only_id is not None else None)

    def _typed_number(self, text: str) -> diarienummer.Diarienummer | DiarienummerError | None:
        """The diary number the user typed, the error when it is meant as one but invalid, or None for free text."""
        codes = self._store.known_codes()
        if _YEAR_AND_NUMBER.fullmatch(text) and len(codes) == 1:
            text = f"{codes[0]}/{text}"
        if not _NUMBER_SHAPE.fullmatch(text):
            return None
        try:
            return diarienummer.parse(text, codes)
        except DiarienummerError as error:
            return error

    def _run(self, query: DiaryQuery) -> bool:
        """Show ``query`` in the table, keeping the selected ärende selected when it is still there."""
        selected = self.selected_id()
        try:
            self.model.set_query(query)
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return False
        # Lay the new rows out now, not from the view's timer: else the visible rows are painted once with the
        # old layout and once more when the timer has laid them out (issue 15: two paints per keystroke).
        self.view.doItemsLayout()
        if query.only_id is not None:
            self.select_arende(query.only_id)
        elif selected is not None:
            self.select_arende(selected)
        self.counts_changed.emit(self.counts())
        return True

    def _show_result(self, text: str, number) -> None:
        n = self.model.rowCount()
        filtered = any(c.currentData() is not None for c in self._filters())
        if number is not None:
            self.result.setText(f"Diarienummer {number}.")
        elif text:
            found = f"{arenden_text(n)} matchar" if n else "Inga ärenden matchar"
            self.result.setText(f"{found} ”{text}”" + (" med de valda filtren." if filtered else "."))
        elif filtered:
            self.result.setText(f"{thousands(n)} av {arenden_text(self._total)}.")
        else:
            self.result.setText(f"{arenden_text(n)} i diariet.")

    def _show_search_problem(self, text: str) -> None:
        show_problems(self.search_problem, [text])

    def _filters(self) -> tuple[QComboBox, ...]:
        return self.year_filter, self.status_filter, self.handlaggare_filter, self.secrecy_filter

    def clear_filters(self) -> None:
        for combo in self._filters():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filters()

    def counts(self) -> str:
        return arenden_text(self.model.rowCount())

    # --- selection and opening --------------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_arende(self, arende_id: int) -> bool:
        row = self.model.row_of(arende_id)
        if row is None:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def _on_activated(self, index) -> None:
        if index.isValid():
            self.open_arende.emit(self.model.id_at(index.row()))

    def _on_search_return(self) -> None:
        """Enter searches at once; a diary number typed in full opens its ärende, as a "go to" box would."""
        self.apply_filters()
        if self.model.query.only_id is not None:
            self.open_arende.emit(self.model.query.only_id)
        elif self.model.rowCount():
            if self.selected_id() is None:
                self.view.selectRow(0)
            self.view.setFocus()

    def _on_sort(self, section: int, order: Qt.SortOrder) -> None:
        selected = self.selected_id()
        try:
            self.model.sort(section, order)
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return
        if selected is not None:
            self.select_arende(selected)

    # --- new ärende --------------------------------------------------------------------------------

    def open_register_dialog(self) -> RegisterArendeDialog | None:
        """Open (or bring forward) the Nytt ärende dialog; it stays open with its text when the store refuses."""
        if self.register_dialog is not None and self.register_dialog.isVisible():
            self.register_dialog.raise_()
            self.register_dialog.activateWindow()
            return self.register_dialog
        try:
            dialog = RegisterArendeDialog(self._store, self._dialogs, self)
        except NamndtoolError as error:
            self._dialogs.error(self, error_text(error))
            return None
        dialog.registered.connect(self._on_registered)
        dialog.finished.connect(dialog.deleteLater)
        self.register_dialog = dialog
        dialog.open()
        return dialog

    def _on_registered(self, arende: dict) -> None:
        self.register_dialog = None
        self.reload()
        if not self.select_arende(arende["id"]):
            # The search or a filter hides the new ärende; show the whole diary so the user sees it.
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.clear_filters()
            self.select_arende(arende["id"])
        self.view.setFocus()
        number = arende["diarienummer"]
        self.message.emit(f"Ärendet {number} är registrerat.")
        self._dialogs.info(self, f"Ärendet har diarienummer {number}.\n\n{arende['rubrik']}")

    # --- handlingar by drag and drop ------------------------------------------------------------------

    def register_dropped_files(self, row: int, paths: list[Path]) -> None:
        """Files dropped on a row: confirm their descriptions, then copy and register them off the UI thread."""
        if row < 0:
            self.message.emit("Släpp filerna på raden för det ärende de hör till.")
            return
        arende = self.model.arende_at(row)
        self.view.selectRow(row)
        problems = {path: file_problem(path) for path in paths}
        usable = [path for path in paths if problems[path] is None]
        skipped = [problem for problem in problems.values() if problem]
        if not usable:
            self._dialogs.error(self, "Inga handlingar registrerades.\n" + "\n".join(skipped))
            return
        dialog = HandlingarDialog(arende, usable, skipped, self)
        dialog.accepted.connect(lambda: self._start_registering(dialog))
        dialog.rejected.connect(lambda: self._forget_handling_dialog(dialog))
        self.handling_dialog = dialog
        dialog.open()

    def _start_registering(self, dialog: HandlingarDialog) -> None:
        arende, files, datum = dialog.arende, dialog.files(), dialog.datum()
        arende_id = arende["id"]

        def work(store, progress, cancelled):
            return diary.register_files(store, arende_id, files, datum=datum, progress=progress, cancelled=cancelled)

        task = Task(location_of(self._store), work, parent=self)
        task.progressed.connect(lambda done, total, text: self.message.emit(progress_text(done, total, text)))
        task.succeeded.connect(lambda ids: self._on_registered_handlingar(dialog, arende, len(ids)))
        task.failed.connect(lambda error: self._on_handlingar_failed(dialog, error))
        task.ended.connect(lambda: self._tasks.discard(task))
        self._tasks.add(task)
        self.message.emit(f"Registrerar handlingar i {arende_name(arende)} …")
        task.start()

    def _forget_handling_dialog(self, dialog: HandlingarDialog) -> None:
        if self.handling_dialog is dialog:
            self.handling_dialog = None
        dialog.deleteLater()

    def _on_registered_handlingar(self, dialog: HandlingarDialog, arende: dict, count: int) -> None:
        self._forget_handling_dialog(dialog)
        self.message.emit(handlingar_text(count, arende) + ".")

    def _on_handlingar_failed(self, dialog: HandlingarDialog, error: BaseException) -> None:
        """Show why, then the same dialog again with the descriptions the user typed."""
        self.message.emit("Handlingarna kunde inte registreras.")
        self._dialogs.error(self, error_text(error))
        dialog.open()

    def busy(self) -> bool:
        """Whether dropped files are still being copied and registered."""
        return bool(self._tasks)

    def wait_for_tasks(self, ms: int = 60_000) -> None:
        for task in list(self._tasks):
            task.wait(ms)
