"""The handlingar of one ärende in the editor: the list, registering a new one with two fields, closing the ärende.

The common case is a letter that came in today: type what it is and who sent it, press Enter. The date, the
direction, a file, whether it is a bilaga and the secrecy are under "Mer …"; until changed they are today, in, no
file, no bilaga, and the ärende's own secrecy, so a handling in a secret ärende is secret under the ärende's lagrum
without anyone thinking of it.

A handling with a file is a bilaga to the tjänsteskrivelse when it is marked so ("Gör till bilaga"): it then goes
into the handlingar for the meeting after the tjänsteskrivelse, in the order set here (Flytta upp/ned) or under
Ärendets handlingar in the tjänsteskrivelse. Files dropped on the tjänsteskrivelse come here as bilagor.
"""

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from nämndtool.errors import NamndtoolError
from nämndtool.operations import diary
from nämndtool.store.connection import current_user
from nämndtool.ui.common.form_fields import DateEdit, SECRET_STYLE, part_heading
from nämndtool.ui.common.table_models import Column, RowTableModel, SECRET_MARK
from nämndtool.ui.common.form_fields import LAGRUM_EXAMPLE, problem_label, show_problems
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common import tasks
from nämndtool.ui.common.handlingar_dialog import HandlingarDialog
from nämndtool.ui.common.widgets import count_text, fit_columns, muted, table_view

RIKTNING = {"in": "Inkommen", "ut": "Utgående", "upprattad": "Upprättad"}


def handling_sekretess(row: dict) -> str:
    if not row.get("sekretess"):
        return ""
    return f"{SECRET_MARK} ({row['sekretess_lagrum']})" if row.get("sekretess_lagrum") else SECRET_MARK


def handling_file(row: dict) -> str:
    if not row.get("filnamn"):
        return ""
    return f"{row['filnamn']} – skadad" if row.get("skadad") else row["filnamn"]


def handling_bilaga(row: dict) -> str:
    return f"Bilaga {row['bilaga_nr']}" if row.get("bilaga_nr") else ""


def bilagor_text(rows: list[dict]) -> str:
    """The line under the list: the bilagor in the order they go into the handlingar, or how to make one."""
    bilagor = sorted((r for r in rows if r.get("bilaga_nr")), key=lambda r: r["bilaga_nr"])
    if not bilagor:
        return ("Ingen handling är bilaga till tjänsteskrivelsen. Välj en handling med fil och klicka på "
                "Gör till bilaga, så kommer den med i handlingarna till sammanträdet.")
    listed = " · ".join(f"{b['bilaga_nr']}. {b['beskrivning']}" for b in bilagor)
    return f"Bilagor till tjänsteskrivelsen, i den ordning de kommer i handlingarna: {listed}"


def file_problem(path: Path) -> str | None:
    """Why a dropped path cannot be registered, in Swedish, or None."""
    if path.is_dir():
        return f"{path.name} är en mapp. Dra filerna i mappen, inte själva mappen."
    if not path.is_file():
        return f"{path.name} finns inte längre där den låg."
    return None


class HandlingarModel(RowTableModel):
    """``store.handlingar(arende_id)``: secret ones in the secrecy colours."""

    COLUMNS = (
        Column("Datum", lambda h: h.get("datum") or ""),
        Column("Riktning", lambda h: RIKTNING.get(h["riktning"], h["riktning"])),
        Column("Motpart", lambda h: h.get("motpart") or ""),
        Column("Beskrivning", lambda h: h["beskrivning"]),
        Column("Sekretess", handling_sekretess, emphasis=True),
        Column("Fil", handling_file),
        Column("Bilaga", handling_bilaga),
    )


def closed_text(arende: dict) -> str:
    """``Avslutat 2023-03-10 av anna``, or an empty string for an open ärende."""
    if arende.get("status") != "avslutat":
        return ""
    who = f" av {arende['avslutad_av']}" if arende.get("avslutad_av") else ""
    return f"Avslutat {arende.get('avslutad') or ''}{who}".replace("  ", " ").strip()


class HandlingarPanel(QWidget):
    """The Handlingar tab of the ärende editor. ``before_status_change`` is asked before closing or reopening
    (the editor saves its fields first); ``status_changed`` follows a close or reopen."""

    changed = Signal()
    """A handling was registered, or the ärende closed or reopened: the history has something new."""
    status_changed = Signal()
    """The ärende was closed or reopened: its status and version changed in the store."""

    def __init__(self, store, dialogs, arende_id: int, parent=None, today: Callable[[], dt.date] = dt.date.today):
        super().__init__(parent)
        self.store, self.dialogs, self.arende_id = store, dialogs, arende_id
        self.today = today
        self.before_status_change: Callable[[], bool] = lambda: True
        self.arende: dict = {}
        self._secret, self._lagrum = False, None
        self._secrecy_from_editor = False
        self._file: Path | None = None
        self._task: tasks.Task | None = None
        self._status_task: tasks.Task | None = None
        self._bilaga_task: tasks.Task | None = None
        self.drop_dialog: HandlingarDialog | None = None
        self._build()

    # --- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_label = QLabel()
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        self.close_button = QPushButton("Avsluta ärendet")
        self.close_button.setToolTip("Avsluta ärendet i dag; ditt användarnamn och datumet sparas i diariet.")
        self.close_button.clicked.connect(self.request_close)
        self.reopen_button = QPushButton("Öppna igen")
        self.reopen_button.setToolTip("Öppna det avslutade ärendet igen, till exempel när en ny handling kommit in.")
        self.reopen_button.clicked.connect(self.request_reopen)
        top = QHBoxLayout()
        top.addWidget(part_heading("Handlingar"))
        top.addSpacing(16)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.close_button)
        top.addWidget(self.reopen_button)

        self.model = HandlingarModel()
        self.view = table_view(self.model)
        self.view.setAccessibleName("Ärendets handlingar")
        fit_columns(self.view, 3)
        self.empty_label = muted("Inga handlingar är registrerade i ärendet ännu.")
        self.view.selectionModel().currentRowChanged.connect(lambda _now, _before: self._show_bilaga_buttons())

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._registration())
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._bilaga_bar())

    def _bilaga_bar(self) -> QVBoxLayout:
        """Under the list: make the chosen handling a bilaga or not, move it in the bilagor's order, and the
        bilagor as they come in the handlingar."""
        self.bilaga_button = QPushButton("Gör till bi&laga")
        self.bilaga_button.clicked.connect(self.toggle_bilaga)
        self.up_button = QPushButton("Flytta &upp")
        self.up_button.setToolTip("Flytta bilagan ett steg tidigare i handlingarna (Alt+Upp)")
        self.up_button.clicked.connect(lambda: self.move_bilaga(-1))
        self.down_button = QPushButton("Flytta &ned")
        self.down_button.setToolTip("Flytta bilagan ett steg senare i handlingarna (Alt+Ned)")
        self.down_button.clicked.connect(lambda: self.move_bilaga(1))
        for keys, steps in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda steps=steps: self.move_bilaga(steps))
        self.bilagor_label = muted()
        self.bilagor_label.setAccessibleName("Bilagor till tjänsteskrivelsen")
        buttons = QHBoxLayout()
        buttons.addWidget(self.bilaga_button)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        bar = QVBoxLayout()
        bar.addLayout(buttons)
        bar.addWidget(self.bilagor_label)
        self._show_bilaga_buttons()
        return bar
    def _registration(self) -> QFrame:
        box = QFrame()
        box.setObjectName("registrering")
        box.setStyleSheet("QFrame#registrering { border: 1px solid palette(mid); border-radius: 4px; }")
        self.beskrivning = QLineEdit()
        self.beskrivning.setAccessibleName("Beskrivning av handlingen")
        self.beskrivning.setPlaceholderText("Vad handlingen är, t.ex. Yttrande från Polisen")
        self.motpart = QLineEdit()
        self.motpart.setAccessibleName("Motpart")
        self.motpart.setPlaceholderText("Avsändare eller mottagare")
        self.register_button = QPushButton("Registrera")
        self.register_button.setDefault(True)
        self.register_button.clicked.connect(self.register)
        for edit in (self.beskrivning, self.motpart):
            edit.returnPressed.connect(self.register)
            edit.textEdited.connect(lambda _text: show_problems(self.problems, []))
        self.more_button = QPushButton("Mer …")
        self.more_button.setCheckable(True)
        self.more_button.setToolTip("Datum, riktning, fil och sekretess")
        self.more_button.toggled.connect(self._show_more)

        row = QGridLayout()
        row.addWidget(QLabel("&Beskrivning"), 0, 0)
        row.addWidget(QLabel("&Motpart"), 0, 1)
        row.itemAtPosition(0, 0).widget().setBuddy(self.beskrivning)
        row.itemAtPosition(0, 1).widget().setBuddy(self.motpart)
        row.addWidget(self.beskrivning, 1, 0)
        row.addWidget(self.motpart, 1, 1)
        row.addWidget(self.register_button, 1, 2)
        row.addWidget(self.more_button, 1, 3)
        row.setColumnStretch(0, 3)
        row.setColumnStretch(1, 2)

        self.summary = muted()
        self.more = self._more_fields()
        self.problems = problem_label()
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("<b>Registrera en handling</b>"))
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.more)
        layout.addWidget(self.problems)
        self.more.hide()
        return box

    def _more_fields(self) -> QWidget:
        self.datum = DateEdit()
        self.datum.setAccessibleName("Datum")
        self.riktning = QComboBox()
        self.riktning.setAccessibleName("Riktning")
        for code, label in RIKTNING.items():
            self.riktning.addItem(label, code)
        self.file_button = QPushButton("Välj fil …")
        self.file_button.clicked.connect(self.choose_file)
        self.file_label = muted("Ingen fil")
        self.file_clear = QPushButton("Ta bort filen")
        self.file_clear.clicked.connect(lambda: self.set_file(None))
        self.bilaga = QCheckBox("Bilaga till tjänsteskrivelsen: följer med den i handlingarna till sammanträdet")
        self.bilaga.setAccessibleName("Bilaga till tjänsteskrivelsen")
        self.bilaga.setToolTip("Bilagan följer med tjänsteskrivelsen i handlingarna till sammanträdet och står "
                               "under Ärendets handlingar. Den behöver en fil.")
        self.bilaga.toggled.connect(lambda _checked: self._show_summary())
        self.sekretess = QCheckBox("Handlingen omfattas av sekretess")
        self.sekretess.setAccessibleName("Handlingen omfattas av sekretess")
        self.lagrum = QLineEdit()
        self.lagrum.setAccessibleName("Lagrum för sekretessen")
        self.lagrum.setPlaceholderText(f"Lagrum, t.ex. {LAGRUM_EXAMPLE}")
        self.sekretess.toggled.connect(self._show_summary)
        self.lagrum.textEdited.connect(lambda _text: self._show_summary())
        self.datum.dateChanged.connect(lambda _date: self._show_summary())
        self.riktning.currentIndexChanged.connect(lambda _index: self._show_summary())

        more = QWidget()
        grid = QGridLayout(more)
        grid.setContentsMargins(0, 4, 0, 0)
        when = QHBoxLayout()
        when.addWidget(self.datum)
        when.addSpacing(16)
        when.addWidget(QLabel("Riktning"))
        when.addWidget(self.riktning)
        when.addStretch(1)
        files = QHBoxLayout()
        files.addWidget(self.file_button)
        files.addWidget(self.file_label, 1)
        files.addWidget(self.file_clear)
        secrecy = QHBoxLayout()
        secrecy.addWidget(self.sekretess)
        secrecy.addWidget(self.lagrum, 1)
        grid.addWidget(QLabel("Datum"), 0, 0)
        grid.addLayout(when, 0, 1)
        grid.addWidget(QLabel("Fil"), 1, 0)
        grid.addLayout(files, 1, 1)
        grid.addWidget(QLabel("Bilaga"), 2, 0)
        grid.addWidget(self.bilaga, 2, 1)
        grid.addWidget(QLabel("Sekretess"), 3, 0)
        grid.addLayout(secrecy, 3, 1)
        grid.setColumnStretch(1, 1)
        return more

    # --- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the ärende's status and handlingar again (a store error is shown, the fields keep their text)."""
        try:
            self.arende = self.store.arende(self.arende_id)
            rows = self.store.handlingar(self.arende_id)
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        selected = self.selected()
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.bilagor_label.setText(bilagor_text(rows))
        if selected is not None:
            self.select(selected["id"])
        self._show_bilaga_buttons()
        self._show_status()
        if not self._secrecy_from_editor:
            self._set_secrecy(bool(self.arende["sekretess"]), self.arende["sekretess_lagrum"])
        if not self.more_button.isChecked():
            self._reset_more()

    def showEvent(self, event) -> None:
        """Shown again: the bilagor's order may have changed meanwhile (saving Ärendets handlingar orders them)."""
        super().showEvent(event)
        if self.arende:
            self.reload()

    def select(self, handling_id: int) -> None:
        row = next((r for r in range(self.model.rowCount()) if self.model.row_at(r)["id"] == handling_id), None)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def count(self) -> int:
        return self.model.rowCount()

    def counts(self) -> str:
        return count_text(self.count(), "handling", "handlingar")

    def set_arende_secrecy(self, secret: bool, lagrum: str | None) -> None:
        """The ärende's secrecy as the editor shows it now (saved or not): what a new handling gets by default.
        Without this call the panel follows the stored ärende."""
        self._secrecy_from_editor = True
        self._set_secrecy(secret, lagrum)

    def _set_secrecy(self, secret: bool, lagrum: str | None) -> None:
        changed = (secret, lagrum) != (self._secret, self._lagrum)
        self._secret, self._lagrum = secret, lagrum
        if changed and not self.more_button.isChecked():
            self._reset_more()
        self._show_summary()

    def _reset_more(self) -> None:
        """The defaults: today, incoming, no file, the ärende's secrecy."""
        self.datum.setDate(QDate(self.today()))
        self.riktning.setCurrentIndex(0)
        self.bilaga.setChecked(False)
        self.sekretess.setChecked(self._secret)
        self.lagrum.setText(self._lagrum or "")
        self.set_file(None)
        self._show_summary()

    def _show_more(self, shown: bool) -> None:
        self.more.setVisible(shown)
        self.more_button.setText("Mindre" if shown else "Mer …")
        if not shown:
            self._reset_more()

    def _show_status(self) -> None:
        closed = closed_text(self.arende)
        self.status_label.setText(closed or "Ärendet är öppet.")
        self.close_button.setVisible(not closed)
        self.reopen_button.setVisible(bool(closed))

    def _show_summary(self) -> None:
        """What the two fields will register, in words, so the defaults are never a surprise."""
        values = self.values()
        day = values["datum"]
        when = "i dag" if day == self.today().isoformat() else day
        what = RIKTNING[values["riktning"]].lower()
        text = f"Registreras som {what} handling, daterad {when}"
        if values["sekretess"]:
            grounds = f" ({values['sekretess_lagrum']})" if values["sekretess_lagrum"] else ""
            self.summary.setText(f"{text}, med sekretess{grounds}.")
            self.summary.setStyleSheet(SECRET_STYLE + " font-weight: bold;")
        else:
            self.summary.setText(f"{text}, offentlig.")
            self.summary.setStyleSheet("")
        if self._file is not None:
            self.summary.setText(self.summary.text()[:-1] + f", med filen {self._file.name}.")
        if self.bilaga.isChecked():
            self.summary.setText(self.summary.text()[:-1] + ", som bilaga till tjänsteskrivelsen.")

    # --- registering -----------------------------------------------------------------------------

    def values(self) -> dict:
        secret = self.sekretess.isChecked()
        return {
            "riktning": self.riktning.currentData(),
            "datum": self.datum.date().toString("yyyy-MM-dd"),
            "beskrivning": self.beskrivning.text().strip(),
            "motpart": self.motpart.text().strip() or None,
            "sekretess": int(secret),
            "sekretess_lagrum": (self.lagrum.text().strip() or None) if secret else None,
        }

    def new_handling(self) -> diary.NewHandling:
        """What the fields hold, as ``operations.diary.add_handling`` takes it."""
        values = self.values()
        return diary.NewHandling(
            arende_id=self.arende_id, beskrivning=values["beskrivning"], riktning=values["riktning"],
            datum=dt.date.fromisoformat(values["datum"]), motpart=values["motpart"],
            secret=bool(values["sekretess"]), lagrum=values["sekretess_lagrum"], path=self._file,
            bilaga=self.bilaga.isChecked())

    def _field_of(self, problem: str) -> QWidget:
        """The field a problem (``diary.handling_problems``) is about, to put the cursor there."""
        if problem.startswith("Motparten"):
            return self.motpart
        if "bilaga" in problem:
            return self.file_button if self._file is None else self.sekretess
        return self.lagrum if "sekretessgrunden" in problem else self.beskrivning

    def register(self) -> bool:
        """Register what the fields hold, off the UI thread (a file may take time to copy); True when it was
        handed over. The fields empty once it is in the store; what was typed stays on any error."""
        if self._task is not None:
            return False
        new = self.new_handling()
        problems = diary.handling_problems(new, self.arende or None)
        show_problems(self.problems, problems)
        if problems:
            widget = self._field_of(problems[0])
            if not widget.isVisible():
                self.more_button.setChecked(True)
            widget.setFocus()
            return False
        self._task = tasks.run(self, self.store, diary.add_handling, new, by=current_user(),
                               done=lambda handling_id: self._registered(handling_id, new),
                               failed=self._failed)
        self._task.ended.connect(self._task_ended)
        self.register_button.setEnabled(False)
        self.register_button.setText("Registrerar …")
        return True

    def _failed(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))

    def _task_ended(self) -> None:
        self._task = None
        self.register_button.setEnabled(True)
        self.register_button.setText("Registrera")

    def wait_for_task(self, ms: int = 60_000) -> None:
        """Until what the panel handed to the runner (a registration, a bilaga change) is written."""
        for task in (self._task, self._bilaga_task):
            if task is not None:
                task.wait(ms)

    def _registered(self, handling_id: int, sent: diary.NewHandling) -> None:
        """The handling is in the store: the fields empty for the next one, unless typed in meanwhile."""
        typed = (self.beskrivning.text().strip(), self.motpart.text().strip() or None)
        if typed == (sent.beskrivning, sent.motpart):
            self.beskrivning.clear()
            self.motpart.clear()
        if self._file == sent.path:
            self.set_file(None)
            self.bilaga.setChecked(False)
        show_problems(self.problems, [])
        self.reload()
        self.select(handling_id)
        self.beskrivning.setFocus()
        self.changed.emit()

    def choose_file(self) -> None:
        paths = self.dialogs.open_paths(self, "Välj filen som hör till handlingen", "Alla filer (*)")
        if paths:
            self.set_file(Path(paths[0]))
            if not self.beskrivning.text().strip():
                self.beskrivning.setText(Path(paths[0]).stem)

    def set_file(self, path: Path | None) -> None:
        self._file = path
        self.file_label.setText(path.name if path else "Ingen fil")
        self.file_label.setToolTip(str(path) if path else "")
        self.file_clear.setEnabled(path is not None)
        self._show_summary()

    # --- closing and reopening -------------------------------------------------------------------

    def request_close(self) -> bool:
        """Close the ärende today (``operations.diary.close_arende``), after the editor saved its fields; True when
        it was handed over. The status shows once it is in the store."""
        return self._change_status(diary.close_arende, self.arende_id, on=self.today(), by=current_user())

    def request_reopen(self) -> bool:
        """Open the closed ärende again (``operations.diary.reopen_arende``)."""
        return self._change_status(diary.reopen_arende, self.arende_id)

    def _change_status(self, operation: Callable, *args, **kwargs) -> bool:
        if self._status_task is not None or not self.before_status_change():
            return False
        self._status_task = tasks.run(self, self.store, operation, *args, **kwargs,
                                      done=lambda _result: self._status_done(), failed=self._status_failed)
        for button in (self.close_button, self.reopen_button):
            button.setEnabled(False)
        return True

    def _status_done(self) -> None:
        self._status_ended()
        self.status_changed.emit()
        self.changed.emit()

    def _status_failed(self, error: BaseException) -> None:
        self._status_ended()
        self.dialogs.error(self, error_text(error))

    def _status_ended(self) -> None:
        self._status_task = None
        for button in (self.close_button, self.reopen_button):
            button.setEnabled(True)
        self.reload()

    # --- bilagor ---------------------------------------------------------------------------------

    def selected(self) -> dict | None:
        """The handling chosen in the list, or None."""
        row = self.view.currentIndex().row()
        return self.model.row_at(row) if 0 <= row < self.model.rowCount() else None

    def _show_bilaga_buttons(self) -> None:
        """What the buttons under the list can do with the chosen handling, and why not when they cannot."""
        handling = self.selected()
        bilaga = bool(handling and handling.get("bilaga_nr"))
        last = max((self.model.row_at(r).get("bilaga_nr") or 0 for r in range(self.model.rowCount())), default=0)
        self.bilaga_button.setText("Ta bort som bi&laga" if bilaga else "Gör till bi&laga")
        if handling is None:
            tip = "Välj en handling i listan först."
        elif bilaga:
            tip = "Handlingen blir kvar i ärendet men följer inte längre med tjänsteskrivelsen i handlingarna."
        elif not handling.get("fil_sha256"):
            tip = "Handlingen har ingen fil. Bara en handling med fil kan bli bilaga."
        else:
            tip = "Bilagan följer med tjänsteskrivelsen i handlingarna till sammanträdet, sist bland bilagorna."
        self.bilaga_button.setToolTip(tip)
        self.bilaga_button.setEnabled(handling is not None and (bilaga or bool(handling.get("fil_sha256"))))
        self.up_button.setEnabled(bilaga and handling["bilaga_nr"] > 1)
        self.down_button.setEnabled(bilaga and handling["bilaga_nr"] < last)

    def toggle_bilaga(self) -> bool:
        """Make the chosen handling a bilaga, or no longer one (``operations.diary.mark_bilaga``); True when it
        was handed over. A refusal (a secret handling in a public ärende) is shown and nothing changes."""
        handling = self.selected()
        if handling is None:
            return False
        return self._change_bilagor(diary.mark_bilaga, handling["id"], not handling.get("bilaga_nr"))

    def move_bilaga(self, steps: int) -> bool:
        """Move the chosen bilaga ``steps`` places in the bilagor's order (``operations.diary.move_bilaga``)."""
        handling = self.selected()
        if handling is None or not handling.get("bilaga_nr"):
            return False
        return self._change_bilagor(diary.move_bilaga, handling["id"], steps)

    def _change_bilagor(self, operation: Callable, handling_id: int, *args) -> bool:
        if self._bilaga_task is not None:
            return False
        self._bilaga_task = tasks.run(self, self.store, operation, handling_id, *args,
                                      done=lambda _bilagor: self._bilagor_changed(handling_id),
                                      failed=self._bilagor_failed)
        self._bilaga_task.ended.connect(self._bilaga_task_ended)
        for button in (self.bilaga_button, self.up_button, self.down_button):
            button.setEnabled(False)
        return True

    def _bilaga_task_ended(self) -> None:
        self._bilaga_task = None
        self._show_bilaga_buttons()

    def _bilagor_changed(self, handling_id: int) -> None:
        self._bilaga_task = None
        self.reload()
        self.select(handling_id)
        self.view.setFocus()
        self.changed.emit()

    def _bilagor_failed(self, error: BaseException) -> None:
        self._bilaga_task = None
        self.dialogs.error(self, error_text(error))
        self.reload()

    # --- files dropped on the tjänsteskrivelse ---------------------------------------------------

    def register_dropped(self, paths: list[Path]) -> bool:
        """Files dropped on the tjänsteskrivelse: confirm their descriptions (they become bilagor unless the user
        unticks it), then copy and register them off the UI thread (``operations.diary.register_files``)."""
        if self.drop_dialog is not None or self._task is not None:
            return False
        problems = {path: file_problem(path) for path in paths}
        usable = [path for path in paths if problems[path] is None]
        skipped = [problem for problem in problems.values() if problem]
        if not usable:
            self.dialogs.error(self, "Inga handlingar registrerades.\n" + "\n".join(skipped))
            return False
        dialog = HandlingarDialog(self.arende or self.store.arende(self.arende_id), usable, skipped, self,
                                  bilagor=True)
        dialog.accepted.connect(lambda: self._register_dropped(dialog))
        dialog.rejected.connect(self._forget_drop_dialog)
        self.drop_dialog = dialog
        dialog.open()
        return True

    def _register_dropped(self, dialog: HandlingarDialog) -> None:
        self._task = tasks.run(self, self.store, diary.register_files, self.arende_id, dialog.files(),
                               datum=dialog.datum(), by=current_user(),
                               done=lambda ids: self._dropped_registered(ids),
                               failed=lambda error: self._dropped_failed(dialog, error))
        self._task.ended.connect(self._task_ended)
        self.register_button.setEnabled(False)

    def _dropped_registered(self, ids: list[int]) -> None:
        self._forget_drop_dialog()
        self.reload()
        if ids:
            self.select(ids[-1])
        self.changed.emit()

    def _dropped_failed(self, dialog: HandlingarDialog, error: BaseException) -> None:
        """Say why, then the same dialog again with what the user typed."""
        self.dialogs.error(self, error_text(error))
        dialog.open()

    def _forget_drop_dialog(self) -> None:
        if self.drop_dialog is not None:
            self.drop_dialog.deleteLater()
        self.drop_dialog = None
