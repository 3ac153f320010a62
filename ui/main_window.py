"""The main window: navigation on the left, the views on the right, menus, status bar, remembered layout.

Views: Sammanträden, Diarium, Personer och mottagare, and the open ärenden as tabs of editors. Every dialog goes
through one Dialogs service (ui/common/dialogs.py), which tests replace.

Only the page on screen reads its data at start; every other page reads it the first time it is shown, and a
change while a page is hidden is read when it is shown again (``widgets.LoadWhenShown``). What only some users
need at once is imported when first used: the ärende editor (with the preview's PDF renderer) when an ärende is
opened, the document generator (typst, the pack, reportlab) when a document is made (issue 15, cold start).

The window always fits the screen it opens on (``QScreen.availableGeometry``): on the first start and when a size
remembered from a bigger screen is restored. Each menu is built by one method (``_build_arkiv_menu`` …), so a new
entry is one line there.
"""

import weakref

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QScrollArea, QStackedWidget, QTabWidget,
    QWidget,
)

from nämndtool import __version__
from nämndtool.errors import NamndtoolError
from nämndtool.operations import diary
from nämndtool.ui.diary.page import DiaryPage
from nämndtool.ui.meetings.page import MeetingsPage
from nämndtool.ui.people.page import PeoplePage
from nämndtool.ui.registry.page import RegistryPage
from nämndtool.ui.common import live, tasks
from nämndtool.ui.common.dialogs import Dialogs, error_text
from nämndtool.ui.maintenance import hooks as maintenance
from nämndtool.ui.startup import backup_now, wait_for_background
from nämndtool.ui.common.widgets import window_title

MEETINGS, DIARY, PEOPLE, REGISTRY, PROTOKOLL, EDITORS = range(6)
EDIT_TAB, HANDLINGAR_TAB, HISTORY_TAB = range(3)
"""The ärende editor's tabs (``arende_editor``, which is imported only when an ärende is opened)."""
DEFAULT_SIZE = QSize(1280, 800)
"""The first window, when the screen has room for it."""
FRAME_ALLOWANCE = QSize(16, 40)
"""Title bar and borders that the window system adds around the window, before it is shown and they are known."""
NEW = QKeySequence("Ctrl+N")


class MainWindow(QMainWindow):
    """Nämndtool's main window over one open store."""

    VIEWS = ("Sammanträden", "Diarium", "Personer och mottagare", "Register", "Protokoll", "Öppna ärenden")

    def __init__(self, store, dialogs: Dialogs | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs or Dialogs()
        self._generator = None
        make_generator = weakref.WeakMethod(self.generator)   # no reference cycle through the page
        self.meetings_page = MeetingsPage(store, self.dialogs, generator=lambda: make_generator()())
        self.diary_page = DiaryPage(store, self.dialogs)
        self.people_page = PeoplePage(store, self.dialogs)
        self.registry_page = RegistryPage(store, self.dialogs)
        self._protokoll_page = None
        self._protokoll_area = self._scrollable(None)   # the Protokoll page goes in when first used
        self.editors = QTabWidget()
        self.editors.setTabsClosable(True)
        self.editors.setDocumentMode(True)
        self.editors.tabCloseRequested.connect(self.close_editor)
        self.editors.currentChanged.connect(lambda _i: self._update_counts())
        self.stack = QStackedWidget()
        for page in (self.meetings_page, self.diary_page, self._scrollable(self.people_page),
                     self._scrollable(self.registry_page), self._protokoll_area, self.editors):
            self.stack.addWidget(page)
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
            # A date field's calendar is a table too: padded cells would leave out the weekdays and days 10–31.
            " QCalendarWidget QTableView::item { padding: 0px; }"
        )

        self._build_menus()
        maintenance.install(self)   # Arkiv → Återställ från säkerhetskopia…, Hjälp → Handbok (F1), Kom igång
        self.live = live.attach(self)   # a shared server register: others' changes show within a second
        self.store_label = QLabel(f"Register: {store}")
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.store_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        for page in (self.meetings_page, self.diary_page, self.people_page, self.registry_page):
            page.counts_changed.connect(lambda _text: self._update_counts())
        for page in (self.meetings_page, self.diary_page, self.registry_page):
            page.open_arende.connect(self.open_arende)
        self.meetings_page.open_protokoll.connect(self.open_protokoll)
        for page in (self.diary_page, self.registry_page):
            page.message.connect(self.show_message)

        self._show_title()
        self.resize(DEFAULT_SIZE)
        self._restore_settings()   # shows the remembered view, which reads its data
        self.fit_to_screen()
        current = self._loading_of(self.stack.currentIndex())
        if current is not None and not current.is_loaded:
            current.load_if_needed()
            self._update_counts()

    # --- building -------------------------------------------------------------

    @property
    def protokoll_page(self):
        """The Protokoll page, built (and its modules imported) when first used: it reads nothing before it is
        given a meeting, and most starts never show it."""
        if self._protokoll_page is None:
            from nämndtool.ui.protokoll.page import ProtokollPage
            page = ProtokollPage(self.store, self.dialogs)
            page.counts_changed.connect(lambda _text: self._update_counts())
            page.saved.connect(self._after_save)
            self._protokoll_area.setWidget(page)
            self._protokoll_page = page
        return self._protokoll_page

    def generator(self):
        """The ``Generator`` that makes the documents, made (and its renderers imported) when first used."""
        if self._generator is None:
            from nämndtool.ui.generate import Generator
            self._generator = Generator(self.store, self.dialogs, self)
            self._generator.written.connect(lambda path: self.statusBar().showMessage(f"Skrivet: {path}", 8000))
        return self._generator

    @staticmethod
    def _scrollable(page: QWidget | None) -> QScrollArea:
        """A page whose controls need more width than a small screen has scrolls instead of widening the window."""
        area = QScrollArea()
        if page is not None:
            area.setWidget(page)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        return area

    def _build_navigation(self) -> QListWidget:
        nav = QListWidget()
        nav.setObjectName("navigation")
        nav.setAccessibleName("Navigering")
        for name in self.VIEWS:
            nav.addItem(QListWidgetItem(name))
        nav.setFixedWidth(max(190, nav.sizeHintForColumn(0) + 40))
        nav.currentRowChanged.connect(self._on_view_changed)
        return nav

    def _action(self, menu, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._build_arkiv_menu(bar.addMenu("&Arkiv"))
        self._build_redigera_menu(bar.addMenu("R&edigera"))
        self._build_visa_menu(bar.addMenu("&Visa"))
        self._build_sammantrade_menu(bar.addMenu("Sammanträ&de"))
        self._build_arende_menu(bar.addMenu("Ä&rende"))
        self._build_hjalp_menu(bar.addMenu("&Hjälp"))

    def _build_arkiv_menu(self, arkiv) -> None:
        arkiv.addAction(self.diary_page.new_action)
        arkiv.addSeparator()
        self.save_action = self._action(arkiv, "&Spara ärendet", self.save_current_editor, "Ctrl+S")
        self.close_editor_action = self._action(arkiv, "S&täng ärendet", lambda: self.close_editor(
            self.editors.currentIndex()), "Ctrl+W")
        self.print_action = self._action(arkiv, "Skriv &ut senaste dokumentet …",
                                         lambda: self.generator().print_file(), "Ctrl+P")
        self.backup_action = self._action(arkiv, "Säkerhets&kopiera nu", lambda: backup_now(
            self.store, self.dialogs, self, message=self.show_message), "Ctrl+Shift+B")
        self.archive_delivery_action = self._action(arkiv, "Arkiv&leverans…", self.show_archive_delivery)
        self.archive_delivery_action.setObjectName("arkivleverans")
        arkiv.addSeparator()
        self.quit_action = self._action(arkiv, "A&vsluta", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    def show_archive_delivery(self):
        """Arkiv → Arkivleverans…: an E-ARK package for the e-arkiv (the dialog is imported when first used)."""
        from nämndtool.ui.maintenance.archive_delivery import offer_archive_delivery
        return offer_archive_delivery(self)

    def _build_redigera_menu(self, redigera) -> None:
        """Ångra and Gör om of the agenda (the text fields keep their own Ctrl+Z while they have the focus)."""
        redigera.addAction(self.meetings_page.undo_action)
        redigera.addAction(self.meetings_page.redo_action)

    def _build_visa_menu(self, visa) -> None:
        group = QActionGroup(self)
        self.view_actions = []
        for index, name in enumerate(self.VIEWS):
            action = QAction(name, self, checkable=True)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.show_view(i))
            group.addAction(action)
            visa.addAction(action)
            self.view_actions.append(action)
        visa.addSeparator()
        self.refresh_action = self._action(visa, "&Uppdatera", self.refresh, "F5")

    def _build_sammantrade_menu(self, mote) -> None:
        """The selected meeting: the page's own actions (new meeting, agenda, documents), then the window's."""
        page = self.meetings_page
        # Its entries act on the meeting selected under Sammanträden: read the meetings when the menu opens.
        mote.aboutToShow.connect(page.loading.load_if_needed)
        for action in (page.new_meeting_action, page.edit_meeting_action, page.copy_agenda_action,
                       page.add_arende_action):
            mote.addAction(action)
            action.triggered.connect(lambda _checked=False: self.show_view(MEETINGS))
        mote.addSeparator()
        mote.addActions([page.kallelse_action, page.internal_kallelse_action, page.word_kallelse_action])
        mote.addSeparator()
        mote.addActions([page.public_pack_action, page.internal_pack_action])
        mote.addSeparator()
        mote.addAction(page.distribute_action)
        mote.addSeparator()
        mote.addAction(page.protokoll_action)
        self._action(mote, "Anmäl &delegationsbeslut vid sammanträdet …",
                     lambda: self._for_meeting(self.report_delegationsbeslut))
        self.kallelse_action, self.public_pack_action = page.kallelse_action, page.public_pack_action

    def _build_arende_menu(self, arende) -> None:
        self._action(arende, "&Registrera handling", lambda: self._for_editor(self._register_handling), "Ctrl+R")
        self._action(arende, "Visa &historik", lambda: self._for_editor(
            lambda e: e.tabs.setCurrentIndex(HISTORY_TAB)), "Ctrl+H")
        self._action(arende, "&Avsluta ärendet …", lambda: self._for_editor(lambda e: e.handlingar.request_close()))
        arende.addSeparator()
        self._action(arende, "Tjänsteskrivelse som &PDF …", lambda: self._for_editor(
            lambda e: self.generator().tjansteskrivelse(e.arende_id, "pdf")))
        self._action(arende, "Tjänsteskrivelse som &Word …", lambda: self._for_editor(
            lambda e: self.generator().tjansteskrivelse(e.arende_id, "docx")))

    def _build_hjalp_menu(self, hjalp) -> None:
        self.about_action = self._action(hjalp, "&Om Nämndtool", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _route_shortcuts(self, index: int) -> None:
        """Ctrl+N makes what the view shows: a meeting under Sammanträden, an ärende elsewhere; Ctrl+Z undoes
        agenda edits only while the agenda is shown."""
        on_meetings = index == MEETINGS
        self.diary_page.new_action.setShortcut(QKeySequence() if on_meetings else NEW)
        new_meeting = self.meetings_page.new_meeting_action
        new_meeting.setShortcuts([NEW, QKeySequence("Ctrl+Shift+N")] if on_meetings else [QKeySequence("Ctrl+Shift+N")])
        self.meetings_page.set_undo_active(on_meetings)

    # --- behaviour ------------------------------------------------------------

    def _for_meeting(self, action) -> None:
        self.meetings_page.loading.load_if_needed()
        meeting = self.meetings_page.selected_meeting()
        if meeting is None:
            self.dialogs.info(self, "Välj ett sammanträde under Sammanträden först.")
            self.show_view(MEETINGS)
            return
        action(meeting["id"])

    def _for_editor(self, action) -> None:
        editor = self.editors.currentWidget()
        if editor is None:
            self.dialogs.info(self, "Öppna ett ärende först (dubbelklicka i diariet eller på en punkt).")
            return
        action(editor)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def run_startup_checks(self) -> None:
        """The start-up integrity check and the day's backup, off the UI thread (a restore offered on damage), and
        Kom igång on the first start."""
        maintenance.after_start(self)

    def report_delegationsbeslut(self, meeting_id: int) -> None:
        """Mark the pending delegationsbeslut as reported at the meeting, after the user confirms the count;
        written off the UI thread (``operations.diary.report_delegationsbeslut``)."""
        try:
            pending = diary.pending_delegationsbeslut(self.store, meeting_id)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        if not pending:
            self.dialogs.info(self, "Det finns inga delegationsbeslut att anmäla vid sammanträdet.")
            return
        if not self.dialogs.confirm(self, f"{len(pending)} delegationsbeslut markeras som anmälda vid "
                                          "sammanträdet. Fortsätt?"):
            return
        tasks.run(self, self.store, diary.report_delegationsbeslut, meeting_id, done=self._reported,
                  failed=lambda error: self.dialogs.error(self, error_text(error)))

    def _reported(self, count: int) -> None:
        self.show_message(f"{count} delegationsbeslut är anmälda.")
        self.registry_page.loading.reload_when_shown()

    def _register_handling(self, editor) -> None:
        editor.tabs.setCurrentIndex(HANDLINGAR_TAB)
        editor.handlingar.beskrivning.setFocus()

    def open_arende(self, arende_id: int) -> None:
        """Show the ärende in its editor tab, opening one when it is not open yet."""
        for index in range(self.editors.count()):
            if self.editors.widget(index).arende_id == arende_id:
                self.editors.setCurrentIndex(index)
                self.show_view(EDITORS)
                return
        from nämndtool.ui.editor.arende_editor import ArendeEditor   # its first opening imports it (issue 15)
        try:
            editor = ArendeEditor(self.store, self.dialogs, arende_id)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        index = self.editors.addTab(editor, editor.title())
        editor.title_changed.connect(lambda title, e=editor: self.editors.setTabText(self.editors.indexOf(e), title))
        editor.saved.connect(self._after_save)
        editor.state_changed.connect(lambda _text, e=editor: self._update_counts()
                                     if self.editors.currentWidget() is e else None)
        self.editors.setCurrentIndex(index)
        self.show_view(EDITORS)

    def close_editor(self, index: int) -> bool:
        editor = self.editors.widget(index)
        if editor is None:
            return True
        if not editor.maybe_leave():
            return False
        self.editors.removeTab(index)
        editor.close()
        editor.deleteLater()
        return True

    def save_current_editor(self) -> None:
        if self.stack.currentIndex() == PROTOKOLL:
            self.protokoll_page.save_all()
            return
        self._for_editor(lambda e: e.save_now())

    def open_protokoll(self, meeting_id: int) -> None:
        """Sammanträde → Protokoll … (Ctrl+Shift+P): the page, with its menu "Protokollet som dokument" open, from
        any view (pressed on the page showing this meeting, the page opens the menu itself)."""
        page = self.protokoll_page
        opens_menu = page.isVisible() and page.meeting is not None and page.meeting["id"] == meeting_id
        if page.maybe_leave() and page.set_meeting(meeting_id):
            self.show_view(PROTOKOLL)
            if not opens_menu:
                page.documents.show_menu()

    def _after_save(self) -> None:
        self.diary_page.loading.reload_when_shown()
        self.meetings_page.loading.reload_when_shown()

    def show_view(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def current_view(self) -> str:
        return self.VIEWS[self.stack.currentIndex()]

    def _on_view_changed(self, index: int) -> None:
        if index < 0:
            return
        page = self._loading_of(index)
        if page is not None:
            page.load_if_needed()   # before it is shown, so it appears with its data (and the status bar its count)
        if index == PROTOKOLL and self.protokoll_page.meeting is None:
            self.meetings_page.loading.load_if_needed()   # the meeting selected there
            meeting = self.meetings_page.selected_meeting()
            if meeting:
                self.protokoll_page.set_meeting(meeting["id"])
        self.stack.setCurrentIndex(index)
        self.view_actions[index].setChecked(True)
        self._route_shortcuts(index)
        self._update_counts()
        if index == DIARY:
            self.diary_page.search.setFocus()
        elif index == MEETINGS:
            self.meetings_page.meetings_view.setFocus()

    def _update_counts(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, QScrollArea):
            page = page.widget()
        if page is self.editors:
            editor = self.editors.currentWidget()
            self.counts_label.setText(editor.counts() if editor else "Inga ärenden är öppna")
        else:
            self.counts_label.setText(page.counts())

    def _loading_of(self, index: int):
        """How the page of view ``index`` reads its data (None: the protokoll page and the editors read theirs
        when given a meeting or an ärende)."""
        pages = {MEETINGS: self.meetings_page, DIARY: self.diary_page, PEOPLE: self.people_page,
                 REGISTRY: self.registry_page}
        return pages[index].loading if index in pages else None

    def _show_title(self) -> None:
        try:
            self.setWindowTitle(window_title(self.store.namnder()))
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))

    def refresh(self) -> None:
        """Visa → Uppdatera (F5): the page on screen reads again now, every other page when it is next shown."""
        self._show_title()
        for page in (self.meetings_page, self.diary_page, self.people_page, self.registry_page):
            page.loading.reload_when_shown()
        for index in range(self.editors.count()):
            editor = self.editors.widget(index)
            if not editor.has_unsaved_changes():
                editor.reload()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "Om Nämndtool",
            f"<h3>Nämndtool {__version__}</h3>"
            "<p>Kallelser, handlingar, protokoll och diarium för en kommunal nämnd.</p>"
            f"<p>Register: {self.store}</p>"
            "<p>Licens: EUPL-1.2. Typsnitt: DejaVu Sans.</p>",
        )

    # --- remembered window state ---------------------------------------------

    def fit_to_screen(self) -> None:
        """The whole window, its frame included, inside the available area of its screen (without the task bar):
        a first start on a small screen, or a size remembered from a bigger one, never runs off the screen."""
        screen = QGuiApplication.screenAt(self.geometry().center()) or self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra = QSize(frame.width() - self.width(), frame.height() - self.height())
        if not self.isVisible() or extra.isEmpty():
            extra = extra.expandedTo(FRAME_ALLOWANCE)
        size = self.size().boundedTo(QSize(area.width() - extra.width(), area.height() - extra.height()))
        self.resize(size.expandedTo(self.minimumSizeHint().boundedTo(size)))
        outer = QRect(frame.topLeft(), QSize(self.width() + extra.width(), self.height() + extra.height()))
        x = min(max(outer.left(), area.left()), area.right() + 1 - outer.width())
        y = min(max(outer.top(), area.top()), area.bottom() + 1 - outer.height())
        self.move(max(x, area.left()), max(y, area.top()))

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
        self.show_view(view if 0 <= view < EDITORS else MEETINGS)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/meetings_splitter", self.meetings_page.splitter.saveState())
        settings.setValue("main_window/view", min(self.stack.currentIndex(), REGISTRY))
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._protokoll_page is not None and not self._protokoll_page.maybe_leave():
            event.ignore()
            return
        for index in reversed(range(self.editors.count())):
            if not self.close_editor(index):
                event.ignore()
                return
        self.save_settings()
        if self._generator is not None:
            self._generator.shutdown()
        self.diary_page.wait_for_tasks()
        self.registry_page.wait_for_tasks()
        tasks.wait_until_idle()   # what the views handed the runner is written before the window goes
        wait_for_background()
        super().closeEvent(event)
