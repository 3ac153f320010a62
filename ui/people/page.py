"""Personer: the ledamöter and ersättare of each organ on a date (who gets the kallelse), with a new mandate period
for all of them in one go (``renew.py``); every person (handläggare and förtroendevalda); and the address book of
decision recipients ("Beslutet skickas till"). Persons and recipients can be shown as possible duplicates only and
merged after a preview (``merge.py``)."""

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTabWidget,
    QVBoxLayout, QWidget,
)

from nämndtool.operations import people
from nämndtool.store.namnder import swedish_key as people_key
from nämndtool.ui.common import changes, tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import problem_label
from nämndtool.ui.common.recipient_dialog import EMAIL_HINT, FormDialog, RecipientDialog, check_email, open_dialog
from nämndtool.ui.common.table_models import MUTED_FOREGROUND, SECRET_MARK, Column, RowTableModel
from nämndtool.ui.common.widgets import (
    LoadWhenShown, count_text, fit_columns, long_date, muted, page_title, table_view,
)
from nämndtool.ui.people.fields import ROLES, date_edit, iso_of
from nämndtool.ui.people.handlaggare import HandlaggareDialog
from nämndtool.ui.people.merge import MergeDialog
from nämndtool.ui.people.renew import RenewDialog

__all__ = ["EMAIL_HINT", "PeoplePage"]
PARTIES = ("", "S", "M", "SD", "C", "V", "KD", "L", "MP")
MISSING = "saknas"


def _text(key: str) -> Callable[[dict], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


# --- table models ---------------------------------------------------------------------------------------------


class SeatsModel(RowTableModel):
    """Seats as ``store.organ_seats()`` gives them; a missing e-mail is shown, since the kallelse needs one."""

    COLUMNS = (
        Column("Namn", _text("namn")),
        Column("Parti", _text("parti")),
        Column("Uppdrag", lambda r: ROLES.get(r["uppdrag_roll"], r["uppdrag_roll"])),
        Column("Från", _text("fran")),
        Column("Till", lambda r: r["till"] or "tills vidare"),
        Column("E-post", lambda r: r["epost"] or MISSING),
        Column("Telefon", _text("telefon")),
    )
    EMAIL = 5

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        missing = index.isValid() and index.column() == self.EMAIL and not self.row_at(index.row())["epost"]
        if missing and role == Qt.ItemDataRole.ForegroundRole:
            return MUTED_FOREGROUND
        if missing and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if missing and role == Qt.ItemDataRole.ToolTipRole:
            return "Ingen e-postadress: kallelsen kan inte skickas med e-post till den här personen."
        return super().data(index, role)


def _used_in(row: dict) -> str:
    n = row["anvands"]
    text = count_text(n, "tjänsteskrivelse", "tjänsteskrivelser") if n else "–"
    return f"{text}  {SECRET_MARK}" if row["sekretess"] else text


class AddressBookModel(RowTableModel):
    """The address book as ``store.address_book()`` gives it. A recipient used in a secret ärende (a private
    person's address, typically) is marked like every other secret row."""

    COLUMNS = (
        Column("Namn", _text("namn")),
        Column("Postadress", _text("adress")),
        Column("E-post", _text("epost")),
        Column("Används i", _used_in, emphasis=True),
    )

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and self.row_at(index.row())["sekretess"]:
            return "Mottagaren finns i ett sekretessärende: uppgifterna kan omfattas av sekretess."
        return super().data(index, role)


# --- dialogs --------------------------------------------------------------------------------------------------


class SeatDialog(FormDialog):
    """A new seat (for a known or a new person) or changes to one, with the person's contact details."""

    def __init__(self, store, dialogs, organ: dict, seat: dict | None = None, start: str | None = None, parent=None):
        super().__init__("Ändra uppdrag" if seat else "Nytt uppdrag", store, dialogs, parent)
        self.organ, self.seat = organ, seat
        self.person = QComboBox()
        self.person.setAccessibleName("Person")
        self.person.addItem("Ny person", None)
        for p in store.elected_people():
            self.person.addItem(f"{p['namn']} ({p['parti']})" if p["parti"] else p["namn"], p)
        self.namn = QLineEdit()
        self.parti = QComboBox()
        self.parti.setEditable(True)
        self.parti.addItems(PARTIES)
        self.epost = QLineEdit()
        self.epost.setPlaceholderText("namn@exempel.se")
        self.email_problem = problem_label()
        self.telefon = QLineEdit()
        self.roll = QComboBox()
        for code, label in ROLES.items():
            self.roll.addItem(label, code)
        self.fran = date_edit(seat["fran"] if seat else start)
        self.ends = QCheckBox("Slutar")
        self.till = date_edit(seat["till"] if seat and seat["till"] else None)
        self.ends.setChecked(bool(seat and seat["till"]))
        self.till.setEnabled(self.ends.isChecked())
        self.ends.toggled.connect(self.till.setEnabled)
        till_row = QHBoxLayout()
        till_row.addWidget(self.ends)
        till_row.addWidget(self.till, 1)

        self.form.addRow("Organ:", QLabel(organ["namn"]))
        if seat is None:
            self.form.addRow("Person:", self.person)
        self.form.addRow("Namn:", self.namn)
        self.form.addRow("Parti:", self.parti)
        self.form.addRow("E-post:", self.epost)
        self.form.addRow("", self.email_problem)
        self.form.addRow("Telefon:", self.telefon)
        self.form.addRow("Uppdrag:", self.roll)
        self.form.addRow("Från:", self.fran)
        self.form.addRow("Till:", till_row)
        self.epost.textChanged.connect(lambda: check_email(self.epost, self.email_problem))
        self.person.currentIndexChanged.connect(self._person_chosen)
        if seat:
            self._fill(seat)
            self.roll.setCurrentIndex(self.roll.findData(seat["uppdrag_roll"]))
        else:
            self.roll.setCurrentIndex(self.roll.findData("ledamot"))

    def _person_chosen(self) -> None:
        self._fill(self.person.currentData() or {})

    def _fill(self, person: dict) -> None:
        self.namn.setText(person.get("namn") or "")
        self.parti.setCurrentText(person.get("parti") or "")
        self.epost.setText(person.get("epost") or "")
        self.telefon.setText(person.get("telefon") or "")

    def person_values(self) -> dict:
        return {"namn": self.namn.text(), "parti": self.parti.currentText(), "epost": self.epost.text(),
                "telefon": self.telefon.text()}

    def validate(self):
        return self.name_and_email_problem("Skriv personens namn.")

    def operation(self):
        seat = people.Seat(self.roll.currentData(), iso_of(self.fran), iso_of(self.till) if self.ends.isChecked() else None)
        if self.seat:
            return people.change_seat, (self.seat["id"], self.seat["uppdrag_id"], self.person_values(), seat)
        chosen = self.person.currentData()
        return people.add_seat, (self.organ["id"], chosen["id"] if chosen else None, self.person_values(), seat)


class EndSeatDialog(FormDialog):
    """The last day of a seat."""

    def __init__(self, store, dialogs, seat: dict, organ: dict, parent=None):
        super().__init__("Avsluta uppdrag", store, dialogs, parent)
        self.seat = seat
        role = ROLES.get(seat["uppdrag_roll"], seat["uppdrag_roll"]).lower()
        intro = QLabel(f"{seat['namn']} som {role} i {organ['namn']}, från {seat['fran']}.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.till = date_edit(seat["till"] or dt.date.today().isoformat())
        self.form.addRow("Sista dag:", self.till)
        self.save_button.setText("Avsluta uppdraget")

    def operation(self):
        return people.end_seat, (self.seat["uppdrag_id"], iso_of(self.till))


# --- the tabs -------------------------------------------------------------------------------------------------


def _buttons(*labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    buttons = [QPushButton(label) for label in labels]
    for button in buttons:
        row.addWidget(button)
    return row, buttons


class RosterTab(QWidget):
    """Ledamöter and ersättare of one organ on one date."""

    changed = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.dialog: QDialog | None = None
        self.organ = QComboBox()
        self.organ.setAccessibleName("Organ")
        self.organ.setMinimumWidth(260)
        self.date = date_edit()
        self.date.setAccessibleName("Gäller den")
        self.today = QPushButton("I dag")
        self.all_seats = QCheckBox("Visa även avslutade och kommande uppdrag")
        self.model = SeatsModel(parent=self)
        self.view = table_view(self.model)
        fit_columns(self.view, stretch=0)
        self.info = muted()
        button_row, (self.add_button, self.edit_button, self.end_button, self.renew_button) = _buttons(
            "Nytt uppdrag…", "Ändra…", "Avsluta uppdrag…", "Ny mandatperiod…")
        self.renew_button.setToolTip("Förnya alla uppdrag i organet för nästa mandatperiod, med samma roller")

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Organ:"))
        choose.addWidget(self.organ)
        choose.addSpacing(16)
        choose.addWidget(QLabel("Gäller den:"))
        choose.addWidget(self.date)
        choose.addWidget(self.today)
        choose.addSpacing(16)
        choose.addWidget(self.all_seats)
        choose.addStretch(1)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.info)
        layout.addWidget(self.view)
        layout.addLayout(button_row)

        self.organ.currentIndexChanged.connect(self.reload)
        self.date.dateChanged.connect(self.reload)
        self.all_seats.toggled.connect(self._on_all_seats)
        self.today.clicked.connect(lambda: self.date.setDate(QDate.currentDate()))
        self.add_button.clicked.connect(self.add_seat)
        self.edit_button.clicked.connect(self.edit_seat)
        self.end_button.clicked.connect(self.end_seat)
        self.renew_button.clicked.connect(self.renew_seats)
        self.view.doubleClicked.connect(lambda _index: self.edit_seat())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

    def load_organs(self) -> None:
        selected = self.current_organ()
        organs = self.store.all_organs()
        several = len({o["namnd_id"] for o in organs}) > 1
        self.organ.blockSignals(True)
        self.organ.clear()
        for organ in organs:
            self.organ.addItem(f"{organ['namn']} ({organ['namnd_kod']})" if several else organ["namn"], organ)
        ids = [o["id"] for o in organs]
        if selected and selected["id"] in ids:
            self.organ.setCurrentIndex(ids.index(selected["id"]))
        self.organ.blockSignals(False)

    def current_organ(self) -> dict | None:
        return self.organ.currentData()

    def selected_seat(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def reload(self) -> None:
        chosen = self.selected_seat()
        organ = self.current_organ()
        on_date = None if self.all_seats.isChecked() else iso_of(self.date)
        seats = self.store.organ_seats(organ["id"], on_date) if organ else []
        self.model.set_rows(seats)
        if chosen:
            ids = [s["uppdrag_id"] for s in seats]
            if chosen["uppdrag_id"] in ids:
                self.view.selectRow(ids.index(chosen["uppdrag_id"]))
        self.info.setText(self._summary(organ, seats, on_date))
        self._update_buttons()
        self.changed.emit()

    @staticmethod
    def _summary(organ: dict | None, seats: list[dict], on_date: str | None) -> str:
        if organ is None:
            return "Registret har ingen nämnd ännu."
        if not seats:
            when = f" den {long_date(on_date)}" if on_date else ""
            return f"{organ['namn']} har inga ledamöter eller ersättare{when}. Lägg till dem med Nytt uppdrag."
        deputies = sum(s["uppdrag_roll"] == "ersattare" for s in seats)
        members = len(seats) - deputies
        text = (f"{count_text(members, 'ledamot', 'ledamöter')} och {count_text(deputies, 'ersättare', 'ersättare')}"
                + (f" den {long_date(on_date)}." if on_date else ", alla uppdrag."))
        missing = sum(not s["epost"] for s in seats)
        if missing:
            text += (f" {missing} av dem saknar e-post och får kallelsen på annat sätt än med e-post."
                     if missing > 1 else " En av dem saknar e-post och får kallelsen på annat sätt än med e-post.")
        return text

    def counts(self) -> str:
        return count_text(self.model.rowCount(), "uppdrag", "uppdrag")

    def _on_all_seats(self, checked: bool) -> None:
        self.date.setEnabled(not checked)
        self.today.setEnabled(not checked)
        self.reload()

    def _update_buttons(self, *_args) -> None:
        has_seat = self.selected_seat() is not None
        self.edit_button.setEnabled(has_seat)
        self.end_button.setEnabled(has_seat)
        self.add_button.setEnabled(self.current_organ() is not None)
        self.renew_button.setEnabled(self.current_organ() is not None)

    def add_seat(self) -> None:
        organ = self.current_organ()
        if organ is None:
            return
        self._open(SeatDialog(self.store, self.dialogs, organ, start=iso_of(self.date), parent=self))

    def edit_seat(self) -> None:
        seat = self.selected_seat()
        if seat is not None:
            self._open(SeatDialog(self.store, self.dialogs, self.current_organ(), seat=seat, parent=self))

    def end_seat(self) -> None:
        seat = self.selected_seat()
        if seat is not None:
            self._open(EndSeatDialog(self.store, self.dialogs, seat, self.current_organ(), parent=self))

    def renew_seats(self) -> None:
        organ = self.current_organ()
        if organ is not None:
            self._open(RenewDialog(self.store, self.dialogs, organ, today=self.date.date().toPython(), parent=self))

    def _open(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking; the roster reloads when the change is announced (``changes``)."""
        self.dialog = open_dialog(dialog)


class _MergeableTab(QWidget):
    """A searchable list of persons or address-book entries (``KIND``) where likely duplicates can be shown on
    their own (``operations.people.likely_duplicates``) and two or more rows merged into one (``MergeDialog``)."""

    changed = Signal()
    KIND = ""
    NOUN = ("", "")
    WHERE = ""
    SEARCHED = ("namn", "epost")

    def __init__(self, store, dialogs, model: RowTableModel, search_hint: str, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.dialog: QDialog | None = None
        self._all: list[dict] = []
        self._groups: list[people.DuplicateGroup] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(360)
        self.duplicates_only = QCheckBox("Visa bara möjliga dubbletter")
        self.duplicates_only.setToolTip("Samma namn (stora och små bokstäver och mellanslag räknas inte) eller samma "
                                        "e-postadress")
        self.result = muted()
        self.model = model
        self.view = table_view(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.merge_button = QPushButton("Slå ihop…")
        self.merge_button.setToolTip("Markera två eller flera rader som är samma, eller en rad bland de möjliga "
                                     "dubbletterna")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search)
        search_row.addSpacing(12)
        search_row.addWidget(self.duplicates_only)
        search_row.addSpacing(12)
        search_row.addWidget(self.result, 1)
        self.button_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.view)
        layout.addLayout(self.button_row)
        self.search.textChanged.connect(self._filter)
        self.duplicates_only.toggled.connect(lambda _checked: self._filter())
        self.merge_button.clicked.connect(self.merge)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

    def rows(self) -> list[dict]:
        """Every row of the list, from the store."""
        raise NotImplementedError

    def reload(self) -> None:
        self._all = self.rows()
        self._groups = people.likely_duplicates(self.store, self.KIND)
        self._filter()

    def _filter(self) -> None:
        chosen = {r["id"] for r in self.selected_rows()}
        words = self.search.text().casefold().split()
        rows = self._all
        if self.duplicates_only.isChecked():
            rows = [r for g in self._groups for r in g.rows]
        rows = [r for r in rows
                if all(w in " ".join(str(r.get(k) or "") for k in self.SEARCHED).casefold() for w in words)]
        self.model.set_rows(rows)
        for row, found in enumerate(rows):
            if found["id"] in chosen:
                self.view.selectionModel().select(
                    self.model.index(row, 0), self.view.selectionModel().SelectionFlag.Select
                    | self.view.selectionModel().SelectionFlag.Rows)
        self.result.setText(self._summary(rows, words))
        self._update_buttons()
        self.changed.emit()

    def _summary(self, rows: list[dict], words: list[str]) -> str:
        one, many = self.NOUN
        n, total = len(rows), len(self._all)
        duplicates = len(self._groups)
        if self.duplicates_only.isChecked():
            if not duplicates:
                return "Inga möjliga dubbletter."
            return (f"{count_text(duplicates, 'grupp', 'grupper')} med möjliga dubbletter: "
                    + ", ".join(f"{g.rows[0]['namn']} ({len(g.rows)}, {g.reason})" for g in self._groups[:4])
                    + (" …" if duplicates > 4 else "") + ". Markera en rad och välj Slå ihop.")
        if words and not n:
            return f"Ingen {one} matchar ”{self.search.text().strip()}”."
        if words:
            return f"{count_text(n, one, many)} av {total} matchar."
        hint = f" {count_text(duplicates, 'grupp', 'grupper')} med möjliga dubbletter." if duplicates else ""
        return f"{count_text(n, one, many)}{self.WHERE}.{hint}"

    def selected_rows(self) -> list[dict]:
        return [self.model.row_at(i.row()) for i in sorted(self.view.selectionModel().selectedRows(),
                                                            key=lambda i: i.row())]

    def rows_to_merge(self) -> list[dict]:
        """The marked rows; one marked row among the possible duplicates stands for its whole group."""
        chosen = self.selected_rows()
        if len(chosen) == 1 and self.duplicates_only.isChecked():
            return next((g.rows for g in self._groups if chosen[0]["id"] in {r["id"] for r in g.rows}), chosen)
        return chosen

    def _update_buttons(self, *_args) -> None:
        self.merge_button.setEnabled(len(self.rows_to_merge()) > 1)

    def merge(self) -> None:
        chosen = self.rows_to_merge()
        if len(chosen) > 1:
            self._open(MergeDialog(self.store, self.dialogs, self.KIND, chosen, parent=self))

    def _open(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking; the list reloads when the change is announced (``changes``)."""
        self.dialog = open_dialog(dialog)


def _kind(row: dict) -> str:
    return "Tjänsteperson" if row["roll"] == "tjansteperson" else "Förtroendevald"


def _person_use(row: dict) -> str:
    parts = [count_text(row["arenden"], "ärende", "ärenden") if row["arenden"] else "",
             count_text(row["uppdrag"], "uppdrag", "uppdrag") if row["uppdrag"] else "",
             count_text(row["protokoll"], "protokoll", "protokoll") if row["protokoll"] else ""]
    return ", ".join(p for p in parts if p) or "–"


class PersonsModel(RowTableModel):
    """Every person as ``store.all_persons()`` gives them."""

    COLUMNS = (
        Column("Namn", _text("namn")),
        Column("Titel", _text("titel")),
        Column("Parti", _text("parti")),
        Column("Slag", _kind),
        Column("E-post", _text("epost")),
        Column("Telefon", _text("telefon")),
        Column("Används i", _person_use),
    )


class PersonsTab(_MergeableTab):
    """Every person: handläggare and other tjänstepersoner, ledamöter and ersättare. A new handläggare is added
    here, and anyone's namn, titel, e-post and telefon changed (``HandlaggareDialog``)."""

    KIND = "person"
    NOUN = ("person", "personer")
    SEARCHED = ("namn", "titel", "parti", "epost", "telefon")

    def __init__(self, store, dialogs, parent=None):
        super().__init__(store, dialogs, PersonsModel(), "Sök namn, titel eller e-post …", parent)
        self.model.setParent(self)
        self.search.setAccessibleName("Sök bland personerna")
        fit_columns(self.view, stretch=0)
        self.add_button, self.edit_button = QPushButton("Ny handläggare…"), QPushButton("Ändra…")
        self.add_button.setToolTip("En ny handläggare med titel, e-post och telefon, som tjänsteskrivelsen skriver ut")
        self.edit_button.setToolTip("Ändra den markerade personens namn, titel, e-post och telefon")
        for button in (self.add_button, self.edit_button, self.merge_button):
            self.button_row.addWidget(button)
        self.button_row.addStretch(1)
        self.add_button.clicked.connect(self.add_handlaggare)
        self.edit_button.clicked.connect(self.edit_person)
        self.view.doubleClicked.connect(lambda _index: self.edit_person())

    def rows(self) -> list[dict]:
        found = self.store.all_persons()
        return sorted(found, key=lambda p: (people_key(p["namn"]), p["id"]))

    def counts(self) -> str:
        return count_text(self.model.rowCount(), "person", "personer")

    def _update_buttons(self, *_args) -> None:
        super()._update_buttons()
        self.edit_button.setEnabled(len(self.selected_rows()) == 1)

    def add_handlaggare(self) -> None:
        self._open(HandlaggareDialog(self.store, self.dialogs, parent=self))

    def edit_person(self) -> None:
        chosen = self.selected_rows()
        if len(chosen) == 1:
            self._open(HandlaggareDialog(self.store, self.dialogs, chosen[0], parent=self))


class AddressBookTab(_MergeableTab):
    """The recipients a tjänsteskrivelse can send its decision to."""

    KIND = "mottagare"
    NOUN = ("mottagare", "mottagare")
    WHERE = " i adressboken"
    SEARCHED = ("namn", "adress", "epost")

    def __init__(self, store, dialogs, parent=None):
        super().__init__(store, dialogs, AddressBookModel(), "Sök namn, adress eller e-post …", parent)
        self.model.setParent(self)
        self.search.setAccessibleName("Sök i adressboken")
        fit_columns(self.view, stretch=1)
        self.add_button, self.edit_button, self.delete_button = (
            QPushButton("Ny mottagare…"), QPushButton("Ändra…"), QPushButton("Ta bort"))
        for button in (self.add_button, self.edit_button, self.delete_button, self.merge_button):
            self.button_row.addWidget(button)
        self.button_row.addStretch(1)
        self.add_button.clicked.connect(self.add_recipient)
        self.edit_button.clicked.connect(self.edit_recipient)
        self.delete_button.clicked.connect(self.delete_recipient)
        self.view.doubleClicked.connect(lambda _index: self.edit_recipient())

    def rows(self) -> list[dict]:
        return self.store.address_book()

    def counts(self) -> str:
        return f"{count_text(self.model.rowCount(), 'mottagare', 'mottagare')} i adressboken"

    def selected_recipient(self) -> dict | None:
        """The one marked recipient (None when none or several are marked)."""
        chosen = self.selected_rows()
        return chosen[0] if len(chosen) == 1 else None

    def _update_buttons(self, *_args) -> None:
        super()._update_buttons()
        chosen = self.selected_recipient() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def add_recipient(self) -> None:
        self._open(RecipientDialog(self.store, self.dialogs, parent=self))

    def edit_recipient(self) -> None:
        chosen = self.selected_recipient()
        if chosen is not None:
            self._open(RecipientDialog(self.store, self.dialogs, chosen, parent=self))

    def delete_recipient(self) -> None:
        chosen = self.selected_recipient()
        if chosen is None:
            return
        if not self.dialogs.confirm(self, f"Ta bort ”{chosen['namn']}” ur adressboken?", yes="Ta bort"):
            return
        self.delete_button.setEnabled(False)
        tasks.run(self, self.store, people.delete_recipient, chosen["id"], failed=self._delete_refused)

    def _delete_refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self._update_buttons()


class PeoplePage(QWidget):
    """Personer: three tabs, Ledamöter och ersättare, Alla personer and Adressbok. Every list reloads when a change
    to people, seats, recipients or ärenden is announced (``changes``), wherever in the app it was made."""

    counts_changed = Signal(str)

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.roster = RosterTab(store, dialogs)
        self.persons = PersonsTab(store, dialogs)
        self.address_book = AddressBookTab(store, dialogs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.roster, "Ledamöter och ersättare")
        self.tabs.addTab(self.persons, "Alla personer")
        self.tabs.addTab(self.address_book, "Adressbok")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Personer"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self.counts_changed.emit(self.counts()))
        for tab in (self.roster, self.persons, self.address_book):
            tab.changed.connect(lambda: self.counts_changed.emit(self.counts()))
        # Nothing is read until the page is first shown; a change while it is hidden is read when it is shown.
        self.loading = LoadWhenShown(self, self.reload)
        changes.follow(self, changes.PEOPLE_TOPICS, self.loading.reload_when_shown, self.store)

    def reload(self) -> None:
        self.loading.loaded()
        try:
            self.roster.load_organs()
            self.roster.reload()
            self.persons.reload()
            self.address_book.reload()
        except Exception as error:  # noqa: BLE001 — a store that cannot be read is said, not crashed on
            self.dialogs.error(self, error_text(error))

    def counts(self) -> str:
        return self.tabs.currentWidget().counts()
