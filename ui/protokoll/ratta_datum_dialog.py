"""Rätta datum: correct a wrongly entered justering or anslag date of a justerat protokoll, with a reason.

The dialog is the view's DateDialog with two more rows (which date, the reason). The operation
(``nämndtool.operations.protokoll.correct_date``) applies every rule: a reason of at least five characters, and a
correction only until the anslag period has started. A refusal is shown by the caller through the dialog service
and the dialog stays open with what was typed.
"""

import datetime as dt
from typing import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from nämndtool.operations.protokoll import DATE_COLUMNS
from nämndtool.ui.common.tasks import Task
from nämndtool.ui.protokoll.common import DateDialog

DATE_LABELS = dict(zip(DATE_COLUMNS, ("Justeringsdatum", "Anslagsdatum",
                                      "Anslag för omedelbart justerade paragrafer")))
REASON_EXAMPLE = "Till exempel: Fel dag skrevs in; justerat 2024-03-14 enligt protokollet"


class RattaDatumDialog(DateDialog):
    """Asks which date, the correct date and why. ``dates`` are (column, current date) for the dates that exist;
    ``accept()`` hands (column, date, reason) to ``on_correct``, which starts the correction and returns its task;
    the dialog closes when that has succeeded."""

    def __init__(self, dates: list[tuple[str, dt.date]], on_correct: Callable[[str, dt.date, str], Task | None],
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
        form = self.findChild(QFormLayout)   # DateDialog's form: the date row is the only one so far
        form.insertRow(0, "Datum som rättas", self.which)
        form.addRow("Skäl", self.reason)
        self.which.setFocus()

    def column(self) -> str:
        return self.which.currentData()[0]

    def _show_current(self, _index: int) -> None:
        self.set_date(self.which.currentData()[1])

    def _submit(self, datum: dt.date) -> Task | None:
        return self._on_correct(self.column(), datum, self.reason.text().strip())
