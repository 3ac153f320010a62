"""What happens when the app has started: the integrity check and the day's backup, and "Säkerhetskopiera nu".

Both run off the UI thread (``operations.maintenance.check_and_back_up``), so a large store never delays the
window. A store with problems is never backed up (a copy of a damaged store could push the last good backup out);
instead the user is told, in Swedish, what is wrong and offered to restore from a backup in the app
(``ui/maintenance/restore.py``). A backup that cannot be taken is reported and the app keeps running.
"""

from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from nämndtool.backup import DEFAULT_KEEP, Backup
from nämndtool.operations.maintenance import CheckResult, check_and_back_up
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.tasks import Task, location_of

Message = Callable[[str], None]

def damaged_text(store_path, problems: list[str]) -> str:
    """The check found problems: what they are, and the offer to restore (the app's way, not the command)."""
    return "\n".join([f"Kontrollen av registret {store_path} hittade fel:", *(f"  – {p}" for p in problems), "",
                      "Återställ registret från en hel säkerhetskopia. I nästa steg ser du säkerhetskopiorna och "
                      "vilka som är hela; registret som det är nu sparas bredvid det innan något ersätts.", "",
                      "Vill du välja en säkerhetskopia nu?"])


NOT_RESTORED = "Registret har fel. Återställ det med Arkiv → Återställ från säkerhetskopia…"


def backup_failed_text(error: str, daily: bool) -> str:
    what = "Dagens automatiska säkerhetskopia kunde inte tas." if daily else "Säkerhetskopian kunde inte tas."
    return (f"{what}\n\n{error}\n\nDu kan arbeta vidare som vanligt. Ta en säkerhetskopia med Arkiv → "
            "Säkerhetskopiera nu när felet är åtgärdat.")


def backup_done_text(backup: Backup) -> str:
    files = "1 fil" if backup.files == 1 else f"{backup.files} filer"
    return (f"Säkerhetskopian är tagen ({files}):\n{backup.path}\n\n"
            f"De {DEFAULT_KEEP} senaste säkerhetskopiorna sparas i mappen bredvid registret.")


class Job(QObject):
    """One check-and-backup in a worker thread; ``done`` follows once its outcome has been shown."""

    done = Signal(object)
    """The CheckResult, or the exception when the work failed."""

    def __init__(self, store, dialogs, parent, *, daily: bool, message: Message | None = None,
                 restore: Callable[[], None] | None = None):
        super().__init__(parent)
        self.dialogs, self.parent_widget, self.daily, self.restore = dialogs, parent, daily, restore
        self.store_path = str(store)
        self.message = message or (lambda _text: None)
        self.task = Task(location_of(store), lambda s, _progress, _cancelled: check_and_back_up(s, daily=daily), self)
        self.task.succeeded.connect(self._on_result)
        self.task.failed.connect(self._on_failed)

    def start(self) -> None:
        _running.add(self)
        self.message("Kontrollerar registret …" if self.daily else "Tar en säkerhetskopia …")
        self.task.start()

    @property
    def running(self) -> bool:
        return self in _running

    def _on_result(self, result: CheckResult) -> None:
        _running.discard(self)
        if result.problems:
            self.message("Registret har fel – se meddelandet.")
            self._offer_restore(result)
        elif result.backup_error:
            self.message("Säkerhetskopian kunde inte tas.")
            self.dialogs.error(self.parent_widget, backup_failed_text(result.backup_error, self.daily))
        elif self.daily:
            self.message(f"Registret är kontrollerat. Dagens säkerhetskopia: {result.backup.path}"
                         if result.backup else "Registret är kontrollerat.")
        else:
            self.message(f"Säkerhetskopian är tagen: {result.backup.path}")
            self.dialogs.info(self.parent_widget, backup_done_text(result.backup))
        self.done.emit(result)

    def _offer_restore(self, result: CheckResult) -> None:
        """Without a way to restore in the app (no window), the advice names the command."""
        if self.restore is None:
            self.dialogs.error(self.parent_widget, result.advice)
        elif self.dialogs.confirm(self.parent_widget, damaged_text(self.store_path, result.problems),
                                  yes="Välj säkerhetskopia …", no="Inte nu"):
            QTimer.singleShot(0, self.restore)   # once this outcome has been handled
        else:
            self.message(NOT_RESTORED)

    def _on_failed(self, error: BaseException) -> None:
        _running.discard(self)
        self.message("Registret kunde inte kontrolleras.")
        self.dialogs.error(self.parent_widget, f"Registret kunde inte kontrolleras.\n\n{error_text(error)}")
        self.done.emit(error)


_running: set[Job] = set()
"""Jobs whose outcome has not been shown yet; holding them here keeps them alive until then."""


def startup_checks(store, dialogs, parent=None, message: Message | None = None,
                   restore: Callable[[], None] | None = None) -> Job:
    """The check and the day's backup (none when one from today exists), after the main window is shown. When
    the check finds problems and ``restore`` is given, the user is offered to restore (``restore()`` opens the
    app's dialog); without it, the advice names the command."""
    job = Job(store, dialogs, parent, daily=True, message=message, restore=restore)
    job.start()
    return job


def backup_now(store, dialogs, parent=None, message: Message | None = None) -> Job | None:
    """Säkerhetskopiera nu: check, then back up. None when a check or backup is already running."""
    if _running:
        dialogs.info(parent, "En kontroll eller säkerhetskopiering pågår redan. Vänta tills den är klar.")
        return None
    job = Job(store, dialogs, parent, daily=False, message=message)
    job.start()
    return job


def wait_for_background(ms: int = 60_000) -> None:
    """Let a running check or backup finish before the app closes (its thread must not outlive the window)."""
    for job in list(_running):
        job.task.wait(ms)
