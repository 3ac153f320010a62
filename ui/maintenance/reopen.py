"""Putting the app on a store file anew: after a restore replaced the file, or to change to the demo register.

A restore replaces the store file, and it is refused while anyone holds the store open, this process included
(every connection holds a shared lock beside the file). So the window lets go of the store first, the way it does
when it closes: unsaved work is asked about, queued work is written, every connection is closed. Afterwards a new
main window is built on the file, where the old one stood (its size and place are remembered), so every view reads
the restored data from the start and nothing still holds the replaced file. This is why the app reopens instead of
asking for a restart: the window that stood on the old file is gone, not patched.

``tasks.Task(None, work)`` runs work that must not open the store (the restore, reading backups) off the UI thread, with
the signals of :class:`tasks.Task`.
"""

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMainWindow

from nämndtool.store import Store
from nämndtool.store.server import is_server, shown
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text

_kept: set[QObject] = set()
"""Windows and flows started here that no Qt parent holds; each leaves the set when it is done."""


def keep(thing: QObject) -> None:
    """Hold ``thing`` until Qt destroys it (or :func:`let_go`), so Python does not collect a window in use."""
    _kept.add(thing)
    thing.destroyed.connect(lambda *_: _kept.discard(thing))


def let_go(thing: QObject) -> None:
    _kept.discard(thing)


def release(window: QMainWindow) -> bool:
    """Close ``window`` as the user would, then every connection of this process to its store; the app keeps
    running without a window. False, with nothing closed, when the user keeps the window (Avbryt at unsaved
    changes)."""
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    if not window.close():
        app.setQuitOnLastWindowClosed(True)
        return False
    tasks.shutdown()             # queued work written, the workers' connections closed
    window.store.close()
    return True


def named(location) -> str:
    """A store's location as the user may see it: the file, or the connection string without a password."""
    return shown(location) if is_server(location) else str(location)


def open_window(old: QMainWindow, path: "Path | str") -> QMainWindow | None:
    """A new main window like ``old`` on the store at ``path`` (a file or a server's connection string), shown
    where ``old`` stood; ``old`` goes. When the store cannot be opened the user is told and the app ends (None)."""
    app = QApplication.instance()
    try:
        store = Store.open(path)
    except Exception as error:  # noqa: BLE001 — told to the user; there is no window to go on with
        old.dialogs.error(None, f"Registret {named(path)} kunde inte öppnas.\n\n{error_text(error)}\n\n"
                                "Starta Nämndtool igen. Kvarstår felet, kontakta support.")
        app.setQuitOnLastWindowClosed(True)
        app.quit()
        return None
    return replace_window(old, store)


def replace_window(old: QMainWindow, store) -> QMainWindow:
    """A new main window like ``old`` on ``store`` (already open), shown where ``old`` stood; ``old`` goes."""
    app = QApplication.instance()
    app.aboutToQuit.connect(store.close)
    window = type(old)(store, old.dialogs)
    keep(window)
    window.show()
    window.activateWindow()
    app.setQuitOnLastWindowClosed(True)
    let_go(old)
    old.deleteLater()
    return window
