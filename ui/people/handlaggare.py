"""A handläggare's own details, as the tjänsteskrivelse prints them in its header: namn, titel, e-post and telefon.
A new handläggare, or changes to a person's details, saved through ``operations.people.save_handlaggare``."""

from PySide6.QtWidgets import QLineEdit

from nämndtool.operations import people
from nämndtool.store.namnder import email_problem
from nämndtool.ui.common.form_fields import problem_label
from nämndtool.ui.common.recipient_dialog import FormDialog, check_email

NO_AT = "E-postadressen saknar @. Skriv den som namn@exempel.se, eller lämna fältet tomt."


def email_explained(text: str) -> str | None:
    """Why ``text`` is no e-mail address, in Swedish (a missing @ said as such); None when it is one or empty."""
    if text.strip() and "@" not in text:
        return NO_AT
    return email_problem(text)


class HandlaggareDialog(FormDialog):
    """A new handläggare (``saved`` gives the id), or changes to a person's namn, titel, e-post and telefon."""

    def __init__(self, store, dialogs, person: dict | None = None, parent=None):
        super().__init__("Ändra uppgifter" if person else "Ny handläggare", store, dialogs, parent)
        self.person = person
        person = person or {}
        self.namn = self._field(person.get("namn"), "Namn", "Förnamn Efternamn")
        self.titel = self._field(person.get("titel"), "Titel", "Till exempel Socialsekreterare")
        self.epost = self._field(person.get("epost"), "E-post", "namn@exempel.se")
        self.telefon = self._field(person.get("telefon"), "Telefon", "Till exempel 0150-570 00")
        self.email_problem = problem_label()
        self.form.addRow("Namn:", self.namn)
        self.form.addRow("Titel:", self.titel)
        self.form.addRow("E-post:", self.epost)
        self.form.addRow("", self.email_problem)
        self.form.addRow("Telefon:", self.telefon)
        self.epost.textChanged.connect(lambda: check_email(self.epost, self.email_problem))

    @staticmethod
    def _field(text: str | None, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text or "")
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def validate(self):
        if not self.namn.text().strip():
            return "Skriv handläggarens namn.", self.namn
        problem = email_explained(self.epost.text())
        if problem:
            self.email_problem.setText(problem)
            self.email_problem.show()
            return None, self.epost
        return None

    def operation(self):
        return people.save_handlaggare, ((self.person or {}).get("id"), self.namn.text(), self.titel.text(),
                                         self.epost.text(), self.telefon.text())
