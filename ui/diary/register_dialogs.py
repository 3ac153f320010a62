"""Registering in the diary: a new ärende (the store gives the number), and files dropped on an ärende as handlingar
(the dialog that confirms them is ``common.handlingar_dialog``, shared with the tjänsteskrivelse).

Both dialogs are opened with ``open()`` (window-modal, not blocking), so tests drive their widgets directly.
Problems with what was typed are shown inside the dialog in Swedish; a store error (a locked register) is shown
through the dialog service and the dialog stays open with everything the user typed.
"""

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget,
)

from nämndtool.operations import diary
from nämndtool.ui.common import tasks
from nämndtool.ui.common.choices import person_choices
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import LAGRUM_EXAMPLE, problem_label, secret_banner, show_problems
from nämndtool.ui.common.handlingar_dialog import HandlingarDialog, arende_name  # noqa: F401 — the diary opens it
from nämndtool.ui.common.widgets import muted


class RegisterArendeDialog(QDialog):
    """Nytt ärende: the fields a registrator fills in; the diary number is given by the store on OK."""

    registered = Signal(dict)
    """The new ärende as ``store.arende`` gives it, after it is in the store."""

    def __init__(self, store, dialogs, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self._store = store
        self._dialogs = dialogs
        self._today = today
        self._task: tasks.Task | None = None
        self.arende: dict | None = None
        self.setWindowTitle("Nytt ärende")
        self.setMinimumWidth(620)

        self.namnd = QComboBox()
        self.namnd.setAccessibleName("Nämnd")
        self.rubrik = QLineEdit()
        self.rubrik.setPlaceholderText("Ärendemening, t.ex. Yttrande över remiss om …")
        self.rubrik.setAccessibleName("Rubrik")
        self.sekretess = QCheckBox("Ärendet omfattas av sekretess")
        self.lagrum = QLineEdit()
        self.lagrum.setPlaceholderText(f"t.ex. {LAGRUM_EXAMPLE}")
        self.lagrum.setAccessibleName("Sekretessgrund (lagrum)")
        self.offentlig_rubrik = QLineEdit()
        self.offentlig_rubrik.setAccessibleName("Offentlig rubrik")
        self.handlaggare = QComboBox()
        self.handlaggare.setEditable(True)
        self.handlaggare.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.handlaggare.setAccessibleName("Handläggare")
        self.klassificering = QLineEdit()
        self.klassificering.setPlaceholderText("t.ex. 1.2.7")
        self.klassificering.setAccessibleName("Klassificering")
        self.secret_note = secret_banner(
            "Rubriken visas bara internt. I kallelser och andra offentliga handlingar används den offentliga rubriken."
        )
        self.problems = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Registrera")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("&Nämnd:", self.namnd)
        self.form.addRow("&Rubrik:", self.rubrik)
        self.form.addRow("", self.sekretess)
        self.form.addRow("&Lagrum:", self.lagrum)
        self.form.addRow("&Offentlig rubrik:", self.offentlig_rubrik)
        self.form.addRow("&Handläggare:", self.handlaggare)
        self.form.addRow("&Klassificering:", self.klassificering)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Ärendet får nästa lediga diarienummer när du registrerar det."))
        layout.addLayout(self.form)
        layout.addWidget(self.secret_note)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._fill_choices()
        self.sekretess.toggled.connect(self._show_secrecy)
        self.sekretess.toggled.connect(lambda _checked: self._show_live_problems())
        for edit in (self.rubrik, self.lagrum, self.offentlig_rubrik):
            edit.textChanged.connect(lambda _text: self._show_live_problems())
        self._show_secrecy(False)
        self.rubrik.setFocus()

    # --- choices --------------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        namnder = self._store.namnder()
        for namnd in namnder:
            self.namnd.addItem(f"{namnd['namn']} ({namnd['kod']})", namnd["id"])
        self.form.setRowVisible(self.namnd, len(namnder) > 1)
        if not namnder:
            show_problems(self.problems, [
                "Registret har ingen nämnd ännu, så inget ärende kan registreras. "
                "Skapa nämnden först (namndtool init --name Socialnämnden --code SOCN)."
            ])
            self.ok_button.setEnabled(False)

        people = self._store.tjanstepersoner()
        for person, text in zip(people, person_choices(people)):   # title and e-mail tell namesakes apart
            self.handlaggare.addItem(text, person["id"])
        self.handlaggare.setCurrentIndex(-1)
        self.handlaggare.setEditText("")
        self.handlaggare.lineEdit().setPlaceholderText("Välj i listan eller skriv ett namn")

    def _show_secrecy(self, secret: bool) -> None:
        self.lagrum.setEnabled(secret)
        self.form.setRowVisible(self.lagrum, secret)
        self.secret_note.setVisible(secret)
        label = self.form.labelForField(self.offentlig_rubrik)
        label.setText("&Offentlig rubrik (krävs):" if secret else "&Offentlig rubrik:")
        self.offentlig_rubrik.setPlaceholderText(
            "Det som får visas offentligt, t.ex. Ansökan om vård enligt LVU" if secret else "Frivillig"
        )
        if secret and not self.lagrum.text():
            self.lagrum.setFocus()

    # --- input ----------------------------------------------------------------------------------

    def new_arende(self) -> diary.NewArende:
        """What the user typed, as the operation takes it. A handläggare picked from the list is given by id (the
        list tells namesakes apart); a name not in the list is added as a new tjänsteperson by the operation."""
        text = self.handlaggare.currentText().strip()
        index = self.handlaggare.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        return diary.NewArende(
            namnd_id=self.namnd.currentData(), rubrik=self.rubrik.text(),
            offentlig_rubrik=self.offentlig_rubrik.text(), secret=self.sekretess.isChecked(),
            lagrum=self.lagrum.text(), klassificering=self.klassificering.text(),
            handlaggare=text or None, handlaggare_id=self.handlaggare.itemData(index) if index >= 0 else None,
        )

    def _field_of(self, problem: str) -> QWidget:
        """The field a problem is about, to put the cursor there."""
        if "offentlig" in problem:
            return self.offentlig_rubrik
        return self.lagrum if "lagrum" in problem else self.rubrik

    def _show_live_problems(self) -> None:
        """Once problems are shown, they follow the typing: each goes as soon as it is fixed."""
        if not self.problems.isHidden():
            show_problems(self.problems, diary.arende_problems(self.new_arende()))

    def accept(self) -> None:
        """Register off the UI thread; the dialog closes when the ärende is in the store, and stays open with
        everything typed when the store refuses."""
        if self._task is not None:
            return
        new = self.new_arende()
        problems = diary.arende_problems(new)
        show_problems(self.problems, problems)
        if problems:
            self._field_of(problems[0]).setFocus()
            return
        extra = {"today": self._today} if self._today else {}
        self.ok_button.setEnabled(False)
        self.ok_button.setText("Registrerar …")
        self._task = tasks.run(self, self._store, diary.register_arende, new, **extra,
                               done=self._on_registered, failed=self._on_failed)

    def _on_registered(self, arende: dict) -> None:
        self._task = None
        self.arende = arende
        super().accept()
        self.registered.emit(arende)

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self.ok_button.setEnabled(True)
        self.ok_button.setText("Registrera")
        self._dialogs.error(self, error_text(error))

    def reject(self) -> None:
        if self._task is None:   # not while the store is giving the number: the ärende may already have it
            super().reject()


def handlingar_text(count: int, arende: dict) -> str:
    """``2 handlingar registrerade i SOCN/2023:17``."""
    what = "1 handling registrerad" if count == 1 else f"{count} handlingar registrerade"
    return f"{what} i {arende_name(arende)}"
