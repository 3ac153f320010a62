"""Every modal dialog, file chooser, external viewer and print dialog goes through one small service.

Views receive a ``Dialogs`` object and never call QMessageBox, QFileDialog or QPrintDialog themselves, so tests
replace it with ``ScriptedDialogs`` and never wait on a modal window.
"""

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QDir, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget,
)

from nämndtool.errors import NamndtoolError
from nämndtool.ui.common.widgets import APP_NAME


def error_text(error: BaseException) -> str:
    """What the user reads for an error: our Swedish message, or a plain Swedish sentence for the unexpected."""
    if isinstance(error, NamndtoolError):
        return str(error)
    return (f"Ett oväntat fel inträffade ({type(error).__name__}: {error}). Det du skrivit finns kvar. "
            "Försök igen; kvarstår felet, kontakta support.")


SAVE_FOLDERS = "sparmappar"
"""QSettings group: the folder last chosen for each kind of document (kallelse, handlingar, …), and under
``öppna/`` the folder last opened from for each file dialog."""
OPEN_FOLDER = "Öppna mappen"


def documents_folder() -> Path:
    """The user's Documents folder, or the home folder when there is none."""
    for candidate in (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
                      QDir.homePath()):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


def start_folder(kind: str, suggested: Path | None = None) -> Path:
    """Where a file dialog for ``kind`` opens: the folder last chosen for it (remembered between starts) while it
    exists, else ``suggested`` when it is a real folder, else Documents. Never the program's own folder: a
    relative or missing folder counts as none."""
    remembered = QSettings().value(f"{SAVE_FOLDERS}/{kind}", "", type=str)
    for folder in (remembered, str(suggested) if suggested is not None and suggested.is_absolute() else ""):
        if folder and Path(folder).is_absolute() and Path(folder).is_dir():
            return Path(folder)
    return documents_folder()


def save_start(suggested: Path, kind: str) -> Path:
    """The file a save dialog for ``kind`` suggests: the suggested name in :func:`start_folder`."""
    suggested = Path(suggested)
    return start_folder(kind, suggested.parent) / suggested.name


def remember_save_folder(kind: str, path: Path) -> None:
    QSettings().setValue(f"{SAVE_FOLDERS}/{kind}", str(Path(path).parent))


class TextPrompt(QDialog):
    """A question answered in words: the explanation above, a text box, and an OK button that is enabled once at
    least ``minimum`` characters (not counting spaces at the ends) are written."""

    def __init__(self, parent: QWidget | None, title: str, label: str, ok: str = "OK", placeholder: str = "",
                 minimum: int = 1):
        super().__init__(parent)
        self.minimum = minimum
        self.setWindowTitle(f"{title} – {APP_NAME}")
        self.heading = QLabel(title)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(title)
        self.text.setPlaceholderText(placeholder)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 16)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.label)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._update()
        self.text.setFocus()

    def value(self) -> str:
        return self.text.toPlainText().strip()

    def _update(self) -> None:
        self.ok_button.setEnabled(len(self.value()) >= self.minimum)


class Dialogs:
    """The real dialogs."""

    def error(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.critical(parent, APP_NAME, message)

    def info(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.information(parent, APP_NAME, message)

    def confirm(self, parent: QWidget | None, question: str, yes: str = "Fortsätt", no: str = "Avbryt") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, question, parent=parent)
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def ask_text(self, parent: QWidget | None, title: str, label: str, ok: str = "OK", placeholder: str = "",
                 minimum: int = 1) -> str | None:
        """A text the user writes (e.g. the reason for a decision), or None when the user cancels."""
        prompt = TextPrompt(parent, title, label, ok, placeholder, minimum)
        return prompt.value() if prompt.exec() == QDialog.DialogCode.Accepted else None

    def unsaved_changes(self, parent: QWidget | None, what: str) -> str:
        """ "save", "discard" or "cancel" for unsaved changes in ``what``."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, f"Du har ändringar i {what} som inte är sparade.",
                          parent=parent)
        save = box.addButton("Spara", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Släng ändringarna", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return {id(save): "save", id(discard): "discard"}.get(id(box.clickedButton()), "cancel")

    def saved(self, parent: QWidget | None, message: str, folder: Path) -> None:
        """Something was written: ``message`` (which names the file), with a button that opens ``folder``."""
        box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, message, parent=parent)
        open_folder = box.addButton(OPEN_FOLDER, QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(box.addButton("OK", QMessageBox.ButtonRole.AcceptRole))
        box.exec()
        if box.clickedButton() is open_folder:
            self.open_externally(folder)

    def save_path(self, parent: QWidget | None, caption: str, suggested: Path, filters: str,
                  kind: str | None = None) -> Path | None:
        """The file to write, chosen by the user; the dialog opens where :func:`save_start` says, and the folder
        chosen is remembered for ``kind`` (the caption when no kind is given)."""
        kind = kind or caption
        name, _ = QFileDialog.getSaveFileName(parent, caption, str(save_start(suggested, kind)), filters)
        if not name:
            return None
        remember_save_folder(kind, Path(name))
        return Path(name)

    def open_paths(self, parent: QWidget | None, caption: str, filters: str) -> list[Path]:
        """Files the user picks; the dialog opens in the folder last picked from for ``caption``, else Documents
        (never the program's own folder)."""
        kind = f"öppna/{caption}"
        names, _ = QFileDialog.getOpenFileNames(parent, caption, str(start_folder(kind)), filters)
        if names:
            remember_save_folder(kind, Path(names[0]))
        return [Path(n) for n in names]

    def open_externally(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def print_pdf(self, parent: QWidget | None, path: Path) -> bool:
        """The print dialog for a PDF; True when it was printed."""
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        document = QPdfDocument()
        document.load(str(path))
        painter = QPainter(printer)
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                image = document.render(page, target.size())
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True


@dataclass
class ScriptedDialogs:
    """A stand-in for tests: records every call and answers from a script instead of waiting for a user."""

    confirm_answer: bool = True
    unsaved_answer: str = "save"
    save_answers: list[Path] = field(default_factory=list)
    open_folder_answer: bool = False
    """Whether the user presses Öppna mappen in a ``saved`` message."""
    open_answers: list[list[Path]] = field(default_factory=list)
    text_answers: list[str | None] = field(default_factory=list)
    """Answers to ``ask_text`` in order; None (or none left) is Avbryt."""
    calls: list[tuple] = field(default_factory=list)

    def error(self, parent, message):
        self.calls.append(("error", message))

    def info(self, parent, message):
        self.calls.append(("info", message))

    def confirm(self, parent, question, yes="Fortsätt", no="Avbryt"):
        self.calls.append(("confirm", question))
        return self.confirm_answer

    def ask_text(self, parent, title, label, ok="OK", placeholder="", minimum=1):
        self.calls.append(("ask_text", label, title, ok))
        return self.text_answers.pop(0) if self.text_answers else None

    def unsaved_changes(self, parent, what):
        self.calls.append(("unsaved", what))
        return self.unsaved_answer

    def saved(self, parent, message, folder):
        """Recorded as the information it is (``messages("info")``) and as ``("saved", folder)``."""
        self.calls.append(("info", message))
        self.calls.append(("saved", folder))
        if self.open_folder_answer:
            self.open_externally(folder)

    def save_path(self, parent, caption, suggested, filters, kind=None):
        self.calls.append(("save_path", caption, suggested))
        return self.save_answers.pop(0) if self.save_answers else None

    def open_paths(self, parent, caption, filters):
        self.calls.append(("open_paths", caption))
        return self.open_answers.pop(0) if self.open_answers else []

    def open_externally(self, path):
        self.calls.append(("open", path))

    def print_pdf(self, parent, path):
        self.calls.append(("print", path))
        return True

    def messages(self, kind: str) -> list[str]:
        return [call[1] for call in self.calls if call[0] == kind]
