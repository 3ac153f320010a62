"""The parts of a § in the protokoll editor: yrkanden, reservationer and protokollsanteckningar, the vote, jäv
and the recipients of the decision with their confirmed addresses."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from nämndtool.ui.common.form_fields import SECRET_STYLE, GrowingTextEdit
from nämndtool.ui.common.row_lists import RowContent
from nämndtool.ui.protokoll.common import bold, split_names
from nämndtool.ui.common.widgets import muted

VOTES = (("", "–"), ("ja", "Ja"), ("nej", "Nej"), ("avstar", "Avstår"))
NO_COUNT = -1


class YrkandeRow(RowContent):
    """Who proposed, and what."""

    def __init__(self, names: list[str], parent=None):
        super().__init__(parent)
        self.av = QComboBox()
        self.av.setEditable(True)
        self.av.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.av.setAccessibleName("Yrkandet framställs av")
        self.av.lineEdit().setPlaceholderText("Vem yrkar, t.ex. Anders Gölevik (C)")
        self.av.setMinimumContentsLength(22)
        self.set_names(names)
        self.av.setCurrentText("")
        self.text = GrowingTextEdit(min_lines=2)
        self.text.setAccessibleName("Yrkandet")
        self.text.setPlaceholderText("Vad yrkas, t.ex. bifall till förvaltningens förslag")
        self.av.currentTextChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.av, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)

    def set_names(self, names: list[str]) -> None:
        current = self.av.currentText()
        self.av.blockSignals(True)
        self.av.clear()
        self.av.addItems(names)
        self.av.setCurrentText(current)
        self.av.blockSignals(False)

    def value(self) -> dict:
        return {"av": self.av.currentText().strip(), "text": self.text.toPlainText().strip()}

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        self.av.setCurrentText(value.get("av") or "")
        self.text.setPlainText(value.get("text") or "")

    def focus(self) -> None:
        self.av.setFocus()


class NoteRow(RowContent):
    """A reservation or protokollsanteckning: one or more names, ticked among those who took part (or typed), and a
    text."""

    def __init__(self, kind: str, names: list[str] | None = None, parent=None):
        super().__init__(parent)
        self.av = NamePicker(f"{kind} av", others_name=f"{kind} av, andra",
                             others_placeholder="Andra namn, åtskilda med kommatecken",
                             empty_text="Fyll i närvaron först; då kan du kryssa för vem det gäller.")
        self.av.set_people(names or [], [])
        self.text = GrowingTextEdit(min_lines=2)
        self.text.setAccessibleName(f"{kind}ns text")
        self.text.setPlaceholderText("Text (kan lämnas tom)" if kind == "Reservation" else "Anteckningens text")
        self.av.changed.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.av)
        layout.addWidget(self.text)

    def set_names(self, names: list[str]) -> None:
        """Those who can be ticked; the names chosen stay (a name no longer among them moves to "andra")."""
        self.av.set_people(names)

    def value(self) -> dict:
        return {"av": self.av.names(), "text": self.text.toPlainText().strip() or None}

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        self.av.set_names(list(value.get("av") or []))
        self.text.setPlainText(value.get("text") or "")

    def focus(self) -> None:
        self.av.focus()


CLAIMED_BY_IMPORT = "Uppgiven som bekräftad i importfilen – inte kontrollerad"
"""An import file said the address was confirmed: a claim, which no person here has checked."""


class MottagareRow(RowContent):
    """A recipient of the decision. "Adress bekräftad" is asked of the handläggare; for a secret § the postal
    address stands out, because a wrongly addressed secret decision discloses what the secrecy protects. A
    confirmation that only came in an import file is shown as such and counts for nothing until a person confirms."""

    confirm_toggled = Signal(object, bool)
    """(this row, checked) when the user ticks or unticks "Adress bekräftad"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._value: dict = {}
        self._secret = False
        self._locked = False
        self.namn = bold(QLabel())
        self.namn.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirmed = QCheckBox("Adress bekräftad")
        self.confirmed.setAccessibleName("Adress bekräftad")
        self.confirmed.toggled.connect(lambda checked: self.confirm_toggled.emit(self, checked))
        self.who = muted()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.namn)
        line.addStretch(1)
        line.addWidget(self.confirmed)
        line.addWidget(self.who)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.address)

    def value(self) -> dict:
        return dict(self._value)

    def set_value(self, value: dict) -> None:
        self._value = {k: value.get(k) for k in ("mottagare_id", "namn", "adress", "epost", "adress_bekraftad",
                                                  "bekraftad_av", "bekraftad_datum", "bekraftad_enligt_import")}
        self._value["adress_bekraftad"] = int(bool(self._value["adress_bekraftad"]))
        self._value["bekraftad_enligt_import"] = int(bool(self._value["bekraftad_enligt_import"]))
        self._show()

    def set_secret(self, secret: bool) -> None:
        self._secret = secret
        self._show()

    def set_confirmed(self, confirmed: bool, by: str | None = None, on: str | None = None) -> None:
        self._value.update(adress_bekraftad=int(confirmed), bekraftad_av=by if confirmed else None,
                           bekraftad_datum=on if confirmed else None)
        self._show()

    def has_address(self) -> bool:
        return bool((self._value.get("adress") or "").strip())

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self.apply_address_rule()

    def apply_address_rule(self) -> None:
        """"Adress bekräftad" can be ticked only when there is a postal address to confirm (and the protokoll is
        not justerat); a confirmation already recorded can be withdrawn."""
        can = not self._locked and (self.has_address() or bool(self._value.get("adress_bekraftad")))
        self.confirmed.setEnabled(can)
        self.confirmed.setToolTip("" if self.has_address() else
                                  "Det finns ingen postadress att bekräfta. Lägg in adressen i adressboken "
                                  "(Personer och mottagare) och välj mottagaren på nytt.")

    def _show(self) -> None:
        v = self._value
        self.namn.setText(v.get("namn") or "")
        adress, epost = v.get("adress"), v.get("epost")
        if self._secret:
            # a valid address is information, shown plainly; only a missing one is a problem
            self.address.setText(f"Postadress: {adress}" if adress else
                                 "Postadress saknas – lägg in den i adressboken (Personer och mottagare).")
            self.address.setStyleSheet("" if adress else SECRET_STYLE)
        else:
            parts = [p for p in (adress, epost) if p]
            self.address.setText(" · ".join(parts) if parts else "Ingen adress eller e-post i adressboken")
            self.address.setStyleSheet("")
        self.confirmed.blockSignals(True)
        self.confirmed.setChecked(bool(v.get("adress_bekraftad")))
        self.confirmed.blockSignals(False)
        self.apply_address_rule()
        self.who.setStyleSheet("")
        if v.get("adress_bekraftad") and v.get("bekraftad_av"):
            self.who.setText(f"av {v['bekraftad_av']} {v.get('bekraftad_datum') or ''}".strip())
        elif v.get("bekraftad_enligt_import"):
            self.who.setText(CLAIMED_BY_IMPORT + (". Bekräftelse krävs före utdrag." if self._secret else ""))
            if self._secret:
                self.who.setStyleSheet(SECRET_STYLE)
        elif self._secret:
            self.who.setText("krävs före utdrag")
        else:
            self.who.setText("")
        self.who.setToolTip(
            "Importfilen säger att adressen är bekräftad, men ingen här har kontrollerat den. Ett utdrag ur en "
            "paragraf med sekretess skapas först när en person har bekräftat adressen."
            if v.get("bekraftad_enligt_import") and not v.get("adress_bekraftad") else "")
        self.setAccessibleName(f"Mottagare {v.get('namn') or ''}")

    def focus(self) -> None:
        self.confirmed.setFocus()


class NamePicker(QWidget):
    """Names picked by ticking a box per person (those present, in the order of the närvaro) and, for anyone else,
    typed in a line below. No completion popup: a click always lands where it is aimed."""

    changed = Signal()

    def __init__(self, accessible_name: str, *, others_name: str, others_placeholder: str, empty_text: str,
                 columns: int = 3, parent=None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.columns = columns
        self.boxes: dict[str, QCheckBox] = {}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        self.others = QLineEdit()
        self.others.setAccessibleName(others_name)
        self.others.setPlaceholderText(others_placeholder)
        self.others.textChanged.connect(self.changed)
        self.empty = muted(empty_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addLayout(self.grid)
        layout.addWidget(self.others)

    def set_people(self, names: list[str], checked: list[str] | None = None) -> None:
        """The people to choose among; the checked names are kept (those not among them go to "andra")."""
        keep = self.names() if checked is None else checked
        for box in self.boxes.values():
            self.grid.removeWidget(box)
            box.setParent(None)
            box.deleteLater()
        self.boxes = {}
        for index, name in enumerate(dict.fromkeys(names)):
            box = QCheckBox(name)
            box.setChecked(name in keep)
            box.toggled.connect(lambda _c: self.changed.emit())
            self.boxes[name] = box
            self.grid.addWidget(box, index // self.columns, index % self.columns)
        self.others.blockSignals(True)
        self.others.setText(", ".join(n for n in keep if n not in self.boxes))
        self.others.blockSignals(False)
        self.empty.setVisible(not names)

    def names(self) -> list[str]:
        chosen = [name for name, box in self.boxes.items() if box.isChecked()]
        return chosen + [n for n in split_names(self.others.text()) if n not in chosen]

    def set_names(self, names: list[str]) -> None:
        self.set_people(list(self.boxes), names)

    def focus(self) -> None:
        (next(iter(self.boxes.values())) if self.boxes else self.others).setFocus()


class JavBox(NamePicker):
    """Who declared jäv in this §: a box per person present, and any other names typed below."""

    def __init__(self, parent=None):
        super().__init__("Jäv", others_name="Andra jäviga", others_placeholder="Andra jäviga, åtskilda med kommatecken",
                         empty_text="Fyll i närvaron först; då kan du kryssa för den som anmäler jäv.", parent=parent)


def _count_box(name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_COUNT, 999)
    box.setSpecialValueText("–")
    box.setValue(NO_COUNT)
    box.setAccessibleName(name)
    box.setToolTip("– när ingen siffra ska stå i protokollet")
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("999") + 48)
    return box


class VotesBox(QWidget):
    """The omröstning: what ja and nej stood for (the voteringsproposition), counts (ja, nej, avstår), the votes
    per person, and the result."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ja, self.nej, self.avstar = _count_box("Ja-röster"), _count_box("Nej-röster"), _count_box("Avstår")
        self.proposition_ja = QLineEdit()
        self.proposition_ja.setAccessibleName("Ja-röst för")
        self.proposition_ja.setPlaceholderText("t.ex. bifall till ordförandens förslag")
        self.proposition_nej = QLineEdit()
        self.proposition_nej.setAccessibleName("Nej-röst för")
        self.proposition_nej.setPlaceholderText("t.ex. bifall till Anders Göleviks (C) yrkande")
        self.resultat = QLineEdit()
        self.resultat.setAccessibleName("Omröstningens resultat")
        self.resultat.setPlaceholderText("t.ex. Nämnden har beslutat enligt ordförandens förslag")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(("Ledamot", "Röst"))
        self.table.setAccessibleName("Röster per ledamot")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fetch_button = QPushButton("Röster per ledamot")
        self.fetch_button.setToolTip("Lista de beslutande vid paragrafen (utan jäviga) för att ange var och ens röst")
        self.sum_button = QPushButton("Räkna ihop rösterna")
        self.sum_button.setToolTip("För över antalet ja, nej och avstår från rösterna per ledamot")
        self.sum_button.clicked.connect(self.sum_votes)
        self.clear_button = QPushButton("Ingen omröstning")
        self.clear_button.setToolTip("Töm proposition, siffror, röster och resultat")
        self.clear_button.clicked.connect(self.clear)
        self.tally = muted()
        self.combos: dict[str, QComboBox] = {}

        for widget in (self.ja, self.nej, self.avstar):
            widget.valueChanged.connect(lambda _v: self._on_change())
        for edit in (self.resultat, self.proposition_ja, self.proposition_nej):
            edit.textChanged.connect(lambda _t: self._on_change())

        counts = QHBoxLayout()
        for label, box in (("Ja", self.ja), ("Nej", self.nej), ("Avstår", self.avstar)):
            counts.addWidget(QLabel(label))
            counts.addWidget(box)
            counts.addSpacing(10)
        counts.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.fetch_button, self.sum_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        texts = QFormLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.addRow("Ja-röst för", self.proposition_ja)
        texts.addRow("Nej-röst för", self.proposition_nej)
        texts.addRow("Resultat", self.resultat)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(texts)
        layout.addLayout(counts)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.tally)
        self._fit_table()

    # --- values ------------------------------------------------------------------------------------------

    @staticmethod
    def _count(box: QSpinBox) -> int | None:
        return None if box.value() == NO_COUNT else box.value()

    def fields(self) -> dict:
        return {"votering_ja": self._count(self.ja), "votering_nej": self._count(self.nej),
                "votering_avstar": self._count(self.avstar),
                "votering_resultat": self.resultat.text().strip() or None,
                "proposition_ja": self.proposition_ja.text().strip() or None,
                "proposition_nej": self.proposition_nej.text().strip() or None}

    def roster(self) -> list[dict]:
        return [{"namn": name, "rost": combo.currentData()} for name, combo in self.combos.items()
                if combo.currentData()]

    def set_values(self, p: dict) -> None:
        for box, key in ((self.ja, "votering_ja"), (self.nej, "votering_nej"), (self.avstar, "votering_avstar")):
            box.blockSignals(True)
            box.setValue(NO_COUNT if p.get(key) is None else p[key])
            box.blockSignals(False)
        for edit, key in ((self.resultat, "votering_resultat"), (self.proposition_ja, "proposition_ja"),
                          (self.proposition_nej, "proposition_nej")):
            edit.blockSignals(True)
            edit.setText(p.get(key) or "")
            edit.blockSignals(False)
        self.combos = {}   # another §: none of the votes shown belong to it
        self.set_voters([r["namn"] for r in p.get("roster") or []], {r["namn"]: r["rost"] for r in p.get("roster") or []})

    def set_voters(self, names: list[str], votes: dict[str, str] | None = None) -> None:
        """One row per voter; votes already given are kept (also for names not in ``names``)."""
        votes = {**self._votes(), **(votes or {})}
        names = list(dict.fromkeys([*names, *(n for n in votes if n not in names)]))
        self.table.setRowCount(0)
        self.combos = {}
        for row, name in enumerate(names):
            self.table.insertRow(row)
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Röst för {name}")
            for key, label in VOTES:
                combo.addItem(label, key or None)
            combo.setCurrentIndex(max(0, combo.findData(votes.get(name))) if votes.get(name) else 0)
            combo.currentIndexChanged.connect(lambda _i: self._on_change())
            self.combos[name] = combo
            self.table.setCellWidget(row, 1, combo)
            self.table.setRowHeight(row, combo.sizeHint().height() + 4)
        self._fit_table()
        self._on_change()

    def _votes(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def set_vote(self, name: str, vote: str | None) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(max(0, combo.findData(vote)) if vote else 0)

    def sum_votes(self) -> None:
        votes = list(self._votes().values())
        for box, key in ((self.ja, "ja"), (self.nej, "nej"), (self.avstar, "avstar")):
            box.setValue(votes.count(key))

    def clear(self) -> None:
        for box in (self.ja, self.nej, self.avstar):
            box.setValue(NO_COUNT)
        for edit in (self.resultat, self.proposition_ja, self.proposition_nej):
            edit.clear()
        self.table.setRowCount(0)
        self.combos = {}
        self._fit_table()
        self._on_change()

    def _fit_table(self) -> None:
        rows = self.table.rowCount()
        self.table.setVisible(rows > 0)
        height = sum(self.table.rowHeight(r) for r in range(rows)) + self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

    def _on_change(self) -> None:
        votes = list(self._votes().values())
        if votes:
            self.tally.setText(f"Rösterna per ledamot: {votes.count('ja')} ja, {votes.count('nej')} nej, "
                               f"{votes.count('avstar')} avstår.")
        else:
            self.tally.setText("")
        self.tally.setVisible(bool(votes))
        self.sum_button.setEnabled(bool(votes))
        self.changed.emit()
