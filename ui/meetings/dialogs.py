"""The dialogs of the Sammanträden view: a meeting, an agenda item, its secrecy, picking ärenden, and the meeting
whose agenda is copied.

They open window-modal with ``open()`` (never a blocking ``exec()``), so tests fill in the fields and call
``accept()``. ``accept()`` validates and hands the save to the runner; the dialog closes once it is written, and on
a problem it stays open with everything typed kept: validation problems are shown inline, refusals of the store
through ``dialogs.error`` (and inline in the meeting dialog).
"""

from typing import Callable

from PySide6.QtCore import QDate, QEvent, QTime, QTimer, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QPlainTextEdit, QTimeEdit, QVBoxLayout, QWidget,
)
from shiboken6 import isValid

from nämndtool.operations import meetings as meeting_ops
from nämndtool.ui.common import tasks
from nämndtool.ui.meetings.agenda_model import ArendePickModel
from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_FOREGROUND, SECRET_MARK
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import SWEDISH, DateEdit
from nämndtool.ui.common.widgets import count_text, fit_columns, long_date, muted, table_view

DEFAULT_TIME = "13:00"
DEFAULT_LAGRUM = "26 kap. 1 § OSL"
COMMON_LAGRUM = ("26 kap. 1 § OSL", "25 kap. 1 § OSL")
SEAT_LABELS = {"ordforande": "ordförande", "vice_ordforande": "vice ordförande", "ledamot": "ledamot",
               "ersattare": "ersättare"}
SEARCH_DELAY_MS = 250


def error_label() -> QLabel:
    """An inline message in dark red, hidden until there is something to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {SECRET_FOREGROUND.name()};")
    label.setAccessibleName("Felmeddelande")
    label.hide()
    return label


def note_label() -> QLabel:
    """An inline note (something to check, not an error) on a pale yellow ground, hidden until there is one."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("background: #fff4ce; color: #4d3800; padding: 4px 8px;")
    label.setAccessibleName("Observera")
    label.hide()
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def grow_to_fit(dialog: QDialog) -> None:
    """Make the dialog as tall as its wrapped texts need at its width (a note shown later is never squeezed)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def close_when_saved(dialog: QDialog, outcome: "tasks.Task | bool", accept: Callable[[], None]) -> None:
    """What an ``apply`` callback gave back: the save it started (the dialog closes when it succeeds and stays open
    with what was typed when it is refused; the page shows why), True (close now) or False (stay)."""
    if not isinstance(outcome, tasks.Task):
        if outcome:
            accept()
        return
    ok = dialog.button_box.buttons()[0]
    ok.setEnabled(False)
    outcome.succeeded.connect(lambda _result: accept() if isValid(dialog) else None)   # unless closed meanwhile
    outcome.failed.connect(lambda _error: ok.setEnabled(True) if isValid(ok) else None)


def buttons(ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
    box.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
    return box


def secret_banner(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(
        f"background: {SECRET_BACKGROUND.name()}; color: {SECRET_FOREGROUND.name()}; padding: 6px; font-weight: bold;"
    )
    return label


def seat_text(person: dict) -> str:
    """``Martin Edgélius (M), ordförande`` for the chair list."""
    party = f" ({person['parti']})" if person.get("parti") else ""
    seat = SEAT_LABELS.get(person.get("uppdrag_roll") or "", "")
    return f"{person['namn']}{party}, {seat}" if seat else f"{person['namn']}{party}"


class MeetingDialog(QDialog):
    """Create or edit a meeting: organ, date, time, place, chair and whom to tell about förhinder."""

    def __init__(self, store, dialogs, meeting: dict | None = None, organ_id: int | None = None, parent=None):
        super().__init__(parent)
        self.store, self.dialogs, self.meeting = store, dialogs, meeting
        self.meeting_id: int | None = meeting["id"] if meeting else None
        self._task: tasks.Task | None = None
        self._defaults: dict[str, str] = {}
        self.setWindowTitle("Redigera sammanträde" if meeting else "Nytt sammanträde")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        self.organ = QComboBox()
        self.organ.setAccessibleName("Organ")
        for namnd in store.namnder():
            for organ in store.organs(namnd["id"]):
                self.organ.addItem(organ["namn"], organ["id"])
        self.datum = DateEdit()
        self.datum.setAccessibleName("Datum")
        self.datum_text = muted()
        self.date_note = note_label()
        self.warnings: list[str] = []
        """What the user should know about the saved meeting's date (``operations.meetings.meeting_warnings``)."""
        self.tid = QTimeEdit()
        self.tid.setLocale(SWEDISH)
        self.tid.setDisplayFormat("HH:mm")
        self.tid.setAccessibleName("Tid")
        self.plats = QLineEdit()
        self.plats.setPlaceholderText("t.ex. Solrosen, stadshuset")
        self.ordforande = QComboBox()
        self.ordforande.setEditable(True)
        self.ordforande.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.ordforande.lineEdit().setPlaceholderText("Välj ur förteckningen eller skriv ett namn")
        self.ordforande.setAccessibleName("Ordförande")
        self.forhinder_namn = QLineEdit()
        self.forhinder_epost = QLineEdit()
        self.forhinder_epost.setPlaceholderText("namn@kommun.se")
        self.forhinder_telefon = QLineEdit()
        self.message = error_label()
        self.button_box = buttons("Spara")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        self._layout()
        self._fill(meeting, organ_id)
        self.organ.currentIndexChanged.connect(self._on_organ_changed)
        self.datum.dateChanged.connect(self._on_date_changed)
        self.setMinimumWidth(560)

    def _layout(self) -> None:
        when = QWidget()
        when_row = QHBoxLayout(when)
        when_row.setContentsMargins(0, 0, 0, 0)
        when_row.addWidget(self.datum)
        when_row.addWidget(self.datum_text, 1)
        form = QFormLayout()
        form.addRow("&Organ:", self.organ)
        form.addRow("&Datum:", when)
        form.addRow("", self.date_note)
        form.addRow("&Tid:", self.tid)
        form.addRow("&Plats:", self.plats)
        form.addRow("O&rdförande:", self.ordforande)
        forhinder = QGroupBox("Förhinder anmäls till")
        forhinder_form = QFormLayout(forhinder)
        forhinder_form.addRow("&Namn:", self.forhinder_namn)
        forhinder_form.addRow("&E-post:", self.forhinder_epost)
        forhinder_form.addRow("Tele&fon:", self.forhinder_telefon)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(forhinder)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        if not self.organ.count():
            show_message(self.message, "Registret har ingen nämnd ännu, så det finns inget organ att kalla till "
                                       "sammanträde. Importera ett sammanträde eller skapa nämnden först.")
            self.button_box.buttons()[0].setEnabled(False)

    # --- filling in -----------------------------------------------------------------------------------------

    def _fill(self, meeting: dict | None, organ_id: int | None) -> None:
        if meeting:
            self.organ.setCurrentIndex(max(0, self.organ.findData(meeting["organ_id"])))
            self.datum.setDate(QDate.fromString(meeting["datum"], "yyyy-MM-dd"))
            self.tid.setTime(QTime.fromString(meeting.get("tid") or DEFAULT_TIME, "HH:mm"))
            self.plats.setText(meeting.get("plats") or "")
            self.forhinder_namn.setText(meeting.get("forhinder_namn") or "")
            self.forhinder_epost.setText(meeting.get("forhinder_epost") or "")
            self.forhinder_telefon.setText(meeting.get("forhinder_telefon") or "")
            self._fill_roster(chair=meeting.get("ordforande"))
        else:
            if organ_id is not None and self.organ.findData(organ_id) >= 0:
                self.organ.setCurrentIndex(self.organ.findData(organ_id))
            self.datum.setDate(QDate.currentDate())
            self._fill_roster(chair=None)
            self._apply_defaults()
        self._show_long_date()
        self._show_warnings()

    def organ_id(self) -> int | None:
        return self.organ.currentData()

    def iso_date(self) -> str:
        return self.datum.date().toString("yyyy-MM-dd")

    def _default_values(self, organ_id: int | None) -> dict[str, str]:
        """What a new meeting of this organ starts with: time and place of its latest meeting, förhinder contact."""
        if organ_id is None:
            return {}
        latest = self.store.latest_meeting(organ_id) or {}
        suggestion = self.store.forhinder_suggestion(organ_id)
        return {
            "tid": latest.get("tid") or DEFAULT_TIME,
            "plats": latest.get("plats") or "",
            **{key: suggestion.get(key) or "" for key in ("forhinder_namn", "forhinder_epost", "forhinder_telefon")},
        }

    def _apply_defaults(self) -> None:
        """Fill each field with the organ's default, unless the user already changed it from the previous default."""
        new = self._default_values(self.organ_id())
        for key, value in new.items():
            current = self.tid.time().toString("HH:mm") if key == "tid" else getattr(self, key).text()
            untouched = current == self._defaults.get(key, "") or (key == "tid" and "tid" not in self._defaults)
            if not untouched:
                continue
            if key == "tid":
                self.tid.setTime(QTime.fromString(value, "HH:mm"))
            else:
                getattr(self, key).setText(value)
        self._defaults = new

    def _fill_roster(self, chair: str | None) -> None:
        """The organ's ledamöter and ersättare on the date, ordförande first; the typed chair is kept."""
        typed = chair if chair is not None else self.ordforande.currentText()
        roster = self.store.roster(self.organ_id(), self.iso_date()) if self.organ_id() is not None else []
        self.ordforande.blockSignals(True)
        self.ordforande.clear()
        for person in roster:
            self.ordforande.addItem(seat_text(person), person["id"])
            self.ordforande.setItemData(self.ordforande.count() - 1, person["namn"], Qt.ItemDataRole.UserRole + 1)
        chair_first = bool(roster) and roster[0].get("uppdrag_roll") == "ordforande"
        if chair is None and not typed and chair_first and not self.meeting:
            self.ordforande.setCurrentIndex(0)
        else:
            match = self._roster_index(typed)
            if match >= 0:
                self.ordforande.setCurrentIndex(match)
            else:
                self.ordforande.setCurrentIndex(-1)
                self.ordforande.setEditText(typed or "")
        self.ordforande.blockSignals(False)

    def _roster_index(self, text: str) -> int:
        text = (text or "").strip()
        if not text:
            return -1
        for i in range(self.ordforande.count()):
            if text in (self.ordforande.itemText(i), self.ordforande.itemData(i, Qt.ItemDataRole.UserRole + 1)):
                return i
        return -1

    def _on_organ_changed(self) -> None:
        self._fill_roster(chair=None)
        if not self.meeting:
            self._apply_defaults()
        self._check_date_free()
        self._show_warnings()

    def _on_date_changed(self) -> None:
        self._show_long_date()
        self._fill_roster(chair=None)
        self._check_date_free()
        self._show_warnings()

    def _current_warnings(self) -> list[str]:
        if self.organ_id() is None:
            return []
        try:
            return meeting_ops.meeting_warnings(self.store, self.organ_id(), self.iso_date())
        except Exception as error:  # noqa: BLE001 — a store problem is shown, the dialog stays usable
            return [error_text(error)]

    def _show_warnings(self) -> None:
        """Said as soon as the date is chosen, not first when the attendance is taken."""
        show_message(self.date_note, "\n".join(self._current_warnings()))
        grow_to_fit(self)

    def _show_long_date(self) -> None:
        self.datum_text.setText(long_date(self.iso_date()))

    # --- validating and saving ---------------------------------------------------------------------------------

    def _taken_message(self) -> str:
        organ_id = self.organ_id()
        if organ_id is None:
            return ""
        found = self.store.find_meeting(organ_id, self.iso_date())
        if not found or found["id"] == self.meeting_id:
            return ""
        return (f"{self.organ.currentText()} har redan ett sammanträde {long_date(self.iso_date())}. "
                "Ett organ kan bara ha ett sammanträde per dag: välj ett annat datum, "
                "eller avbryt och öppna det befintliga sammanträdet i listan.")

    def _check_date_free(self) -> None:
        try:
            show_message(self.message, self._taken_message())
        except Exception as error:  # noqa: BLE001 — a store problem is shown, the dialog stays usable
            show_message(self.message, error_text(error))

    def problems(self) -> list[tuple[QWidget, str]]:
        """What keeps the meeting from being saved, each with the field to go to: an organ must be chosen, and
        the fields must pass ``operations.meetings.meeting_problems``. (A date the organ already meets on is
        said as soon as it is chosen, and refused by the store.)"""
        found = []
        if self.organ_id() is None:
            found.append((self.organ, "Välj vilket organ som sammanträder."))
        found += [(self.forhinder_epost, problem) for problem in meeting_ops.meeting_problems(self.fields())]
        return found

    def fields(self) -> dict:
        """The meeting's fields for the store; the chair by id when chosen from the roster, else by name."""
        values = {
            "tid": self.tid.time().toString("HH:mm"),
            "plats": self.plats.text().strip() or None,
            "forhinder_namn": self.forhinder_namn.text().strip() or None,
            "forhinder_epost": self.forhinder_epost.text().strip() or None,
            "forhinder_telefon": self.forhinder_telefon.text().strip() or None,
        }
        chair = self.ordforande.currentText().strip()
        match = self._roster_index(chair)
        if match >= 0:
            values["ordforande_id"] = self.ordforande.itemData(match)
        else:
            values["ordforande_namn"] = chair
        return values

    def accept(self) -> None:
        if self._task is not None:
            return
        try:
            problems = self.problems()
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        if problems:
            texts = [text for _widget, text in problems]
            show_message(self.message, texts[0] if len(texts) == 1 else "\n".join(f"• {t}" for t in texts))
            problems[0][0].setFocus()
            return
        show_message(self.message, "")
        if self.meeting_id is None:
            self._task = tasks.run(self, self.store, meeting_ops.create_meeting, self.organ_id(), self.iso_date(),
                                   self.fields(), done=self._saved, failed=self._failed)
        else:
            self._task = tasks.run(self, self.store, meeting_ops.update_meeting, self.meeting_id, self.organ_id(),
                                   self.iso_date(), self.fields(), done=self._saved, failed=self._failed)
        self.button_box.buttons()[0].setEnabled(False)

    def _saved(self, meeting_id: int | None) -> None:
        self._task = None
        if self.meeting_id is None:
            self.meeting_id = meeting_id
        self.warnings = self._current_warnings()
        super().accept()

    def _failed(self, error: BaseException) -> None:
        """Every failure is shown; the dialog stays open with what the user typed."""
        self._task = None
        self.button_box.buttons()[0].setEnabled(True)
        show_message(self.message, error_text(error))
        self.dialogs.error(self, error_text(error))

    def reject(self) -> None:
        if self._task is None:   # not while the meeting is being written
            super().reject()


class ArendePickerDialog(QDialog):
    """Search the diary and pick one or several ärenden (Ctrl- or Skift-klick) to put on the agenda. Where an ärende
    already stands on another open agenda is shown before it is picked."""

    def __init__(self, store, dialogs, namnd_id: int | None, on_agenda: dict[int, int],
                 apply: Callable[[list[dict]], "tasks.Task | bool"], parent=None, meeting_id: int | None = None):
        super().__init__(parent)
        self.store, self.dialogs, self.namnd_id, self._apply = store, dialogs, namnd_id, apply
        self.meeting_id = meeting_id
        self.setWindowTitle("Lägg till ärenden på dagordningen")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.model = ArendePickModel(on_agenda, parent=self)
        self.view = table_view(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAccessibleName("Ärenden")
        fit_columns(self.view, stretch=1)
        self.view.doubleClicked.connect(lambda _index: self.accept())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök diarienummer eller rubrik …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i diariet")
        self.result = muted()
        self.message = error_label()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self._searched: str | None = None
        """The text of the search whose results are shown."""
        self.search.installEventFilter(self)
        self.button_box = buttons("Lägg till")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_count())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Sök bland nämndens ärenden. Välj flera med Ctrl- eller Skift-klick. "
                                "Sekretessärenden läggs till som sekretesspunkter."))
        layout.addWidget(self.search)
        layout.addWidget(self.result)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        self.resize(980, 520)
        self.run_search()

    def eventFilter(self, watched, event: QEvent) -> bool:
        """Enter in the search box searches when the list does not show that search yet, and adds the chosen
        ärenden only once it does (so typing and pressing Enter never adds an ärende the user has not seen)."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and (self._timer.isActive() or self._searched != self.search.text().strip()):
            self.run_search()
            return True
        return super().eventFilter(watched, event)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        self._searched = text
        try:
            rows = self.store.list_arenden(search=text or None, namnd_id=self.namnd_id, limit=50)
            elsewhere = self.store.open_agenda_places([r["id"] for r in rows], self.meeting_id)
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        self.model.elsewhere = {}
        for place in elsewhere:
            self.model.elsewhere.setdefault(place["arende_id"], f"{place['organ']} {place['datum']}")
        self.model.set_rows(rows)
        n = len(rows)
        if text and not n:
            self.result.setText(f"Inga ärenden matchar ”{text}”.")
        elif text:
            self.result.setText(f"{count_text(n, 'ärende', 'ärenden')} matchar ”{text}”"
                                + (" (de 50 första visas)." if n == 50 else "."))
        else:
            self.result.setText("De senast registrerade ärendena. Skriv för att söka."
                                if n else "Diariet har inga ärenden ännu.")
        first = self.model.first_free_row()
        if first is not None:
            self.view.selectRow(first)
        else:
            self.view.clearSelection()
        self._show_count()

    def chosen_all(self) -> list[dict]:
        """The ärenden selected, in the list's order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.row_at(row) for row in rows]

    def chosen(self) -> dict | None:
        found = self.chosen_all()
        return found[0] if found else None

    def _show_count(self) -> None:
        n = len(self.chosen_all())
        self.button_box.buttons()[0].setText(f"Lägg till {n} ärenden" if n > 1 else "Lägg till")

    def accept(self) -> None:
        arenden = self.chosen_all()
        if not arenden:
            show_message(self.message, "Välj ett eller flera ärenden i listan.")
            return
        twice = [a for a in arenden if a["id"] in self.model.on_agenda]
        if twice:
            show_message(self.message, f"Ärendet står redan som punkt {self.model.on_agenda[twice[0]['id']]} "
                                       "på dagordningen.")
            return
        show_message(self.message, "")
        close_when_saved(self, self._apply(arenden), super().accept)


class CopyAgendaDialog(QDialog):
    """Choose another meeting of the nämnd whose agenda is copied into this one; its agenda is shown."""

    EXPLANATION = ("Standardpunkterna kopieras med sina anteckningar, och de ärenden som ännu inte är beslutade "
                   "eller avslutade (till exempel bordlagda). Beslutade ärenden och punkter utan ärende i diariet "
                   "kopieras inte. Det som redan står på dagordningen läggs inte till igen. Ångra med Ctrl+Z.")

    def __init__(self, store, dialogs, meeting: dict, apply: Callable[[int], "tasks.Task | bool"], parent=None):
        super().__init__(parent)
        self.store, self.dialogs, self.meeting, self._apply = store, dialogs, meeting, apply
        self.setWindowTitle("Kopiera dagordning")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.source = QComboBox()
        self.source.setAccessibleName("Kopiera från")
        self.preview = QListWidget()
        self.preview.setAccessibleName("Dagordningen som kopieras")
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.message = error_label()
        self.button_box = buttons("Kopiera dagordningen")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        heading = QLabel(f"Till dagordningen för {meeting['organ']} {long_date(meeting['datum'])}.")
        heading.setWordWrap(True)
        explanation = muted(self.EXPLANATION)
        form = QFormLayout()
        form.addRow("&Kopiera från:", self.source)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(explanation)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        self._fill()
        self.source.currentIndexChanged.connect(self._show_preview)
        self._show_preview()
        self.setMinimumWidth(620)
        self.resize(680, 520)

    def _fill(self) -> None:
        """The nämnd's other meetings: this organ's first, the latest before this meeting chosen."""
        try:
            meetings = [m for m in self.store.meetings()
                        if m["namnd_id"] == self.meeting["namnd_id"] and m["id"] != self.meeting["id"]]
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            meetings = []
        meetings.sort(key=lambda m: m["datum"], reverse=True)
        meetings.sort(key=lambda m: (m["organ_id"] != self.meeting["organ_id"], m["datum"] > self.meeting["datum"]))
        for m in meetings:
            items = count_text(m["antal_punkter"], "punkt", "punkter")
            self.source.addItem(f"{m['organ']} {long_date(m['datum'])} ({items})", m["id"])
        if not meetings:
            show_message(self.message, "Nämnden har inget annat sammanträde att kopiera dagordningen från.")
            self.button_box.buttons()[0].setEnabled(False)

    def from_meeting_id(self) -> int | None:
        return self.source.currentData()

    def _show_preview(self) -> None:
        self.preview.clear()
        if self.from_meeting_id() is None:
            return
        try:
            agenda = self.store.agenda(self.from_meeting_id())
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        for item in agenda:
            number = f" ({item['diarienummer']})" if item.get("diarienummer") else ""
            self.preview.addItem(f"{item['nr']}. {item['rubrik']}{number}")
        if not agenda:
            self.preview.addItem("Sammanträdet har ingen dagordning.")

    def accept(self) -> None:
        if self.from_meeting_id() is None:
            return
        show_message(self.message, "")
        close_when_saved(self, self._apply(self.from_meeting_id()), super().accept)


class ItemDialog(QDialog):
    """An agenda item's title and note."""

    def __init__(self, item: dict, apply: Callable[[dict], bool], parent=None):
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(f"Punkt {item.get('nr')}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.rubrik = QLineEdit(item.get("rubrik") or "")
        self.rubrik.setAccessibleName("Rubrik")
        self.anteckning = QPlainTextEdit(item.get("anteckning") or "")
        self.anteckning.setAccessibleName("Anteckning")
        self.anteckning.setPlaceholderText("Skrivs under punkten i kallelsen, t.ex. Föredragande: Sara Gibro")
        self.anteckning.setTabChangesFocus(True)
        self.message = error_label()
        self.button_box = buttons("Spara")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        form = QFormLayout()
        if item.get("diarienummer"):
            form.addRow("Diarienummer:", QLabel(item["diarienummer"]))
        form.addRow("&Rubrik:", self.rubrik)
        form.addRow("&Anteckning:", self.anteckning)
        layout = QVBoxLayout(self)
        if item.get("sekretess"):
            lagrum = f" ({item['sekretess_lagrum']})" if item.get("sekretess_lagrum") else ""
            layout.addWidget(secret_banner(f"{SECRET_MARK} – punkten omfattas av sekretess{lagrum}."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        title = self.rubrik.text().strip()
        if not title:
            show_message(self.message, "Punkten behöver en rubrik.")
            self.rubrik.setFocus()
            return
        show_message(self.message, "")
        changes = {"rubrik": title, "anteckning": self.anteckning.toPlainText().strip() or None}
        close_when_saved(self, self._apply(changes), super().accept)


class SecretDialog(QDialog):
    """Mark an agenda item as secret, with the provision of the OSL that applies."""

    def __init__(self, item: dict, apply: Callable[[str], bool], parent=None):
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle("Sekretess")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.lagrum = QComboBox()
        self.lagrum.setEditable(True)
        self.lagrum.addItems(COMMON_LAGRUM)
        self.lagrum.setEditText(item.get("sekretess_lagrum") or DEFAULT_LAGRUM)
        self.lagrum.setAccessibleName("Lagrum")
        self.message = error_label()
        self.button_box = buttons("Markera med sekretess")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        text = (f"Punkt {item.get('nr')} ”{item.get('rubrik')}” markeras med sekretess. I den offentliga kallelsen "
                "står den då bara som ”Sekretessärende”, och dess handlingar lämnas utanför de offentliga "
                "handlingarna.")
        if item.get("arende_id") is not None:
            what = f"ärende {item['diarienummer']}" if item.get("diarienummer") else "ärendet"
            text += f" Även {what} i diariet markeras med sekretess."
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Lagrum:", self.lagrum)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(600)

    def accept(self) -> None:
        lagrum = self.lagrum.currentText().strip()
        if not lagrum:
            show_message(self.message, f"Ange vilket lagrum sekretessen gäller enligt, t.ex. {DEFAULT_LAGRUM}.")
            self.lagrum.setFocus()
            return
        show_message(self.message, "")
        close_when_saved(self, self._apply(lagrum), super().accept)
