"""How the main window takes in restore, the handbook and Kom igång: two calls.

- :func:`install` (once the window's menus are built) adds Arkiv → Öppna register … first, Arkiv → Återställ från säkerhetskopia… after
  "Säkerhetskopiera nu", Arkiv → Nämndens uppgifter… and Inställningar… before Avsluta, and Hjälp → Handbok (F1) and Kom igång … before "Om Nämndtool". The menus are found by
  their title (Arkiv, Hjälp; the mnemonic's & does not count) or object name; a missing Hjälp menu is added.
- :func:`after_start` (instead of ``startup.startup_checks`` when the app has started): the check and the day's
  backup, offering a restore when the check finds damage, and (once the store is found whole) Kom igång on the
  first start.

The dialogs behind the entries (and what they import: the exchange format's JSON Schema, the backup) are imported
when an entry is first used, not when the window is built (issue 15, cold start).
"""

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from nämndtool.store.server import is_server
from nämndtool.ui.common.settings import NamndDialog, SettingsDialog
from nämndtool.operations.maintenance import CheckResult
from nämndtool.ui.startup import Job, startup_checks

RESTORE = "Återställ från säkerhetskopia…"
HANDBOOK = "Handbok"
GETTING_STARTED = "Kom igång …"
SETTINGS = "Inställningar…"
OPEN_REGISTER = "Öppna register …"
SERVER_RESTORE_NOTE = (
    "Det delade registret på servern återställs inte härifrån: det görs av IT från serverns egna "
    "säkerhetskopior. Kontakta registrets administratör om något behöver återställas.")
NAMND = "Nämndens uppgifter…"


@dataclass(frozen=True)
class Actions:
    restore: QAction
    handbook: QAction
    getting_started: QAction
    settings: QAction
    namnd: QAction
    open_register: QAction | None = None


def install(window: QMainWindow) -> Actions:
    """The actions of restore and help in the window's Arkiv and Hjälp menus."""
    arkiv, hjalp = menu(window, "Arkiv"), menu(window, "Hjälp")
    open_register = _action(window, "Öppna &register …", "oppna_register", lambda: show_open_register(window))
    first_entry = arkiv.actions()[0] if arkiv.actions() else None
    arkiv.insertAction(first_entry, open_register)
    if first_entry is not None:
        arkiv.insertSeparator(first_entry)
    restore = _action(window, f"&{RESTORE}", "aterstall", lambda: offer_restore(window))
    handbook = _action(window, f"&{HANDBOOK}", "handbok", lambda: show_handbook(window))
    handbook.setShortcut(QKeySequence("F1"))
    getting_started = _action(window, f"&{GETTING_STARTED}", "kom_igang", lambda: _show_getting_started(window))
    after = next((a for a in arkiv.actions() if _plain(a.text()).startswith("Säkerhetskopiera")), None)
    arkiv.insertAction(_next_of(arkiv, after), restore)
    namnd = _action(window, "Nämn&dens uppgifter…", "namnd", lambda: show_namnd(window))
    settings = _action(window, "&Inställningar…", "installningar", lambda: show_settings(window))
    before_quit = _next_of(arkiv, None)
    arkiv.insertActions(before_quit, [namnd, settings])
    if before_quit is not None:
        arkiv.insertSeparator(namnd)
    first = hjalp.actions()[0] if hjalp.actions() else None
    hjalp.insertActions(first, [handbook, getting_started])
    if first is not None:
        hjalp.insertSeparator(first)
    return Actions(restore, handbook, getting_started, settings, namnd, open_register)


def show_open_register(window: QMainWindow):
    """Arkiv → Öppna register …: a file or the shared register on a server; the window reopens on it."""
    from nämndtool.ui.maintenance.open_register import offer_open_register
    return offer_open_register(window)


def show_settings(window: QMainWindow) -> SettingsDialog:
    """Arkiv → Inställningar …: Ditt namn."""
    dialog = SettingsDialog(window)
    dialog.accepted.connect(lambda: window.show_message("Inställningarna är sparade."))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def show_namnd(window: QMainWindow) -> NamndDialog:
    """Arkiv → Nämndens uppgifter …: name, kommun and postal address that the kallelse and protokoll print."""
    dialog = NamndDialog(window.store, window)
    dialog.accepted.connect(lambda: (window.refresh(), window.show_message(
        "Nämndens uppgifter är sparade. De står i kallelser och protokoll som skapas från och med nu.")))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def offer_restore(window: QMainWindow):
    """Återställ från säkerhetskopia …: a register file only; a server's database is restored by IT."""
    if is_server(getattr(window.store, "location", None)):
        window.dialogs.info(window, SERVER_RESTORE_NOTE)
        return None
    from nämndtool.ui.maintenance.restore import offer_restore as offer
    return offer(window)


def show_handbook(window: QMainWindow):
    from nämndtool.ui.maintenance.handbook import show_handbook as show
    return show(window)


def _show_getting_started(window: QMainWindow):
    from nämndtool.ui.maintenance.getting_started import show_getting_started
    return show_getting_started(window)


def show_on_first_start(window: QMainWindow):
    from nämndtool.ui.maintenance.getting_started import show_on_first_start as show
    return show(window)


def after_start(window: QMainWindow) -> Job:
    """The start-up check and the day's backup (a restore offered on damage), then Kom igång the first time: once
    the check has found the store whole, so the two never stand on top of each other."""
    job = startup_checks(window.store, window.dialogs, window, message=window.show_message,
                         restore=lambda: offer_restore(window))
    job.done.connect(lambda result: show_on_first_start(window)
                     if isinstance(result, CheckResult) and not result.problems else None)
    return job


def menu(window: QMainWindow, title: str) -> QMenu:
    """The menu of the window's menu bar titled ``title`` (or so named), added at the end when there is none."""
    bar = window.menuBar()
    for action in bar.actions():
        found = action.menu()
        if found is not None and title.lower() in (_plain(action.text()).lower(), found.objectName().lower()):
            return found
    return bar.addMenu(f"&{title}")


def _action(window: QMainWindow, text: str, name: str, slot) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _next_of(menu_: QMenu, action: QAction | None) -> QAction | None:
    """The action after ``action`` (None: at the end); without ``action``, the separator before the last entry
    (Avsluta), so the new entry stands with the others."""
    actions = menu_.actions()
    if action is not None:
        index = actions.index(action)
        return actions[index + 1] if index + 1 < len(actions) else None
    separators = [a for a in actions if a.isSeparator()]
    return separators[-1] if separators else None


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
