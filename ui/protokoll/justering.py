"""Justering: the protokoll's sekreterare, justerare, place and date, "Klar för justering", recording the justering
(the protokoll is rendered, kept with its SHA-256 and locked), the anslag and the omedelbart justerade §§."""

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter, QDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QVBoxLayout, QWidget,
)

from nämndtool.atomic import write_atomic
from nämndtool.distribution import safe_filename
from nämndtool.justering import deadlines, justering_deadline_text, missing_for_justering
from nämndtool.operations import protokoll as operations
from nämndtool.ui.common import tasks
from nämndtool.ui.common.form_fields import DateField
from nämndtool.ui.protokoll.common import (
    LOCKED_STATE,
    LOCKED_STYLE, PROBLEM_COLOUR, PROTOKOLL_KIND, DateDialog, announce_saved, ask_save_path, iso_date, lock_widgets,
    note_label, person_name, problem_label, show_note, show_when_editable,
)
from nämndtool.ui.protokoll.digital_justering import DigitalJustering
from nämndtool.ui.protokoll.paragraf_parts import NamePicker
from nämndtool.ui.protokoll.ratta_datum_dialog import DATE_LABELS, RattaDatumDialog
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import muted


CORRECTED = {"justerad": "Justeringsdatumet", "anslag_datum": "Anslagsdatumet",
             "omedelbar_anslag": "Anslagsdatumet för de omedelbart justerade paragraferna"}
"""The corrected date in a sentence (the dialog names the dates with DATE_LABELS)."""


KLAR_TEXT = "Klar för justering"
KLAR_TIP = "Kontrollerar att protokollet har allt som KL 5 kap. 67 § kräver och markerar det klart för justering"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def unconfirmed_secret_recipients(protokoll: dict | None) -> list[str]:
    """"§ 4: Vårdnadshavare 1" for each recipient of a secret § whose address no person has confirmed (one the
    import file called confirmed is said to be so, since that is no confirmation)."""
    return [f"§ {p['nr']}: {m['namn']}" + (" (bara uppgiven som bekräftad i importfilen)"
                                           if m.get("bekraftad_enligt_import") else "")
            for p in (protokoll or {}).get("paragrafer", []) if p["sekretess"]
            for m in p["mottagare"] if not m["adress_bekraftad"]]


class JusteringTab(QWidget):
    saved = Signal()
    edited = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.locked = False
        self.dialog: QDialog | None = None
        """The date dialog this tab has open, for tests and focus."""
        self.before_write: Callable[[], bool] = lambda: True
        """Set by the page: saves what other tabs have unsaved before the protokoll is checked or justerat."""
        self._snapshot: dict | None = None
        self._loading = False
        self._build()

    # --- building ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sekreterare = QLineEdit()
        self.sekreterare.setAccessibleName("Sekreterare")
        self._staff = QStringListModel(self)
        staff_completer = QCompleter(self._staff, self)
        staff_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        staff_completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)   # no popup to eat a click
        self.sekreterare.setCompleter(staff_completer)
        self.justerare = NamePicker("Justerare", others_name="Andra justerare",
                                    others_placeholder="Andra justerare, åtskilda med kommatecken",
                                    empty_text="Fyll i närvaron först; då kan du kryssa för justerarna.", columns=2)
        self.justerare_note = muted("Justerarna utses under Val av justerare (Paragrafer); det som väljs där "
                                    "står här.")
        self.justerare_note.setWordWrap(True)
        self.plats = QLineEdit()
        self.plats.setAccessibleName("Justeringens plats")
        self.plats.setPlaceholderText("t.ex. Socialförvaltningen")
        self.datum = DateField("Justeringens datum")
        self.forvaring = QLineEdit()
        self.forvaring.setAccessibleName("Förvaringsplats")
        self.forvaring.setPlaceholderText("t.ex. Socialförvaltningen")
        self.problem = problem_label()
        self.state = muted()
        self.state.setWordWrap(False)
        self.save_button = QPushButton("Spara uppgifterna")
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("Ångra ändringarna")
        self.undo_button.clicked.connect(self.discard)
        for signal in (self.sekreterare.textChanged, self.justerare.changed, self.plats.textChanged,
                       self.datum.changed, self.forvaring.textChanged):
            signal.connect(self._on_change)

        self.justering_text = QLabel()
        self.justering_text.setWordWrap(True)
        self.justering_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.locked_note = note_label(LOCKED_STYLE, "Justerat")
        self.klar_button = QPushButton(KLAR_TEXT)
        self.klar_button.setToolTip(KLAR_TIP)
        self.klar_button.clicked.connect(self.mark_klar)
        self.justera_button = QPushButton("Registrera justering…")
        self.justera_button.setToolTip("Protokollet sparas som PDF med kontrollsumma och låses")
        self.justera_button.clicked.connect(self.register_justering)
        self.export_button = QPushButton("Spara det justerade protokollet…")
        self.export_button.clicked.connect(self.export_justerat)
        self.correct_button = QPushButton("Rätta datum…")
        self.correct_button.setToolTip("Rättar ett felinskrivet justerings- eller anslagsdatum, med skäl, fram till "
                                       "att anslagstiden har börjat")
        self.correct_button.clicked.connect(self.correct_date)
        self.anslag_text = QLabel()
        self.anslag_text.setWordWrap(True)
        self.anslag_button = QPushButton("Registrera anslag…")
        self.anslag_button.clicked.connect(self.register_anslag)
        self.omedelbar_text = QLabel()
        self.omedelbar_text.setWordWrap(True)
        self.omedelbar_button = QPushButton("Anslag för omedelbart justerade…")
        self.omedelbar_button.clicked.connect(self.register_omedelbar_anslag)
        for button in (self.klar_button, self.justera_button, self.export_button, self.correct_button,
                       self.anslag_button, self.omedelbar_button):
            button.setProperty("always_enabled", True)   # enabled by the state of the protokoll, not by the lock

        details = QGroupBox("Uppgifter i protokollet")
        self.details = details
        form = QFormLayout(details)
        form.addRow("Sekreterare", self.sekreterare)
        form.addRow("Justerare", self.justerare)
        form.addRow("", self.justerare_note)
        form.addRow("Justeringens plats", self.plats)
        form.addRow("Justeringens datum", self.datum)
        form.addRow("Förvaringsplats", self.forvaring)
        form.addRow(self.problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)

        justering = QGroupBox("Justering")
        j_layout = QVBoxLayout(justering)
        j_layout.addWidget(self.justering_text)
        j_layout.addWidget(self.locked_note)
        for pair in ((self.klar_button, self.justera_button), (self.export_button, self.correct_button)):
            row = QHBoxLayout()   # two rows: in one, the buttons need more width than half a laptop screen
            for button in pair:
                row.addWidget(button)
            row.addStretch(1)
            j_layout.addLayout(row)
        anslag = QGroupBox("Anslag om justeringen")
        a_layout = QVBoxLayout(anslag)
        a_layout.addWidget(self.anslag_text)
        a_row = QHBoxLayout()
        a_row.addWidget(self.anslag_button)
        a_row.addStretch(1)
        a_layout.addLayout(a_row)
        omedelbar = QGroupBox("Omedelbart justerade paragrafer")
        o_layout = QVBoxLayout(omedelbar)
        o_layout.addWidget(self.omedelbar_text)
        o_row = QHBoxLayout()
        o_row.addWidget(self.omedelbar_button)
        o_row.addStretch(1)
        o_layout.addLayout(o_row)

        right = QVBoxLayout()
        right.addWidget(justering)
        self.digital = DigitalJustering(self.store, self.dialogs)
        self.digital.saved.connect(self.saved)
        right.addWidget(self.digital)
        right.addWidget(anslag)
        right.addWidget(omedelbar)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(details)
        left.addStretch(1)
        content = QWidget()
        columns = QHBoxLayout(content)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # --- showing ------------------------------------------------------------------------------------------

    def load(self, meeting: dict, protokoll: dict | None, locked: bool, keep_edits: bool = True) -> None:
        self.meeting, self.protokoll, self.locked = meeting, protokoll, locked
        names = [person_name(n) for n in (protokoll or {}).get("narvaro", [])
                 if n["roll"] != "tjansteperson" and not n["forhinder"]]
        try:
            self._staff.setStringList([p["namn"] for p in self.store.tjanstepersoner()])
        except Exception:  # noqa: BLE001 — suggestions only; typing works without them
            self._staff.setStringList([])
        if keep_edits and self.has_unsaved_changes():
            self._loading = True
            self.justerare.set_people(names)   # who can be ticked follows the närvaro; what is ticked stays
            self._loading = False
        else:
            self._loading = True
            p = protokoll or {}
            self.sekreterare.setText(p.get("sekreterare") or meeting.get("forhinder_namn") or "")
            self.justerare.set_people(names, p.get("justerare") or [])
            self.plats.setText(p.get("justering_plats") or "")
            self.datum.set_iso(p.get("justering_datum"))
            self.forvaring.setText(p.get("forvaringsplats") or "")
            self._loading = False
            self._snapshot = self.values()
            show_note(self.problem, "")
        self.digital.load(meeting, protokoll)
        self._show_state()

    def values(self) -> dict:
        return {"sekreterare": self.sekreterare.text().strip() or None,
                "justering_plats": self.plats.text().strip() or None, "justering_datum": self.datum.iso(),
                "forvaringsplats": self.forvaring.text().strip() or None,
                "justerare": self.justerare.names()}

    def has_unsaved_changes(self) -> bool:
        return self._snapshot is not None and self.values() != self._snapshot

    def _on_change(self, *_args) -> None:
        if self._loading:
            return
        self._show_state()
        self.edited.emit()

    def _held(self) -> dt.date:
        return dt.date.fromisoformat(self.meeting["datum"])

    def _show_state(self) -> None:
        p = self.protokoll or {}
        held = self._held() if self.meeting else dt.date.today()
        justerad, anslag = iso_date(p.get("justerad")), iso_date(p.get("anslag_datum"))
        d = deadlines(held, justerad, anslag)
        if justerad:
            self.justering_text.setText(f"Justerat {justerad}.")
            show_note(self.locked_note, (
                f"Protokollet är justerat och låst. Den justerade versionen är sparad som PDF med kontrollsumman "
                f"(SHA-256)\n{p.get('justerad_pdf_sha256')}"))
        elif p.get("klar_for_justering"):
            doing = "justeras digitalt" if p.get("signeras") else "är klart för justering"
            self.justering_text.setText(f"Protokollet {doing}. Justeras senast {justering_deadline_text(held)}.")
            show_note(self.locked_note, "")
        else:
            self.justering_text.setText(f"Inte justerat. Justeras senast {justering_deadline_text(held)}. "
                                        "Markera protokollet klart för justering när kontrollen "
                                        "överst inte visar något som saknas.")
            show_note(self.locked_note, "")
        if anslag:
            self.anslag_text.setText(
                f"Anslaget sattes upp {anslag}. Överklagandetiden löper till och med {d.overklagande_till}; "
                f"anslaget tas ned tidigast {d.anslag_ned_tidigast}.")
        elif justerad:
            self.anslag_text.setText(f"Anslaget om justeringen sätts upp senast {d.anslag_senast} (andra dagen efter "
                                     "justeringen) och sitter uppe i minst tre veckor.")
        else:
            self.anslag_text.setText("Anslaget sätts upp efter justeringen.")
        self._show_omedelbara(p, held)
        dirty = self.has_unsaved_changes()
        if self.locked:
            self.state.setText(LOCKED_STATE)
        else:
            self.state.setText("Ändrad – inte sparad" if dirty else "")
        self.state.setStyleSheet(f"color: {PROBLEM_COLOUR.name()};" if dirty and not self.locked else "")
        lock_widgets(self.details, self.locked)
        show_when_editable((self.save_button, self.undo_button), self.locked)
        if not self.locked:
            self.save_button.setEnabled(dirty)
            self.undo_button.setEnabled(dirty)
        has_meeting = self.meeting is not None
        self._show_klar(has_meeting, justerad, bool(p.get("klar_for_justering")))
        self.justera_button.setEnabled(has_meeting and not justerad and not p.get("signeras"))
        self.export_button.setEnabled(bool(justerad))
        self.correct_button.setEnabled(bool(self._correctable_dates()))
        self.anslag_button.setEnabled(bool(justerad) and anslag is None)
        omedelbara = [g for g in p.get("paragrafer", []) if g["omedelbart_justerad"]]
        self.omedelbar_button.setEnabled(bool(omedelbara) and not p.get("omedelbar_anslag"))

    def _show_klar(self, has_meeting: bool, justerad: dt.date | None, klar: bool) -> None:
        """The button says what is true of the protokoll shown: what it does while it can be pressed, else that the
        protokoll is marked klar for justering or justerat (with the date), greyed."""
        if justerad:
            text, tip = f"Justerat {justerad}", "Protokollet är justerat och låst."
        elif klar:
            text, tip = "Markerat klart för justering", ("Protokollet är markerat klart för justering. Ändras något i "
                                                         "det tas markeringen bort, och kontrollen görs om.")
        else:
            text, tip = KLAR_TEXT, KLAR_TIP
        self.klar_button.setText(text)
        self.klar_button.setToolTip(tip)
        self.klar_button.setAccessibleName(text)
        self.klar_button.setEnabled(has_meeting and not justerad and not klar
                                    and not (self.protokoll or {}).get("signeras"))

    def _show_omedelbara(self, p: dict, held: dt.date) -> None:
        omedelbara = [g for g in p.get("paragrafer", []) if g["omedelbart_justerad"]]
        if not omedelbara:
            self.omedelbar_text.setText("Ingen paragraf är markerad för omedelbar justering.")
            return
        lines = [f"§ {g['nr']} {g['rubrik']}" + (" (sekretess)" if g["sekretess"] else "") for g in omedelbara]
        up = iso_date(p.get("omedelbar_anslag"))
        if up:
            d = deadlines(held, held, up)
            when = (f"Anslaget sattes upp {up}. Överklagandetiden löper till och med {d.overklagande_till}; "
                    f"anslaget tas ned tidigast {d.anslag_ned_tidigast}.")
        else:
            when = ("Paragraferna justerades vid sammanträdet. Anslaget för dem sätts upp senast "
                    f"{deadlines(held, held, None).anslag_senast}.")
        self.omedelbar_text.setText("\n".join(lines) + "\n\n" + when)

    # --- the header fields ------------------------------------------------------------------------------

    def save(self) -> tasks.Task | None:
        """Hand the header to the runner; its task, or None when there is no meeting. What was typed stays when
        the save is refused (the reason is shown)."""
        if self.meeting is None:
            return None
        values = self.values()
        return tasks.run(self, self.store, operations.save_protokoll_header, self.meeting["id"], **values,
                         done=lambda _none: self._saved(values), failed=self._save_refused)

    def _saved(self, values: dict) -> None:
        show_note(self.problem, "")
        self._snapshot = values
        self._show_state()
        self.saved.emit()

    def _save_refused(self, error: BaseException) -> None:
        show_note(self.problem, error_text(error))
        self.dialogs.error(self, error_text(error))

    def discard(self) -> None:
        if self.meeting is not None:
            self.load(self.meeting, self.protokoll, self.locked, keep_edits=False)
            self.edited.emit()

    # --- klar för justering and justering ------------------------------------------------------------------

    def mark_klar(self) -> tasks.Task | None:
        """Klar för justering, after what other tabs have unsaved is saved; refused with the list of what KL 5 kap.
        67 § still needs."""
        if self.meeting is None or not self.before_write():
            return None
        return tasks.run(self, self.store, operations.mark_klar_for_justering, self.meeting["id"],
                         done=self._marked_klar, failed=self._klar_refused)

    def _marked_klar(self, _none) -> None:
        self.dialogs.info(self, "Protokollet är klart för justering. Registrera justeringen när justerarna har "
                                "skrivit under.")
        self.saved.emit()

    def _klar_refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self.saved.emit()   # the page shows the check as it is now

    def register_justering(self) -> DateDialog | None:
        if self.meeting is None or not self.before_write():
            return None
        try:
            protokoll = self.store.protokoll(self.meeting["id"])
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return None
        missing = missing_for_justering(protokoll)
        if missing:
            self.dialogs.error(self, "Protokollet kan inte justeras ännu. Detta saknas:\n" + _bullets(missing))
            return None
        unconfirmed = unconfirmed_secret_recipients(protokoll)
        if unconfirmed and not self.dialogs.confirm(self, (
                "Adressen är inte bekräftad för dessa mottagare av beslut i sekretessärenden:\n"
                + _bullets(unconfirmed) + "\n\nEfter justeringen kan paragraferna inte ändras, så adresserna kan "
                "inte bekräftas och inga utdrag kan skapas till dem. Justera ändå?"), yes="Justera ändå"):
            return None
        held = self._held()
        planned = iso_date(protokoll["justering_datum"]) if protokoll else None
        initial = planned or (max(dt.date.today(), held) if dt.date.today() <= held + dt.timedelta(days=30)
                              else held)
        dialog = DateDialog(
            "Registrera justering",
            f"Justeringen av protokollet för {self.meeting['organ']} {self.meeting['datum']} registreras. Protokollet "
            "sparas som PDF med kontrollsumma och låses: därefter kan ingenting i det ändras, och ett fel rättas "
            "genom ett nytt beslut på ett kommande sammanträde.",
            "Registrera justeringen", initial, self.justera_on, self, label="Justerat den")
        self._open(dialog)
        return dialog

    def justera_on(self, datum: dt.date) -> tasks.Task:
        """Record the justering on the runner (the protokoll is rendered to PDF there, so the window never waits)."""
        return tasks.run(self, self.store, operations.justera, self.meeting["id"], datum,
                         done=lambda done: self._justerad(datum, done), failed=self._show_error)

    def _justerad(self, datum: dt.date, done: operations.Justerad) -> None:
        text = [f"Protokollet är justerat {datum} och låst.",
                f"Den justerade versionen är sparad som PDF med kontrollsumman (SHA-256)\n{done.sha256}",
                "Registrera anslaget när det har satts upp."]
        if done.warnings:
            text.append("Observera:\n" + _bullets(done.warnings))
        self.dialogs.info(self, "\n\n".join(text))
        self.saved.emit()

    def _show_error(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))

    def export_justerat(self) -> Path | None:
        p = self.protokoll or {}
        sha = p.get("justerad_pdf_sha256")
        if not sha:
            return None
        name = safe_filename(f"Protokoll {self.meeting['organ']} {self.meeting['datum']} justerat.pdf")
        path = ask_save_path(self.dialogs, self, "Spara det justerade protokollet", name, "pdf", kind=PROTOKOLL_KIND)
        if path is None:
            return None
        try:
            write_atomic(path, self.store.file_path(sha).read_bytes())
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return None
        announce_saved(self, self.dialogs, f"Det justerade protokollet är sparat:\n{path}\n\nDet innehåller även "
                                           "sekretessärendena och får inte publiceras.", path)
        return path

    # --- anslag ----------------------------------------------------------------------------------------------

    def register_anslag(self) -> DateDialog | None:
        """The anslag's date (the operation refuses one before the justering, or when the protokoll is not
        justerat)."""
        if self.meeting is None:
            return None
        justerad = iso_date((self.protokoll or {}).get("justerad")) or dt.date.today()
        d = deadlines(self._held(), justerad, None)
        initial = min(max(dt.date.today(), justerad), d.anslag_senast)
        dialog = DateDialog(
            "Registrera anslag",
            f"Dagen då anslaget om justeringen sattes upp på kommunens anslagstavla. Det ska sättas upp senast "
            f"{d.anslag_senast}. Överklagandetiden, tre veckor, räknas från den dagen.",
            "Registrera anslaget", initial, lambda datum: self.anslag_on(datum, omedelbara=False), self,
            label="Uppsatt den")
        self._open(dialog)
        return dialog

    def register_omedelbar_anslag(self) -> DateDialog | None:
        """The anslag of the omedelbart justerade §§ (the operation refuses it when there are none)."""
        if self.meeting is None:
            return None
        held = self._held()
        dialog = DateDialog(
            "Anslag för omedelbart justerade paragrafer",
            "Dagen då anslaget om de omedelbart justerade paragraferna sattes upp. De justerades vid sammanträdet; "
            "överklagandetiden för dem räknas från den här dagen.",
            "Registrera anslaget", min(max(dt.date.today(), held), held + dt.timedelta(days=2)),
            lambda datum: self.anslag_on(datum, omedelbara=True), self, label="Uppsatt den")
        self._open(dialog)
        return dialog

    def anslag_on(self, datum: dt.date, *, omedelbara: bool) -> tasks.Task:
        """Record the anslag on the runner; the operation applies the date rule (nämndtool.justering)."""
        return tasks.run(self, self.store, operations.record_anslag, self.meeting["id"], datum, omedelbara=omedelbara,
                         done=lambda anslag: self._anslag_recorded(datum, anslag), failed=self._show_error)

    def _anslag_recorded(self, datum: dt.date, anslag: operations.Anslag) -> None:
        text = [f"Anslaget sattes upp {datum}.",
                f"Överklagandetiden löper till och med {anslag.deadlines.overklagande_till}; anslaget tas ned "
                f"tidigast {anslag.deadlines.anslag_ned_tidigast}."]
        if anslag.warnings:
            text.append("Observera:\n" + _bullets(anslag.warnings))
        self.dialogs.info(self, "\n\n".join(text))
        self.saved.emit()

    # --- correcting a wrongly entered date ----------------------------------------------------------------------

    def _correctable_dates(self) -> list[tuple[str, dt.date]]:
        """(column, date) of the recorded dates Rätta datum offers."""
        p = self.protokoll or {}
        return [(column, iso_date(p.get(column))) for column in DATE_LABELS if iso_date(p.get(column))]

    def correct_date(self) -> RattaDatumDialog | None:
        """Rätta datum: the justering or an anslag date, with a reason; the operation decides whether it may still
        be corrected (until the anslag period has started)."""
        dates = self._correctable_dates()
        if self.meeting is None or not dates:
            self.dialogs.info(self, "Protokollet är inte justerat, så det finns inget datum att rätta.")
            return None
        dialog = RattaDatumDialog(dates, self.correct_date_on, self)
        self._open(dialog)
        return dialog

    def correct_date_on(self, column: str, datum: dt.date, reason: str) -> tasks.Task:
        return tasks.run(self, self.store, operations.correct_date, self.meeting["id"], column, datum, reason,
                         done=lambda old: self._date_corrected(column, old, datum), failed=self._show_error)

    def _date_corrected(self, column: str, old: str, datum: dt.date) -> None:
        self.dialogs.info(self, f"{CORRECTED[column]} är rättat från {old} till {datum}. Rättelsen är sparad med "
                                "skälet, ditt namn och tidpunkten i ändringshistoriken.")
        self.saved.emit()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
