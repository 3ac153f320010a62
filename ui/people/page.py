"""Personer: the ledamöter and ersättare of each organ on a date (who gets the kallelse), and the address book of
decision recipients ("Beslutet skickas till")."""

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from nämndtool.operations import people
from nämndtool.store.namnder import email_problem
from nämndtool.ui.common import tasks
from nämndtool.ui.common.table_models import MUTED_FOREGROUND, SECRET_FOREGROUND, SECRET_MARK, Column, RowTableModel
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import APP_NAME, count_text, fit_columns, long_date, muted, page_title, table_view

ROLES = {"ordforande": "Ordförande", "vice_ordforande": "Vice ordförande", "ledamot": "Ledamot",
         "ersattare": "Ersättare"}
PARTIES = ("", "S", "M", "SD", "C", "V", "KD", "L", "MP")
MISSING = "saknas"


def _text(key: str) -> Callable[[dict], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


def _date_edit(iso: str | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.fromString(iso, "yyyy-MM-dd") if iso else QDate.currentDate())
    return edit


def _problem_label(wrap: bool = True) -> QLabel:
    """Where a dialog says, in Swedish, what must be fixed before it can be saved."""
    label = QLabel()
    label.setWordWrap(wrap)
    label.setStyleSheet(f"color: {SECRET_FOREGROUND.name()};")
    label.setAccessibleName("Fel att rätta")
    label.hide()
    return label


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


class _FormDialog(QDialog):
    """A small form that stays open, with what the user typed, until saving succeeds. Saving runs the dialog's
    operation on the app's runner; the dialog closes when it has succeeded and shows the refusal otherwise."""

    def __init__(self, title: str, store, dialogs, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} – {APP_NAME}")
        self.store, self.dialogs = store, dialogs
        self.saving = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = _problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Spara")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)

    def validate(self) -> tuple[str | None, QWidget] | None:
        """(Swedish message, field to focus) for the first thing to fix, or None when all is well."""
        return None

    def operation(self) -> tuple[Callable, tuple]:
        """The operation that saves the form and its arguments after the store."""
        raise NotImplementedError

    def show_problem(self, message: str | None, field: QWidget | None = None) -> None:
        """``message`` below the form (None when the field's own inline label already says it)."""
        self.problem.setText(message or "")
        self.problem.setVisible(bool(message))
        if field is not None:
            field.setFocus()
        self.adjustSize()

    def accept(self) -> None:
        if self.saving:
            return
        found = self.validate()
        if found:
            self.show_problem(*found)
            return
        self.problem.hide()
        operation, args = self.operation()
        self._set_saving(True)
        tasks.run(self, self.store, operation, *args, done=self._saved, failed=self._refused)

    def reject(self) -> None:
        if not self.saving:   # a save under way finishes first: its outcome is shown in this dialog
            super().reject()

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, _result) -> None:
        self._set_saving(False)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        """Shown; the dialog stays open with what was typed."""
        self._set_saving(False)
        self.dialogs.error(self, error_text(error))


EMAIL_HINT = "Ingen giltig e-postadress – skriv som namn@exempel.se."


def _check_email(edit: QLineEdit, label: QLabel, always: bool = False) -> bool:
    """Inline, under the field: say when the e-mail address cannot be one. While typing (``always`` False) this
    waits until the text has an @ or a few letters, so the first keystroke is not scolded. True when fine."""
    text = edit.text()
    problem = email_problem(text) if always or "@" in text or len(text.strip()) > 3 else None
    label.setText(EMAIL_HINT if problem else "")
    label.setVisible(bool(problem))
    return not problem


class SeatDialog(_FormDialog):
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
        self.email_problem = _problem_label(wrap=False)
        self.telefon = QLineEdit()
        self.roll = QComboBox()
        for code, label in ROLES.items():
            self.roll.addItem(label, code)
        self.fran = _date_edit(seat["fran"] if seat else start)
        self.ends = QCheckBox("Slutar")
        self.till = _date_edit(seat["till"] if seat and seat["till"] else None)
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
        self.epost.textChanged.connect(lambda: _check_email(self.epost, self.email_problem))
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
        if not self.namn.text().strip():
            return "Skriv personens namn.", self.namn
        if not _check_email(self.epost, self.email_problem, always=True):
            return None, self.epost
        return None

    def operation(self):
        seat = people.Seat(self.roll.currentData(), _iso(self.fran), _iso(self.till) if self.ends.isChecked() else None)
        if self.seat:
            return people.change_seat, (self.seat["id"], self.seat["uppdrag_id"], self.person_values(), seat)
        chosen = self.person.currentData()
        return people.add_seat, (self.organ["id"], chosen["id"] if chosen else None, self.person_values(), seat)


class EndSeatDialog(_FormDialog):
    """The last day of a seat."""

    def __init__(self, store, dialogs, seat: dict, organ: dict, parent=None):
        super().__init__("Avsluta uppdrag", store, dialogs, parent)
        self.seat = seat
        role = ROLES.get(seat["uppdrag_roll"], seat["uppdrag_roll"]).lower()
        intro = QLabel(f"{seat['namn']} som {role} i {organ['namn']}, från {seat['fran']}.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.till = _date_edit(seat["till"] or dt.date.today().isoformat())
        self.form.addRow("Sista dag:", self.till)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Avsluta uppdraget")

    def operation(self):
        return people.end_seat, (self.seat["uppdrag_id"], _iso(self.till))


class RecipientDialog(_FormDialog):
    """A new entry in the address book, or changes to one."""

    def __init__(self, store, dialogs, recipient: dict | None = None, parent=None):
        super().__init__("Ändra mottagare" if recipient else "Ny mottagare", store, dialogs, parent)
        self.recipient = recipient
        self.namn = QLineEdit(recipient["namn"] if recipient else "")
        self.namn.setPlaceholderText("Till exempel Kommunstyrelsen")
        self.adress = QLineEdit((recipient or {}).get("adress") or "")
        self.adress.setPlaceholderText("Gatuadress, postnummer och ort")
        self.epost = QLineEdit((recipient or {}).get("epost") or "")
        self.epost.setPlaceholderText("namn@exempel.se")
        self.email_problem = _problem_label(wrap=False)
        self.form.addRow("Namn:", self.namn)
        self.form.addRow("Postadress:", self.adress)
        self.form.addRow("E-post:", self.epost)
        self.form.addRow("", self.email_problem)
        self.epost.textChanged.connect(lambda: _check_email(self.epost, self.email_problem))

    def validate(self):
        if not self.namn.text().strip():
            return "Skriv mottagarens namn.", self.namn
        if not _check_email(self.epost, self.email_problem, always=True):
            return None, self.epost
        return None

    def operation(self):
        return people.save_recipient, ((self.recipient or {}).get("id"), self.namn.text(), self.adress.text(),
                                       self.epost.text())


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
        self.date = _date_edit()
        self.date.setAccessibleName("Gäller den")
        self.today = QPushButton("I dag")
        self.all_seats = QCheckBox("Visa även avslutade och kommande uppdrag")
        self.model = SeatsModel(parent=self)
        self.view = table_view(self.model)
        fit_columns(self.view, stretch=0)
        self.info = muted()
        button_row, (self.add_button, self.edit_button, self.end_button) = _buttons(
            "Nytt uppdrag…", "Ändra…", "Avsluta uppdrag…")

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
        on_date = None if self.all_seats.isChecked() else _iso(self.date)
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

    def add_seat(self) -> None:
        organ = self.current_organ()
        if organ is None:
            return
        self._open(SeatDialog(self.store, self.dialogs, organ, start=_iso(self.date), parent=self))

    def edit_seat(self) -> None:
        seat = self.selected_seat()
        if seat is not None:
            self._open(SeatDialog(self.store, self.dialogs, self.current_organ(), seat=seat, parent=self))

    def end_seat(self) -> None:
        seat = self.selected_seat()
        if seat is not None:
            self._open(EndSeatDialog(self.store, self.dialogs, seat, self.current_organ(), parent=self))

    def _open(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking (``open``, not ``exec``), so tests fill it in and press Spara."""
        self.dialog = dialog
        dialog.accepted.connect(self.reload)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()


class AddressBookTab(QWidget):
    """The recipients a tjänsteskrivelse can send its decision to."""

    changed = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.dialog: QDialog | None = None
        self._all: list[dict] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök namn, adress eller e-post …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i adressboken")
        self.search.setMinimumWidth(360)
        self.result = muted()
        self.model = AddressBookModel(parent=self)
        self.view = table_view(self.model)
        fit_columns(self.view, stretch=1)
        button_row, (self.add_button, self.edit_button, self.delete_button) = _buttons(
            "Ny mottagare…", "Ändra…", "Ta bort")
        button_row.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search)
        search_row.addSpacing(12)
        search_row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.view)
        layout.addLayout(button_row)

        self.search.textChanged.connect(self._filter)
        self.add_button.clicked.connect(self.add_recipient)
        self.edit_button.clicked.connect(self.edit_recipient)
        self.delete_button.clicked.connect(self.delete_recipient)
        self.view.doubleClicked.connect(lambda _index: self.edit_recipient())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

    def reload(self) -> None:
        self._all = self.store.address_book()
        self._filter()

    def _filter(self) -> None:
        chosen = self.selected_recipient()
        words = self.search.text().casefold().split()
        rows = [r for r in self._all
                if all(w in " ".join(str(r[k] or "") for k in ("namn", "adress", "epost")).casefold() for w in words)]
        self.model.set_rows(rows)
        if chosen and chosen["id"] in [r["id"] for r in rows]:
            self.view.selectRow([r["id"] for r in rows].index(chosen["id"]))
        n = len(rows)
        if words and not n:
            self.result.setText(f"Ingen mottagare matchar ”{self.search.text().strip()}”.")
        elif words:
            self.result.setText(f"{count_text(n, 'mottagare', 'mottagare')} av {len(self._all)} matchar.")
        else:
            self.result.setText(f"{count_text(n, 'mottagare', 'mottagare')} i adressboken.")
        self._update_buttons()
        self.changed.emit()

    def counts(self) -> str:
        return f"{count_text(self.model.rowCount(), 'mottagare', 'mottagare')} i adressboken"

    def selected_recipient(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
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
        tasks.run(self, self.store, people.delete_recipient, chosen["id"], done=lambda _r: self.reload(),
                  failed=self._delete_refused)

    def _delete_refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self._update_buttons()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(self.reload)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()


class PeoplePage(QWidget):
    """Personer: two tabs, Ledamöter och ersättare and Adressbok."""

    counts_changed = Signal(str)

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.roster = RosterTab(store, dialogs)
        self.address_book = AddressBookTab(store, dialogs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.roster, "Ledamöter och ersättare")
        self.tabs.addTab(self.address_book, "Adressbok")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Personer"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self.counts_changed.emit(self.counts()))
        self.roster.changed.connect(lambda: self.counts_changed.emit(self.counts()))
        self.address_book.changed.connect(lambda: self.counts_changed.emit(self.counts()))

    def reload(self) -> None:
        try:
            self.roster.load_organs()
            self.roster.reload()
            self.address_book.reload()
        except Exception as error:  # noqa: BLE001 — a store that cannot be read is said, not crashed on
            self.dialogs.error(self, error_text(error))

    def counts(self) -> str:
        return self.roster.counts() if self.tabs.currentWidget() is self.roster else self.address_book.counts()
