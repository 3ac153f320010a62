"""Anslagstavla: the notice that the protokoll is justerat, published on the kommun's digital anslagstavla (a folder
the web server serves), and taken down early when it must be.

Publishing records the anslag (the day it went up) in the register, so it runs on the app's runner
(``tasks.run``); taking down touches only the folder and is quick, so it runs here. The folder chosen last is
remembered (QSettings). Expiry after the appeal period is the web server's nightly ``namndtool anslagstavla expire``.
"""

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nämndtool.anslagstavla import folder as tavla
from nämndtool.anslagstavla.publish import publish
from nämndtool import dates
from nämndtool.errors import NamndtoolError
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import muted
from nämndtool.ui.protokoll.common import bold

FOLDER_SETTING = "anslagstavla/mapp"
PUBLISH_TEXT = "Publicera på anslagstavlan…"
WITHDRAW_TEXT = "Ta ned…"
INTRO = ("Anslaget om att protokollet är justerat publiceras på kommunens digitala anslagstavla: en sida med organ, "
         "datum, förvaringsplats och hur man överklagar, och protokollets offentliga version. Dagen det publiceras "
         "registreras som anslagsdag, och överklagandetiden, tre veckor, räknas från den. När överklagandetiden har "
         "gått ut tas sidan och protokollet bort av webbserverns nattliga körning (namndtool anslagstavla expire).")


def remembered_folder() -> Path | None:
    value = str(QSettings().value(FOLDER_SETTING, "") or "").strip()
    return Path(value) if value and Path(value).is_absolute() else None


class AnslagstavlaTab(QWidget):
    saved = Signal()

    def __init__(self, store, dialogs, parent=None, today: Callable[[], dt.date] | None = None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self._today = today or dt.date.today
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.choose_folder: Callable[[Path | None], Path | None] = self._ask_folder
        """Asks for the anslagstavla's folder, starting in the one given; None when the user cancels."""

        self.heading = bold(QLabel("Digital anslagstavla"), 1.1)
        self.intro = muted(INTRO)
        self.intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Anslagstavlans mapp")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Anslaget på anslagstavlan")
        self.publish_button = QPushButton(PUBLISH_TEXT)
        self.publish_button.setToolTip("Välj anslagstavlans mapp och publicera anslaget om justeringen där")
        self.publish_button.clicked.connect(self.publish)
        self.withdraw_button = QPushButton(WITHDRAW_TEXT)
        self.withdraw_button.setToolTip("Ta bort anslaget, sidan och protokollet från anslagstavlan nu")
        self.withdraw_button.clicked.connect(self.withdraw)

        buttons = QHBoxLayout()
        buttons.addWidget(self.publish_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.intro, self.folder_label, self.state):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._show()

    def load(self, meeting: dict | None, protokoll: dict | None) -> None:
        self.meeting, self.protokoll = meeting, protokoll
        self._show()

    # --- what is shown ----------------------------------------------------------------------------------------

    def notice(self) -> dict | None:
        """This meeting's notice in the remembered folder, or None."""
        folder = remembered_folder()
        if self.meeting is None or folder is None or not folder.is_dir():
            return None
        try:
            return next((a for a in tavla.current(folder) if a["sammantrade_id"] == self.meeting["id"]), None)
        except NamndtoolError:
            return None

    def _show(self) -> None:
        folder = remembered_folder()
        self.folder_label.setText(f"Mapp: {folder}" if folder else "Mapp: ingen vald ännu (du väljer den när du "
                                                                   "publicerar)")
        justerat = bool(self.protokoll and self.protokoll["justerad"])
        notice = self.notice() if justerat else None
        if self.meeting is None:
            text = ""
        elif not justerat:
            text = "Protokollet är inte justerat. Anslaget publiceras när justeringen är registrerad."
        elif notice:
            text = (f"Uppe på anslagstavlan sedan {dates.long_date(notice['anslag_upp'])}. Överklagandetiden löper till "
                    f"och med {dates.long_date(notice['overklagande_till'])}; anslaget tas ned "
                    f"{dates.long_date(notice['anslag_ned'])}.")
        else:
            text = "Anslaget finns inte på anslagstavlan i mappen."
        self.state.setText(text)
        self.publish_button.setEnabled(justerat)
        self.withdraw_button.setEnabled(notice is not None)

    # --- publishing -----------------------------------------------------------------------------------------

    def publish(self) -> tasks.Task | None:
        if self.meeting is None:
            return None
        folder = self.choose_folder(remembered_folder())
        if folder is None:
            return None
        QSettings().setValue(FOLDER_SETTING, str(folder))
        return tasks.run(self, self.store, publish, self.meeting["id"], Path(folder), today=self._today(),
                         done=self._published, failed=self._show_error)

    def _published(self, done) -> None:
        text = [f"Anslaget är publicerat på anslagstavlan: {done.page.name} och det offentliga protokollet.",
                f"Anslaget sattes upp {dates.long_date(done.anslag_upp.isoformat())}"
                + (" och är registrerat som anslagsdag." if done.recorded else " (registrerat sedan tidigare)."),
                f"Överklagandetiden löper till och med {dates.long_date(done.deadlines.overklagande_till.isoformat())}."]
        if done.warnings:
            text.append("Observera:\n" + "\n".join(f"• {w}" for w in done.warnings))
        self.dialogs.info(self, "\n\n".join(text))
        self._show()
        self.saved.emit()

    def _ask_folder(self, start: Path | None) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, "Anslagstavlans mapp (den som webbservern visar)",
                                                  str(start) if start and start.is_dir() else "")
        return Path(chosen) if chosen else None

    # --- taking down ------------------------------------------------------------------------------------------

    def withdraw(self) -> bool:
        """Take the notice down now; before the appeal period has ended only with a reason."""
        notice, folder = self.notice(), remembered_folder()
        if notice is None or folder is None:
            self.dialogs.info(self, "Anslaget finns inte på anslagstavlan i mappen, så det finns inget att ta ned.")
            return False
        today = self._today()
        if today < dt.date.fromisoformat(notice["anslag_ned"]):
            reason = self.dialogs.ask_text(
                self, "Ta ned anslaget",
                f"Överklagandetiden löper fortfarande, till och med {dates.long_date(notice['overklagande_till'])}, och "
                "anslaget ska sitta uppe till dess. Tas det ned i förtid har tillkännagivandet inte varit uppe hela "
                "överklagandetiden.\n\nSkriv varför det ändå tas ned (sparas i anslagstavlans förteckning):",
                "Ta ned", minimum=tavla.MIN_REASON)
            if reason is None:
                return False
        else:
            reason = None
            if not self.dialogs.confirm(self, "Överklagandetiden har gått ut. Ta ned anslaget, sidan och protokollet "
                                              "från anslagstavlan nu?", "Ta ned"):
                return False
        try:
            tavla.withdraw(folder, self.meeting["id"], reason, today)
        except (NamndtoolError, OSError) as error:
            self._show_error(error)
            return False
        self.dialogs.info(self, "Anslaget är nedtaget: sidan och protokollet är borttagna från anslagstavlan.")
        self._show()
        return True

    def _show_error(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self._show()
