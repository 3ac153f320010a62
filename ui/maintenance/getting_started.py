"""Kom igång: on the first start (no setting recorded yet) a short dialog with the four first steps, and the
choice between the demo register and an empty one of your own. Once dismissed, in any way, it is not shown again
at start; Hjälp → Kom igång … opens it at any time.

The demo never goes into your own register: it is a file of its own beside it (``<namn>-demo.sqlite``), filled by
``operations.exchange.create_demo`` on first use, and the window is reopened on it (``reopen``). "Börja med ett tomt
register" goes back to your own register and, while it has no nämnd yet, asks for the nämnd's name and code
(``operations.meetings.save_namnd``), the one step the rest of the app cannot do without.
"""

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout,
    QWidget,
)

from nämndtool.operations import exchange, meetings
from nämndtool.store.server import is_server
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import APP_NAME, muted, page_title
from nämndtool.ui.maintenance import reopen

DISMISSED = "kom_igang/stangd"
"""QSettings: True once the Kom igång dialog has been closed."""
TITLE = "Kom igång"
DEMO_SUFFIX = "-demo"

STEPS = (
    ("Lägg upp nämnden", "Nämndens namn och den kod som diarienumren börjar med, till exempel Socialnämnden och "
                         "SOCN."),
    ("Lägg in personerna", "Under Personer och mottagare: ledamöter och ersättare med mandatperiod, handläggarna "
                           "och adressboken. Ny mandatperiod förnyar alla uppdrag på en gång."),
    ("Registrera ärendena", "Under Diarium med Nytt ärende (Ctrl+N). Öppna ärendet och skriv tjänsteskrivelsen."),
    ("Planera sammanträdet", "Under Sammanträden: nytt sammanträde, dagordningen, kallelsen och handlingarna."),
)


def demo_path(store_path: Path) -> Path:
    """The demo register beside ``store_path`` (``register.sqlite`` → ``register-demo.sqlite``)."""
    store_path = Path(store_path)
    return store_path if is_demo(store_path) else store_path.with_name(
        f"{store_path.stem}{DEMO_SUFFIX}{store_path.suffix}")


def own_path(store_path: Path) -> Path:
    """Your own register: the one the demo lies beside, or ``store_path`` itself."""
    store_path = Path(store_path)
    if not is_demo(store_path):
        return store_path
    return store_path.with_name(f"{store_path.stem[:-len(DEMO_SUFFIX)]}{store_path.suffix}")


def on_server(store) -> bool:
    """A shared register on a PostgreSQL server: it has no file, so no demo file beside it."""
    return is_server(getattr(store, "location", None))


def is_demo(store_path: Path) -> bool:
    return Path(store_path).stem.endswith(DEMO_SUFFIX)


def dismissed() -> bool:
    return QSettings().value(DISMISSED, False, type=bool)


class GettingStarted(QDialog):
    """The four first steps, Öppna demoregistret / Börja med ett tomt register / Stäng; a second page asks for
    the nämnd."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window_, self.dialogs, self.store = window, window.dialogs, window.store
        self.switching: Switch | None = None
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._steps_page())
        self.pages.addWidget(self._namnd_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(640)
        self.show_steps_page()
        self.finished.connect(lambda _result: QSettings().setValue(DISMISSED, True))

    def _steps_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(page_title("Kom igång med Nämndtool"))
        intro = QLabel("Nämndtool håller ordning på nämndens ärenden, sammanträden, protokoll och diarium. "
                       "Så här börjar du:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for number, (heading, text) in enumerate(STEPS, 1):
            step = QLabel(f"<b>{number}. {heading}.</b> {text}")
            step.setWordWrap(True)
            step.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(step)
        demo = muted("Vill du se hur det ser ut först? Demoregistret är Socialnämnden i Katrineholm med ledamöter, "
                     "ärenden och sammanträden. Det är en egen fil, skild från ditt register. Handboken (Hjälp → "
                     "Handbok, F1) beskriver hela arbetsgången.")
        if on_server(self.store):   # the demo is a file beside your own register, and a shared one has none
            demo.setText("Du arbetar i det delade registret på servern, tillsammans med dina kollegor. Handboken "
                         "(Hjälp → Handbok, F1) beskriver hela arbetsgången.")
        layout.addWidget(demo)
        buttons = QHBoxLayout()
        self.demo_button = QPushButton("Öppna demoregistret")
        self.demo_button.clicked.connect(self.open_demo)
        self.demo_button.setVisible(not is_demo(self.store.path) and not on_server(self.store))
        self.own_button = QPushButton(self._own_button_text())
        self.own_button.clicked.connect(self.use_own)
        self.close_button = QPushButton("Stäng")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.own_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        return page

    def _namnd_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(page_title("Lägg upp nämnden"))
        intro = QLabel("Koden inleder varje diarienummer, till exempel SOCN/2024:12. Den består av 2–10 bokstäver.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.namn = QLineEdit()
        self.namn.setPlaceholderText("Socialnämnden")
        self.kod = QLineEdit()
        self.kod.setPlaceholderText("SOCN")
        self.kod.setMaxLength(10)
        self.forvaltning = QLineEdit()
        self.forvaltning.setPlaceholderText("Socialförvaltningen")
        form.addRow("&Nämndens namn:", self.namn)
        form.addRow("&Kod i diarienumren:", self.kod)
        form.addRow("&Förvaltning (om du vill):", self.forvaltning)
        layout.addLayout(form)
        self.namnd_problem = QLabel()
        self.namnd_problem.setWordWrap(True)
        self.namnd_problem.setStyleSheet("color: #8b1d1d;")
        self.namnd_problem.hide()
        layout.addWidget(self.namnd_problem)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Tillbaka")
        self.back_button.clicked.connect(self.show_steps_page)
        self.create_button = QPushButton("Lägg upp nämnden")
        self.create_button.clicked.connect(self.create_namnd)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        for field in (self.namn, self.kod):
            field.textChanged.connect(self._update_create)
        self._update_create()
        return page

    def _has_namnd(self) -> bool:
        try:
            return bool(self.store.namnder())
        except Exception:  # noqa: BLE001 — a store that cannot answer is not offered a new nämnd
            return True

    def _own_button_text(self) -> str:
        if is_demo(self.store.path):
            return "Tillbaka till ditt register"
        return "Fortsätt med ditt register" if self._has_namnd() else "Börja med ett tomt register"

    def _update_create(self) -> None:
        self.create_button.setEnabled(bool(self.namn.text().strip() and self.kod.text().strip()))

    # --- the choices --------------------------------------------------------------------------------------------

    def open_demo(self) -> None:
        """The demo register beside your own, filled on first use; the window is reopened on it."""
        self.accept()
        self.switching = Switch(self.window_, demo_path(self.store.path), fill_demo=True)
        self.switching.start()

    def use_own(self) -> None:
        if is_demo(self.store.path):
            self.accept()
            self.switching = Switch(self.window_, own_path(self.store.path), then_namnd=True)
            self.switching.start()
        elif self._has_namnd():
            self.accept()
        else:
            self.show_namnd_page()

    def show_steps_page(self) -> None:
        self.pages.setCurrentIndex(0)
        self.own_button.setDefault(True)
        self.own_button.setFocus()

    def show_namnd_page(self) -> None:
        self.pages.setCurrentIndex(1)
        self.create_button.setDefault(True)
        self.namn.setFocus()

    def create_namnd(self) -> None:
        if not self.create_button.isEnabled():
            return
        self.create_button.setEnabled(False)
        namn, kod = self.namn.text().strip(), self.kod.text().strip()
        tasks.run(self, self.store, meetings.save_namnd, kod, namn,
                  forvaltning=self.forvaltning.text().strip() or None,
                  done=lambda saved: self._namnd_saved(namn, saved), failed=self._namnd_refused)

    def _namnd_saved(self, namn: str, saved) -> None:
        self.accept()
        self.window_.refresh()
        self.window_.show_message(f"Nämnden {namn} ({saved.kod}) är upplagd. Registrera det första ärendet under "
                                  "Diarium med Nytt ärende (Ctrl+N).")

    def _namnd_refused(self, error: BaseException) -> None:
        self.namnd_problem.setText(error_text(error))
        self.namnd_problem.show()
        self._update_create()


class Switch(QObject):
    """The window reopened on another register (the demo, filled first when empty, or your own)."""

    def __init__(self, window: QMainWindow, path: Path, *, fill_demo: bool = False, then_namnd: bool = False):
        super().__init__()
        self.window_, self.path, self.fill_demo, self.then_namnd = window, Path(path), fill_demo, then_namnd
        self.result: QMainWindow | None = None
        self.ended = False

    def start(self) -> None:
        reopen.keep(self)
        if not self.fill_demo:
            self._reopen()
            return
        self.window_.show_message(f"Demoregistret görs i ordning: {self.path} …")
        task = tasks.Task(self.path, lambda store, _progress, _cancelled: (
            exchange.create_demo(store) if store.is_empty() else None), self)
        # once the task has ended: closing the window waits for every task still running, this one included
        task.succeeded.connect(lambda _result: QTimer.singleShot(0, self._reopen))
        task.failed.connect(self._failed)
        task.start()

    def _failed(self, error: BaseException) -> None:
        self.window_.dialogs.error(self.window_, f"Demoregistret kunde inte göras i ordning.\n\n{error_text(error)}")
        self._end()

    def _reopen(self) -> None:
        if self.path == Path(self.window_.store.path):
            self._end()
            return
        if reopen.release(self.window_):
            self.result = reopen.open_window(self.window_, self.path)
        if self.result is not None:
            if is_demo(self.path):
                self.result.show_message(f"Demoregistret är öppet ({self.path}). Ditt eget register är orört; "
                                         "Hjälp → Kom igång leder tillbaka till det.")
            elif self.then_namnd and not self.result.store.namnder():
                dialog = GettingStarted(self.result)
                dialog.show_namnd_page()
                dialog.open()
        self._end()

    def _end(self) -> None:
        self.ended = True
        reopen.let_go(self)


def show_getting_started(window: QMainWindow) -> GettingStarted:
    """Hjälp → Kom igång …"""
    dialog = GettingStarted(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def show_on_first_start(window: QMainWindow) -> GettingStarted | None:
    """Kom igång, unless it has been closed before."""
    return None if dismissed() else show_getting_started(window)
