"""Ny mandatperiod: every seat of an organ renewed for the next term in one go, with the same roles.

The dialog lists the seats that run on the day before the new period begins, each ticked; the user unticks those
who do not continue (a seat that cannot be renewed says why and cannot be ticked), checks the dates and renews
them all with ``operations.people.renew_seats`` on the runner: all or none.
"""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem

from nämndtool.errors import NamndtoolError
from nämndtool.operations import people
from nämndtool.ui.common.recipient_dialog import FormDialog
from nämndtool.ui.common.widgets import count_text, muted
from nämndtool.ui.people.fields import ROLES, date_edit, iso_of

TERM_YEARS = 4


def proposed_period(seats: list[dict], today: dt.date) -> tuple[str, str]:
    """The day after the end most of the running seats share (or 1 January next year), and four years on."""
    ends = [s["till"] for s in seats if s["till"]]
    start = (dt.date.fromisoformat(max(set(ends), key=ends.count)) + dt.timedelta(days=1)) if ends \
        else dt.date(today.year + 1, 1, 1)
    later = start.replace(day=28) if (start.month, start.day) == (2, 29) else start   # 29 February: no such day later
    end = later.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()


def seat_text(seat: dict) -> str:
    party = f" ({seat['parti']})" if seat.get("parti") else ""
    return f"{seat['namn']}{party} – {ROLES.get(seat['uppdrag_roll'], seat['uppdrag_roll'])}"


class RenewDialog(FormDialog):
    """A new mandate period for an organ: from and to, and whose seats are renewed."""

    def __init__(self, store, dialogs, organ: dict, today: dt.date | None = None, parent=None):
        super().__init__("Ny mandatperiod", store, dialogs, parent, save_text="Förnya uppdragen")
        self.organ = organ
        running = store.organ_seats(organ["id"], (today or dt.date.today()).isoformat())
        fran, till = proposed_period(running, today or dt.date.today())
        self.fran = date_edit(fran)
        self.fran.setAccessibleName("Ny period från")
        self.ends = QCheckBox("Slutar")
        self.ends.setChecked(True)
        self.till = date_edit(till)
        self.till.setAccessibleName("Ny period till")
        self.ends.toggled.connect(self.till.setEnabled)
        till_row = QHBoxLayout()
        till_row.addWidget(self.ends)
        till_row.addWidget(self.till, 1)
        self.seats = QListWidget()
        self.seats.setAccessibleName("Uppdrag som förnyas")
        self.seats.setMinimumHeight(300)
        self.summary = muted()
        intro = QLabel("Alla som har ett uppdrag dagen före den nya perioden får ett nytt uppdrag med samma roll. "
                       "Ta bort bocken för den som inte fortsätter. Pågående uppdrag slutar dagen före.")
        intro.setWordWrap(True)
        self.form.addRow("Organ:", QLabel(organ["namn"]))
        self.form.addRow(intro)
        self.form.addRow("Från:", self.fran)
        self.form.addRow("Till:", till_row)
        self.form.addRow(self.seats)
        self.form.addRow(self.summary)
        self.fran.dateChanged.connect(self.load)
        self.till.dateChanged.connect(self.load)
        self.ends.toggled.connect(lambda _checked: self.load())
        self.seats.itemChanged.connect(lambda _item: self._summarise())
        self.load()

    def period(self) -> tuple[str, str | None]:
        return iso_of(self.fran), iso_of(self.till) if self.ends.isChecked() else None

    def load(self) -> None:
        """The seats that can be renewed for the dates chosen; a seat unticked by the user stays unticked."""
        unticked = {self.seats.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.seats.count())
                    if self.seats.item(i).checkState() != Qt.CheckState.Checked}
        self.seats.blockSignals(True)
        self.seats.clear()
        try:
            renewals = people.renewal_preview(self.store, self.organ["id"], *self.period())
        except NamndtoolError as error:
            renewals = []
            self.show_problem(str(error))
        else:
            self.show_problem(None)
        for renewal in renewals:
            seat = renewal.seat
            item = QListWidgetItem(seat_text(seat) + (f" – kan inte förnyas: {renewal.problem}" if renewal.problem
                                                      else ""))
            item.setData(Qt.ItemDataRole.UserRole, seat["uppdrag_id"])
            if renewal.problem:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked if seat["uppdrag_id"] in unticked
                                   else Qt.CheckState.Checked)
            self.seats.addItem(item)
        self.seats.blockSignals(False)
        self._summarise()

    def chosen(self) -> list[int]:
        return [self.seats.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.seats.count())
                if self.seats.item(i).checkState() == Qt.CheckState.Checked]

    def _summarise(self) -> None:
        fran, till = self.period()
        total = self.seats.count()
        if not total:
            self.summary.setText(f"{self.organ['namn']} har inga uppdrag dagen före {fran}.")
        else:
            period = f"{fran} – {till}" if till else f"från {fran} tills vidare"
            self.summary.setText(f"{len(self.chosen())} av {count_text(total, 'uppdrag', 'uppdrag')} förnyas "
                                 f"för {period}.")
        self.save_button.setEnabled(bool(self.chosen()))

    def validate(self):
        if not self.chosen():
            return "Välj vilka uppdrag som ska förnyas.", self.seats
        return None

    def operation(self):
        return people.renew_seats, (self.organ["id"], self.chosen(), *self.period())
