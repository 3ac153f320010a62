"""Protokoll: the protokoll of one meeting, from attendance to the dispatch of utdrag.

The header always shows the status, the deadlines that are passed or broken, the check before justering
(KL 5 kap. 67 §) and the protokoll as a document (a draft at any time before the justering, the public and internal
versions, ``documents.py``). Five tabs hold the work: Närvaro, Paragrafer, Justering, Utdrag och utskick, Anslagstavla
(``anslagstavla.py``: the notice of the justering published on the digital anslagstavla). Once the
protokoll is justerat every editing widget is read-only; the store refuses changes anyway, and if a write slips
through its Swedish message is shown.

Every change is an operation of ``nämndtool.operations`` (protokoll, secrecy) run on the app's runner
(``ui/common/tasks.py``): the tab goes on at once, shows the result when it comes back and keeps what was typed when
the operation refuses. Only leaving a § or the protokoll, and saving before klar för justering, waits for a save.
"""

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from nämndtool.justering import deadline_warnings, deadlines, missing_for_justering
from nämndtool.ui.protokoll.anslagstavla import AnslagstavlaTab
from nämndtool.ui.protokoll.common import (
    LOCKED_STYLE, OK_COLOUR, PROBLEM_COLOUR, WARNING_STYLE, bold, iso_date, note_label, show_note,
)
from nämndtool.ui.protokoll.documents import ProtokollDocuments
from nämndtool.ui.protokoll.justering import JusteringTab
from nämndtool.ui.protokoll.narvaro import NarvaroTab
from nämndtool.ui.protokoll.paragrafer import ParagrafTab
from nämndtool.ui.protokoll.utskick import UtskickTab
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import Dialogs, error_text
from nämndtool.ui.common.widgets import count_text, long_date, muted, page_title

NARVARO, PARAGRAFER, JUSTERING, UTSKICK, ANSLAGSTAVLA = range(5)
CHECK_TITLE = "Kontroll inför justering (KL 5 kap. 67 §)"
NOTHING_MISSING = "Inget saknas – protokollet kan markeras klart för justering."


def status_text(protokoll: dict | None) -> str:
    if protokoll is None:
        return "Inte påbörjat"
    if protokoll["justerad"]:
        return f"Justerat {protokoll['justerad']}"
    if protokoll.get("signeras"):
        return "Justeras digitalt"
    return "Klar för justering" if protokoll["klar_for_justering"] else "Utkast"


def locked_text(protokoll: dict) -> str:
    if not protokoll["justerad"]:
        return ("Protokollet justeras digitalt och är låst medan underskrifterna samlas in (fliken Justering). Måste "
                "något ändras avbryter du den digitala justeringen först.")
    return (f"Protokollet är justerat {protokoll['justerad']} och låst. Innehållet kan inte ändras; ett fel rättas "
            "genom ett nytt beslut på ett kommande sammanträde. Anslag, utdrag och utskick registreras som vanligt.")


class ProtokollPage(QWidget):
    """The protokoll of the meeting given to ``set_meeting``."""

    counts_changed = Signal(str)
    saved = Signal()
    """Something was written to the store (the meeting's status changes when the protokoll is justerat, and
    sent utdrag become handlingar of their ärenden): views showing those may read them again."""

    def __init__(self, store, dialogs: Dialogs | None = None, parent=None, today=None):
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs or Dialogs()
        self._today = today or dt.date.today
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.missing: list[str] = []

        self.title = page_title("Protokoll")
        self.subtitle = muted()
        self.status = bold(QLabel(), 1.1)
        self.status.setAccessibleName("Protokollets status")
        self.deadline_info = muted()
        self.warnings = note_label(WARNING_STYLE, "Varningar om tidsfrister")
        self.locked_note = note_label(LOCKED_STYLE, "Protokollet är låst")
        self.check_title = bold(QLabel(CHECK_TITLE))
        self.check_title.setWordWrap(True)   # the count of what is missing goes to a second line, not off the page
        self.check_list = QLabel()
        self.check_list.setWordWrap(True)
        self.check_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.check_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_list.setAccessibleName(CHECK_TITLE)
        self.check_list.setContentsMargins(6, 4, 6, 4)
        self.check_scroll = QScrollArea()
        self.check_scroll.setWidget(self.check_list)
        self.check_scroll.setWidgetResizable(True)
        self.check_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.check_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        lines = self.check_list.fontMetrics().lineSpacing()
        self.check_scroll.setFixedHeight(6 * lines + 14)

        self.narvaro = NarvaroTab(store, self.dialogs)
        self.paragrafer = ParagrafTab(store, self.dialogs)
        self.justering = JusteringTab(store, self.dialogs)
        self.utskick = UtskickTab(store, self.dialogs)
        self.anslagstavla = AnslagstavlaTab(store, self.dialogs, today=self._today)
        for tab in (self.narvaro, self.paragrafer, self.justering, self.utskick, self.anslagstavla):
            tab.saved.connect(self._after_write)
        for tab in (self.narvaro, self.paragrafer, self.justering):
            tab.edited.connect(self._show_tab_titles)
        self.justering.before_write = self.save_all
        self.utskick.before_write = self.save_all
        self.documents = ProtokollDocuments(store, self.dialogs, self, self.justering.export_justerat)
        self.documents.before_write = self.save_all
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for tab, name in ((self.narvaro, "Närvaro"), (self.paragrafer, "Paragrafer"), (self.justering, "Justering"),
                          (self.utskick, "Utdrag och utskick"), (self.anslagstavla, "Anslagstavla")):
            self.tabs.addTab(tab, name)
        self._build_layout()
        self.setEnabled(False)

    def _build_layout(self) -> None:
        left = QVBoxLayout()
        left.setSpacing(3)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.status, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        heading.addWidget(self.documents.draft_button, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.documents.menu_button, 0, Qt.AlignmentFlag.AlignBottom)
        left.addLayout(heading)
        left.addWidget(self.subtitle)
        left.addWidget(self.deadline_info)
        left.addWidget(self.warnings)
        left.addWidget(self.locked_note)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(3)
        right.addWidget(self.check_title)
        right.addWidget(self.check_scroll)
        right.addStretch(1)
        header = QHBoxLayout()
        header.addLayout(left, 3)
        header.addLayout(right, 2)
        self.header = QWidget()
        self.header.setLayout(header)
        self.header.setMaximumHeight(172)
        header.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)

    # --- the meeting --------------------------------------------------------------------------------------

    def set_meeting(self, meeting_id: int) -> bool:
        """Show the protokoll of this meeting; False when unsaved changes of the current one kept it.

        Asked for the meeting it already shows while it is on screen (Möte → Protokoll …, Ctrl+Shift+P, pressed on
        this page), it opens the menu "Protokollet som dokument": the draft, the public and the internal version."""
        if self.meeting is not None and self.meeting["id"] == meeting_id and self.isVisible():
            self.reload()
            self.documents.show_menu()
            return True
        if self.meeting is not None and self.meeting["id"] != meeting_id and not self.maybe_leave():
            return False
        try:
            self.meeting = self.store.meeting(meeting_id)
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return False
        self.setEnabled(True)
        self.reload(fresh=True)
        self.tabs.setCurrentIndex(NARVARO if not (self.protokoll and self.protokoll["narvaro"]) else PARAGRAFER)
        return True

    def reload(self, fresh: bool = False) -> None:
        """Read the protokoll again; what is typed and not saved in a tab stays (unless ``fresh``: another
        meeting was chosen)."""
        if self.meeting is None:
            return
        try:
            self.meeting = self.store.meeting(self.meeting["id"])
            self.protokoll = self.store.protokoll(self.meeting["id"])
            if self.protokoll is not None:   # a digital justering under way locks it as justering does
                self.protokoll["signeras"] = self.store.signing_pdf(self.meeting["id"]) is not None
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        self.missing = missing_for_justering(self.protokoll)
        locked = self.is_locked()
        if fresh or not self.narvaro.has_unsaved_changes():
            self.narvaro.load(self.meeting, self.protokoll, locked)
        else:
            self.narvaro.set_locked(locked)
        if fresh:
            self.paragrafer.editor.paragraf = None
        self.paragrafer.load(self.meeting, self.protokoll, locked, self.missing)
        self.justering.load(self.meeting, self.protokoll, locked, keep_edits=not fresh)
        self.utskick.load(self.meeting, self.protokoll)
        self.anslagstavla.load(self.meeting, self.protokoll)
        self.documents.load(self.meeting, self.protokoll)
        self._show_header()
        self._show_tab_titles()
        self.counts_changed.emit(self.counts())

    def _after_write(self) -> None:
        self.reload()
        self.saved.emit()

    def is_locked(self) -> bool:
        return bool(self.protokoll and (self.protokoll["justerad"] or self.protokoll.get("signeras")))

    def _show_header(self) -> None:
        m, p = self.meeting, self.protokoll
        self.title.setText(f"Protokoll – {m['organ']}")
        when = long_date(m["datum"]) + (f" kl. {m['tid']}" if m.get("tid") else "")
        self.subtitle.setText(" · ".join(part for part in (when, m.get("plats")) if part))
        self.status.setText(f"Status: {status_text(p)}")
        colour = OK_COLOUR if p and (p["justerad"] or p["klar_for_justering"]) else None
        self.status.setStyleSheet(f"color: {colour.name()};" if colour else "")
        held = dt.date.fromisoformat(m["datum"])
        justerad, anslag = iso_date((p or {}).get("justerad")), iso_date((p or {}).get("anslag_datum"))
        d = deadlines(held, justerad, anslag)
        if anslag:
            info = (f"Anslaget sattes upp {anslag}; överklagandetiden löper till och med {d.overklagande_till}, "
                    f"anslaget tas ned tidigast {d.anslag_ned_tidigast}.")
        elif justerad:
            info = f"Anslaget om justeringen sätts upp senast {d.anslag_senast}."
        else:
            info = f"Justeras senast {d.justering_senast} (14 dagar efter sammanträdet)."
        self.deadline_info.setText(info)
        warnings = deadline_warnings(held, justerad, anslag, self._today())
        show_note(self.warnings, "\n".join(f"Varning: {w}" for w in warnings))
        show_note(self.locked_note, locked_text(p) if self.is_locked() else "")
        if self.missing:
            self.check_list.setText("\n".join(f"• {line}" for line in self.missing))
            self.check_list.setStyleSheet(f"color: {PROBLEM_COLOUR.name()};")
            self.check_title.setText(f"{CHECK_TITLE}: {count_text(len(self.missing), 'sak', 'saker')} saknas")
        else:
            self.check_list.setText(NOTHING_MISSING if not justerad else "Inget saknades. Protokollet är justerat.")
            self.check_list.setStyleSheet(f"color: {OK_COLOUR.name()}; font-weight: bold;")
            self.check_title.setText(CHECK_TITLE)

    def _show_tab_titles(self) -> None:
        p = self.protokoll or {}
        marks = {NARVARO: self.narvaro.has_unsaved_changes(), PARAGRAFER: self.paragrafer.has_unsaved_changes(),
                 JUSTERING: self.justering.has_unsaved_changes()}
        names = {NARVARO: f"Närvaro ({len(p.get('narvaro', []))})",
                 PARAGRAFER: f"Paragrafer ({len(p.get('paragrafer', []))})", JUSTERING: "Justering",
                 UTSKICK: f"Utdrag och utskick ({self.utskick.model.rowCount()})"}
        for index, name in names.items():
            text = name + (" *" if marks.get(index) else "")
            if self.tabs.tabText(index) != text:
                self.tabs.setTabText(index, text)

    def counts(self) -> str:
        if self.meeting is None:
            return "Inget sammanträde valt"
        p = self.protokoll
        if p is None:
            return f"Protokoll {self.meeting['organ']} {self.meeting['datum']} · inte påbörjat"
        rows = [self.utskick.model.row_at(i) for i in range(self.utskick.model.rowCount())]
        parts = [f"Protokoll {self.meeting['organ']} {self.meeting['datum']}", status_text(p),
                 count_text(len(p["paragrafer"]), "paragraf", "paragrafer"),
                 f"{count_text(len(rows), 'utdrag', 'utdrag')}, {sum(1 for r in rows if r['skickat'])} skickade"]
        if self.missing:
            parts.append(f"{count_text(len(self.missing), 'sak', 'saker')} saknas inför justering")
        return " · ".join(parts)

    # --- unsaved changes ------------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return (self.narvaro.has_unsaved_changes() or self.paragrafer.has_unsaved_changes()
                or self.justering.has_unsaved_changes())

    def save_all(self) -> bool:
        """Save every tab with unsaved changes, each save waited for (the window keeps responding); False (the
        reason shown, the text kept) when one could not."""
        for tab in (self.narvaro, self.justering, self.paragrafer):
            if tab.has_unsaved_changes() and not tasks.wait_for(tab.save()):
                self.tabs.setCurrentWidget(tab)
                return False
        return True

    def maybe_leave(self) -> bool:
        """Whether another meeting may be shown or the page closed. Unsaved changes are saved; if that fails the
        user decides."""
        if not self.has_unsaved_changes() or self.save_all():
            return True
        answer = self.dialogs.unsaved_changes(self, f"protokollet för {self.meeting['organ']} {self.meeting['datum']}")
        if answer == "discard":
            for tab in (self.narvaro, self.paragrafer, self.justering):
                tab.discard()
            return True
        return answer == "save" and self.save_all()
