"""Arkiv → Återställ från säkerhetskopia…, also offered when the start-up check finds damage.

The dialog lists the backups in the folder beside the store (where the app's daily backup puts them), newest
first, with the date, the counts and whether each one is whole; every backup is verified off the UI thread before
it can be chosen. Choosing one asks for a confirmation that names the store that will be replaced and what it holds.

The restore itself is the command's: ``operations.maintenance.restore`` verifies the backup again before anything
is replaced, keeps the previous store beside it, continues the diary series, and leaves the store untouched when it
refuses. The file is replaced under every connection, so the window first lets go of the store (``reopen.release``),
the restore runs on a thread of its own with a busy indicator, and then a new window opens on the store: the restored
one, or the unchanged one after a refusal, with the reason.
"""

import datetime as dt
import json
import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QMainWindow, QProgressBar, QVBoxLayout, QWidget,
)

from nämndtool.backup import MANIFEST, backups, default_backup_root, verify_backup
from nämndtool.operations import maintenance
from nämndtool.store import holders
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.table_models import Column, RowTableModel
from nämndtool.ui.common.widgets import APP_NAME, count_text, fit_columns, muted, page_title, table_view
from nämndtool.ui.maintenance import reopen

TITLE = "Återställ från säkerhetskopia"
CHECKING = "Kontrolleras …"
WHOLE = "Hel"
DAMAGED = "Skadad – kan inte återställas"
SHOWN_PROBLEMS = 5
"""A backup missing hundreds of files lists the first few, so the dialog keeps to the screen."""


def backup_row(folder: Path) -> dict:
    """What the list shows of a backup before it is verified: its date and counts, from its manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        manifest = None
    manifest = manifest if isinstance(manifest, dict) else {}
    counts = manifest.get("antal") if isinstance(manifest.get("antal"), dict) else {}
    return {"path": folder, "created": _when(manifest.get("skapad")), "arenden": counts.get("arenden"),
            "filer": counts.get("filer"), "problems": None}


def _when(created) -> str:
    """``2024-05-02 kl. 08.30`` from the manifest's ISO time; the raw value when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(str(created))
    except ValueError:
        return str(created or "okänt datum")
    return f"{moment:%Y-%m-%d} kl. {moment:%H.%M}"


def _count(row: dict, key: str) -> str:
    return "–" if row[key] is None else str(row[key])


def _status(row: dict) -> str:
    if row["problems"] is None:
        return CHECKING
    return DAMAGED if row["problems"] else WHOLE


class BackupModel(RowTableModel):
    COLUMNS = (
        Column("Tagen", lambda r: r["created"]),
        Column("Ärenden", lambda r: _count(r, "arenden"), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        Column("Filer", lambda r: _count(r, "filer"), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        Column("Kontroll", _status),
    )

    def verified(self, row: int, problems: list[str]) -> None:
        self._rows[row] = {**self._rows[row], "problems": problems}
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class RestoreDialog(QDialog):
    """The backups of the window's store, verified one by one; Återställ… once a whole one is chosen."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window_, self.dialogs = window, window.dialogs
        self.store_path = Path(window.store.path)
        self.root = default_backup_root(self.store_path)
        self.restoring: Restoring | None = None
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")
        self.model = BackupModel([backup_row(folder) for folder in backups(self.root)], self)
        self.table = table_view(self.model)
        self.table.setAccessibleName("Säkerhetskopior")
        fit_columns(self.table, 3)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.table.doubleClicked.connect(lambda _index: self.choose())
        intro = QLabel(
            f"Säkerhetskopiorna av registret {self.store_path} finns i mappen {self.root}. Varje kopia kontrolleras "
            "innan du kan välja den. Registret som det är nu sparas bredvid det innan kopian läggs tillbaka.")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = muted()
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton("Återställ…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        self.close_button = self.buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.choose)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(TITLE))
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.resize(760, 480)
        self.finished.connect(lambda _result: self._stop_checking())
        self._tasks: list[tasks.Task] = []
        self._stopped = False
        self._check(0)
        if self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setFocus()
        self._show_selected()

    # --- verifying, one backup after the other ---------------------------------------------------------------

    def _check(self, row: int) -> None:
        if row >= self.model.rowCount() or self._stopped:
            return
        folder = self.model.row_at(row)["path"]
        task = tasks.Task(None, lambda _store, _progress, _cancelled: verify_backup(folder), self)
        task.succeeded.connect(lambda problems: self._checked(row, problems))
        task.failed.connect(lambda error: self._checked(row, [error_text(error)]))
        self._tasks.append(task)
        task.start()

    def _checked(self, row: int, problems: list[str]) -> None:
        self.model.verified(row, problems)
        self._show_selected()
        self._check(row + 1)

    def _stop_checking(self) -> None:
        self._stopped = True
        for task in self._tasks:
            task.cancel()

    def checking(self) -> bool:
        """True while a backup in the list has not been verified yet."""
        return any(self.model.row_at(r)["problems"] is None for r in range(self.model.rowCount()))

    # --- choosing ---------------------------------------------------------------------------------------------

    def selected(self) -> dict | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected()
        self.restore_button.setEnabled(bool(row) and row["problems"] == [])
        if not self.model.rowCount():
            self.details.setText(f"Det finns inga säkerhetskopior i {self.root}. En säkerhetskopia tas varje dag när "
                                 "programmet startar, och när du väljer Arkiv → Säkerhetskopiera nu.")
        elif row is None:
            self.details.setText("Välj en säkerhetskopia i listan.")
        elif row["problems"] is None:
            self.details.setText(f"{row['path']}\nKopian kontrolleras. Vänta tills kontrollen är klar.")
        elif row["problems"]:
            shown, more = row["problems"][:SHOWN_PROBLEMS], len(row["problems"]) - SHOWN_PROBLEMS
            lines = [str(row["path"]), "Kopian kan inte återställas:", *(f"  – {p}" for p in shown)]
            self.details.setText("\n".join(lines + ([f"  … och {more} fel till."] if more > 0 else [])))
        else:
            self.details.setText(f"{row['path']}\nKopian är hel: databasen och varje fil stämmer med "
                                 "kontrollsummorna.")

    def choose(self) -> None:
        """Återställ…: the chosen backup, after the user has read what will be replaced."""
        row = self.selected()
        if row is None or row["problems"] != []:
            return
        others = [h for h in holders.holders(self.store_path) if h.get("pid") != os.getpid()]
        if others:
            self.dialogs.error(self, holders.in_use_message(self.store_path))
            return
        if not self.dialogs.confirm(self, confirmation_text(self.window_.store, row), yes="Återställ",
                                    no="Avbryt"):
            return
        self.restoring = Restoring(self.window_, row)
        self.accept()
        self.restoring.start()


def confirmation_text(store, row: dict) -> str:
    try:
        now = f"Nu innehåller registret {count_text(store.arende_count(), 'ärende', 'ärenden')}. "
    except Exception:  # noqa: BLE001 — a damaged store may not answer; the question stands without its count
        now = ""
    backup = ", ".join(part for part in (
        None if row["arenden"] is None else count_text(row["arenden"], "ärende", "ärenden"),
        None if row["filer"] is None else count_text(row["filer"], "fil", "filer")) if part)
    return (f"Registret {store.path} ersätts med säkerhetskopian från {row['created']}"
            f"{f' ({backup})' if backup else ''}.\n\n"
            f"{now}Det som ändrats efter {row['created']} finns inte i säkerhetskopian och försvinner ur "
            "registret.\n\n"
            f"Registret som det är nu sparas först bredvid det, som {Path(store.path).stem}.fore-aterstallning-"
            f"<datum>{Path(store.path).suffix}, så att inget går förlorat.\n\n"
            "Fönstret stängs medan kopian kontrolleras och läggs tillbaka, och öppnas sedan igen.")


def restored_text(row: dict, restored) -> str:
    lines = [f"Registret är återställt från säkerhetskopian från {row['created']}."]
    if restored.kept:
        lines.append(f"Registret som det var före återställningen finns kvar som {restored.kept}.")
    if restored.series_kept:
        lines.append("Diarienumren fortsätter där registret var före återställningen, så inget nummer lämnas ut "
                     "två gånger.")
    lines.append(f"Det som ändrades efter {row['created']} finns inte i det återställda registret.")
    return "\n\n".join(lines)


def refused_text(error: BaseException) -> str:
    return (f"Registret återställdes inte.\n\n{error_text(error)}\n\n"
            "Registret är som det var före försöket och är öppnat igen.")


class RestoreProgress(QDialog):
    """Shown while the window is closed and the backup is verified and put back; it cannot be cancelled half-way."""

    def __init__(self, row: dict):
        super().__init__(None, Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                         | Qt.WindowType.WindowTitleHint)
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")
        label = QLabel(f"Säkerhetskopian från {row['created']} kontrolleras och läggs tillbaka.\n"
                       "Vänta – fönstret öppnas igen när det är klart.")
        label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName("Återställningen pågår")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.bar)
        self.setMinimumWidth(460)

    def reject(self) -> None:   # Esc: a restore is not stopped half-way
        pass


class Restoring(QObject):
    """One restore in the app: the window lets go of the store, the restore runs off the UI thread, a new window
    opens on the store. ``finished`` carries that window (None when the app had to end)."""

    finished = Signal(object)

    def __init__(self, window: QMainWindow, row: dict):
        super().__init__()
        self.window_, self.row, self.dialogs = window, row, window.dialogs
        self.path = Path(window.store.path)
        self.progress: RestoreProgress | None = None
        self.result: QWidget | None = None
        self.ended = False

    def start(self) -> bool:
        """False when the user kept the window open (unsaved changes): then nothing is done."""
        if not reopen.release(self.window_):
            self.dialogs.info(self.window_, "Registret återställdes inte: fönstret stängdes inte. Ingenting har "
                                            "ändrats.")
            self.ended = True
            return False
        reopen.keep(self)
        self.progress = RestoreProgress(self.row)
        self.progress.show()
        folder, path = self.row["path"], self.path
        self.task = tasks.Task(None, lambda _store, _progress, _cancelled: maintenance.restore(folder, path), self)
        self.task.succeeded.connect(self._restored)
        self.task.failed.connect(self._refused)
        self.task.start()
        return True

    def _restored(self, restored) -> None:
        window = self._reopen()
        if window is not None:
            window.show_message(f"Registret är återställt från säkerhetskopian från {self.row['created']}.")
            self.dialogs.info(window, restored_text(self.row, restored))

    def _refused(self, error: BaseException) -> None:
        window = self._reopen()
        if window is not None:
            self.dialogs.error(window, refused_text(error))

    def _reopen(self) -> QWidget | None:
        self.progress.hide()
        self.progress.deleteLater()
        self.result = reopen.open_window(self.window_, self.path)
        self.ended = True
        self.finished.emit(self.result)
        reopen.let_go(self)
        return self.result


def offer_restore(window: QMainWindow) -> RestoreDialog:
    """Arkiv → Återställ från säkerhetskopia…: the dialog over ``window`` (not modal to the app, so the window's
    progress goes on)."""
    dialog = RestoreDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

