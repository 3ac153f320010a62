"""Beslutet skickas till: recipients chosen from the address book, or typed once and saved to it.

In a secret ärende a wrongly addressed decision discloses what the secrecy protects, so every recipient with
a postal address shows that address in full, marked like secret content, for the handläggare to check.
"""

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from nämndtool.errors import NamndtoolError
from nämndtool.operations import people
from nämndtool.ui.common import changes, tasks
from nämndtool.ui.common.form_fields import SECRET_STYLE
from nämndtool.ui.common.row_lists import RowContent, RowList
from nämndtool.ui.common.table_models import ROW_ROLE, SECRET_FOREGROUND, Column, RowTableModel
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.choices import MERGED_NOTE, merged_into
from nämndtool.ui.common.recipient_dialog import RecipientDialog, open_dialog
from nämndtool.ui.common.widgets import fit_columns, muted, table_view


def _text(key: str):
    return lambda row: row.get(key) or ""


class AddressBookModel(RowTableModel):
    """The address book (``store.recipients()``): name, postal address, e-mail."""

    COLUMNS = (Column("Namn", _text("namn")), Column("Postadress", _text("adress")), Column("E-post", _text("epost")))


class RecipientRow(RowContent):
    """A chosen recipient, read-only; in a secret ärende its postal address stands out for checking."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._value: dict = {}
        self._secret = False
        self.namn = QLabel()
        bold = self.namn.font()
        bold.setBold(True)
        self.namn.setFont(bold)
        self.namn.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = muted()
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setStyleSheet(SECRET_STYLE)
        larger = self.address.font()
        larger.setPointSizeF(larger.pointSizeF() * 1.15)
        larger.setBold(True)
        self.address.setFont(larger)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.namn)
        layout.addWidget(self.address)
        layout.addWidget(self.details)

    def value(self) -> dict:
        return dict(self._value)

    def set_value(self, value: dict) -> None:
        self._value = dict(value)
        self._show()

    def set_secret(self, secret: bool) -> None:
        self._secret = secret
        self._show()

    def shows_address_prominently(self) -> bool:
        return not self.address.isHidden()

    def _show(self) -> None:
        adress, epost = self._value.get("adress"), self._value.get("epost")
        self.namn.setText(self._value.get("namn", ""))
        prominent = self._secret and bool(adress)
        self.address.setText(f"Kontrollera adressen: {adress}" if prominent else "")
        self.address.setVisible(prominent)
        parts = [epost] if prominent else [adress, epost]
        parts = [p for p in parts if p]
        self.details.setText(" · ".join(parts) if parts else ("" if prominent else "Ingen adress eller e-post"))
        self.details.setVisible(bool(self.details.text()))
        self.setAccessibleName(f"Mottagare {self._value.get('namn', '')}")

    def focus(self) -> None:
        pass


class RecipientsEditor(QWidget):
    """The chosen recipients in order, the searchable address book, and a form for a new recipient."""

    changed = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self._task: tasks.Task | None = None
        self._secret = False
        self.secret_hint = QLabel(
            "Sekretessärende: kontrollera namn och adress för varje mottagare innan beslutet skickas. "
            "Ett feladdresserat beslut röjer uppgifter som sekretessen skyddar.")
        self.secret_hint.setWordWrap(True)
        self.secret_hint.setStyleSheet(SECRET_STYLE)
        self.secret_hint.hide()
        self.chosen = RowList(RecipientRow, add_text=None, empty_text="Inga mottagare valda ännu.")
        self.chosen.changed.connect(self.changed)

        self.book = AddressBookModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.book)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök i adressboken: namn, adress eller e-post …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i adressboken")
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.add_selected)
        self.table = table_view(self.proxy)
        self.table.setAccessibleName("Adressboken")
        fit_columns(self.table, stretch=1)
        rows = 5
        self.table.setFixedHeight(self.table.verticalHeader().defaultSectionSize() * rows
                                  + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.doubleClicked.connect(lambda _index: self.add_selected())
        self.add_button = QPushButton("Lägg till vald mottagare")
        self.add_button.clicked.connect(self.add_selected)
        self.new_dialog_button = QPushButton("Ny mottagare…")
        self.new_dialog_button.setToolTip("Lägg in en ny mottagare i adressboken och lägg till den här")
        self.new_dialog_button.clicked.connect(self.open_new_recipient)
        self.dialog: RecipientDialog | None = None
        self.book_note = muted()

        self.new_namn = QLineEdit()
        self.new_namn.setAccessibleName("Ny mottagares namn")
        self.new_namn.setPlaceholderText("t.ex. Vårdnadshavare 1 eller Kommunstyrelsen")
        self.new_adress = QLineEdit()
        self.new_adress.setAccessibleName("Ny mottagares postadress")
        self.new_adress.setPlaceholderText("Gatuadress, postnummer och ort")
        self.new_epost = QLineEdit()
        self.new_epost.setAccessibleName("Ny mottagares e-post")
        self.new_epost.setPlaceholderText("namn@exempel.se")
        self.new_button = QPushButton("Spara i adressboken och lägg till")
        self.new_button.clicked.connect(self.add_new)
        for edit in (self.new_namn, self.new_adress, self.new_epost):
            edit.returnPressed.connect(self.add_new)
        self.new_note = muted()

        self._build_layout()
        self.reload_address_book()
        changes.follow(self, changes.RECIPIENT_TOPICS, self._people_changed, self.store)   # saved or merged anywhere

    def _build_layout(self) -> None:
        book_buttons = QHBoxLayout()
        book_buttons.addWidget(self.add_button)
        book_buttons.addWidget(self.new_dialog_button)
        book_buttons.addWidget(self.book_note, 1)
        new_form = QFormLayout()
        new_form.setContentsMargins(0, 0, 0, 0)
        new_form.addRow("Namn", self.new_namn)
        new_form.addRow("Postadress", self.new_adress)
        new_form.addRow("E-post", self.new_epost)
        new_buttons = QHBoxLayout()
        self.new_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        new_buttons.addWidget(self.new_button)
        new_buttons.addWidget(self.new_note, 1)
        book_title = QLabel("Lägg till från adressboken")
        new_title = QLabel("Eller skriv en ny mottagare (sparas i adressboken)")
        for title in (book_title, new_title):
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            title.setContentsMargins(0, 8, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.secret_hint)
        layout.addWidget(self.chosen)
        layout.addWidget(book_title)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addLayout(book_buttons)
        layout.addWidget(new_title)
        layout.addLayout(new_form)
        layout.addLayout(new_buttons)

    # --- the chosen recipients -------------------------------------------------------------------

    def recipients(self) -> list[dict]:
        return self.chosen.values()

    def set_recipients(self, recipients: list[dict]) -> None:
        self.chosen.set_values([{k: r.get(k) for k in ("id", "namn", "adress", "epost")} for r in recipients])
        self._apply_secret()

    def set_secret(self, secret: bool) -> None:
        self._secret = secret
        self.secret_hint.setVisible(secret)
        self._apply_secret()

    def _apply_secret(self) -> None:
        for row in self.chosen.contents():
            row.set_secret(self._secret)

    def choose(self, recipient: dict) -> bool:
        """Add a recipient of the address book at the end; False when it is already in the list."""
        if any(r["id"] == recipient["id"] for r in self.recipients()):
            return False
        self.chosen.add_row({k: recipient.get(k) for k in ("id", "namn", "adress", "epost")}, focus=False)
        self._apply_secret()
        return True

    # --- the address book ------------------------------------------------------------------------

    def reload_address_book(self) -> None:
        self._read_book()
        self._filter()

    def _people_changed(self) -> None:
        self._read_book()
        self._follow_merges()

    def _follow_merges(self) -> None:
        """A chosen recipient merged into another in the address book is shown as the one it became (the stored
        tjänsteskrivelse names that one already), so what is saved next is an entry that exists."""
        book = {self.book.row_at(r)["id"]: self.book.row_at(r) for r in range(self.book.rowCount())}
        chosen, current = self.recipients(), []
        for recipient in chosen:
            kept = merged_into(self.store, recipient["id"], set(book))
            found = {k: book[kept].get(k) for k in ("id", "namn", "adress", "epost")} if kept else recipient
            if found["id"] not in [c["id"] for c in current]:
                current.append(found)
        if [c["id"] for c in current] != [c["id"] for c in chosen]:
            self.set_recipients(current)
            self.book_note.setText(MERGED_NOTE)

    def _read_book(self) -> None:
        """The address book from the store; the search and what was said under it stay."""
        try:
            self.book.set_rows(self.store.recipients())
        except NamndtoolError as error:
            self.book_note.setText(f"Adressboken kunde inte läsas: {error}")

    def _filter(self) -> None:
        text = self.search.text().strip()
        self.proxy.setFilterFixedString(text)
        if text and self.proxy.rowCount():
            self.table.selectRow(0)  # Enter in the search field adds the best match
        self.add_button.setEnabled(self.proxy.rowCount() > 0)
        self.book_note.clear()

    def add_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            if self.proxy.rowCount() != 1:
                self.book_note.setText("Välj en mottagare i listan.")
                return
            rows = [self.proxy.index(0, 0)]
        recipient = rows[0].data(ROW_ROLE)
        if self.choose(recipient):
            self.book_note.setText(f"{recipient['namn']} är tillagd.")
            self.search.clear()
        else:
            self.book_note.setText(f"{recipient['namn']} finns redan bland mottagarna.")

    def open_new_recipient(self) -> None:
        """The address-book dialog; the recipient it saves is added here."""
        self.dialog = open_dialog(RecipientDialog(self.store, self.dialogs, parent=self,
                                                  namn=self.search.text().strip()))
        self.dialog.saved.connect(self._saved_in_dialog)

    def _saved_in_dialog(self, recipient_id: int) -> None:
        self.reload_address_book()
        rows = (self.book.row_at(r) for r in range(self.book.rowCount()))
        recipient = next((r for r in rows if r["id"] == recipient_id), None)
        if recipient is not None and self.choose(recipient):
            self.search.clear()
            self.book_note.setText(f"{recipient['namn']} är sparad i adressboken och tillagd.")

    def _note(self, text: str, problem: bool = False) -> None:
        self.new_note.setText(text)
        self.new_note.setStyleSheet(f"color: {SECRET_FOREGROUND.name()};" if problem else "")

    def add_new(self) -> bool:
        """Save the typed recipient to the address book (``operations.people.ensure_recipient``, off the UI
        thread) and add it; True when it was handed over. What was typed stays on any problem."""
        if self._task is not None:
            return False
        namn, adress, epost = (e.text().strip() for e in (self.new_namn, self.new_adress, self.new_epost))
        self._note("Sparar i adressboken …")
        self.new_button.setEnabled(False)
        self._task = tasks.run(
            self, self.store, people.ensure_recipient, namn, adress or None, epost or None,
            done=lambda recipient_id: self._added_new(recipient_id, namn, adress or None, epost or None),
            failed=self._add_new_failed)
        return True

    def _added_new(self, recipient_id: int, namn: str, adress: str | None, epost: str | None) -> None:
        self._new_ended()
        self.reload_address_book()
        added = self.choose({"id": recipient_id, "namn": namn, "adress": adress, "epost": epost})
        typed = [e.text().strip() or None for e in (self.new_namn, self.new_adress, self.new_epost)]
        if typed == [namn, adress, epost]:   # not when something new was typed meanwhile
            for edit in (self.new_namn, self.new_adress, self.new_epost):
                edit.clear()
        self._note(f"{namn} är sparad i adressboken och tillagd." if added
                   else f"{namn} fanns redan bland mottagarna.")

    def _add_new_failed(self, error: BaseException) -> None:
        self._new_ended()
        message = error_text(error)
        self._note(f"Mottagaren är inte sparad. {message}", problem=True)
        self.dialogs.error(self, message)
        field = {"e-post": self.new_epost, "namn": self.new_namn}
        next((edit for word, edit in field.items() if word in message), self.new_namn).setFocus()

    def _new_ended(self) -> None:
        self._task = None
        self.new_button.setEnabled(True)
