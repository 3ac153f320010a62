"""Arkiv → Öppna register …: change the window to another register, a file or the shared one on a server.

The dialog takes a file (chosen with the file dialog through the Dialogs service, or typed) or a PostgreSQL
connection string (``postgresql://server/databas``). A connection string with a password in it is refused: the
program never keeps a password, the user puts it in ~/.pgpass (or logs in with the Windows login). The choice is
remembered in the program's settings on this computer (``settings.remember_register``) and opened at the next
start.

The new register is opened before the window lets go of the old one, so a register that cannot be opened (a
server that does not answer, a file that is no register) is reported and the user goes on where they were. Then
the window is rebuilt on it as after a restore (``reopen.replace_window``).
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout,
)

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.store.server import is_server
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import problem_label
from nämndtool.ui.common.settings import remember_register, remembered_register
from nämndtool.ui.common.widgets import APP_NAME, muted, page_title
from nämndtool.ui.maintenance import reopen

TITLE = "Öppna register"
FILE_FILTER = "Nämndtool-register (*.sqlite *.db);;Alla filer (*)"
PASSWORD_REFUSED = (
    "Anslutningen innehåller ett lösenord. Nämndtool sparar aldrig lösenord: ta bort det ur anslutningen och lägg "
    "det i stället i filen .pgpass i din hemmapp (på Windows %APPDATA%\\postgresql\\pgpass.conf), eller logga in "
    "med Windows-inloggningen om servern tar emot den.")


def location_problem(text: str) -> str | None:
    """Why ``text`` cannot be opened as it is written (None: it can be tried)."""
    text = text.strip()
    if not text:
        return "Ange en registerfil eller en anslutning till det delade registret (postgresql://server/databas)."
    if is_server(text):
        from psycopg import conninfo

        try:
            parts = conninfo.conninfo_to_dict(text)
        except Exception as error:  # noqa: BLE001 — libpq's own words about what it cannot read
            return (f"Anslutningen går inte att läsa ({str(error).strip()}). Skriv den som "
                    "postgresql://server/databas, till exempel postgresql://diarie.kommun.se/namnd.")
        if parts.get("password") is not None:
            return PASSWORD_REFUSED
        return None
    if "://" in text:
        return "Bara anslutningar som börjar med postgresql:// kan öppnas. Ange annars en registerfil."
    path = Path(text).expanduser()
    if path.is_dir():
        return f"{path} är en mapp. Välj registerfilen i den (till exempel namndtool.sqlite)."
    return None


def location_of_text(text: str) -> "Path | str":
    text = text.strip()
    return text if is_server(text) else Path(text).expanduser()


class OpenRegisterDialog(QDialog):
    """A file or a connection string; the location chosen is ``chosen`` once the user presses Öppna."""

    def __init__(self, dialogs, current: str, parent=None):
        super().__init__(parent)
        self.dialogs = dialogs
        self.chosen: Path | str | None = None
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")
        self.location = QLineEdit(current)
        self.location.setAccessibleName("Register")
        self.location.setPlaceholderText("Fil, eller postgresql://server/databas")
        self.location.setMinimumWidth(self.location.fontMetrics().horizontalAdvance("x" * 64))
        self.location.textChanged.connect(lambda _text: self.problem.hide())
        self.choose_button = QPushButton("Välj fil …")
        self.choose_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        label = QLabel("&Register:")
        label.setBuddy(self.location)
        row.addWidget(label)
        row.addWidget(self.location, 1)
        row.addWidget(self.choose_button)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton("Öppna", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(TITLE))
        intro = QLabel("Välj en registerfil på datorn, eller skriv anslutningen till det delade registret på "
                       "servern, till exempel postgresql://diarie.kommun.se/namnd.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(muted("Lösenordet till servern skrivs aldrig här: lägg det i .pgpass i din hemmapp (på "
                               "Windows %APPDATA%\\postgresql\\pgpass.conf), så hittar Nämndtool det. Registret "
                               "du väljer öppnas också nästa gång du startar Nämndtool."))
        layout.addWidget(self.buttons)
        self.location.setFocus()
        self.location.selectAll()

    def choose_file(self) -> None:
        paths = self.dialogs.open_paths(self, "Välj registerfil", FILE_FILTER)
        if paths:
            self.location.setText(str(paths[0]))

    def accept(self) -> None:
        problem = location_problem(self.location.text())
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            self.location.setFocus()
            return
        self.chosen = location_of_text(self.location.text())
        super().accept()


def offer_open_register(window: QMainWindow) -> OpenRegisterDialog:
    """Arkiv → Öppna register …: the dialog, and the window on the register chosen."""
    dialog = OpenRegisterDialog(window.dialogs, str(window.store), window)
    dialog.accepted.connect(lambda: switch_register(window, dialog.chosen))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _same(store, location) -> bool:
    if is_server(location):
        return getattr(store, "location", None) == location
    return not is_server(getattr(store, "location", None)) and Path(store.path).resolve() == Path(location).resolve()


def switch_register(window: QMainWindow, location) -> QMainWindow | None:
    """The window rebuilt on the register at ``location``, which is remembered for the next start; None (the
    window as it was) when it is the one open, cannot be opened, or the user keeps the window."""
    if _same(window.store, location):
        window.dialogs.info(window, f"Registret {reopen.named(location)} är redan öppet.")
        return None
    if not is_server(location) and not Path(location).exists() and not window.dialogs.confirm(
            window, f"Registret {location} finns inte. Vill du skapa ett nytt, tomt register där?",
            yes="Skapa registret", no="Avbryt"):
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        store = Store.open(location)
    except NamndtoolError as error:
        QGuiApplication.restoreOverrideCursor()
        window.dialogs.error(window, f"Registret {reopen.named(location)} kunde inte öppnas.\n\n"
                                     f"{error_text(error)}\n\nDu arbetar vidare i {window.store}.")
        return None
    QGuiApplication.restoreOverrideCursor()
    if not reopen.release(window):
        store.close()
        return None
    remember_register(location)
    return reopen.replace_window(window, store)


def starting_register(given, default) -> "Path | str":
    """What the app opens at start: the register given, unless it is the default file and the user chose another
    with Öppna register … (remembered)."""
    remembered = remembered_register()
    if remembered and Path(str(given)) == Path(str(default)) and not location_problem(remembered):
        return location_of_text(remembered)
    return given
