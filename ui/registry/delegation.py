"""Delegationsbeslut: registering a decision taken under delegation, and the list of them with the meeting at
which each was reported to the nämnd.

The ärende is given by its diary number and checked as it is typed; an invalid or unknown number is explained
under the field in Swedish and nothing is registered. A decision in a secret ärende is secret under the ärende's
lagrum unless the user says otherwise; a secret decision needs its lagrum (the operation
``nämndtool.operations.diary.register_delegationsbeslut`` refuses one without, and the refusal is shown).
"""

import datetime as dt

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from nämndtool import diarienummer
from nämndtool.errors import DiarienummerError, NamndtoolError
from nämndtool.operations import diary
from nämndtool.ui.common import tasks
from nämndtool.ui.common.form_fields import DateEdit, SECRET_STYLE
from nämndtool.ui.common.table_models import Column, RowTableModel, SECRET_MARK
from nämndtool.ui.common.form_fields import LAGRUM_EXAMPLE, problem_label, show_problems
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import count_text, fit_columns, muted, table_view

NOT_REPORTED = "Ej anmält"


def decision_secrecy(d: dict) -> str:
    if d.get("sekretess"):
        return f"{SECRET_MARK} ({d['sekretess_lagrum']})" if d.get("sekretess_lagrum") else SECRET_MARK
    return SECRET_MARK + " (ärendet)" if d.get("arende_sekretess") else ""


class DelegationModel(RowTableModel):
    """``store.delegationsbeslut``, each with ``anmald_text`` (the meeting it was reported at)."""

    COLUMNS = (
        Column("Datum", lambda d: d["datum"]),
        Column("Punkt", lambda d: d["delegationspunkt"]),
        Column("Beslutsfattare", lambda d: d["beslutsfattare"]),
        Column("Beskrivning", lambda d: d["beskrivning"]),
        Column("Ärende", lambda d: d.get("diarienummer") or ""),
        Column("Sekretess", decision_secrecy, emphasis=True),
        Column("Anmält vid", lambda d: d.get("anmald_text") or NOT_REPORTED),
    )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and self.row_at(index.row()).get("arende_id"):
            return "Dubbelklicka för att öppna ärendet."
        return super().data(index, role)


class DelegationTab(QWidget):
    """Delegationsbeslut: the registration form above, the list below."""

    open_arende = Signal(int)
    changed = Signal()
    message = Signal(str)

    def __init__(self, store, dialogs, namnd_id, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store, self.dialogs, self._namnd_id = store, dialogs, namnd_id
        self._today = today
        self._arende: dict | None = None
        self._secrecy_from_arende = False
        self._meetings: dict[int, str] = {}

        self.model = DelegationModel()
        self.view = table_view(self.model)
        self.view.setAccessibleName("Delegationsbeslut")
        fit_columns(self.view, 3)
        self.view.doubleClicked.connect(self._on_double_click)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Visa")
        self.filter.addItem("Ej anmälda", True)
        self.filter.addItem("Alla", False)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.list_summary = muted()

        list_row = QHBoxLayout()
        show = QLabel("&Visa")
        show.setBuddy(self.filter)
        list_row.addWidget(show)
        list_row.addWidget(self.filter)
        list_row.addSpacing(12)
        list_row.addWidget(self.list_summary, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._form())
        layout.addLayout(list_row)
        layout.addWidget(self.view, 1)

    # --- the form --------------------------------------------------------------------------------

    def _form(self) -> QGroupBox:
        box = QGroupBox("Registrera delegationsbeslut")
        self.datum = DateEdit(QDate(self._today or dt.date.today()))
        self.datum.setAccessibleName("Beslutsdatum")
        self.punkt = QLineEdit()
        self.punkt.setAccessibleName("Delegationspunkt")
        self.punkt.setPlaceholderText("Punkt i delegationsordningen, t.ex. 3.2.1")
        self.beslutsfattare = QLineEdit()
        self.beslutsfattare.setAccessibleName("Beslutsfattare")
        self.beslutsfattare.setPlaceholderText("Namn och titel")
        self.beskrivning = QLineEdit()
        self.beskrivning.setAccessibleName("Beskrivning av beslutet")
        self.beskrivning.setPlaceholderText("Vad beslutet gäller, t.ex. Beviljat bistånd i form av hemtjänst")
        self.arende_field = QLineEdit()
        self.arende_field.setAccessibleName("Ärende (diarienummer)")
        self.arende_field.setPlaceholderText("Diarienummer, t.ex. SOCN/2023:17 (frivilligt)")
        self.arende_info = muted()
        self.arende_info.hide()
        self.arende_problem = problem_label()
        self.sekretess = QCheckBox("Sekretess")
        self.sekretess.setAccessibleName("Beslutet omfattas av sekretess")
        self.lagrum = QLineEdit()
        self.lagrum.setAccessibleName("Lagrum för sekretessen")
        self.lagrum.setPlaceholderText(f"Lagrum, t.ex. {LAGRUM_EXAMPLE}")
        self.sekretess.toggled.connect(self._show_secrecy)
        self.sekretess.clicked.connect(lambda _checked: setattr(self, "_secrecy_from_arende", False))
        self.problems = problem_label()
        self.register_button = QPushButton("Registrera")
        self.register_button.clicked.connect(self.register)
        self.done_label = muted()
        self.punkt_names = QStringListModel(self)
        self.people_names = QStringListModel(self)
        for edit, names in ((self.punkt, self.punkt_names), (self.beslutsfattare, self.people_names)):
            completer = QCompleter(names, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        self.arende_field.textEdited.connect(lambda _text: self._check_arende(final=False))
        self.arende_field.editingFinished.connect(lambda: self._check_arende(final=True))
        for edit in (self.punkt, self.beslutsfattare, self.beskrivning, self.arende_field, self.lagrum):
            edit.returnPressed.connect(self.register)

        grid = QGridLayout(box)
        grid.addWidget(self._label("&Datum", self.datum), 0, 0)
        grid.addWidget(self.datum, 0, 1)
        grid.addWidget(self._label("Delegations&punkt", self.punkt), 0, 2)
        grid.addWidget(self.punkt, 0, 3)
        grid.addWidget(self._label("Besluts&fattare", self.beslutsfattare), 0, 4)
        grid.addWidget(self.beslutsfattare, 0, 5)
        grid.addWidget(self._label("&Beskrivning", self.beskrivning), 1, 0)
        grid.addWidget(self.beskrivning, 1, 1, 1, 5)
        grid.addWidget(self._label("Ä&rende", self.arende_field), 2, 0)
        grid.addWidget(self.arende_field, 2, 1, 1, 3)
        secrecy = QHBoxLayout()
        secrecy.addWidget(self.sekretess)
        secrecy.addWidget(self.lagrum, 1)
        grid.addLayout(secrecy, 2, 4, 1, 2)
        grid.addWidget(self.arende_info, 3, 1, 1, 5)
        grid.addWidget(self.arende_problem, 4, 1, 1, 5)
        grid.addWidget(self.problems, 5, 1, 1, 5)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_label, 1)
        buttons.addWidget(self.register_button)
        grid.addLayout(buttons, 6, 0, 1, 6)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 2)
        self._show_secrecy(False)
        return box

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _show_secrecy(self, secret: bool) -> None:
        self.lagrum.setEnabled(secret)

    # --- the ärende by diary number --------------------------------------------------------------

    def arende_problem_text(self) -> str | None:
        """Why the diary number cannot be used, in Swedish; None when it is empty or names an ärende."""
        text = self.arende_field.text().strip()
        self._arende = None
        if not text:
            return None
        try:
            number = diarienummer.parse(text, self.store.known_codes())
            arende_id = self.store.arende_id_by_number(number)
            if arende_id is None:
                return f"Ärendet {number} finns inte i diariet. Kontrollera numret."
            self._arende = self.store.arende(arende_id)
        except (DiarienummerError, NamndtoolError) as error:
            return str(error)
        problem = diary.delegationsbeslut_arende_problem(self._arende, self._namnd_id)
        if problem:
            self._arende = None
        return problem

    def _check_arende(self, final: bool) -> None:
        """While typing only a found ärende is shown; the problem with the number is shown when the field is left."""
        problem = self.arende_problem_text()
        show_problems(self.arende_problem, [problem] if problem and final else [])
        arende = self._arende
        if arende is None:
            self.arende_info.setText("")
            self.arende_info.setStyleSheet("")
            self.arende_info.hide()
            if self._secrecy_from_arende:
                self._set_secrecy(False, "")
            return
        self.arende_info.setStyleSheet(SECRET_STYLE if arende["sekretess"] else "")
        self.arende_info.show()
        if arende["sekretess"]:
            self.arende_info.setText(f"{arende['diarienummer']} – {arende['rubrik']}  ({SECRET_MARK} "
                                     f"{arende['sekretess_lagrum'] or ''})".replace(" )", ")"))
            if not self.sekretess.isChecked():
                self._set_secrecy(True, arende["sekretess_lagrum"] or "")
                self._secrecy_from_arende = True
        else:
            self.arende_info.setText(f"{arende['diarienummer']} – {arende['rubrik']}")
            if self._secrecy_from_arende:
                self._set_secrecy(False, "")

    def _set_secrecy(self, secret: bool, lagrum: str) -> None:
        self.sekretess.setChecked(secret)
        self.lagrum.setText(lagrum)
        self._secrecy_from_arende = False

    # --- registering -----------------------------------------------------------------------------

    def decision(self) -> diary.NewDelegationsbeslut:
        """The decision as the form holds it, for the operation."""
        return diary.NewDelegationsbeslut(
            namnd_id=self._namnd_id, datum=self.datum.date().toPython(), beslutsfattare=self.beslutsfattare.text(),
            delegationspunkt=self.punkt.text(), beskrivning=self.beskrivning.text(),
            arende_id=self._arende["id"] if self._arende is not None else None, secret=self.sekretess.isChecked(),
            lagrum=self.lagrum.text())

    def input_problems(self) -> list[str]:
        """What stops registering, shown under the form: the operation's own rules."""
        if self._namnd_id is None:
            return ["Registret har ingen nämnd ännu, så inget delegationsbeslut kan registreras."]
        return diary.delegationsbeslut_problems(self.decision(), self._arende)

    def _focus_first_problem(self) -> None:
        """The cursor goes to the first field left empty, else to the description."""
        empty = [edit for edit in (self.punkt, self.beslutsfattare, self.beskrivning) if not edit.text().strip()]
        (empty or [self.beskrivning])[0].setFocus()

    def register(self) -> bool:
        """Hand the decision to the runner; True when it was started. The form is cleared when it is registered;
        what was typed stays when something is wrong (shown under the form, or the operation's refusal)."""
        if not self.register_button.isEnabled():   # one registration at a time
            return False
        self.done_label.setText("")
        arende_problem = self.arende_problem_text()
        show_problems(self.arende_problem, [arende_problem] if arende_problem else [])
        problems = self.input_problems()
        show_problems(self.problems, problems)
        if arende_problem:
            self.arende_field.setFocus()
            return False
        if problems:
            self._focus_first_problem()
            return False
        self.register_button.setEnabled(False)
        what = self.beskrivning.text().strip()
        tasks.run(self, self.store, diary.register_delegationsbeslut, self.decision(),
                  done=lambda _id: self._registered(what), failed=self._refused)
        return True

    def _refused(self, error: BaseException) -> None:
        self.register_button.setEnabled(True)
        self.dialogs.error(self, error_text(error))

    def _registered(self, what: str) -> None:
        self.register_button.setEnabled(True)
        for edit in (self.beskrivning, self.arende_field):
            edit.clear()
        self.arende_info.setText("")
        self.arende_info.setStyleSheet("")
        self.arende_info.hide()
        self._arende = None
        self._set_secrecy(False, "")
        self.done_label.setText(f"Registrerat: {what}")
        self.message.emit("Delegationsbeslutet är registrerat.")
        self.reload()
        self.beskrivning.setFocus()

    # --- the list --------------------------------------------------------------------------------

    def set_namnd(self, namnd_id: int | None) -> None:
        self._namnd_id = namnd_id
        self.reload()

    def reload(self) -> None:
        if self._namnd_id is None:
            self.model.set_rows([])
            self.list_summary.setText("Registret har ingen nämnd ännu.")
            self.changed.emit()
            return
        try:
            unreported = self.filter.currentData()
            rows = self.store.delegationsbeslut(self._namnd_id, unreported=unreported)
            everything = rows if not unreported else self.store.delegationsbeslut(self._namnd_id)
            people = [p["namn"] for p in self.store.tjanstepersoner()]
            self._meetings.clear()
            for d in rows:
                d["anmald_text"] = self._meeting_text(d["anmald_vid"]) if d["anmald_vid"] else None
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        self.model.set_rows(rows)
        self.punkt_names.setStringList(sorted({d["delegationspunkt"] for d in everything}))
        self.people_names.setStringList(sorted(set(people) | {d["beslutsfattare"] for d in everything}))
        waiting = sum(1 for d in everything if d["anmald_vid"] is None)
        self.list_summary.setText(
            f"{count_text(len(everything), 'delegationsbeslut', 'delegationsbeslut')} i registret, "
            f"{waiting} ej anmälda till nämnden." if everything else "Inga delegationsbeslut är registrerade ännu.")
        self.changed.emit()

    def _meeting_text(self, meeting_id: int) -> str:
        if meeting_id not in self._meetings:
            try:
                meeting = self.store.meeting(meeting_id)
                self._meetings[meeting_id] = f"{meeting['organ']} {meeting['datum']}"
            except NamndtoolError:
                self._meetings[meeting_id] = f"sammanträde {meeting_id}"
        return self._meetings[meeting_id]

    def counts(self) -> str:
        shown = "ej anmälda" if self.filter.currentData() else "visas"
        return f"{count_text(self.model.rowCount(), 'delegationsbeslut', 'delegationsbeslut')} {shown}"

    def _on_double_click(self, index) -> None:
        arende_id = self.model.row_at(index.row()).get("arende_id")
        if arende_id is not None:
            self.open_arende.emit(arende_id)
