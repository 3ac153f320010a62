"""Generating documents from the app: kallelse, tjänsteskrivelse, the meeting pack, and the send-out of the kallelse.

Every question, file chooser, viewer and print dialog goes through ``Dialogs``. The pack and the send-out run in a
``Task`` (off the UI thread) with a progress dialog whose Avbryt stops the work; nothing is written until the work
is done and every question is answered, so a cancelled or declined run leaves no file behind.

Every public output passes the secrecy gate last, in the core; a refusal (``GateError``, a Swedish message naming
the output, the page and the kind of finding) is shown like any other error and nothing is written. There is no
"create anyway": a public bilaga the gate refuses is already a placeholder page in the pack, named in its warnings.
Where a public version went is recorded, so marking an ärende secret later can say where to withdraw it.
"""

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog, QWidget

from nämndtool.distribution import (
    Distribution, Written, distribution_list, kallelse_name, left_out_text, list_name, pack_name,
    prepare_distribution, write_distribution,
)
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.pack import Cancelled, PackResult, build_pack, write_pack
from nämndtool.documents.service import render_bytes
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
from nämndtool.secrecy.labels import arende_file_name
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.saving import save_rendered
from nämndtool.ui.common.tasks import Task, location_of
from nämndtool.ui.common.widgets import APP_NAME, count_text

FILTERS = {"pdf": "PDF-dokument (*.pdf)", "docx": "Word-dokument (*.docx)", "csv": "Sändlista för Excel (*.csv)"}
BUSY = ("Nämndtool skapar redan handlingar. Vänta tills det är klart, eller avbryt det i förloppsfönstret, "
        "och försök sedan igen.")


def public_pack_question(secret_items: list[int]) -> str:
    if not secret_items:
        return ("Dagordningen har inga sekretessärenden, så den offentliga versionen innehåller alla punkter. "
                "Fortsätt?")
    return f"Den offentliga versionen lämnar bort {left_out_text(secret_items)}. Fortsätt?"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


class Generator(QObject):
    """Makes the documents of a meeting or an ärende on the user's request. ``running_task`` is the work in
    progress (None when idle), ``progress_dialog`` its progress window."""

    written = Signal(Path)
    """A file (or, for the send-out, the folder of drafts) was written."""

    def __init__(self, store, dialogs, parent_widget: QWidget | None = None):
        super().__init__(parent_widget)
        self.store, self.dialogs, self.parent_widget = store, dialogs, parent_widget
        self.running_task: Task | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_written: Path | None = None
        self._progress_label = ""

    # --- kallelse and tjänsteskrivelse (rendered on the UI thread, written on the runner) --------------------------------------------

    def kallelse(self, meeting_id: int, public: bool, fmt: str = "pdf") -> Path | None:
        try:
            meeting = self.store.meeting(meeting_id)
            version = "offentliga" if public else "interna"
            path = self._ask_path(f"Spara den {version} kallelsen", kallelse_name(meeting, public, fmt), fmt,
                                  "kallelse")
            if path is None:
                return None
            with _busy_cursor():
                document = kallelse_document(self.store, meeting_id, public)
                data = render_bytes(document, fmt, load_branding())
            if not save_rendered(self, self.store, document, data, path, self._error):
                return None
            secret = self._secret_items(meeting_id)
            if public:
                note = ("Sekretessärenden står bara som ”Sekretessärende”, utan rubrik och diarienummer."
                        if secret else "")
            else:
                note = ("Den interna kallelsen visar sekretessärendena och är märkt INTERN VERSION. Den får inte "
                        "publiceras eller skickas med e-post." if secret else "")
            self._done(path, f"Den {version} kallelsen är sparad:\n{path}", [note] if note else [])
            return path
        except Exception as error:  # noqa: BLE001 — every failure is shown, nothing is lost
            self._error(error)
            return None

    def tjansteskrivelse(self, arende_id: int, fmt: str = "pdf") -> Path | None:
        try:
            arende = self.store.arende(arende_id)
            result = tjansteskrivelse_document(self.store, arende_id, load_branding())
            path = self._ask_path("Spara tjänsteskrivelsen", arende_file_name("Tjänsteskrivelse", arende, fmt), fmt,
                                  "tjansteskrivelse")
            if path is None:
                return None
            with _busy_cursor():
                data = render_bytes(result.document, fmt, load_branding())
            if not save_rendered(self, self.store, result.document, data, path, self._error):
                return None
            notes = []
            if arende["sekretess"]:
                lagrum = f" ({arende['sekretess_lagrum']})" if arende["sekretess_lagrum"] else ""
                notes.append(f"Ärendet omfattas av sekretess{lagrum}: varje sida är märkt SEKRETESS. "
                             "Skicka inte filen med e-post.")
            if result.warnings:
                notes.append("Att kontrollera:\n" + _bullets(result.warnings))
            self._done(path, f"Tjänsteskrivelsen är sparad:\n{path}", notes)
            return path
        except Exception as error:  # noqa: BLE001
            self._error(error)
            return None

    # --- the meeting pack (long: in a Task) --------------------------------------------------------------------

    def pack(self, meeting_id: int, public: bool) -> bool:
        """Start making the pack; True when the work started (the file is written when it ends)."""
        if self._refuse_when_busy():
            return False
        try:
            meeting = self.store.meeting(meeting_id)
            secret = self._secret_items(meeting_id)
            if public and not self.dialogs.confirm(self.parent_widget, public_pack_question(secret),
                                                   yes="Skapa offentlig version"):
                return False
            version = "offentliga" if public else "interna"
            path = self._ask_path(f"Spara de {version} handlingarna", pack_name(meeting, public), "pdf", "handlingar")
            if path is None:
                return False
            branding = load_branding()
        except Exception as error:  # noqa: BLE001
            self._error(error)
            return False

        def work(store, progress, cancelled):
            return build_pack(store, meeting_id, public, branding, progress=progress, cancelled=cancelled)

        title = (f"Skapar {'den offentliga' if public else 'den interna'} versionen av handlingarna\n"
                 f"{meeting['organ']} {meeting['datum']}")
        self._start(work, title, lambda result: self._pack_done(result, path, meeting_id, public, secret))
        return True

    def _pack_done(self, result: PackResult, path: Path, meeting_id: int, public: bool, secret: list[int]) -> None:
        """The pack is written as built: a public pack has passed the secrecy gate in ``build_pack`` (a bilaga
        that could not pass is a placeholder page, named in the warnings)."""
        write_pack(self.store, result, path)
        notes = []
        if public:
            notes.append(f"Den offentliga versionen lämnar bort {left_out_text(secret)}."
                         if result.left_out else "Den offentliga versionen innehåller alla punkter.")
        elif secret:
            notes.append("Den interna versionen innehåller sekretessärenden och är märkt INTERN VERSION på varje "
                         "sida. Den får inte publiceras eller skickas med e-post.")
        if result.warnings:
            notes.append("Att kontrollera:\n" + _bullets(result.warnings))
        self._done(path, f"Handlingarna är sparade:\n{path}", notes)

    # --- sending out the kallelse ------------------------------------------------------------------------------

    def distribute(self, meeting_id: int) -> bool:
        """The send-out: a list of the organ's ledamöter and ersättare and an e-mail draft for each with an
        e-mail address, carrying the public pack only. True when the work started."""
        if self._refuse_when_busy():
            return False
        try:
            meeting = self.store.meeting(meeting_id)
            recipients = distribution_list(self.store, meeting_id)
            if not recipients:
                self.dialogs.error(self.parent_widget, (
                    f"{meeting['organ']} har inga ledamöter eller ersättare registrerade den {meeting['datum']}. "
                    "Lägg in dem under Personer och försök igen."))
                return False
            secret = self._secret_items(meeting_id)
            people = count_text(len(recipients), "person", "personer")
            question = (
                f"Kallelsen går till organets ledamöter och ersättare ({people}) med den offentliga versionen av "
                f"handlingarna, som lämnar bort {left_out_text(secret)}. Handlingar i sekretessärenden skickas "
                "aldrig med e-post.\n\nVälj sedan var sändlistan ska sparas; e-postutkasten läggs i en mapp bredvid "
                "den. Fortsätt?")
            if not self.dialogs.confirm(self.parent_widget, question):
                return False
            path = self._ask_path("Spara sändlistan", list_name(meeting), "csv", "sandlista")
            if path is None:
                return False
            branding = load_branding()
        except Exception as error:  # noqa: BLE001
            self._error(error)
            return False

        def work(store, progress, cancelled):
            return prepare_distribution(store, meeting_id, branding, progress=progress, cancelled=cancelled)

        self._start(work, f"Förbereder kallelsen med de offentliga handlingarna\n{meeting['organ']} {meeting['datum']}",
                    lambda distribution: self._distribution_ready(distribution, path))
        return True

    def _distribution_ready(self, distribution: Distribution, path: Path) -> None:
        def work(store, _progress, _cancelled):
            return write_distribution(store, distribution, path)

        self._start(work, "Skriver sändlistan och e-postutkasten …",
                    lambda written: self._distribution_written(distribution, written), cancellable=False)

    def _distribution_written(self, distribution: Distribution, written: Written) -> None:
        missing = [r for r in distribution.recipients if not r.gets_draft]
        text = [f"Sändlistan är sparad:\n{written.list_file}",
                f"{len(written.drafts)} e-postutkast med den offentliga versionen av handlingarna ligger i mappen\n"
                f"{written.folder}\nÖppna dem i e-postprogrammet, kontrollera och skicka."]
        if missing:
            who = "person" if len(missing) == 1 else "personer"
            text.append(f"{len(missing)} {who} får inget e-postutkast och behöver kallelsen på annat sätt.")
        if written.warnings:
            text.append("Att kontrollera i de offentliga handlingarna:\n" + _bullets(written.warnings))
        lines = []
        for r in distribution.recipients:
            party = f", {r.parti}" if r.parti else ""
            lines.append(f"{r.namn} ({r.uppdrag}{party}) – {r.epost if r.gets_draft else r.note}")
        text.append("Mottagare:\n" + _bullets(lines))
        self.last_written = written.folder
        self.dialogs.saved(self.parent_widget, "\n\n".join(text), written.folder)
        self.dialogs.open_externally(written.folder)
        self.written.emit(written.folder)

    # --- printing and shutting down -------------------------------------------------------------------------

    def print_file(self, path: Path | None = None) -> bool:
        """The print dialog for a written PDF (the last one when ``path`` is None)."""
        path = path or self.last_written
        if path is None or path.suffix.lower() != ".pdf":
            self.dialogs.info(self.parent_widget, "Skapa en PDF först; sedan kan du skriva ut den.")
            return False
        try:
            return self.dialogs.print_pdf(self.parent_widget, path)
        except Exception as error:  # noqa: BLE001
            self._error(error)
            return False

    def cancel(self) -> None:
        if self.running_task is not None:
            self.running_task.cancel()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText("Avbryter … Ingen fil skrivs.")

    def shutdown(self, ms: int = 30_000) -> None:
        """Stop the work in progress and wait for it to end: call before the window closes.

        The worker thread only stops once the UI thread has taken its last signal, so this waits in an event
        loop rather than in ``Task.wait`` (which would wait for itself).
        """
        task = self.running_task
        if task is None:
            return
        task.cancel()
        loop = QEventLoop()
        task.ended.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        if self.running_task is task:
            loop.exec()

    # --- helpers ------------------------------------------------------------------------------------------------

    def _secret_items(self, meeting_id: int) -> list[int]:
        return [item["nr"] for item in self.store.agenda(meeting_id) if item["sekretess"]]

    def _ask_path(self, caption: str, name: str, fmt: str, kind: str) -> Path | None:
        """The file to write; the dialog opens in the folder last used for this ``kind`` of document, else in
        Documents (``Dialogs.save_path``)."""
        path = self.dialogs.save_path(self.parent_widget, caption, Path(name), FILTERS[fmt], kind=kind)
        if path is None:
            return None
        path = Path(path)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        return path

    def _done(self, path: Path, headline: str, notes: list[str]) -> None:
        self.last_written = path
        self.dialogs.saved(self.parent_widget, "\n\n".join([headline, *notes]), path.parent)
        self.dialogs.open_externally(path)
        self.written.emit(path)

    def _error(self, error: BaseException) -> None:
        self.dialogs.error(self.parent_widget, error_text(error))

    def _refuse_when_busy(self) -> bool:
        if self.running_task is None:
            return False
        self.dialogs.info(self.parent_widget, BUSY)
        return True

    def _start(self, work, label: str, on_success: Callable[[object], None], cancellable: bool = True) -> None:
        task = Task(location_of(self.store), work, self)
        dialog = QProgressDialog(label, "Avbryt", 0, 0, self.parent_widget)
        bar = QProgressBar(dialog)
        bar.setFormat("%p %")   # Swedish writes a space before the per cent sign
        dialog.setBar(bar)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(560)
        dialog.canceled.connect(self.cancel)
        self._progress_label = label
        task.progressed.connect(self._on_progress)
        task.ended.connect(self._on_ended)
        task.succeeded.connect(lambda result: self._after(on_success, result))
        task.failed.connect(self._on_failed)
        self.running_task, self.progress_dialog = task, dialog
        task.start()
        dialog.show()

    def _on_progress(self, step: int, total: int, text: str) -> None:
        dialog = self.progress_dialog
        if dialog is None or dialog.wasCanceled():
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(step, total))
        dialog.setLabelText(f"{self._progress_label}\n{text}" if text else self._progress_label)

    def _on_ended(self) -> None:
        dialog, self.progress_dialog, self.running_task = self.progress_dialog, None, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.hide()
            dialog.deleteLater()

    def _after(self, on_success: Callable[[object], None], result: object) -> None:
        try:
            on_success(result)
        except Exception as error:  # noqa: BLE001
            self._error(error)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return  # the user pressed Avbryt; nothing was written and there is nothing more to say
        self._error(error)


class _busy_cursor:
    """The wait cursor while a short piece of work runs on the UI thread."""

    def __enter__(self):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc):
        QApplication.restoreOverrideCursor()
