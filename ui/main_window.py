"""The main window: navigation on the left, the views on the right, menus, status bar, remembered layout."""

from typing import Callable, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget, QWidget,
)

from nämndtool import __version__
from nämndtool.errors import NamndtoolError
from nämndtool.ui.diary_view import DiaryPage
from nämndtool.ui.meetings_view import MeetingsPage
from nämndtool.ui.widgets import APP_NAME, window_title

T = TypeVar("T")


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
