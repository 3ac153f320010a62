"""Arkiv → Arkivleverans…: an archive delivery (an E-ARK SIP, FGS Paketstruktur 2.0 with FGS Ärendehantering 2.0)
of a year, a justerat meeting or one ärende, written into a folder the user chooses; and Kontrollera paket…, which
checks a package on disk as the receiving archive would.

The work is the core's (``nämndtool.earkiv.package``, ``nämndtool.earkiv.verify``, docs/arkiv.md), the same as
``namndtool archive``. A delivery records the akt copies it had to write, so it runs on the store's worker through
the runner (``tasks.run``); a check reads only the package and runs on a thread of its own. Both report back into
the dialog: the package folder with its counts, or the core's Swedish refusal; what the user chose stays as it was.
"""

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout,
    QLineEdit, QMainWindow, QPlainTextEdit, QProgressBar, QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from nämndtool import diarienummer
from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import SAVE_FOLDERS, error_text, start_folder
from nämndtool.ui.common.form_fields import problem_label, secret_banner, show_problems
from nämndtool.ui.common.widgets import APP_NAME, count_text, muted, page_title

TITLE = "Arkivleverans"
CREATE = "Skapa arkivpaket"
CHECK = "Kontrollera paket…"
OPEN_FOLDER = "Öppna paketets mapp"
YEAR, MEETING, ARENDE = "Ett år", "Ett sammanträde", "Ett ärende"
NO_MEETING = "Inget sammanträde är justerat ännu"
FOLDER_KIND = "arkivleverans"
"""The folder last written to is remembered under ``sparmappar/arkivleverans`` (``dialogs.SAVE_FOLDERS``)."""
FORMAT_REPORT = "documentation/Formatkontroll.txt"
SHOWN_PROBLEMS = 20
"""A badly damaged package lists the first problems; the rest are counted."""
SECRECY_NOTE = ("Paketet innehåller sekretessärenden och hemliga handlingar med sina verkliga uppgifter. Förvara det "
                "där bara arkivet och registratorn når det, aldrig i en delad mapp eller på anslagstavlan.")
INTRO = ("Ett arkivpaket enligt Riksarkivets FGS Paketstruktur 2.0 och FGS Ärendehantering 2.0 (E-ARK), för "
         "leverans till e-arkivet. Paketet kontrolleras innan det lämnas; ett paket ändras aldrig i efterhand, så en "
         "ny leverans blir ett nytt paket bredvid det förra.")


def meeting_label(meeting: dict) -> str:
    """``Socialnämnden 2023-02-22``: how the list names a meeting."""
    return f"{meeting['organ']} {meeting['datum']}"


def justerade_meetings(store) -> list[dict]:
    """The meetings whose protokoll is justerat, newest first."""
    found = [m for m in store.meetings() if store.is_justerat(m["id"])]
    return sorted(found, key=lambda m: (m["datum"], m.get("tid") or "", m["id"]), reverse=True)


def delivered_text(package) -> str:
    """What the dialog says of a package written: where it is, what it holds, and which files are not PDF/A."""
    lines = ["Arkivpaketet är skrivet och kontrollerat:", str(package.folder), "",
             f"Det innehåller {package.contents}."]
    if package.not_archival:
        one = package.not_archival == 1
        lines += ["", f"{count_text(package.not_archival, 'fil', 'filer')} är inte i arkivformat (PDF/A). "
                  f"{'Den står' if one else 'De står'} med format och kontrollsumma i {FORMAT_REPORT} i paketet, "
                  f"så att arkivet kan konvertera {'den' if one else 'dem'} eller begära en PDF/A-version."]
    lines += ["", "Förvara paketet där bara arkivet och registratorn når det."]
    return "\n".join(lines)


def verified_text(checked: list) -> str:
    """What the dialog says of the packages ``verify`` checked: each one sound, or its problems."""
    damaged = [c for c in checked if c.problems]
    lines = []
    if len(checked) > 1:
        lines += [f"{count_text(len(checked), 'paket', 'paket')} kontrollerade: "
                  f"{len(checked) - len(damaged)} hela, {len(damaged)} med fel.", ""]
    for c in checked:
        name = c.objid or c.folder.name
        if not c.problems:
            lines += [f"Paketet {name} är helt: {count_text(c.files, 'förtecknad fil', 'förtecknade filer')} "
                      "(dokument, metadata och scheman) finns och stämmer med "
                      "sina kontrollsummor, och METS.xml och ERMS.xml följer schemana.", str(c.folder), ""]
            continue
        lines += [f"Paketet {name} har {count_text(len(c.problems), 'fel', 'fel')}:", str(c.folder)]
        lines += [f"  – {p}" for p in c.problems[:SHOWN_PROBLEMS]]
        if len(c.problems) > SHOWN_PROBLEMS:
            lines.append(f"  … och {len(c.problems) - SHOWN_PROBLEMS} fel till.")
        lines.append("")
    return "\n".join(lines).rstrip()


class ArchiveDeliveryDialog(QDialog):
    """What to deliver (a year, a justerat meeting, an ärende), where, and Skapa arkivpaket; Kontrollera paket…"""

    def __init__(self, store, dialogs, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.package = None
        """The last package written here (``nämndtool.earkiv.package.Package``), or None."""
        self.task: tasks.Task | None = None
        self.choose_folder: Callable[[str, Path | None], Path | None] = self._ask_folder
        """Asks for a folder (caption, where to start); None when the user cancels. Tests replace it."""
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")

        self.kinds = QButtonGroup(self)
        self.year_choice, self.meeting_choice, self.arende_choice = (QRadioButton(t) for t in (YEAR, MEETING, ARENDE))
        for number, button in enumerate((self.year_choice, self.meeting_choice, self.arende_choice)):
            self.kinds.addButton(button, number)
        self.year_choice.setChecked(True)

        self.year = QSpinBox()
        self.year.setRange(diarienummer.MIN_YEAR, dt.date.today().year)
        self.year.setValue(dt.date.today().year - 1)
        self.year.setAccessibleName("År")
        self.year.valueChanged.connect(lambda _v: self._choose(self.year_choice))
        self.namnder = store.namnder()
        self.namnd = QComboBox()
        self.namnd.setAccessibleName("Nämnd")
        for n in self.namnder:
            self.namnd.addItem(n["namn"], n["id"])
        self.namnd.setVisible(len(self.namnder) > 1)
        self.namnd.activated.connect(lambda _i: self._choose(self.year_choice))

        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Justerat sammanträde")
        for m in justerade_meetings(store):
            self.meeting.addItem(meeting_label(m), m["id"])
        if not self.meeting.count():
            self.meeting.addItem(NO_MEETING, None)
            self.meeting.setEnabled(False)
            self.meeting_choice.setEnabled(False)
        self.meeting.activated.connect(lambda _i: self._choose(self.meeting_choice))

        self.arende = QLineEdit()
        self.arende.setAccessibleName("Diarienummer")
        codes = store.known_codes()
        self.arende.setPlaceholderText(f"Diarienummer, t.ex. {codes[0] if codes else 'SOCN'}/2023:17")
        self.arende.textEdited.connect(lambda _t: (self._choose(self.arende_choice), show_problems(self.problems, [])))

        self.problems = problem_label()
        self.kinds.buttonToggled.connect(lambda _button, _on: show_problems(self.problems, []))

        what = QGroupBox("Vad ska levereras?")
        grid = QGridLayout(what)
        grid.setColumnStretch(2, 1)
        year_fields = QHBoxLayout()
        year_fields.addWidget(self.year)
        year_fields.addWidget(self.namnd, 1)
        year_fields.addStretch(0 if len(self.namnder) > 1 else 1)
        rows = (
            (self.year_choice, year_fields, "Ärendena som avslutades under året, protokollen som justerades under "
                                            "året och årets delegationsbeslut."),
            (self.meeting_choice, self.meeting, "Det justerade protokollet, ärendena som beslutades och "
                                                "delegationsbesluten som anmäldes vid sammanträdet."),
            (self.arende_choice, self.arende, "Ärendet med dess handlingar, beslut och delegationsbeslut."),
        )
        for number, (button, field, explanation) in enumerate(rows):
            grid.addWidget(button, 2 * number, 0)
            if isinstance(field, QHBoxLayout):
                grid.addLayout(field, 2 * number, 1, 1, 2)
            else:
                grid.addWidget(field, 2 * number, 1, 1, 2)
            note = muted(explanation)
            grid.addWidget(note, 2 * number + 1, 1, 1, 2)
        grid.addWidget(self.problems, 6, 0, 1, 3)

        where = QGroupBox("Var ska paketet skrivas?")
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName("Mapp för arkivpaketet")
        self.folder.setPlaceholderText("Ingen mapp vald")
        remembered = str(QSettings().value(f"{SAVE_FOLDERS}/{FOLDER_KIND}", "") or "")
        if remembered and Path(remembered).is_absolute() and Path(remembered).is_dir():
            self.folder.setText(remembered)
        self.folder_button = QPushButton("Välj mapp…")
        self.folder_button.setToolTip("Välj mappen där arkivpaketet skrivs (som en egen mapp)")
        self.folder_button.clicked.connect(self.pick_folder)
        folder_row = QHBoxLayout(where)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)

        self.secrecy = secret_banner(SECRECY_NOTE)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Arkivpaketet skapas")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = muted()
        self.status.hide()
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setAccessibleName("Resultat")
        self.result.setPlaceholderText("Här visas resultatet när ett paket har skapats eller kontrollerats.")
        self.result.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.result.setMinimumHeight(self.result.fontMetrics().lineSpacing() * 7 + 12)

        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton(CHECK, QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setToolTip("Kontrollera ett arkivpaket som arkivet gör: scheman, kontrollsummor och att "
                                     "varje fil finns")
        self.open_button = self.buttons.addButton(OPEN_FOLDER, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.create_button = self.buttons.addButton(CREATE, QDialogButtonBox.ButtonRole.ApplyRole)
        self.close_button = self.buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.clicked.connect(self.create)
        self.check_button.clicked.connect(self.check)
        self.open_button.clicked.connect(lambda: self.package and self.dialogs.open_externally(self.package.folder))
        self.buttons.rejected.connect(self.reject)

        intro = muted(INTRO)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(TITLE))
        layout.addWidget(intro)
        layout.addWidget(what)
        layout.addWidget(where)
        layout.addWidget(self.secrecy)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        for button in (self.folder_button, self.check_button, self.open_button, self.close_button):
            button.setAutoDefault(False)
        self.create_button.setDefault(True)   # Enter, also in the diary number: set once the dialog holds it
        self.resize(780, 640)
        self.year.setFocus()

    # --- what is chosen ---------------------------------------------------------------------------------------

    def _choose(self, button: QRadioButton) -> None:
        if button.isEnabled():
            button.setChecked(True)

    def target(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text) if text else None

    def pick_folder(self) -> Path | None:
        """Välj mapp…: the folder the package is written into (remembered for the next delivery)."""
        chosen = self.choose_folder("Mapp för arkivpaketet", self.target() or start_folder(FOLDER_KIND))
        if chosen is not None:
            self.folder.setText(str(chosen))
            QSettings().setValue(f"{SAVE_FOLDERS}/{FOLDER_KIND}", str(chosen))
        return chosen

    def _ask_folder(self, caption: str, start: Path | None) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, caption, str(start) if start and start.is_dir() else "")
        return Path(chosen) if chosen else None

    def _work(self) -> tuple[Callable, tuple] | None:
        """The export and its arguments for what is chosen, or None (the reason shown under the choices)."""
        if self.year_choice.isChecked():
            from nämndtool.earkiv.package import export_year
            return export_year, (self.namnd.currentData(), self.year.value())
        if self.meeting_choice.isChecked():
            from nämndtool.earkiv.package import export_meeting
            if self.meeting.currentData() is None:
                show_problems(self.problems, ["Välj ett justerat sammanträde."])
                return None
            return export_meeting, (self.meeting.currentData(),)
        from nämndtool.earkiv.package import export_arende
        text = self.arende.text().strip()
        if not text:
            show_problems(self.problems, ["Skriv ärendets diarienummer, till exempel SOCN/2023:17."])
            return None
        try:
            number = diarienummer.parse(text, self.store.known_codes())
            arende = self.store.arende_by_number(number)
        except NotFoundError:
            show_problems(self.problems, [f"Ärendet {number} finns inte i diariet."])
            return None
        except NamndtoolError as error:
            show_problems(self.problems, [str(error)])
            return None
        return export_arende, (arende["id"],)

    # --- creating ---------------------------------------------------------------------------------------------

    def running(self) -> bool:
        return self.task is not None and self.task.running

    def create(self) -> tasks.Task | None:
        """Skapa arkivpaket: the chosen delivery written off the UI thread into the chosen folder."""
        if self.running():
            return None
        show_problems(self.problems, [])
        work = self._work()
        if work is None:
            return None
        out = self.target() or self.pick_folder()
        if out is None:
            return None
        export, args = work
        self._busy("Arkivpaketet skapas och kontrolleras. Det kan ta en stund när det är många filer.")
        self.task = tasks.run(self, self.store, export, *args, Path(out), done=self._delivered,
                              failed=self._refused)
        return self.task

    def _delivered(self, package) -> None:
        self._idle()
        self.package = package
        self.result.setPlainText(delivered_text(package))
        self.open_button.show()

    def _refused(self, error: BaseException) -> None:
        self._idle()
        self.result.setPlainText(f"Arkivpaketet skapades inte.\n\n{error_text(error)}")

    # --- checking ---------------------------------------------------------------------------------------------

    def check(self) -> tasks.Task | None:
        """Kontrollera paket…: a package folder (or a folder of packages) checked as the archive checks it."""
        if self.running():
            return None
        start = self.package.folder if self.package is not None else self.target()
        folder = self.choose_folder("Arkivpaketet som ska kontrolleras", start)
        if folder is None:
            return None
        from nämndtool.earkiv.verify import verify

        self._busy(f"{folder} kontrolleras.")
        self.task = tasks.Task(None, lambda _store, _progress, _cancelled: verify(folder), self)
        self.task.succeeded.connect(lambda checked: (self._idle(), self.result.setPlainText(verified_text(checked))))
        self.task.failed.connect(lambda error: (self._idle(), self.result.setPlainText(
            f"Kontrollen kunde inte göras.\n\n{error_text(error)}")))
        self.task.start()
        return self.task

    # --- while working ----------------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self.progress.show()
        self.result.clear()
        for widget in (self.create_button, self.check_button, self.folder_button, self.open_button):
            widget.setEnabled(False)

    def _idle(self) -> None:
        self.status.hide()
        self.progress.hide()
        for widget in (self.create_button, self.check_button, self.folder_button, self.open_button):
            widget.setEnabled(True)

    def reject(self) -> None:
        """Stäng and Esc wait until the package is written: it is never left half-done, and its result is shown."""
        if self.running():
            self.status.setText("Vänta – arkivpaketet skrivs färdigt och kontrolleras innan fönstret kan stängas.")
            return
        super().reject()


def offer_archive_delivery(window: QMainWindow) -> ArchiveDeliveryDialog:
    """Arkiv → Arkivleverans…: the dialog over ``window``."""
    dialog = ArchiveDeliveryDialog(window.store, window.dialogs, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
