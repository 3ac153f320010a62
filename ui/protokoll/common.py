"""Shared pieces of the protokoll view: notes in the house colours, a date question, locking a form once the
protokoll is justerat, how people are named in a protokoll, and waiting for a save that must be known to have
succeeded before the next step."""

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
    QLineEdit, QMainWindow, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget,
)

from nämndtool.ui.common.form_fields import DateEdit
from nämndtool.ui.common.table_models import MISSING_COLOUR, READY_COLOUR, SECRET_FOREGROUND
from nämndtool.ui.common.tasks import Task

WARNING_STYLE = "background: #fff4ce; color: #4d3800; padding: 5px 8px;"
LOCKED_STYLE = "background: #e8eef7; color: #1f3a5f; padding: 6px 8px; border: 1px solid #9fb3cf;"
LOCKED_STATE = "Låst – kan inte ändras (se rutan överst)."
"""The saved state of a part of a locked protokoll: justerat, or being signed in a digital justering."""
OK_COLOUR = READY_COLOUR
PROBLEM_COLOUR = MISSING_COLOUR

ROLL_LABELS = {"ordforande": "Ordförande", "vice_ordforande": "Vice ordförande", "ledamot": "Ledamot",
               "ersattare": "Ersättare", "tjansteperson": "Tjänsteperson"}


def note_label(style: str = WARNING_STYLE, accessible_name: str = "") -> QLabel:
    """A wrapped label with a coloured background, hidden until it has something to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible_name:
        label.setAccessibleName(accessible_name)
    label.hide()
    return label


def show_note(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def problem_label() -> QLabel:
    """An inline problem in dark red, hidden until there is one."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {SECRET_FOREGROUND.name()};")
    label.setAccessibleName("Att rätta")
    label.hide()
    return label


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def person_name(n: dict) -> str:
    """``Anders Gölevik (C)``: how a person is written in yrkanden, votes, jäv and among the justerare."""
    return f"{n['namn']} ({n['parti']})" if n.get("parti") else n["namn"]


USER_NAME = "anvandare/namn"
"""QSettings key: the name of the person using the program ("Ditt namn"), written on what they confirm."""


def user_name(parent: QWidget, dialogs) -> str | None:
    """The name of the person using the program, asked once (Ditt namn) and kept in the program's settings; None
    when they decline. A confirmation is recorded with this name; the computer login is kept in the audit trail."""
    settings = QSettings()
    name = " ".join(str(settings.value(USER_NAME, "") or "").split())
    if name:
        return name
    answer = dialogs.ask_text(
        parent, "Ditt namn",
        "En bekräftad adress registreras med namnet på den som har kontrollerat den, och namnet står på "
        "försättsbladet. Skriv ditt för- och efternamn. Det sparas i programmets inställningar, så du behöver "
        "bara skriva det en gång.", ok="Spara namnet", placeholder="Förnamn Efternamn", minimum=3)
    name = " ".join((answer or "").split())
    if not name:
        return None
    settings.setValue(USER_NAME, name)
    return name


def present_at(n: dict, nr: int) -> bool:
    """Whether a person of the närvaro took part in § ``nr`` (arrived at Från §, left after Till §)."""
    if n.get("forhinder"):
        return False
    return (not n.get("fran_paragraf") or n["fran_paragraf"] <= nr) and (
        not n.get("till_paragraf") or n["till_paragraf"] >= nr)


def serving_at(narvaro: list[dict], nr: int) -> list[dict]:
    """The beslutande of § ``nr``: the chair and everyone serving who was there."""
    return [n for n in narvaro if (n["tjanstgor"] or n["roll"] == "ordforande") and present_at(n, nr)]


def iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def split_names(text: str) -> list[str]:
    """Names typed as ``Anna Ek (S), Per Holm (M)``."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def lock_widgets(container: QWidget, locked: bool) -> None:
    """Make every input inside ``container`` read-only (text stays readable and selectable) or editable again."""
    for child in container.findChildren(QWidget):
        if isinstance(child, (QLineEdit, QTextEdit, QPlainTextEdit)):
            if isinstance(child.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            child.setReadOnly(locked)
        elif isinstance(child, QAbstractSpinBox):
            child.setReadOnly(locked)
            child.setEnabled(not locked)
        elif isinstance(child, (QComboBox, QAbstractButton)):
            if child.property("always_enabled"):
                continue
            child.setEnabled(not locked)


def show_when_editable(widgets, locked: bool) -> None:
    """Hide what only adds or saves (Lägg till …, Spara …) once the protokoll is locked: a read-only page."""
    for widget in widgets:
        widget.setVisible(not locked)


def row_buttons(*lists) -> list:
    """The move and remove buttons of every row of these RowLists."""
    return [button for rows in lists for row in rows.rows for button in (row.up, row.down, row.remove)]


class busy_cursor:
    """The wait cursor while a short piece of work (rendering one document) runs on the UI thread."""

    def __enter__(self):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc):
        QApplication.restoreOverrideCursor()


PROTOKOLL_KIND = "protokoll"
"""The kind of document (``Dialogs.save_path``) of every version of the protokoll, the justerat PDF too: their save
dialogs open where the last one went."""
FILTERS = {"pdf": "PDF-dokument (*.pdf)", "docx": "Word-dokument (*.docx)"}


def ask_save_path(dialogs, parent: QWidget, caption: str, name: str, fmt: str, kind: str) -> Path | None:
    """Where to save a document of format ``fmt`` (suggested name ``name``), with the right suffix; None when the
    user cancels. The dialog opens where the last document of this ``kind`` went, else in Documents, never in the
    program's folder (``Dialogs.save_path``), as for every other document of the app."""
    path = dialogs.save_path(parent, caption, Path(name), FILTERS[fmt], kind=kind)
    if path is None:
        return None
    path = Path(path)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")


def announce_saved(parent: QWidget, dialogs, message: str, path: Path) -> None:
    """A document is written to ``path``: "Skrivet: <fil>" in the window's status bar, the message (which names
    the file) with Öppna mappen, and the file opened, as the kallelse and the handlingar are announced."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(f"Skrivet: {path}", 8000)
    dialogs.saved(parent, message, path.parent)
    dialogs.open_externally(path)


class DateDialog(QDialog):
    """Asks for one date (justering, anslag). ``accept()`` hands the date to ``on_accept``, which starts the work on
    the app's runner and returns its task (None when it did not start; the reason has been shown). The dialog closes
    when the work has succeeded and stays open with the date kept when it failed (the caller shows why)."""

    def __init__(self, title: str, text: str, ok_text: str, initial: dt.date,
                 on_accept: Callable[[dt.date], Task | None], parent=None, *, label: str = "Datum"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._on_accept = on_accept
        self.task: Task | None = None
        """The work under way; the dialog neither starts another nor closes until it has ended."""
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        explanation.setMinimumWidth(460)
        self.date_edit = DateEdit(QDate(initial.year, initial.month, initial.day))
        self.date_edit.setAccessibleName(label)
        form = QFormLayout()
        form.addRow(label, self.date_edit)
        self.buttons = box = QDialogButtonBox()
        box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        box.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(box)

    def date(self) -> dt.date:
        return self.date_edit.date().toPython()

    def set_date(self, value: dt.date) -> None:
        self.date_edit.setDate(QDate(value.year, value.month, value.day))

    def accept(self) -> None:
        if self.task is not None:
            return
        self.task = self._on_accept(self.date())
        if self.task is None:
            return
        self.buttons.setEnabled(False)
        self.task.succeeded.connect(lambda _result: QDialog.accept(self))
        self.task.ended.connect(self._ended)

    def reject(self) -> None:
        if self.task is None:
            super().reject()

    def _ended(self) -> None:
        self.task = None
        self.buttons.setEnabled(True)
