"""The ärende editor: the ärende's own fields, its tjänsteskrivelse in the order of the printed document, a live
preview of the tjänsteskrivelse as it will print, and autosave; beside them the tabs Handlingar (registering,
closing the ärende) and Historik (the audit trail and, for a secret ärende, the read log).

Nothing typed is lost: a save that fails (a locked store, a full disk) is reported once, everything stays in the
fields, and the next change or save tries again. What is "unsaved" is decided by comparing the fields with what
was last loaded or saved, so typing something and deleting it again leaves nothing to save.
"""

import datetime as dt
from functools import partial

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QStackedWidget,
    QTabWidget, QVBoxLayout, QWidget,
)

from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.public_check import PersonnummerError, refuse_personnummer
from nämndtool.documents.service import render_preview
from nämndtool.documents.tjansteskrivelse import build_tjansteskrivelse
from nämndtool.errors import ConflictError, NamndtoolError
from nämndtool.operations import diary, secrecy
from nämndtool.store.tjansteskrivelser import HEADER_COLUMNS
from nämndtool.ui.editor.arende_form import ArendeForm
from nämndtool.ui.common.form_fields import part_heading, secret_badge
from nämndtool.ui.editor.tjansteskrivelse_form import TjansteskrivelseForm
from nämndtool.ui.editor.history import HistoryView
from nämndtool.ui.common.table_models import SECRET_FOREGROUND
from nämndtool.ui.editor.preview import WARNING_STYLE, BackgroundRenderer, PreviewPanel
from nämndtool.ui.editor.handlingar import HandlingarPanel, closed_text
from nämndtool.ui.common.tabs import whole_tab_text
from nämndtool.ui.common.secrecy_prompts import (
    MINIMUM_REASON, REASON_EXAMPLE, published_text, unseal_arende_question, unsealed_text,
)
from nämndtool.ui.common import changes, live, tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import muted
from nämndtool.secrecy.labels import secret_marking

AUTOSAVE_DELAY_MS = 2000
"""How long after the last change the editor saves by itself."""

PREVIEW_DELAY_MS = 600
"""How long after the last change the preview is made again."""

READ_HOW = "öppnat i programmet"
"""How the read log names opening a secret ärende in the editor."""

ERROR_STYLE = f"color: {SECRET_FOREGROUND.name()}; font-weight: bold;"

EDIT_TAB, HANDLINGAR_TAB, HISTORY_TAB = range(3)


def preview_tjansteskrivelse(arende: dict, ts: dict, namnd_forvaltning: str | None, bilagor: list[str],
                             branding: Branding) -> tuple[bytes, list[str]]:
    """The tjänsteskrivelse as PDF from the editor's current values, and the warnings to show under it.

    Runs in a worker thread: it touches neither the store nor Qt. The preview is for the screen only
    (``render_preview``, no secrecy gate); a public document with something that looks like a personnummer is
    shown with a warning, so the handläggare sees where it is before making the file.
    """
    built = build_tjansteskrivelse(arende, ts, namnd_forvaltning=namnd_forvaltning, bilagor=bilagor,
                                   branding=branding)
    warnings = list(built.warnings)
    try:
        refuse_personnummer(built.document)
    except PersonnummerError as error:
        places = ", ".join(dict.fromkeys(where for where, _found in error.hits))
        warnings.insert(0, f"Texten innehåller något som ser ut som ett personnummer ({places}). Den offentliga "
                           "tjänsteskrivelsen kan inte skapas förrän uppgiften är borttagen eller maskerad.")
    return render_preview(built.document, "pdf", branding), warnings


class ArendeEditor(QWidget):
    """One ärende and its tjänsteskrivelse. The main window asks ``maybe_leave()`` before closing it."""

    saved = Signal()
    """After every successful save: lists showing the ärende may want to reload."""

    title_changed = Signal(str)
    """The text for the tab or window title changed (the diary number, or the rubrik when there is none)."""

    state_changed = Signal(str)
    """Where the saving stands changed (``state_text()``), for the main window's status bar."""

    def __init__(self, store, dialogs, arende_id: int, parent=None):
        super().__init__(parent)
        self.store, self.dialogs, self.arende_id = store, dialogs, arende_id
        self.arende: dict = {}
        self.namnd: dict = {}
        self.bilagor: list[str] = []
        self._loading = False
        self._ts_started = False
        self._saved_arende: dict = {}
        self._saved_ts: dict | None = None
        self._saved_at: dt.datetime | None = None
        self._failure: str | None = None
        self._conflict = False
        self._error_shown = False
        self._versions: dict = {}
        self._save_task: tasks.Task | None = None
        """The save (or lifting of the secrecy) being written now; at most one at a time."""
        self._save_again: str | None = None
        """A save asked for while one was written (its ``report``), made when that one ends."""
        self.branding, self._branding_error = self._load_branding()

        self._save_timer = self._timer(AUTOSAVE_DELAY_MS, self._autosave)
        self._preview_timer = self._timer(PREVIEW_DELAY_MS, self.refresh_preview)
        self.renderer = BackgroundRenderer(self)
        self.renderer.finished.connect(self._on_rendered)
        self.renderer.failed.connect(self._on_render_failed)

        self._build()
        self._load()
        if self.arende.get("sekretess"):
            tasks.run(self, store, diary.log_read, arende_id, READ_HOW, done=lambda _none: self._after_read_logged(),
                      failed=self._on_read_log_failed)
        # Ctrl+S is the main window's Arkiv → Spara ärendet (``save_now`` of the editor shown): a second shortcut
        # here made the key ambiguous to Qt, which then ran neither.
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        changes.follow(self, changes.PEOPLE_TOPICS, self._people_changed, self.store)   # added or merged anywhere
        live.follow_remote(self, self.store, self._remote_change)   # another user's change (server store)

    def _after_read_logged(self) -> None:
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.reload()

    def _on_read_log_failed(self, error: BaseException) -> None:
        self.dialogs.error(self, "Att du öppnat sekretessärendet kunde inte skrivas i läsloggen. "
                                 + error_text(error))

    def _timer(self, interval: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    @staticmethod
    def _load_branding() -> tuple[Branding | None, str | None]:
        try:
            return load_branding(), None
        except NamndtoolError as error:
            return None, str(error)

    # --- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.number_label = QLabel()
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label.setAccessibleName("Diarienummer")
        self.secret_badge = secret_badge()
        self.subtitle = muted()
        self.subtitle.setWordWrap(False)
        self.state_label = QLabel()
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_button = QPushButton("Spara nu")
        self.save_button.setToolTip("Spara ändringarna nu (Ctrl+S). Annars sparas de automatiskt.")
        self.save_button.clicked.connect(self.save_now)

        self.arende_form = ArendeForm(self.dialogs)
        self.arende_form.lift_secrecy = self.lift_secrecy
        self.ts_form = TjansteskrivelseForm(self.store, self.dialogs)
        self.start_button = QPushButton("Skriv tjänsteskrivelse")
        self.start_button.clicked.connect(self.start_tjansteskrivelse)
        self.ts_stack = QStackedWidget()
        self.ts_stack.addWidget(self._empty_ts_page())
        self.ts_stack.addWidget(self.ts_form)
        ts_box = QGroupBox()
        ts_layout = QVBoxLayout(ts_box)
        ts_layout.addWidget(self.ts_stack)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.addWidget(part_heading("Ärende"))
        form_layout.addWidget(self.arende_form)
        form_layout.addSpacing(8)
        form_layout.addWidget(part_heading("Tjänsteskrivelse"))
        form_layout.addWidget(ts_box)
        form_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(form)

        self.preview = PreviewPanel("Förhandsvisning av tjänsteskrivelsen")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([740, 600])

        self.handlingar = HandlingarPanel(self.store, self.dialogs, self.arende_id)
        self.handlingar.before_status_change = lambda: self.flush(report="always")
        self.history = HistoryView(self.store, self.arende_id)
        self.tabs = whole_tab_text(QTabWidget())
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "Ärende och tjänsteskrivelse")
        self.tabs.addTab(self.handlingar, "Handlingar")
        self.tabs.addTab(self.history, "Historik")
        self.tabs.currentChanged.connect(self._on_tab_changed)

        title_row = QHBoxLayout()
        title_row.addWidget(self.number_label)
        title_row.addSpacing(12)
        title_row.addWidget(self.secret_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        title_row.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.subtitle)
        layout.addWidget(self._conflict_bar())
        layout.addWidget(self.tabs, 1)

        self.arende_form.changed.connect(self._on_changed)
        self.arende_form.secrecy_changed.connect(lambda _secret: self._show_secrecy())
        self.arende_form.handlaggare_changed.connect(
            lambda: self.ts_form.set_handlaggare(self.arende_form.person()))
        self.ts_form.changed.connect(self._on_changed)
        self.ts_form.files_dropped.connect(self.handlingar.register_dropped)
        self.handlingar.changed.connect(self._after_registry_change)
        self.handlingar.status_changed.connect(self._after_status_change)

    def _conflict_bar(self) -> QWidget:
        """Shown when someone else changed the ärende since it was opened: keep theirs, or save mine over it."""
        self.conflict_bar = QFrame()
        self.conflict_bar.setObjectName("konflikt")
        self.conflict_bar.setStyleSheet(f"QFrame#konflikt {{ {WARNING_STYLE} }}")
        self.conflict_text = QLabel(
            "Ärendet har ändrats i ett annat fönster eller av någon annan sedan du öppnade det. Dina ändringar är "
            "inte sparade men finns kvar här.")
        self.conflict_text.setWordWrap(True)
        self.override_button = QPushButton("Spara mina ändringar ändå")
        self.override_button.clicked.connect(self.save_over_conflict)
        self.reload_button = QPushButton("Visa den nya versionen")
        self.reload_button.setToolTip("Läs in ärendet på nytt; dina osparade ändringar slängs")
        self.reload_button.clicked.connect(self.reload_over_conflict)
        row = QHBoxLayout(self.conflict_bar)
        row.addWidget(self.conflict_text, 1)
        row.addWidget(self.override_button)
        row.addWidget(self.reload_button)
        self.conflict_bar.hide()
        return self.conflict_bar

    def _empty_ts_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(muted("Ärendet har ingen tjänsteskrivelse ännu."))
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # --- loading ---------------------------------------------------------------------------------

    def _load(self) -> None:
        """Read the ärende and its tjänsteskrivelse into the fields (a store error propagates to the caller)."""
        store = self.store
        versions = store.editor_versions(self.arende_id)  # first: a change made while reading shows as a conflict
        arende = store.arende(self.arende_id)
        ts = store.tjansteskrivelse(self.arende_id)
        namnd = store.namnd_by_kod(arende["namnd_kod"]) or {}
        current = arende["handlaggare_id"] or (ts or {}).get("handlaggare_id")
        people = self._handlaggare_choices(current)
        organs = [o["namn"] for o in store.organs(arende["namnd_id"])]
        bilagor = diary.listable_bilagor(store.bilagor(self.arende_id), bool(arende["sekretess"]))

        self._loading = True
        try:
            self.arende, self.namnd, self.bilagor, self._versions = arende, namnd, bilagor, versions
            self.arende_form.set_people(people, current)
            self.arende_form.set_values({**arende, "handlaggare_id": current})
            self.ts_form.set_defaults(namnd.get("forvaltning"), arende["rubrik"], organs)
            self.ts_form.set_bilagor(bilagor)
            self.ts_form.set_handlaggare(self.arende_form.person())
            self._ts_started = ts is not None
            if ts is not None:
                self.ts_form.set_values(ts)
            self.ts_stack.setCurrentIndex(1 if self._ts_started else 0)
        finally:
            self._loading = False
        self._saved_arende = self.arende_form.values()
        self._saved_ts = self._ts_payload()
        self._failure = None
        self._set_conflict(False)
        self._show_title()
        self._show_secrecy()
        self._show_state()
        self._reload_registry()
        self.refresh_preview()

    def _handlaggare_choices(self, current: int | None) -> list[dict]:
        """The tjänstepersoner to choose from, and ``current`` (the chosen one) also when it is no tjänsteperson."""
        people = self.store.tjanstepersoner()
        if current is not None and all(p["id"] != current for p in people):
            person = self.store.person(current)
            if person:
                people.append(person)
        return people

    def _people_changed(self) -> None:
        """A handläggare added, changed or merged anywhere in the app: the choice list shows it at once, and the
        details printed in the tjänsteskrivelse follow. A chosen person merged into another is shown as that one
        (the store moved the ärende to it), so what is saved next names a person who exists."""
        current = self.arende_form.values()["handlaggare_id"]
        try:
            if current is not None and self.store.person(current) is None:
                merged = self.store.merged_record("person", current)
                kept = merged["efter"]["sammanslagen_med"] if merged else None
                self._follow_person(current, kept)
                current = kept
            people = self._handlaggare_choices(current)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        if not self.arende_form.set_people(people, current):
            return
        self.ts_form.set_handlaggare(self.arende_form.person())
        self._show_state()
        self._preview_timer.start()

    def _follow_person(self, gone: int, kept: int | None) -> None:
        """What was saved named ``gone``, which the store has merged into ``kept``: it names ``kept`` now."""
        if self._saved_arende.get("handlaggare_id") == gone:
            self._saved_arende = {**self._saved_arende, "handlaggare_id": kept}
        if self._saved_ts and self._saved_ts["header"].get("handlaggare_id") == gone:
            self._saved_ts = {**self._saved_ts, "header": {**self._saved_ts["header"], "handlaggare_id": kept}}

    def reload(self) -> None:
        """Read the store again. With unsaved changes only the choice lists are refreshed, never the fields."""
        if not self.has_unsaved_changes():
            try:
                self._load()
            except NamndtoolError as error:
                self.dialogs.error(self, error_text(error))
            return
        self._reload_registry()
        if self._show_bilagor():
            self.ts_form.recipients.reload_address_book()

    def _show_bilagor(self) -> bool:
        """Read the bilagor again into the tjänsteskrivelse (Ärendets handlingar follows them) and its preview."""
        try:
            self.bilagor = diary.listable_bilagor(self.store.bilagor(self.arende_id), bool(self.arende["sekretess"]))
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return False
        self.ts_form.set_bilagor(self.bilagor)
        self._preview_timer.start()
        return True

    # --- handlingar and history -------------------------------------------------------------------

    def _reload_registry(self) -> None:
        self.handlingar.reload()
        self.tabs.setTabText(HANDLINGAR_TAB, f"Handlingar ({self.handlingar.count()})")
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.reload()

    def _on_tab_changed(self, index: int) -> None:
        """The history shows what is saved, so an edit is saved before the history is shown."""
        if index == HISTORY_TAB:
            if self.has_unsaved_changes():
                self.save()
            self.history.reload()

    def _after_registry_change(self) -> None:
        """A handling was registered or made a bilaga, or the ärende closed: the bilagor may have changed, and the
        lists showing the ärende (the agenda's readiness) reload as after a save."""
        self._show_bilagor()
        self.tabs.setTabText(HANDLINGAR_TAB, f"Handlingar ({self.handlingar.count()})")
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.reload()
        self.saved.emit()

    def _after_status_change(self) -> None:
        """Closing or reopening changed the ärende's status and version: show them (the fields were saved first)."""
        if self.has_unsaved_changes():
            return
        try:
            self._load()
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        self.saved.emit()

    def title(self) -> str:
        return self.arende.get("diarienummer") or self.arende_form.values()["rubrik"] or "Ärende"

    def counts(self) -> str:
        """The status bar text while the editor is shown: where the saving stands."""
        return self.state_label.text()

    # --- the tjänsteskrivelse --------------------------------------------------------------------

    def start_tjansteskrivelse(self) -> None:
        """Give an ärende without a tjänsteskrivelse an empty one to write in; it is saved like any change."""
        if self._ts_started:
            return
        self.ts_form.set_values({
            "forvaltning": self.namnd.get("forvaltning"),
            "datum": dt.date.today().isoformat(),
            "mottagare": self.namnd.get("namn"),
        })
        self._ts_started = True
        self.ts_stack.setCurrentIndex(1)
        self._on_changed()
        self.ts_form.forvaltning.setFocus()

    def has_tjansteskrivelse(self) -> bool:
        return self._ts_started

    # --- changes and saving ----------------------------------------------------------------------

    def _arende_changes(self) -> dict:
        """The ärende fields that differ from the store. Never a lifting of secrecy: that is a decision of its own
        (``lift_secrecy``), so an unticked box on a stored secret ärende is not saved."""
        current = self.arende_form.values()
        changes = {key: value for key, value in current.items() if self._saved_arende.get(key) != value}
        if self._saved_arende.get("sekretess") and not current["sekretess"]:
            changes.pop("sekretess", None)
            changes.pop("sekretess_lagrum", None)
        return changes

    def _ts_payload(self) -> dict | None:
        """The tjänsteskrivelse as ``save_tjansteskrivelse`` takes it, or None when the ärende has none."""
        if not self._ts_started:
            return None
        values = self.ts_form.values()
        header = {key: values.get(key) for key in HEADER_COLUMNS}
        header["handlaggare_id"] = self.arende_form.values()["handlaggare_id"]
        return {
            "header": header, "forslag": values["forslag"], "avsnitt": values["avsnitt"],
            "handlingar": values["handlingar"], "undertecknare": values["undertecknare"],
            "mottagare_ids": [r["id"] for r in values["beslutet_skickas_till"]],
        }

    def _problem(self) -> str | None:
        return self.arende_form.problem() or (self.ts_form.problem() if self._ts_started else None)

    def has_unsaved_changes(self) -> bool:
        payload = self._ts_payload()
        return bool(self._arende_changes()) or (payload is not None and payload != self._saved_ts)

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._save_timer.start()
        self._preview_timer.start()
        self._show_title()
        self._show_secrecy()
        self._show_state()

    def _autosave(self) -> None:
        self.save()

    def save_now(self) -> bool:
        """Save at once (Ctrl+S, "Spara nu") and wait until it is written; a failure is always reported, since
        the user asked. True when everything is saved."""
        return self.flush(report="always")

    def save(self, report: str = "once") -> bool:
        """Start saving what differs from the store, off the UI thread (``operations.diary.save_arende``); True
        when nothing is left to save, False when a save was started or cannot be made.

        At most one save runs at a time: a save asked for while one runs is made after it, with whatever the fields
        hold then. ``report`` says when a failed save opens the error dialog: "once" (autosave: only the first
        failure until a save succeeds again), "always", or "never" (the caller asks the user itself).
        """
        self._save_timer.stop()
        problem = self._problem()
        if problem:
            self._show_state()
            if report == "always":
                self.dialogs.error(self, f"Ändringarna kan inte sparas ännu. {problem}")
            return False
        if self._save_task is not None:
            self._save_again = "always" if "always" in (report, self._save_again) else report
            return False
        current = self.arende_form.values()
        changes = self._arende_changes()
        payload = self._ts_payload()
        ts_payload = payload if payload is not None and payload != self._saved_ts else None
        if not changes and ts_payload is None:
            self._failure = None
            self._show_state()
            return True
        self._save_task = tasks.run(
            self, self.store, diary.save_arende, self.arende_id, self._versions, arende_changes=changes,
            tjansteskrivelse=ts_payload,
            done=lambda versions: self._on_saved(versions, current, changes, ts_payload),
            failed=lambda error: self._on_save_failed(error, report))
        self._show_state()
        return False

    def _on_saved(self, versions: dict, current: dict, changes: dict, ts_payload: dict | None) -> None:
        """What was sent is in the store: it is the new "saved" (the fields may hold more typed meanwhile)."""
        self._save_task = None
        self._versions = versions
        newly_secret = bool(changes.get("sekretess")) and not self._saved_arende.get("sekretess")
        self._saved_arende = {**current, **{k: self._saved_arende.get(k) for k in current if k not in changes}}
        if ts_payload is not None:
            self._saved_ts = ts_payload
        self._failure = None
        self._set_conflict(False)
        self._error_shown = False
        self._saved_at = dt.datetime.now()
        self._show_state()
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.reload()
        self.saved.emit()
        if newly_secret:
            self._tell_where_public_versions_went()
        self._save_next()

    def _on_save_failed(self, error: BaseException, report: str) -> None:
        """Nothing was saved: everything stays in the fields, and the next change or save tries again."""
        self._save_task = None
        self._failure = error_text(error)
        if isinstance(error, NamndtoolError) and not isinstance(error, ConflictError):
            self._failure += "\n\nDet du skrivit finns kvar i fälten och sparas vid nästa ändring."
        self._set_conflict(isinstance(error, ConflictError))
        self._show_state()
        if report == "always" or (report == "once" and not self._error_shown):
            self._error_shown = True
            self.dialogs.error(self, self._failure)
        self._save_next()

    def _save_next(self) -> None:
        """A save asked for while the last one ran is made now."""
        again, self._save_again = self._save_again, None
        if again is not None:
            self.save(again)

    def saving(self) -> bool:
        """Whether a save (or the lifting of the secrecy) is being written now."""
        return self._save_task is not None

    def wait_for_save(self) -> None:
        """Let the event loop run (the window stays responsive) until no save is being written, including one
        asked for while another ran."""
        while self._save_task is not None:
            task = self._save_task
            loop = QEventLoop()
            task.ended.connect(loop.quit)
            if task.running:
                loop.exec()
            if self._save_task is task:   # ended without its callbacks (cannot happen while the editor lives)
                self._save_task = None

    def flush(self, report: str = "once") -> bool:
        """Save what is unsaved and wait until it is written; True when nothing is left unsaved."""
        self.save(report)
        self.wait_for_save()
        return self._failure is None and not self.has_unsaved_changes()

    # --- secrecy ---------------------------------------------------------------------------------

    def lift_secrecy(self) -> bool:
        """The user unticked Sekretess. A secrecy only ticked in the editor just goes (True). A stored one is
        lifted by a recorded decision with a reason, asked for here and written off the UI thread
        (``operations.secrecy.unseal_arende_unchanged``): the box stays ticked (False) until the decision is
        stored, then ``secrecy_lifted`` unticks it; a refusal keeps the ärende secret."""
        if not self._saved_arende.get("sekretess"):
            return True
        self.wait_for_save()    # the decision is checked against the version the user sees
        question = unseal_arende_question({**self.arende, **self._saved_arende})
        reason = self.dialogs.ask_text(self, "Häv sekretessen", question, ok="Häv sekretessen",
                                       placeholder=REASON_EXAMPLE, minimum=MINIMUM_REASON)
        if reason is None:
            return False
        self.wait_for_save()    # an autosave that started while the user wrote the reason
        # In the place of a save, so that a change typed meanwhile is saved after the decision, not before it.
        self._save_task = tasks.run(self, self.store, secrecy.unseal_arende_unchanged, self.arende_id, reason,
                                    version=self._versions.get("arende"), done=self._on_unsealed,
                                    failed=self._on_unseal_failed)
        self._show_state()
        return False

    def _on_unsealed(self, result: dict) -> None:
        self._save_task = None
        self._versions = {**self._versions, "arende": result["version"]}
        self.arende = result["arende"]
        self._saved_arende = {**self._saved_arende, "sekretess": 0, "sekretess_lagrum": None}
        self.arende_form.secrecy_lifted()
        self._show_state()
        self.dialogs.info(self, unsealed_text(self.arende.get("diarienummer") or "ärendet")
                          + " Det syns under fliken Historik.")
        if self.tabs.currentIndex() == HISTORY_TAB:
            self.history.reload()
        self.saved.emit()
        self._save_next()

    def _on_unseal_failed(self, error: BaseException) -> None:
        """The ärende stays secret and the box ticked."""
        self._save_task = None
        self._show_state()
        self.dialogs.error(self, error_text(error))
        self._save_next()

    def _tell_where_public_versions_went(self) -> None:
        try:
            lines = secrecy.published_versions(self.store, self.arende_id)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        if lines:
            self.dialogs.info(self, published_text(lines))

    def _remote_change(self, notice) -> None:
        """Another user committed a change (a server store, ``live.py``). One to this ärende shows at once when
        nothing here is unsaved; over unsaved changes the lists are read again and, when the ärende or its
        tjänsteskrivelse now has a newer version, the conflict bar says so before a save is refused."""
        ts_id = self._versions.get("tjansteskrivelse_id")
        mine = notice.arende_id() == self.arende_id or (
            ts_id is not None and notice.ids.get("tjansteskrivelse_id") == ts_id)
        if not mine or self._loading or self.saving():   # a save running now is refused or saved by itself
            return
        unsaved = self.has_unsaved_changes()
        self.reload()
        if not unsaved:
            return
        try:
            newer = self.store.editor_versions(self.arende_id) != self._versions
        except NamndtoolError:
            return
        if newer:
            self._set_conflict(True)
            self._show_state()

    def _set_conflict(self, conflict: bool) -> None:
        self._conflict = conflict
        self.conflict_bar.setVisible(conflict)

    def save_over_conflict(self) -> bool:
        """Save my changes over the other change: only the fields I changed are written."""
        self.wait_for_save()
        try:
            self._versions = self.store.editor_versions(self.arende_id)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return False
        return self.save(report="always")

    def reload_over_conflict(self) -> None:
        if self.dialogs.confirm(self, "Läsa in ärendet på nytt? Dina ändringar som inte är sparade slängs.",
                                yes="Släng mina ändringar", no="Avbryt"):
            self._discard()

    def maybe_leave(self) -> bool:
        """Whether the editor may close. Unsaved changes are saved (and waited for); if that fails the user
        decides."""
        if not self.has_unsaved_changes():
            self.wait_for_save()
            return True
        if self.flush(report="never"):
            return True
        answer = self.dialogs.unsaved_changes(self, f"ärendet {self.title()}")
        if answer == "discard":
            self._discard()
            return True
        if answer == "save":
            return self.flush(report="always")
        return False

    def _discard(self) -> None:
        """Throw the unsaved changes away: the fields show the store again (after a save being written)."""
        self._save_timer.stop()
        self._save_again = None
        self.wait_for_save()
        self._save_again = None
        try:
            self._load()
        except NamndtoolError:
            self._saved_arende = self.arende_form.values()
            self._saved_ts = self._ts_payload()
            self._failure = None
            self._show_state()

    def hideEvent(self, event) -> None:
        """Leaving the editor (another tab, the window closing) saves what is unsaved."""
        if self.has_unsaved_changes():
            self.save()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        """Closing waits for the save being written, so nothing typed is lost."""
        self._save_timer.stop()
        self._preview_timer.stop()
        if self.has_unsaved_changes():
            self.save()
        self.wait_for_save()
        self.renderer.shutdown()
        self.handlingar.wait_for_task()
        super().closeEvent(event)

    # --- what the header shows -------------------------------------------------------------------

    def _show_title(self) -> None:
        number = self.arende.get("diarienummer")
        self.number_label.setText(number or "Ärende utan diarienummer")
        parts = [self.namnd.get("namn"), self.arende.get("registrerad") and f"registrerat {self.arende['registrerad']}",
                 closed_text(self.arende)[:1].lower() + closed_text(self.arende)[1:]]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        title = self.title()
        if title != getattr(self, "_shown_title", None):
            self._shown_title = title
            self.title_changed.emit(title)

    def _show_secrecy(self) -> None:
        values = self.arende_form.values()
        secret = bool(values["sekretess"])
        self.secret_badge.setText(secret_marking(values['sekretess_lagrum']))
        self.secret_badge.setVisible(secret)
        self.ts_form.set_secret(secret)
        self.handlingar.set_arende_secrecy(secret, values["sekretess_lagrum"])

    def _show_state(self) -> None:
        """The top bar says where the saving stands, truthfully: being written, failed, waiting, or saved."""
        unsaved = self.has_unsaved_changes()
        problem = self._problem() if unsaved else None
        if self._save_task is not None:
            text, style, tip = "Sparar …", "", "Ändringarna skrivs till registret. Du kan fortsätta skriva."
        elif unsaved and self._conflict:
            text, style = "Inte sparat – ändrat i ett annat fönster", ERROR_STYLE
            tip = self._failure
        elif unsaved and self._failure:
            text, style = "Inte sparat – försöker igen vid nästa ändring", ERROR_STYLE
            tip = self._failure
        elif problem:
            text, style, tip = f"Inte sparat: {problem}", ERROR_STYLE, problem
        elif unsaved:
            text, style, tip = "Ändrat – sparas …", "", "Ändringarna sparas automatiskt om en stund."
        elif self._saved_at:
            text, style, tip = f"Sparat {self._saved_at:%H:%M}", "", ""
        else:
            text, style, tip = "Allt är sparat", "", ""
        changed = text != self.state_label.text()
        self.state_label.setText(text)
        self.state_label.setStyleSheet(style)
        self.state_label.setToolTip(tip)
        self.save_button.setVisible(unsaved)
        if changed:
            self.state_changed.emit(text)

    def state_text(self) -> str:
        return self.state_label.text()

    # --- preview ---------------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Make the preview from the fields as they are now, saved or not, off the UI thread."""
        self._preview_timer.stop()
        if not self._ts_started:
            self.preview.show_message("Ärendet har ingen tjänsteskrivelse ännu.\n"
                                      "Klicka på Skriv tjänsteskrivelse för att börja.")
            return
        if self.branding is None:
            self.preview.show_message(f"Förhandsvisningen kan inte visas: {self._branding_error}")
            return
        arende = {"diarienummer": self.arende.get("diarienummer"), **self.arende_form.values()}
        ts = {**self.ts_form.values(), "handlaggare": self.arende_form.person()}
        self.preview.status.setText("Uppdaterar …")
        self.renderer.request(partial(preview_tjansteskrivelse, arende, ts, self.namnd.get("forvaltning"),
                                      list(self.bilagor), self.branding))

    def _on_rendered(self, result: tuple[bytes, list[str]]) -> None:
        pdf, warnings = result
        self.preview.show_pdf(pdf, warnings)
        self.preview.status.setText("Så här skrivs tjänsteskrivelsen ut, med det du skrivit hittills.")

    def _on_render_failed(self, error: BaseException) -> None:
        self.preview.show_message(f"Förhandsvisningen kunde inte skapas.\n{error_text(error)}")
        self.preview.status.setText("")

    def _on_focus_changed(self, _old, new) -> None:
        """Keep the field being typed in visible when focus moves to it (a new row, Tab)."""
        if new is not None and self.scroll.widget().isAncestorOf(new):
            self.scroll.ensureWidgetVisible(new, 20, 40)
