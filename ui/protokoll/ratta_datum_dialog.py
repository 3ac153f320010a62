"""Rätta datum: correct a wrongly entered justering or anslag date of a justerat protokoll, with a reason.

The dialog is the view's DateDialog with two more rows (which date, the reason). The store applies the rule
(nämndtool.justering.correction_problem): allowed until the anslag period has started. A refusal is shown by the
caller through the dialog service and the dialog stays open with what was typed.
"""

import datetime as dt
from typing import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from nämndtool.ui.protokoll.common import DateDialog, problem_label, show_note

MINIMUM_REASON = 5
"""The store refuses a shorter reason (db/010 checks it too)."""

DATE_LABELS = {"justerad": "Justeringsdatum", "anslag_datum": "Anslagsdatum",
               "omedelbar_anslag": "Anslag för omedelbart justerade paragrafer"}
REASON_EXAMPLE = "Till exempel: Fel dag skrevs in; justerat 2024-03-14 enligt protokollet"


class RattaDatumDialog(DateDialog):
    """Asks which date, the correct date and why. ``dates`` are (column, current date) for the dates that exist;
    ``accept()`` hands (column, date, reason) to ``on_correct`` and closes only when that returns True."""

    def __init__(self, dates: list[tuple[str, dt.date]], on_correct: Callable[[str, dt.date, str], bool],
                 parent=None):
        super().__init__(
            "Rätta datum",
            "Rätta ett datum som skrevs in fel. Det går fram till att anslagstiden har börjat, det vill säga till och "
            "med den dag då anslaget registreras. Rättelsen sparas med skälet, ditt namn och tidpunkten. Den sparade "
            "PDF:en av det justerade protokollet ändras inte.",
            "Rätta datumet", dates[0][1], self._submit, parent, label="Rätt datum")
        self._on_correct = on_correct
        self.which = QComboBox()
        self.which.setAccessibleName("Datum som rättas")
        for column, current in dates:
            self.which.addItem(f"{DATE_LABELS[column]} (nu {current})", (column, current))
        self.which.currentIndexChanged.connect(self._show_current)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl")
        self.reason.setPlaceholderText(REASON_EXAMPLE)
        self.reason.setMinimumWidth(self.reason.fontMetrics().horizontalAdvance(REASON_EXAMPLE) + 24)
        self.reason.textChanged.connect(lambda _text: show_note(self.problem, ""))
        self.problem = problem_label()
        form = self.findChild(QFormLayout)   # DateDialog's form: the date row is the only one so far
        form.insertRow(0, "Datum som rättas", self.which)
        form.addRow("Skäl", self.reason)
        self.layout().insertWidget(self.layout().indexOf(form) + 1, self.problem)
        self.which.setFocus()

    def column(self) -> str:
        return self.which.currentData()[0]

    def _show_current(self, _index: int) -> None:
        self.set_date(self.which.currentData()[1])

    def _submit(self, datum: dt.date) -> bool:
        reason = self.reason.text().strip()
        if len(reason) < MINIMUM_REASON:
            show_note(self.problem, f"Skriv skälet till rättelsen (minst {MINIMUM_REASON} tecken). Det sparas med "
                                    "ditt namn och tidpunkten.")
            self.reason.setFocus()
            return False
        show_note(self.problem, "")
        return self._on_correct(self.column(), datum, reason)
