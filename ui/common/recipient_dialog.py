"""The address-book dialog (a new recipient, or changes to one) and the small form dialog it is built on.

Used by Personer (the address book) and by every recipient picker ("Ny mottagare…" in the tjänsteskrivelse and
in a §), so a recipient can be added where it is needed; the list of every picker then refreshes through
``changes``. Saving runs the operation on the app's runner: the dialog closes when it has succeeded and keeps what
was typed when it is refused.
"""

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nämndtool.operations import people
from nämndtool.store.namnder import email_problem
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import problem_label
from nämndtool.ui.common.widgets import APP_NAME

EMAIL_HINT = "Ingen giltig e-postadress – skriv som namn@exempel.se."


def check_email(edit: QLineEdit, label: QLabel, always: bool = False) -> bool:
    """Inline, under the field: say when the e-mail address cannot be one. While typing (``always`` False) this
    waits until the text has an @ or a few letters, so the first keystroke is not scolded. True when fine."""
    text = edit.text()
    problem = email_problem(text) if always or "@" in text or len(text.strip()) > 3 else None
    label.setText(EMAIL_HINT if problem else "")
    label.setVisible(bool(problem))
    return not problem


class FormDialog(QDialog):
    """A small form that stays open, with what the user typed, until saving succeeds. Saving runs the dialog's
    operation on the app's runner; the dialog emits ``saved`` with the operation's result and closes when it has
    succeeded, and shows the refusal otherwise."""

    saved = Signal(object)

    def __init__(self, title: str, store, dialogs, parent=None, save_text: str = "Spara"):
        super().__init__(parent)
        self.setWindowTitle(f"{title} – {APP_NAME}")
        self.store, self.dialogs = store, dialogs
        self.saving = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)
        self.setMinimumWidth(540)

    def validate(self) -> tuple[str | None, QWidget] | None:
        """(Swedish message, field to focus) for the first thing to fix, or None when all is well."""
        return None

    def name_and_email_problem(self, missing_name: str) -> tuple[str | None, QWidget] | None:
        """:meth:`validate` for a form with the fields ``namn``, ``epost`` and ``email_problem``: the name is
        required, and an e-mail address that cannot be one is said under its field."""
        if not self.namn.text().strip():
            return missing_name, self.namn
        if not check_email(self.epost, self.email_problem, always=True):
            return None, self.epost
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

    def _saved(self, result) -> None:
        self._set_saving(False)
        self.saved.emit(result)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        """Shown; the dialog stays open with what was typed."""
        self._set_saving(False)
        self.dialogs.error(self, error_text(error))


class RecipientDialog(FormDialog):
    """A new entry in the address book (``saved`` gives its id), or changes to one."""

    def __init__(self, store, dialogs, recipient: dict | None = None, parent=None, namn: str = ""):
        super().__init__("Ändra mottagare" if recipient else "Ny mottagare", store, dialogs, parent)
        self.recipient = recipient
        self.namn = QLineEdit(recipient["namn"] if recipient else namn)
        self.namn.setAccessibleName("Mottagarens namn")
        self.namn.setPlaceholderText("Till exempel Kommunstyrelsen")
        self.adress = QLineEdit((recipient or {}).get("adress") or "")
        self.adress.setAccessibleName("Postadress")
        self.adress.setPlaceholderText("Gatuadress, postnummer och ort")
        self.epost = QLineEdit((recipient or {}).get("epost") or "")
        self.epost.setAccessibleName("E-post")
        self.epost.setPlaceholderText("namn@exempel.se")
        self.email_problem = problem_label()
        self.form.addRow("Namn:", self.namn)
        self.form.addRow("Postadress:", self.adress)
        self.form.addRow("E-post:", self.epost)
        self.form.addRow("", self.email_problem)
        self.epost.textChanged.connect(lambda: check_email(self.epost, self.email_problem))

    def validate(self):
        return self.name_and_email_problem("Skriv mottagarens namn.")

    def operation(self):
        return people.save_recipient, ((self.recipient or {}).get("id"), self.namn.text(), self.adress.text(),
                                       self.epost.text())


def open_dialog(dialog: QDialog) -> QDialog:
    """Window-modal and non-blocking (``open``, not ``exec``), so tests fill it in and press Spara; deleted once
    closed."""
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
