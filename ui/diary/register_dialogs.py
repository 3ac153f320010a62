"""Registering in the diary: a new ärende (the store gives the number), and files dropped on an ärende as handlingar.

Both dialogs are opened with ``open()`` (window-modal, not blocking), so tests drive their widgets directly.
Problems with what was typed are shown inside the dialog in Swedish; a store error (a locked register) is shown
through the dialog service and the dialog stays open with everything the user typed.
"""

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QScrollArea,
    QVBoxLayout, QWidget,
)

from nämndtool.operations import diary
from nämndtool.ui.common import tasks
from nämndtool.ui.common.choices import person_choices
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import LAGRUM_EXAMPLE, problem_label, secret_banner, show_problems
from nämndtool.ui.common.table_models import UNNUMBERED
from nämndtool.ui.common.widgets import muted

MANY_FILES = 8
"""Above this many dropped files, their descriptions scroll instead of making the dialog taller than the screen."""


def arende_name(arende: dict) -> str:
    """How an ärende is named in a sentence: its diary number, or its rubrik when it has none."""
    return arende.get("diarienummer") or f"ärendet ”{arende.get('rubrik') or UNNUMBERED}”"


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


class HandlingarDialog(QDialog):
    """Confirms files dropped on an ärende: which ärende, each file's description (its name to start with), date."""

    def __init__(self, arende: dict, paths: list[Path], skipped: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.arende = arende
        self.paths = list(paths)
        self.setWindowTitle("Registrera handlingar")
        self.setMinimumWidth(620)
        count = "filen" if len(paths) == 1 else f"de {len(paths)} filerna"
        intro = QLabel(f"Registrera {count} som inkomna handlingar i {arende_name(arende)}"
                       + (f" – {arende['rubrik']}" if arende.get("diarienummer") else "") + ".")
        intro.setWordWrap(True)

        self.descriptions: list[QLineEdit] = []
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for path in self.paths:
            edit = QLineEdit(path.stem)
            edit.setAccessibleName(f"Beskrivning av {path.name}")
            edit.setToolTip(str(path))
            self.descriptions.append(edit)
            form.addRow(f"{path.name}:", edit)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Inkom")
        form.addRow("Inkom:", self.date)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if arende.get("sekretess"):
            grounds = arende.get("sekretess_lagrum") or "samma grund som ärendet"
            layout.addWidget(secret_banner(f"Handlingarna registreras med sekretess ({grounds})."))
        layout.addWidget(muted("Beskrivningen är filens namn från början; "
                               "ändra den om den inte säger vad handlingen är."))
        if len(self.paths) > MANY_FILES:
            inner = QWidget()
            inner.setLayout(form)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(inner)
            scroll.setMinimumHeight((self.descriptions[0].sizeHint().height() + 6) * MANY_FILES)
            layout.addWidget(scroll)
        else:
            layout.addLayout(form)
        if skipped:
            layout.addWidget(muted("Hoppas över:\n" + "\n".join(skipped)))
        self.problems = problem_label()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Registrera")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def files(self) -> list[tuple[Path, str]]:
        return [(path, edit.text().strip()) for path, edit in zip(self.paths, self.descriptions)]

    def datum(self) -> str:
        return self.date.date().toString("yyyy-MM-dd")

    def accept(self) -> None:
        empty = [edit for edit in self.descriptions if not edit.text().strip()]
        show_problems(self.problems, ["Varje handling behöver en beskrivning."] if empty else [])
        if empty:
            empty[0].setFocus()
            return
        super().accept()


def handlingar_text(count: int, arende: dict) -> str:
    """``2 handlingar registrerade i SOCN/2023:17``."""
    what = "1 handling registrerad" if count == 1 else f"{count} handlingar registrerade"
    return f"{what} i {arende_name(arende)}"
