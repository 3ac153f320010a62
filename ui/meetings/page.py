"""Sammanträden: the list of meetings (coming first, then held) and the agenda editor of the selected one.

Every change to the agenda (a move, a drop, a new or removed item, an edited title, secrecy) is handed to the runner
at once (``operations.meetings.replace_agenda``, off the UI thread) and read back when written, so numbers and
readiness show what is stored.

Secrecy has one source: an item with an ärende shows the ärende's (lifted only in the ärende), a stand-alone item
has its own. Lifting a stand-alone item's secrecy is a decision with a reason, recorded with who and when
(``operations.secrecy.unseal_item``), never an agenda edit.

Every agenda edit is an undo step (one ``QUndoStack`` per meeting, Ångra/Gör om in the Redigera menu): undoing puts
the agenda as it was before the step back and saves it through the same operation as any edit. Marking secrecy is
a decision, not an undo step, and an undo never lifts secrecy (the store keeps it and says so).

The documents of the selected meeting (kallelse, handlingar, the send-out) are made by the window's ``Generator``;
the protokoll opens in its own view (``open_protokoll``).
"""

from typing import Callable, TypeVar

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFrame, QGroupBox, QHBoxLayout, QLabel, QMenu, QPushButton, QScrollArea, QSplitter,
    QToolBar, QToolButton, QVBoxLayout, QWidget,
)
from shiboken6 import isValid

from nämndtool import labels
from nämndtool.documents.kallelse import forhinder_line
from nämndtool.operations import meetings as meeting_ops, secrecy
from nämndtool.store.sammantraden import STANDARD_CLOSING, STANDARD_OPENING
from nämndtool.ui.meetings.agenda_model import (
    MISSING_COLOUR, READY_COLOUR, AgendaEditorModel, has_standard, readiness_problems, readiness_summary,
    standard_item, standard_position,
)
from nämndtool.ui.meetings.dialogs import (
    ArendePickerDialog, CopyAgendaDialog, ItemDialog, MeetingDialog, SecretDialog,
)
from nämndtool.ui.meetings.meetings_model import MeetingsModel
from nämndtool.ui.common.secrecy_prompts import (
    MINIMUM_REASON, published_text, unseal_item_question, unsealed_text,
)
from nämndtool.store.sammantraden import MEETING_STATUSES
from nämndtool.ui.common import changes, tasks
from nämndtool.ui.common.dialogs import Dialogs, error_text
from nämndtool.ui.common.widgets import (
    LoadWhenShown, count_text, fit_columns, long_date, muted, page_title, table_view,
)

T = TypeVar("T")
TOOLBAR_STYLE = ("QToolBar { border: none; spacing: 6px; }"
                 " QToolButton { border: 1px solid palette(mid); border-radius: 3px; padding: 3px 9px;"
                 " background: palette(button); }"
                 " QToolButton:hover { background: palette(light); }"
                 " QToolButton:disabled { color: palette(mid); }")
LOCKED_NOTE = "Sammanträdet är justerat. Dagordningen är låst och kan inte längre ändras."
FOLLOWED_TOPICS = {changes.MEETINGS, changes.DIARY, changes.EXCHANGE, "documents", "protokoll", "secrecy"}
"""What the page shows comes from these: meetings and agendas, the ärenden on them (title, readiness, secrecy), a
saved kallelse (Kallat) and the protokoll (Genomfört, Justerat)."""
STATUS_TIPS = {
    "planerat": "Sammanträdet är planerat; kallelsen har inte gått ut",
    "kallat": "Kallelsen har gått ut (sätts när kallelsen sparas)",
    "genomfort": "Sammanträdet har hållits (sätts när närvaron eller paragraferna skrivs)",
}


def action_button(action: QAction, text: str | None = None) -> QPushButton:
    """A push button that triggers ``action`` and follows its text (unless ``text`` is given), tooltip and enabled
    state."""
    button = QPushButton(text or action.text())
    button.clicked.connect(action.trigger)

    def follow() -> None:
        button.setText(text or action.text())
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    action.changed.connect(follow)
    follow()
    return button


def agenda_warnings_text(warnings: list[str]) -> str:
    """What the store said when the agenda was saved (a secret item that stays secret), with where to act."""
    bullets = "\n".join(f"• {w}" for w in warnings)
    return (f"Dagordningen är sparad. Observera:\n{bullets}\n\nI programmet hävs sekretessen för en punkt med "
            "Häv sekretess… (välj punkten först), och för ett ärende i ärendet.")


def observe_text(headline: str, warnings) -> str:
    """A message that something was done, with what the user should know about it."""
    bullets = "\n".join(f"• {w}" for w in warnings)
    return f"{headline} Observera:\n{bullets}" if warnings else headline


class AgendaStep(QUndoCommand):
    """One agenda edit, as the rows before and after it. It is pushed once the edit has been made (its first redo
    does nothing); undo and redo put the other rows back and save them through ``replace_agenda`` like any edit."""

    def __init__(self, page: "MeetingsPage", meeting_id: int, text: str, before: list[dict], after: list[dict]):
        super().__init__(text)
        self.page, self.meeting_id, self.before, self.after = page, meeting_id, before, after
        self._made = True

    def redo(self) -> None:
        if self._made:
            self._made = False
            return
        self.page.put_back(self.meeting_id, self.after)

    def undo(self) -> None:
        self.page.put_back(self.meeting_id, self.before)


class MeetingsPage(QWidget):
    """The meetings, and the agenda of the selected one below them with everything to build it."""

    counts_changed = Signal(str)
    open_arende = Signal(int)
    """Ask the main window to open this ärende (id) in the editor."""
    open_protokoll = Signal(int)
    """Ask the main window to show the protokoll of this meeting (id)."""

    def __init__(self, store, dialogs: Dialogs | None = None, parent=None, generator=None):
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs or Dialogs()
        self.generator = generator
        """Gives the window's ``Generator``, which makes the meeting's documents, made when first asked for (None:
        the document actions say so)."""
        self.dialog: QDialog | None = None
        """The dialog this page has open (meeting, item, secrecy or ärende search), for tests and focus."""
        self._agenda_saves = 0
        """Agenda saves handed to the runner and not yet ended."""
        self._agenda_task: tasks.Task | None = None
        """The agenda save the last change started."""
        self._showing = False
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        """One undo history per meeting, kept while the page lives."""
        self._settled: list[dict] = []
        """The agenda rows as the last edit (or reading) left them: what an undo step puts back."""
        self._undoable = True
        self._undo_active = True
        """False while another view is shown: Ctrl+Z then never undoes an agenda edit out of sight."""

        self.meetings_model = MeetingsModel(parent=self)
        self.meetings_view = table_view(self.meetings_model)
        self.meetings_view.setAccessibleName("Sammanträden")
        fit_columns(self.meetings_view, stretch=3)
        self.agenda_model = AgendaEditorModel(parent=self)
        self.agenda_view = self._build_agenda_view()
        self._build_actions()
        self._build_layout()

        self.meetings_view.selectionModel().selectionChanged.connect(self._on_meeting_selection)
        self.meetings_view.activated.connect(lambda _index: self.edit_meeting())
        self.agenda_view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.agenda_view.doubleClicked.connect(self._on_item_double_clicked)
        self.agenda_model.edited.connect(self._persist)
        self.undo_group.indexChanged.connect(lambda _index: self._update_actions())
        # Nothing is read until the page is first shown; a change while it is hidden is read when it is shown.
        self.loading = LoadWhenShown(self, self._follow_change)
        self._update_actions()
        changes.follow(self, FOLLOWED_TOPICS, self.loading.reload_when_shown, store)

    # --- building -------------------------------------------------------------------------------------------

    def _build_agenda_view(self):
        view = table_view(self.agenda_model)
        view.setAccessibleName("Dagordning")
        fit_columns(view, stretch=1)
        view.setDragEnabled(True)
        view.setAcceptDrops(True)
        view.setDropIndicatorShown(True)
        view.setDragDropOverwriteMode(False)
        view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._agenda_menu)
        return view

    def _action(self, text: str, slot: Callable, shortcut: str | None = None, widget: QWidget | None = None,
                tip: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setIconText(text.replace("&", ""))  # tool buttons would drop the "…" that says a dialog follows
        action.triggered.connect(lambda _checked=False: slot())
        if tip:
            action.setToolTip(tip)
        if widget is not None:
            # Only while the list itself has focus: Delete in a title being edited must not remove the item.
            # (Context and widget before the shortcut: Qt registers the shortcut with what it has then.)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            widget.addAction(action)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_actions(self) -> None:
        self.new_meeting_action = self._action("&Nytt sammanträde…", self.new_meeting,
                                               tip="Nytt sammanträde, för nämnden om du inte väljer annat (Ctrl+N)")
        self.new_meeting_action.setShortcuts([QKeySequence("Ctrl+N"), QKeySequence("Ctrl+Shift+N")])
        self.addAction(self.new_meeting_action)
        self.edit_meeting_action = self._action("&Redigera…", self.edit_meeting,
                                                tip="Ändra datum, tid, plats, ordförande och förhinder")
        self.delete_meeting_action = self._action("Ta &bort…", self.delete_meeting,
                                                  tip="Ta bort sammanträdet och dess dagordning")
        self.status_actions = {}
        for code in MEETING_STATUSES[:3]:
            action = self._action(labels.MEETING_STATUS[code], lambda c=code: self.set_status(c),
                                  tip=STATUS_TIPS[code])
            action.setCheckable(True)
            self.status_actions[code] = action
        self.status_menu_action = self._menu_action("&Status", list(self.status_actions.values()),
                                                    "Ändra sammanträdets status: planerat, kallat eller genomfört")
        self.meetings_view.addActions(
            [self.new_meeting_action, self.edit_meeting_action, self.delete_meeting_action, self.status_menu_action])
        self.meetings_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        view = self.agenda_view
        self.add_arende_action = self._action("Lägg till &ärenden…", self.choose_arende, "Ins", view,
                                              tip="Sök i diariet och lägg till ett eller flera ärenden (Ins)")
        self.copy_agenda_action = self._action(
            "&Kopiera dagordning från …", self.choose_agenda_to_copy,
            tip="Kopiera standardpunkterna med sina texter och de ärenden som ännu inte är beslutade från ett "
                "annat sammanträde")
        self.add_standard_action = self._action("Alla som saknas", self.add_missing_standard,
                                                tip="Lägg till de standardpunkter som saknas, i standardordning")
        self.standard_actions = {
            title: self._action(title, lambda t=title: self.add_standard(t),
                                tip="Läggs först på dagordningen" if title in STANDARD_OPENING
                                else "Läggs sist på dagordningen")
            for title in (*STANDARD_OPENING, *STANDARD_CLOSING)
        }
        self.move_up_action = self._action("Flytta &upp", lambda: self.move_selected(-1), "Alt+Up", view,
                                           tip="Flytta punkten ett steg upp (Alt+Upp)")
        self.move_down_action = self._action("Flytta &ned", lambda: self.move_selected(1), "Alt+Down", view,
                                             tip="Flytta punkten ett steg ned (Alt+Ned)")
        self.edit_item_action = self._action("Redigera &punkt…", self.edit_selected,
                                             tip="Ändra punktens rubrik och anteckning (F2 ändrar rubriken direkt)")
        self.secret_action = self._action("&Sekretess…", self.toggle_secret,
                                          tip="Markera punkten med sekretess eller häv markeringen")
        self.remove_item_action = self._action("&Ta bort punkt", self.remove_selected, "Del", view,
                                               tip="Ta bort punkten från dagordningen (Delete)")
        self.open_arende_action = self._action("Öppna ärendet", self.open_selected_arende, "Ctrl+Return", view)

        self.undo_action = self.undo_group.createUndoAction(self, "Ångra")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setToolTip("Ångra den senaste ändringen av dagordningen (Ctrl+Z)")
        self.redo_action = self.undo_group.createRedoAction(self, "Gör om")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setToolTip("Gör om det som ångrades (Ctrl+Skift+Z)")
        self.addActions([self.undo_action, self.redo_action])

        self.kallelse_action = self._action("&Kallelse, offentlig (PDF) …", lambda: self._document(
            lambda g, m: g.kallelse(m, True, "pdf")), "Ctrl+K")
        self.internal_kallelse_action = self._action("Kallelse, &intern (PDF) …", lambda: self._document(
            lambda g, m: g.kallelse(m, False, "pdf")), "Ctrl+Shift+K")
        self.word_kallelse_action = self._action("Kallelse, offentlig (&Word) …", lambda: self._document(
            lambda g, m: g.kallelse(m, True, "docx")))
        self.public_pack_action = self._action("&Handlingar, offentlig version …", lambda: self._document(
            lambda g, m: g.pack(m, True)), "Ctrl+Shift+H")
        self.internal_pack_action = self._action("Handlingar, i&ntern version …", lambda: self._document(
            lambda g, m: g.pack(m, False)))
        self.distribute_action = self._action("&Skicka kallelsen till ledamöter och ersättare …",
                                              lambda: self._document(lambda g, m: g.distribute(m)), "Ctrl+Shift+E")
        self.protokoll_action = self._action("&Protokoll …", self._show_protokoll, "Ctrl+Shift+P",
                                             tip="Öppna sammanträdets protokoll (Ctrl+Skift+P)")
        self.document_actions = [self.kallelse_action, self.internal_kallelse_action, self.word_kallelse_action,
                                 self.public_pack_action, self.internal_pack_action, self.distribute_action,
                                 self.protokoll_action]

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(page_title("Sammanträden"))
        header.addStretch(1)
        for action in (self.new_meeting_action, self.edit_meeting_action, self.delete_meeting_action):
            header.addWidget(action_button(action))
        self.status_button = QToolButton()
        self.status_button.setDefaultAction(self.status_menu_action)
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_button.setAccessibleName("Status")
        header.addWidget(self.status_button)

        self.agenda_title = QLabel("Dagordning")
        self.agenda_title.setWordWrap(True)
        font = self.agenda_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.agenda_title.setFont(font)
        self.agenda_info = muted()
        self.forhinder_info = muted()
        self.locked_note = QLabel(LOCKED_NOTE)
        self.locked_note.setWordWrap(True)
        self.locked_note.setStyleSheet("background: #fff4ce; color: #4d3800; padding: 5px 8px;")
        self.locked_note.hide()
        self.readiness_note = QLabel()
        self.readiness_note.setWordWrap(True)
        self.readiness_note.setAccessibleName("Inför dukningen")

        # A tool bar rather than a row of buttons: in a narrow window the last ones move into its » menu.
        self.agenda_toolbar = QToolBar("Dagordning")
        self.agenda_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.agenda_toolbar.setStyleSheet(TOOLBAR_STYLE)
        self.agenda_toolbar.addAction(self.add_arende_action)
        self.agenda_toolbar.addAction(self.copy_agenda_action)
        self.agenda_toolbar.addSeparator()
        for action in (self.move_up_action, self.move_down_action, self.edit_item_action, self.secret_action,
                       self.remove_item_action, None, self.undo_action, self.redo_action):
            if action is None:
                self.agenda_toolbar.addSeparator()
            else:
                self.agenda_toolbar.addAction(action)

        standard = QGroupBox("Standardpunkter")
        standard_layout = QVBoxLayout(standard)
        standard_layout.setSpacing(4)
        self.standard_buttons = {}
        for title in STANDARD_OPENING:
            self.standard_buttons[title] = action_button(self.standard_actions[title])
            standard_layout.addWidget(self.standard_buttons[title])
        standard_layout.addSpacing(6)
        for title in STANDARD_CLOSING:
            self.standard_buttons[title] = action_button(self.standard_actions[title])
            standard_layout.addWidget(self.standard_buttons[title])
        standard_layout.addSpacing(6)
        self.add_standard_button = action_button(self.add_standard_action)
        standard_layout.addWidget(self.add_standard_button)
        standard_layout.addStretch(1)
        drag_hint = muted("Dra punkterna för att ändra ordningen, eller flytta med Alt+Upp och Alt+Ned.")
        drag_hint.setMaximumWidth(max(b.sizeHint().width() for b in self.standard_buttons.values()))
        standard_layout.addWidget(drag_hint)

        table_row = QHBoxLayout()
        table_row.addWidget(self.agenda_view, 1)
        # In a scroll area, so a low window scrolls the panel instead of refusing to get smaller.
        panel = QScrollArea()
        panel.setWidget(standard)
        panel.setWidgetResizable(True)
        panel.setFrameShape(QFrame.Shape.NoFrame)
        panel.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel.setMinimumWidth(standard.sizeHint().width() + panel.verticalScrollBar().sizeHint().width())
        table_row.addWidget(panel)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.meetings_view)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 8, 0, 0)
        bottom_layout.setSpacing(4)
        title_row = QHBoxLayout()
        title_row.addWidget(self.agenda_title, 1)
        self.document_toolbar = self._document_toolbar()
        title_row.addWidget(self.document_toolbar, 0, Qt.AlignmentFlag.AlignTop)
        bottom_layout.addLayout(title_row)
        bottom_layout.addWidget(self.agenda_info)
        bottom_layout.addWidget(self.forhinder_info)
        bottom_layout.addWidget(self.locked_note)
        bottom_layout.addWidget(self.readiness_note)
        bottom_layout.addSpacing(4)
        bottom_layout.addWidget(self.agenda_toolbar)
        bottom_layout.addLayout(table_row, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([150, 600])

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter)

    def _document_toolbar(self) -> QToolBar:
        """Kallelse ▾, Handlingar ▾, Skicka kallelsen … and Protokoll for the selected meeting; a tool bar, so a
        narrow window moves the last ones into its » menu instead of growing."""
        bar = QToolBar("Dokument")
        bar.setAccessibleName("Sammanträdets dokument")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setStyleSheet(TOOLBAR_STYLE)
        self.kallelse_menu_action = self._menu_action(
            "Kallelse", [self.kallelse_action, self.internal_kallelse_action, self.word_kallelse_action],
            "Skapa kallelsen som PDF eller Word (Ctrl+K)")
        self.pack_menu_action = self._menu_action(
            "Handlingar", [self.public_pack_action, self.internal_pack_action],
            "Skapa handlingarna: kallelsen, tjänsteskrivelserna och bilagorna i dagordningens ordning")
        self.distribute_action.setToolTip("Sändlista och e-postutkast till ledamöter och ersättare, med de "
                                          "offentliga handlingarna (Ctrl+Skift+E)")
        self.distribute_action.setIconText("Skicka kallelsen…")
        self.protokoll_action.setIconText("Protokoll")
        for action in (self.kallelse_menu_action, self.pack_menu_action, self.distribute_action,
                       self.protokoll_action):
            bar.addAction(action)
        for action in (self.kallelse_menu_action, self.pack_menu_action):
            bar.widgetForAction(action).setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kallelse_button = bar.widgetForAction(self.kallelse_menu_action)
        self.pack_button = bar.widgetForAction(self.pack_menu_action)
        self.distribute_button = bar.widgetForAction(self.distribute_action)
        self.protokoll_button = bar.widgetForAction(self.protokoll_action)
        return bar

    def _menu_action(self, text: str, actions: list[QAction], tip: str) -> QAction:
        action = QAction(text, self)
        menu = QMenu(self)
        menu.addActions(actions)
        action.setMenu(menu)
        action.setToolTip(tip)
        return action

    # --- reading --------------------------------------------------------------------------------------------

    def _query(self, query: Callable[[], T], fallback: T) -> T:
        """Run a store query; an error is shown and ``fallback`` used instead."""
        try:
            return query()
        except Exception as error:  # noqa: BLE001 — every failure is shown as a Swedish message
            self.dialogs.error(self, error_text(error))
            return fallback

    def reload(self, select_id: int | None = None) -> None:
        """Read the meetings again, keeping the selected one (or selecting ``select_id``), else the first."""
        self.loading.loaded()
        current = self.selected_meeting()
        wanted = select_id if select_id is not None else (current["id"] if current else None)
        meetings = self._query(self.store.meetings, [])
        self._showing = True
        try:
            self.meetings_model.set_rows(meetings)
            row = self.meetings_model.row_of(wanted)
            if row is None and meetings:
                row = 0
            if row is not None:
                self.meetings_view.selectRow(row)
        finally:
            self._showing = False
        self._show_agenda(self.selected_meeting())

    def selected_meeting(self) -> dict | None:
        rows = self.meetings_view.selectionModel().selectedRows()
        return self.meetings_model.row_at(rows[0].row()) if rows else None

    def select_meeting(self, meeting_id: int) -> None:
        row = self.meetings_model.row_of(meeting_id)
        if row is not None:
            self.meetings_view.selectRow(row)

    def selected_row(self) -> int | None:
        rows = self.agenda_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_item(self) -> dict | None:
        row = self.selected_row()
        return self.agenda_model.row_at(row) if row is not None else None

    def select_item(self, row: int) -> None:
        if 0 <= row < self.agenda_model.rowCount():
            self.agenda_view.selectRow(row)
            self.agenda_view.scrollTo(self.agenda_model.index(row, 0))

    def read_only(self) -> bool:
        meeting = self.selected_meeting()
        return meeting is None or meeting["status"] == "justerat"

    def counts(self) -> str:
        text = count_text(self.meetings_model.rowCount(), "sammanträde", "sammanträden")
        if self.selected_meeting():
            text += " · dagordningen har " + count_text(self.agenda_model.rowCount(), "punkt", "punkter")
        return text

    def _on_meeting_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if not self._showing:
            self._show_agenda(self.selected_meeting())

    def _show_agenda(self, meeting: dict | None) -> None:
        if meeting is None:
            self.agenda_model.set_rows([])
            self.agenda_model.set_read_only(True)
            self.agenda_title.setText("Dagordning")
            self.agenda_info.setText(
                "Välj ett sammanträde i listan för att se dess dagordning."
                if self.meetings_model.rowCount()
                else "Det finns inga sammanträden i registret ännu. Skapa ett med Nytt sammanträde (Ctrl+N)."
            )
            self.forhinder_info.hide()
            self.locked_note.hide()
            self.readiness_note.hide()
        else:
            self.agenda_model.set_rows(self._query(lambda: self.store.agenda(meeting["id"]), []))
            locked = meeting["status"] == "justerat"
            self.agenda_model.set_read_only(locked)
            self.agenda_title.setText(f"Dagordning – {meeting['organ']} {long_date(meeting['datum'])}")
            self.agenda_info.setText(self._meeting_details(meeting))
            forhinder = forhinder_line(meeting.get("forhinder_namn"), meeting.get("forhinder_epost"),
                                       meeting.get("forhinder_telefon"))
            self.forhinder_info.setText(
                forhinder or "Ingen kontakt för förhinder angiven – lägg till den under Redigera.")
            self.forhinder_info.show()
            self.locked_note.setVisible(locked)
            self.readiness_note.show()
            self._show_readiness()
        self._settled = self.agenda_model.snapshot()
        self._activate_history()
        self._update_actions()
        self.counts_changed.emit(self.counts())

    def _stack(self, meeting_id: int) -> QUndoStack:
        """The undo history of this meeting's agenda."""
        if meeting_id not in self._stacks:
            stack = QUndoStack(self.undo_group)
            self.undo_group.addStack(stack)
            self._stacks[meeting_id] = stack
        return self._stacks[meeting_id]

    def set_undo_active(self, active: bool) -> None:
        """Ångra and Gör om work on the shown agenda only while the page is the view shown (the main window says)."""
        self._undo_active = active
        self._activate_history()

    def _activate_history(self) -> None:
        meeting = self.selected_meeting()
        editable = meeting is not None and not self.read_only()
        self.undo_group.setActiveStack(self._stack(meeting["id"]) if editable and self._undo_active else None)

    def _forget_history(self, meeting_id: int) -> None:
        """After a refusal the stored agenda is not what the history says: its steps cannot be undone any more."""
        if meeting_id in self._stacks:
            self._stacks[meeting_id].clear()

    def _show_readiness(self) -> None:
        rows = [self.agenda_model.row_at(i) for i in range(self.agenda_model.rowCount())]
        self.readiness_note.setText(readiness_summary(rows))
        cases = [r for r in rows if r.get("arende_id") is not None]
        if not cases:
            colour = None
        elif any(readiness_problems(r) for r in cases):
            colour = MISSING_COLOUR
        else:
            colour = READY_COLOUR
        self.readiness_note.setStyleSheet(f"color: {colour.name()};" if colour else "")

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

    def _update_actions(self) -> None:
        meeting = self.selected_meeting()
        editable = not self.read_only()
        self.edit_meeting_action.setEnabled(editable)
        self.delete_meeting_action.setEnabled(editable)
        self.status_menu_action.setEnabled(editable)
        current = meeting["status"] if meeting else None
        self.status_menu_action.setText(f"Status: {labels.MEETING_STATUS.get(current, current)}" if current
                                        else "&Status")
        for code, action in self.status_actions.items():
            action.setChecked(code == current)
            action.setEnabled(editable)
        rows = [self.agenda_model.row_at(i) for i in range(self.agenda_model.rowCount())]
        for title, action in self.standard_actions.items():
            present = has_standard(rows, title)
            action.setEnabled(editable and not present)
            where = "först" if title in STANDARD_OPENING else "sist"
            action.setToolTip("Finns redan på dagordningen" if present else f"Läggs {where} på dagordningen")
        self.add_standard_action.setEnabled(
            editable and any(not has_standard(rows, t) for t in (*STANDARD_OPENING, *STANDARD_CLOSING)))
        self.add_arende_action.setEnabled(editable)
        self.copy_agenda_action.setEnabled(editable)
        # Before the page has read its meetings (the window opened on another view), the documents of the meeting
        # it will select are offered as they were; using one reads the meetings first (``_document``).
        for action in (*self.document_actions, self.kallelse_menu_action, self.pack_menu_action):
            action.setEnabled(meeting is not None or not self.loading.is_loaded)
        row = self.selected_row()
        item = self.selected_item()
        has_item = editable and item is not None
        self.move_up_action.setEnabled(has_item and row > 0)
        self.move_down_action.setEnabled(has_item and row < len(rows) - 1)
        self.edit_item_action.setEnabled(has_item)
        self.remove_item_action.setEnabled(has_item)
        self.secret_action.setEnabled(has_item)
        self.secret_action.setText("Häv &sekretess…" if item and item.get("sekretess") else "&Sekretess…")
        self.secret_action.setIconText(self.secret_action.text().replace("&", ""))
        self.open_arende_action.setEnabled(meeting is not None and item is not None
                                           and item.get("arende_id") is not None)

    # --- saving the agenda -----------------------------------------------------------------------------------

    def _persist(self, what: str = "ändra dagordningen") -> None:
        """The model made an edit (``what``): it becomes an undo step of the meeting, and is saved."""
        meeting = self.selected_meeting()
        if meeting is None:
            return
        after = self.agenda_model.snapshot()
        if self._undoable:
            self._stack(meeting["id"]).push(AgendaStep(self, meeting["id"], what, self._settled, after))
        self._settled = after
        self._save(meeting["id"])

    def put_back(self, meeting_id: int, rows: list[dict]) -> None:
        """An undo or redo: the agenda as ``rows`` holds it, shown and saved like any edit."""
        meeting = self.selected_meeting()
        if meeting is None or meeting["id"] != meeting_id:
            return
        self.agenda_model.restore(rows)
        self._settled = self.agenda_model.snapshot()
        self._show_readiness()
        self._update_actions()
        self._save(meeting_id)

    def _save(self, meeting_id: int) -> None:
        """Write the agenda as the model now has it, off the UI thread (``operations.meetings.replace_agenda``).
        Saves run in the order they were made; when the last one has ended the stored agenda is shown, and a
        refusal is shown with the stored agenda coming back (and the history, which no longer matches, gone)."""
        self._agenda_saves += 1
        self._agenda_task = tasks.run(self, self.store, meeting_ops.replace_agenda, meeting_id,
                                      self.agenda_model.items(),
                                      done=lambda warnings: self._agenda_saved(meeting_id, warnings),
                                      failed=lambda error: self._agenda_failed(meeting_id, error, forget=True))

    def _edit_agenda(self, change: Callable[[], object]) -> tasks.Task | None:
        """Make ``change`` to the model; the save it started, or None when the model refused it."""
        self._agenda_task = None
        change()
        return self._agenda_task

    def _agenda_saved(self, meeting_id: int, warnings: list[str]) -> None:
        self._agenda_saves -= 1
        if warnings:
            self.dialogs.info(self, agenda_warnings_text(warnings))
        self._show_stored_agenda(meeting_id)

    def _agenda_failed(self, meeting_id: int, error: BaseException, forget: bool = False) -> None:
        self._agenda_saves -= 1
        if forget:
            self._forget_history(meeting_id)
        self.dialogs.error(self, error_text(error))
        self._show_stored_agenda(meeting_id)

    def _show_stored_agenda(self, meeting_id: int) -> None:
        """The agenda as stored, once no save of it is under way (so a later edit is not shown undone)."""
        meeting = self.selected_meeting()
        if self._agenda_saves or meeting is None or meeting["id"] != meeting_id:
            return
        selected = self.selected_row()
        self.agenda_model.refresh(self._query(lambda: self.store.agenda(meeting_id), self._rows()))
        if selected is not None:
            self.select_item(min(selected, self.agenda_model.rowCount() - 1))
        self._settled = self.agenda_model.snapshot()
        row = self.meetings_model.row_of(meeting_id)
        fresh = self._query(lambda: self.store.meeting(meeting_id), None)
        if row is not None and fresh is not None:
            self.meetings_model.update_row(row, fresh)
        self._show_readiness()
        self._update_actions()
        self.counts_changed.emit(self.counts())

    def _editable_or_say_so(self) -> bool:
        if self.selected_meeting() is None:
            return False
        if self.read_only():
            self.dialogs.info(self, LOCKED_NOTE)
            return False
        return True

    # --- agenda: adding ---------------------------------------------------------------------------------------
    # Each change returns the save it started (truthy; a dialog closes when it succeeds), or False.

    def _rows(self) -> list[dict]:
        return [self.agenda_model.row_at(i) for i in range(self.agenda_model.rowCount())]

    def add_standard(self, title: str) -> tasks.Task | bool:
        """One standard item where it belongs (opening items at the top, closing ones at the end)."""
        if not self._editable_or_say_so() or has_standard(self._rows(), title):
            return False
        row = standard_position(self._rows(), title)
        task = self._edit_agenda(lambda: self.agenda_model.insert_item(row, standard_item(title),
                                                                       f"lägg till {title.lower()}"))
        self.select_item(row)
        return task or False

    def add_missing_standard(self) -> tasks.Task | bool:
        """Every missing standard item, in standard order: opening items first, closing items last."""
        if not self._editable_or_say_so():
            return False
        rows = self._rows()
        placed = []
        for title in (*STANDARD_OPENING, *STANDARD_CLOSING):
            if not has_standard(rows, title):
                position = standard_position(rows, title)
                item = standard_item(title)
                rows.insert(position, item)
                placed.append((position, item))
        if not placed:
            return True
        return self._edit_agenda(lambda: self.agenda_model.insert_items(placed, "lägg till standardpunkter")) or False

    def choose_arende(self) -> ArendePickerDialog | None:
        """The search dialog over the diary; the ärenden picked (one or several) go before the closing standard
        items."""
        meeting = self.selected_meeting()
        if not self._editable_or_say_so():
            return None
        on_agenda = {r["arende_id"]: r["nr"] for r in self._rows() if r.get("arende_id") is not None}
        dialog = ArendePickerDialog(self.store, self.dialogs, meeting["namnd_id"], on_agenda, self.add_arenden, self,
                                    meeting_id=meeting["id"])
        self._show_dialog(dialog)
        dialog.search.setFocus()
        return dialog

    def add_arende(self, arende: dict) -> tasks.Task | bool:
        """Put one ärende of the diary on the agenda (see :meth:`add_arenden`)."""
        return self.add_arenden([arende])

    def add_arenden(self, arenden: list[dict]) -> tasks.Task | bool:
        """Put ärenden of the diary on the agenda, before the closing standard items, in one step
        (``operations.meetings.add_arenden``); a secret ärende becomes a secret item. When one already stands on
        another open agenda, the message says which."""
        if not self._editable_or_say_so() or not arenden:
            return False
        on_agenda = {r["arende_id"]: r["nr"] for r in self._rows() if r.get("arende_id") is not None}
        twice = [a for a in arenden if a["id"] in on_agenda]
        if twice:
            named = len(arenden) > 1
            self.dialogs.info(self, "\n".join(
                f"Ärendet{' ' + (a.get('diarienummer') or a['rubrik']) if named else ''} står redan som punkt "
                f"{on_agenda[a['id']]} på dagordningen." for a in twice))
            return False
        ids = [a["id"] for a in arenden]
        what = "lägg till ärende" if len(ids) == 1 else f"lägg till {len(ids)} ärenden"
        return self._agenda_operation(what, meeting_ops.add_arenden, ids, select_arende=ids[-1],
                                      headline=lambda change: f"{count_text(change.added, 'ärende', 'ärenden')} "
                                                              "lades till på dagordningen.")

    def choose_agenda_to_copy(self) -> CopyAgendaDialog | None:
        """The dialog that picks another meeting of the nämnd whose agenda is copied into this one."""
        meeting = self.selected_meeting()
        if not self._editable_or_say_so():
            return None
        dialog = CopyAgendaDialog(self.store, self.dialogs, meeting, self.copy_agenda, self)
        self._show_dialog(dialog)
        return dialog

    def copy_agenda(self, from_meeting_id: int) -> tasks.Task | bool:
        """Copy another meeting's standard items (with their texts) and its ärenden that are still open into this
        agenda (``operations.meetings.copy_agenda``); one undo step."""
        if not self._editable_or_say_so():
            return False
        return self._agenda_operation(
            "kopiera dagordning", meeting_ops.copy_agenda, from_meeting_id, always_tell=True,
            headline=lambda change: (f"{count_text(change.added, 'punkt', 'punkter')} kopierades till dagordningen."
                                     if change.added else "Inget kopierades: dagordningen har redan det som "
                                                          "kopieras från det sammanträdet."))

    def _agenda_operation(self, what: str, operation: Callable, *args, headline: Callable,
                          select_arende: int | None = None, always_tell: bool = False) -> tasks.Task:
        """An agenda change made by an operation of its own (not the whole agenda from the model): it runs on the
        runner, becomes one undo step (the agenda before it and as stored after it), and its warnings are shown."""
        meeting_id = self.selected_meeting()["id"]
        before = self._settled
        self._agenda_saves += 1

        def done(change: meeting_ops.AgendaChange) -> None:
            self._agenda_saves -= 1
            if change.added:
                after = self._query(lambda: self.store.agenda(meeting_id), [])
                self._stack(meeting_id).push(AgendaStep(self, meeting_id, what, before, after))
            self._show_stored_agenda(meeting_id)
            if select_arende is not None:
                rows = self._rows()
                row = next((i for i, r in enumerate(rows) if r.get("arende_id") == select_arende), None)
                if row is not None:
                    self.select_item(row)
            if change.warnings or always_tell:
                self.dialogs.info(self, observe_text(headline(change), change.warnings))

        self._agenda_task = tasks.run(self, self.store, operation, meeting_id, *args, done=done,
                                      failed=lambda error: self._agenda_failed(meeting_id, error))
        return self._agenda_task

    # --- agenda: changing -------------------------------------------------------------------------------------

    def move_selected(self, delta: int) -> tasks.Task | bool:
        row = self.selected_row()
        if row is None or not self._editable_or_say_so():
            return False
        task = self._edit_agenda(lambda: self.agenda_model.move_item(row, row + delta))
        if task:
            self.select_item(row + delta)
        return task or False

    def remove_selected(self) -> tasks.Task | bool:
        row, item = self.selected_row(), self.selected_item()
        if item is None or not self._editable_or_say_so():
            return False
        kept = " Ärendet finns kvar i diariet." if item.get("arende_id") is not None else ""
        if not self.dialogs.confirm(
            self, f"Ta bort punkt {item['nr']} ”{item['rubrik']}” från dagordningen?{kept} "
                  "Punkterna efter numreras om.", yes="Ta bort punkten"):
            return False
        task = self._edit_agenda(lambda: self.agenda_model.remove_item(row))
        if self.agenda_model.rowCount():
            self.select_item(min(row, self.agenda_model.rowCount() - 1))
        return task or False

    def edit_selected(self) -> ItemDialog | None:
        row, item = self.selected_row(), self.selected_item()
        if item is None or not self._editable_or_say_so():
            return None
        dialog = ItemDialog(item, lambda changes: self.update_item(row, changes), self)
        self._show_dialog(dialog)
        return dialog

    def update_item(self, row: int, changes: dict) -> tasks.Task | bool:
        return self._edit_agenda(lambda: self.agenda_model.update_item(row, changes)) or False

    def toggle_secret(self) -> SecretDialog | None:
        """Unmark a secret item (after confirmation), or ask for the lagrum and mark it."""
        row, item = self.selected_row(), self.selected_item()
        if item is None or not self._editable_or_say_so():
            return None
        if item.get("sekretess"):
            self.unmark_secret(row)
            return None
        dialog = SecretDialog(item, lambda lagrum: self.mark_secret(row, lagrum), self)
        self._show_dialog(dialog)
        return dialog

    def mark_secret(self, row: int, lagrum: str) -> tasks.Task | bool:
        """Mark an item secret (an item with an ärende marks the ärende); once stored, say where public versions
        of the ärende have already gone, so the secretary can withdraw them."""
        item = self.agenda_model.row_at(row)
        newly = item.get("arende_id") is not None and not item.get("arende_sekretess")
        secret = {"sekretess": 1, "sekretess_lagrum": lagrum}
        self._undoable = False   # a decision about secrecy, not an agenda edit: no undo lifts it
        try:
            task = self._edit_agenda(lambda: self.agenda_model.update_item(row, secret))
        finally:
            self._undoable = True
        if task and newly:
            task.succeeded.connect(lambda _warnings: self._tell_where_public_versions_went(item["arende_id"]))
        return task or False

    def _tell_where_public_versions_went(self, arende_id: int) -> None:
        lines = self._query(lambda: secrecy.published_versions(self.store, arende_id), [])
        if lines:
            self.dialogs.info(self, published_text(lines))

    def unmark_secret(self, row: int) -> tasks.Task | bool:
        """Lift a stand-alone item's secrecy: a decision with a reason, recorded with who and when
        (``operations.secrecy.unseal_item``). An item with an ärende has the ärende's secrecy, which is lifted in
        the ärende."""
        item = self.agenda_model.row_at(row)
        meeting = self.selected_meeting()
        if item.get("arende_id") is not None:
            what = f"ärendet {item['diarienummer']}" if item.get("diarienummer") else "ärendet"
            if self.dialogs.confirm(
                self, f"Punkt {item['nr']} hör till {what}, och sekretessen följer ärendet. Sekretessen hävs i "
                      "ärendet: öppna det och kryssa ur Sekretess. Då följer punkten med.",
                    yes="Öppna ärendet", no="Stäng"):
                self.open_arende.emit(item["arende_id"])
            return False
        if item.get("id") is None or meeting is None:   # never stored as secret: nothing to decide
            return self.update_item(row, {"sekretess": 0, "sekretess_lagrum": None})
        reason = self.dialogs.ask_text(
            self, "Häv sekretessen", unseal_item_question(item), ok="Häv sekretessen",
            placeholder="Till exempel: Punkten innehåller inga uppgifter som omfattas av sekretess.",
            minimum=MINIMUM_REASON)
        if reason is None:
            return False
        meeting_id = meeting["id"]
        self._agenda_saves += 1
        return tasks.run(self, self.store, secrecy.unseal_item, meeting_id, item["nr"], reason,
                         done=lambda _none: self._item_unsealed(meeting_id, item["nr"]),
                         failed=lambda error: self._agenda_failed(meeting_id, error))

    def _item_unsealed(self, meeting_id: int, nr: int) -> None:
        self._agenda_saves -= 1
        self._show_stored_agenda(meeting_id)
        self.dialogs.info(self, unsealed_text(f"punkt {nr}"))

    def open_selected_arende(self) -> None:
        item = self.selected_item()
        if item and item.get("arende_id") is not None:
            self.open_arende.emit(item["arende_id"])

    def _on_item_double_clicked(self, index: QModelIndex) -> None:
        item = self.agenda_model.row_at(index.row())
        if item.get("arende_id") is not None:
            self.open_arende.emit(item["arende_id"])
        elif not self.read_only():
            self.edit_selected()

    def _agenda_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.open_arende_action, None, self.edit_item_action, self.secret_action, None,
                       self.move_up_action, self.move_down_action, None, self.remove_item_action, None,
                       self.add_arende_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.agenda_view.viewport().mapToGlobal(position))

    # --- meetings ---------------------------------------------------------------------------------------------

    def _show_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def new_meeting(self) -> MeetingDialog:
        """The dialog for a new meeting, of the nämnd itself unless the user picks an utskott. When it is saved,
        what the user should know about the date (``operations.meetings.meeting_warnings``) is said."""
        dialog = MeetingDialog(self.store, self.dialogs, None, self._namnd_organ_id(), self)
        dialog.accepted.connect(lambda: self._meeting_created(dialog))
        self._show_dialog(dialog)
        return dialog

    def _namnd_organ_id(self) -> int | None:
        """The organ that is the nämnd itself: of the selected meeting's nämnd, else of the first nämnd."""
        current = self.selected_meeting()
        for namnd in self._query(self.store.namnder, []):
            if current is None or namnd["id"] == current["namnd_id"]:
                organs = self._query(lambda: self.store.organs(namnd["id"]), [])
                return next((o["id"] for o in organs if o["typ"] == "namnd"), None)
        return None

    def _meeting_created(self, dialog: MeetingDialog) -> None:
        self.reload(select_id=dialog.meeting_id)
        if dialog.warnings:
            self.dialogs.info(self, observe_text("Sammanträdet är skapat.", dialog.warnings))

    def _document(self, make: Callable[[object, int], object]) -> None:
        """A document of the selected meeting, made by the window's Generator (made when first used)."""
        self.loading.load_if_needed()
        meeting = self.selected_meeting()
        if meeting is None:
            self.dialogs.info(self, "Välj ett sammanträde i listan först.")
        elif self.generator is None:
            self.dialogs.info(self, "Dokumenten skapas från huvudfönstret.")
        else:
            make(self.generator(), meeting["id"])

    def _show_protokoll(self) -> None:
        self.loading.load_if_needed()
        meeting = self.selected_meeting()
        if meeting is None:
            self.dialogs.info(self, "Välj ett sammanträde i listan först.")
        else:
            self.open_protokoll.emit(meeting["id"])

    def edit_meeting(self) -> MeetingDialog | None:
        meeting = self.selected_meeting()
        if meeting is None or not self._editable_or_say_so():
            return None
        dialog = MeetingDialog(self.store, self.dialogs, meeting, parent=self)
        dialog.accepted.connect(lambda: self.reload(select_id=meeting["id"]))
        self._show_dialog(dialog)
        return dialog

    def delete_meeting(self) -> tasks.Task | bool:
        """Remove the selected meeting after the user confirms (``operations.meetings.delete_meeting``); the list
        shows it gone once it is."""
        meeting = self.selected_meeting()
        if meeting is None or not self._editable_or_say_so():
            return False
        items = count_text(self.agenda_model.rowCount(), "dagordningspunkt", "dagordningspunkter")
        has_protokoll = hasattr(self.store, "protokoll") and self._query(
            lambda: self.store.protokoll(meeting["id"]), None) is not None
        draft = " Även utkastet till protokoll tas bort." if has_protokoll else ""
        if not self.dialogs.confirm(
            self, f"Ta bort sammanträdet {meeting['organ']} {long_date(meeting['datum'])} med dess {items}?{draft} "
                  "Ärendena finns kvar i diariet. Det går inte att ångra.", yes="Ta bort sammanträdet"):
            return False
        return tasks.run(self, self.store, meeting_ops.delete_meeting, meeting["id"],
                         done=lambda _none: self._meeting_deleted(meeting["id"]),
                         failed=lambda error: self.dialogs.error(self, error_text(error)))

    def _meeting_deleted(self, meeting_id: int) -> None:
        stack = self._stacks.pop(meeting_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self.meetings_view.clearSelection()
        self.reload()

    # --- the meeting's status and changes made elsewhere ------------------------------------------------------------

    def set_status(self, status: str) -> tasks.Task | bool:
        """Set the selected meeting's status by hand (``operations.meetings.set_status``); a step back the program
        refuses (a held or justerat meeting) is said in Swedish and the status stays."""
        meeting = self.selected_meeting()
        if meeting is None or not self._editable_or_say_so():
            return False
        if meeting["status"] == status:
            self._update_actions()
            return False

        def failed(error: BaseException) -> None:
            self.dialogs.error(self, error_text(error))
            self._update_actions()

        return tasks.run(self, self.store, meeting_ops.set_status, meeting["id"], status,
                         done=lambda _change: self.reload(select_id=meeting["id"]), failed=failed)

    def _follow_change(self) -> None:
        """Something this page shows changed elsewhere (an ärende registered or edited, a kallelse saved, the
        protokoll written): read the meetings and the agenda again, keeping what is selected. While an agenda
        save is under way its own end shows the stored agenda."""
        if self._agenda_saves or self.agenda_view.state() == QAbstractItemView.State.EditingState:
            return
        row = self.selected_row()
        self.reload()
        if row is not None:
            self.select_item(min(row, self.agenda_model.rowCount() - 1))
        if isinstance(self.dialog, ArendePickerDialog) and isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.run_search()
