"""Närvaro: who took part in the meeting, filled from the organ's roster and edited as a table.

A ledamot with förhinder is kept in the list (the protokoll says who was absent); an ersättare called in serves and
names whom they replace. Från § and Till § record arriving or leaving during the meeting. What the user types is
checked in Swedish before it is saved, and stays on the screen when something is wrong.
"""

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QSpinBox, QTableWidget, QToolButton, QVBoxLayout, QWidget,
)

from nämndtool.operations import protokoll as operations
from nämndtool.ui.common import tasks
from nämndtool.ui.protokoll.common import (
    LOCKED_STATE,
    ROLL_LABELS, WARNING_STYLE, bold, lock_widgets, note_label, problem_label, show_note, show_when_editable,
)
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import count_text, muted

NAMN, PARTI, TITEL, ROLL, TJANSTGOR, FORHINDER, ERSATTER, FRAN, TILL, FLYTTA = range(10)
HEADERS = ("Namn", "Parti", "Titel", "Roll", "Tjänstgör", "Förhinder", "Ersätter", "Från §", "Till §", "")
NO_ONE = "–"
CELL_PADDING = 16
"""What a cell keeps beside its widget: the window's style sheet pads every table item (6 + 8 px), and the grid."""


def _centered(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(widget)
    return holder


def _paragraph_box(name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 9999)
    box.setSpecialValueText(NO_ONE)
    box.setAccessibleName(name)
    box.setToolTip("Lämna – när personen var med under hela sammanträdet")
    return box


class NarvaroRow:
    """The widgets of one person in the table."""

    def __init__(self, value: dict, on_change):
        self.person_id = value.get("person_id")
        self.namn = QLineEdit(value.get("namn") or "")
        self.namn.setAccessibleName("Namn")
        self.namn.setPlaceholderText("Förnamn Efternamn")
        self.parti = QLineEdit(value.get("parti") or "")
        self.parti.setAccessibleName("Parti")
        self.titel = QLineEdit(value.get("titel") or "")
        self.titel.setAccessibleName("Titel")
        self.roll = QComboBox()
        self.roll.setAccessibleName("Roll")
        for key, label in ROLL_LABELS.items():
            self.roll.addItem(label, key)
        self.roll.setCurrentIndex(max(0, self.roll.findData(value.get("roll") or "ledamot")))
        self.tjanstgor = QCheckBox()
        self.tjanstgor.setAccessibleName("Tjänstgör")
        self.tjanstgor.setChecked(bool(value.get("tjanstgor")))
        self.forhinder = QCheckBox()
        self.forhinder.setAccessibleName("Förhinder")
        self.forhinder.setChecked(bool(value.get("forhinder")))
        self.ersatter = QComboBox()
        self.ersatter.setAccessibleName("Ersätter")
        self.ersatter.addItem(NO_ONE, None)
        if value.get("ersatter"):
            self.ersatter.addItem(value["ersatter"], value["ersatter"])
            self.ersatter.setCurrentIndex(1)
        self.fran = _paragraph_box("Från §")
        self.fran.setValue(value.get("fran_paragraf") or 0)
        self.till = _paragraph_box("Till §")
        self.till.setValue(value.get("till_paragraf") or 0)
        self.up = QToolButton(text="↑", toolTip="Flytta upp")
        self.up.setAccessibleName("Flytta upp")
        self.down = QToolButton(text="↓", toolTip="Flytta ned")
        self.down.setAccessibleName("Flytta ned")
        self.remove = QToolButton(text="Ta bort", toolTip="Ta bort raden")
        self.remove.setAccessibleName("Ta bort raden")
        # the window's style sheet gives a tool button no room beside its text, so Qt cut it to "Ta…rt"
        self.remove.setMinimumWidth(self.remove.fontMetrics().horizontalAdvance(self.remove.text()) + 16)
        self._on_change = on_change
        self.tjanstgor.toggled.connect(self._tjanstgor_toggled)
        self.forhinder.toggled.connect(self._forhinder_toggled)
        self.ersatter.currentIndexChanged.connect(self._ersatter_changed)
        self.roll.currentIndexChanged.connect(self._roll_changed)
        for edit in (self.namn, self.parti, self.titel):
            edit.textChanged.connect(lambda _t: on_change())
        for box in (self.fran, self.till):
            box.valueChanged.connect(lambda _v: on_change())
        self._apply_role()

    def value(self) -> dict:
        roll = self.roll.currentData()
        return {
            "person_id": self.person_id, "namn": self.namn.text().strip(), "roll": roll,
            "parti": self.parti.text().strip() or None, "titel": self.titel.text().strip() or None,
            "tjanstgor": int(self.tjanstgor.isChecked()), "ersatter": self.ersatter.currentData(),
            "forhinder": int(self.forhinder.isChecked()),
            "fran_paragraf": self.fran.value() or None, "till_paragraf": self.till.value() or None,
        }

    def set_ersatter_choices(self, names: list[str]) -> None:
        """The ledamöter this ersättare can replace; the current choice is kept even when it no longer fits,
        so a change elsewhere never silently drops it (the check before saving names it)."""
        current = self.ersatter.currentData()
        self.ersatter.blockSignals(True)
        self.ersatter.clear()
        self.ersatter.addItem(NO_ONE, None)
        for name in names:
            self.ersatter.addItem(name, name)
        if current and current not in names:
            self.ersatter.addItem(current, current)
        self.ersatter.setCurrentIndex(max(0, self.ersatter.findData(current)) if current else 0)
        self.ersatter.blockSignals(False)

    def _tjanstgor_toggled(self, checked: bool) -> None:
        if checked and self.forhinder.isChecked():
            self.forhinder.setChecked(False)
        self._on_change()

    def _forhinder_toggled(self, checked: bool) -> None:
        if checked and self.tjanstgor.isChecked():
            self.tjanstgor.setChecked(False)
        self._on_change()

    def _ersatter_changed(self, _index: int) -> None:
        if self.ersatter.currentData() and not self.tjanstgor.isChecked():
            self.tjanstgor.setChecked(True)
        self._on_change()

    def _roll_changed(self, _index: int) -> None:
        self._apply_role()
        self._on_change()

    def _apply_role(self) -> None:
        """A tjänsteperson neither serves nor has förhinder; only an ersättare replaces someone."""
        roll = self.roll.currentData()
        staff = roll == "tjansteperson"
        if staff:
            for box in (self.tjanstgor, self.forhinder):
                box.setChecked(False)
        if roll != "ersattare" and self.ersatter.currentData():
            self.ersatter.setCurrentIndex(0)
        self.tjanstgor.setEnabled(not staff)
        self.forhinder.setEnabled(not staff)
        self.ersatter.setEnabled(roll == "ersattare")
        self.parti.setEnabled(not staff)


def summary(rows: list[dict]) -> str:
    beslutande = [r for r in rows if not r["forhinder"] and (r["tjanstgor"] or r["roll"] == "ordforande")]
    substitutes = sum(1 for r in beslutande if r["roll"] == "ersattare")
    present = sum(1 for r in rows if r["roll"] == "ersattare" and not r["tjanstgor"] and not r["forhinder"])
    staff = sum(1 for r in rows if r["roll"] == "tjansteperson")
    absent = sum(1 for r in rows if r["forhinder"])
    parts = [f"Beslutande: {len(beslutande)}" + (f" (varav {count_text(substitutes, 'tjänstgörande ersättare', 'tjänstgörande ersättare')})"
                                                  if substitutes else ""),
             f"närvarande ersättare: {present}", f"tjänstepersoner: {staff}", f"förhinder: {absent}"]
    return " · ".join(parts)


class NarvaroTab(QWidget):
    """The attendance table with its buttons. ``saved`` is emitted after the store took the list."""

    saved = Signal()
    edited = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.meeting: dict | None = None
        self.locked = False
        self.rows: list[NarvaroRow] = []
        self._saved: list[dict] = []
        self._choices: list[str] | None = None
        self._building = False

        intro = muted("Hämta ledamöter och ersättare från ledamotslistan och markera sedan förhinder och vilka "
                      "ersättare som tjänstgör. Från § och Till § anger den som kom eller gick under sammanträdet.")
        self.fill_button = QPushButton("Hämta från ledamotslistan")
        self.fill_button.setToolTip("Organets ordförande, ledamöter och ersättare på sammanträdesdagen")
        self.fill_button.clicked.connect(self.fill_from_roster)
        self.add_button = QPushButton("Lägg till ledamot eller ersättare")
        self.add_button.clicked.connect(self.add_person)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Närvaro")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.empty_label = muted("Närvarolistan är tom. Börja med Hämta från ledamotslistan.")
        self.roster_note = note_label(WARNING_STYLE, "Om ledamotslistan")

        self.staff_namn = QLineEdit()
        self.staff_namn.setPlaceholderText("Namn")
        self.staff_namn.setAccessibleName("Tjänstepersonens namn")
        self.staff_titel = QLineEdit()
        self.staff_titel.setPlaceholderText("Titel, t.ex. Förvaltningschef")
        self.staff_titel.setAccessibleName("Tjänstepersonens titel")
        self.staff_button = QPushButton("Lägg till tjänsteperson")
        self.staff_button.clicked.connect(self.add_staff_from_form)
        self.staff_namn.returnPressed.connect(self.add_staff_from_form)
        self.staff_titel.returnPressed.connect(self.add_staff_from_form)
        self._titles: dict[str, str] = {}
        self.staff_completer = QCompleter(QStringListModel(self), self)
        self.staff_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.staff_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.staff_completer.activated.connect(self._staff_chosen)
        self.staff_namn.setCompleter(self.staff_completer)

        self.summary_label = muted()
        self.problem = problem_label()
        self.state_label = muted()
        self.state_label.setWordWrap(False)
        self.save_button = QPushButton("Spara närvaron")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("Ångra ändringarna")
        self.undo_button.clicked.connect(self.discard)
        self._build_layout(intro)

    def _build_layout(self, intro: QLabel) -> None:
        self.intro = intro
        self.staff_label = bold(QLabel("Övriga närvarande:"))
        top = QHBoxLayout()
        top.addWidget(self.fill_button)
        top.addWidget(self.add_button)
        top.addStretch(1)
        staff = QHBoxLayout()
        staff.addWidget(self.staff_label)
        staff.addWidget(self.staff_namn, 3)
        staff.addWidget(self.staff_titel, 3)
        staff.addWidget(self.staff_button)
        staff.addStretch(2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.state_label)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.roster_note)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(staff)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):
            # the title stretches: names must never be cut, a long title can be read in its field
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == TITEL
                                        else QHeaderView.ResizeMode.Interactive)
        self._fit_name_column()
        widths = {PARTI: 60, ROLL: 140, TJANSTGOR: 82, FORHINDER: 82, ERSATTER: 160, FRAN: 70, TILL: 70, FLYTTA: 118}
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def _fit_name_column(self) -> None:
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(row.namn.text()) for row in self.rows), default=0)
        self.table.setColumnWidth(NAMN, max(170, longest + 28))

    # --- showing ----------------------------------------------------------------------------------------------

    def load(self, meeting: dict, protokoll: dict | None, locked: bool) -> None:
        """Show the stored attendance (what was typed and not saved is replaced: call after a save or a discard)."""
        same_meeting = self.meeting is not None and self.meeting["id"] == meeting["id"]
        self.meeting = meeting
        saved = [self._normalised(n) for n in (protokoll or {}).get("narvaro", [])]
        if not (same_meeting and saved == self._saved and self.values() == saved):
            self._saved = saved
            self._set_rows(saved)
            self._load_staff_names()
        if not same_meeting:
            show_note(self.roster_note, "")
        show_note(self.problem, "")
        self.set_locked(locked, force=True)

    def set_locked(self, locked: bool, force: bool = False) -> None:
        """Every input read-only (justerat) or editable; done only when the state changes, since it touches
        every widget of the table."""
        if force or locked != self.locked:
            self.locked = locked
            lock_widgets(self, locked)
            if not locked:
                for row in self.rows:
                    row._apply_role()
                self._enable_moves()
            show_when_editable((self.intro, self.fill_button, self.add_button, self.staff_label, self.staff_namn,
                                self.staff_titel, self.staff_button, self.save_button, self.undo_button), locked)
            self.table.setColumnHidden(FLYTTA, locked)
        self._refresh()

    @staticmethod
    def _normalised(n: dict) -> dict:
        return {k: n.get(k) for k in ("person_id", "namn", "roll", "parti", "titel", "tjanstgor", "ersatter",
                                      "forhinder", "fran_paragraf", "till_paragraf")}

    def _load_staff_names(self) -> None:
        try:
            staff = self.store.tjanstepersoner()
        except Exception:  # noqa: BLE001 — the suggestions are a convenience; typing still works
            staff = []
        self._titles = {p["namn"]: p.get("titel") or "" for p in staff}
        self.staff_completer.model().setStringList(sorted(self._titles))

    def _set_rows(self, values: list[dict]) -> None:
        self._building = True
        self.table.setRowCount(0)
        self.rows = []
        for value in values:
            self._append(value)
        self._building = False
        self._choices = None
        self._update_choices()
        self._enable_moves()
        self._fit_name_column()
        if self.locked:
            lock_widgets(self.table, True)

    def _enable_moves(self) -> None:
        for nr, row in enumerate(self.rows):
            row.up.setEnabled(not self.locked and nr > 0)
            row.down.setEnabled(not self.locked and nr < len(self.rows) - 1)

    def _append(self, value: dict) -> NarvaroRow:
        row = NarvaroRow(value, self._on_change)
        index = self.table.rowCount()
        self.table.insertRow(index)
        cells = {NAMN: row.namn, PARTI: row.parti, TITEL: row.titel, ROLL: row.roll,
                 TJANSTGOR: _centered(row.tjanstgor), FORHINDER: _centered(row.forhinder), ERSATTER: row.ersatter,
                 FRAN: row.fran, TILL: row.till}
        for column, widget in cells.items():
            self.table.setCellWidget(index, column, widget)
        buttons = QWidget()
        button_layout = QHBoxLayout(buttons)
        button_layout.setContentsMargins(2, 0, 2, 0)
        button_layout.setSpacing(2)
        for button in (row.up, row.down, row.remove):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button_layout.addWidget(button)
        self.table.setCellWidget(index, FLYTTA, buttons)
        needed = buttons.sizeHint().width() + CELL_PADDING   # ↑ ↓ Ta bort whole, never "Ta…rt"
        if self.table.columnWidth(FLYTTA) < needed:
            self.table.setColumnWidth(FLYTTA, needed)
        row.up.clicked.connect(lambda: self.move_row(self.rows.index(row), -1))
        row.down.clicked.connect(lambda: self.move_row(self.rows.index(row), 1))
        row.remove.clicked.connect(lambda: self.remove_row(self.rows.index(row)))
        self.table.setRowHeight(index, max(row.roll.sizeHint().height(), row.fran.sizeHint().height()) + 6)
        self.rows.append(row)
        return row

    def values(self) -> list[dict]:
        return [row.value() for row in self.rows]

    def has_unsaved_changes(self) -> bool:
        return self.values() != self._saved

    def _on_change(self) -> None:
        if self._building:
            return
        values = self.values()
        self._update_choices(values)
        self._refresh(values)
        self.edited.emit()

    def _update_choices(self, values: list[dict] | None = None) -> None:
        """Each ersättare can replace a ledamot with förhinder or one who leaves during the meeting."""
        values = self.values() if values is None else values
        names = [v["namn"] for v in values if v["roll"] in operations.SEATED and v["namn"]
                 and (v["forhinder"] or v["till_paragraf"])]
        if names == self._choices:
            return
        self._choices = names
        self._building = True
        for row in self.rows:
            row.set_ersatter_choices(names)
        self._building = False

    def _refresh(self, values: list[dict] | None = None) -> None:
        """The summary, the saved state and the buttons that depend on it."""
        values = self.values() if values is None else values
        self.empty_label.setVisible(not self.rows)
        self.summary_label.setText(summary(values) if values else "")
        dirty = values != self._saved
        if self.locked:
            state = LOCKED_STATE
        else:
            state = "Ändrad – inte sparad" if dirty else ("Sparad" if self._saved else "")
        self.state_label.setText(state)
        self.save_button.setEnabled(dirty and not self.locked)
        self.undo_button.setEnabled(dirty and not self.locked)

    # --- editing --------------------------------------------------------------------------------------------

    def fill_from_roster(self) -> bool:
        """Replace the ledamöter and ersättare with the organ's roster on the meeting day, each with their role
        (``operations.attendance_from_roster``; when the mandate period in the roster ended before the meeting, the
        last period, with a warning shown above the table); tjänstepersoner stay."""
        if self.meeting is None:
            return False
        try:
            found = operations.attendance_from_roster(self.store, self.meeting["id"])
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return False
        if not found.rows:
            self.dialogs.info(self, (
                f"{self.meeting['organ']} har inga ledamöter eller ersättare registrerade den {self.meeting['datum']}. "
                "Lägg in dem under Personer och mottagare och försök igen."))
            return False
        current = self.values()
        politicians = [v for v in current if v["roll"] != "tjansteperson"]
        if politicians and not self.dialogs.confirm(
                self, "Närvarolistan har redan ledamöter och ersättare. Ersätta dem med ledamotslistan? "
                      "Förhinder och tjänstgöring får då markeras på nytt. Tjänstepersonerna finns kvar.",
                yes="Ersätt med ledamotslistan"):
            return False
        self._set_rows(found.rows + [v for v in current if v["roll"] == "tjansteperson"])
        show_note(self.roster_note, found.warning or "")
        self._on_change()
        return True

    def add_person(self) -> NarvaroRow:
        row = self._append({"roll": "ledamot", "tjanstgor": 1})
        self._on_change()
        row.namn.setFocus()
        return row

    def add_staff(self, namn: str, titel: str | None) -> bool:
        namn = namn.strip()
        if not namn:
            show_note(self.problem, "Skriv tjänstepersonens namn.")
            self.staff_namn.setFocus()
            return False
        self._append({"namn": namn, "titel": (titel or "").strip() or None, "roll": "tjansteperson"})
        show_note(self.problem, "")
        self._on_change()
        return True

    def add_staff_from_form(self) -> bool:
        if self.add_staff(self.staff_namn.text(), self.staff_titel.text()):
            self.staff_namn.clear()
            self.staff_titel.clear()
            return True
        return False

    def _staff_chosen(self, name: str) -> None:
        if not self.staff_titel.text().strip():
            self.staff_titel.setText(self._titles.get(name, ""))

    def move_row(self, index: int, delta: int) -> None:
        values = self.values()
        target = index + delta
        if not (0 <= index < len(values) and 0 <= target < len(values)):
            return
        values.insert(target, values.pop(index))
        self._set_rows(values)
        self._on_change()

    def remove_row(self, index: int) -> None:
        values = self.values()
        del values[index]
        self._set_rows(values)
        self._on_change()

    def row_of(self, namn: str) -> NarvaroRow:
        return next(row for row in self.rows if row.namn.text().strip() == namn)

    # --- saving ---------------------------------------------------------------------------------------------

    def save(self) -> tasks.Task | None:
        """Hand the list to the runner (the operation checks it); its task. On a refusal everything typed
        stays."""
        if self.meeting is None:
            return None
        values = self.values()
        return tasks.run(self, self.store, operations.save_narvaro, self.meeting["id"], values,
                         done=lambda _none: self._stored(values), failed=lambda error: self._refused(error_text(error)))

    def _stored(self, values: list[dict]) -> None:
        show_note(self.problem, "")
        self._saved = values
        self._refresh()
        self.saved.emit()

    def _refused(self, message: str) -> None:
        show_note(self.problem, message)
        self.dialogs.error(self, message)

    def discard(self) -> None:
        self._set_rows(self._saved)
        show_note(self.problem, "")
        self._refresh()
        self.edited.emit()
