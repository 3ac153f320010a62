"""The editor of one § of the protokoll: decision, yrkanden, propositionsordning, omröstning, reservationer and
protokollsanteckningar, jäv, omedelbar justering and "Beslutet skickas till" with confirmed addresses.

Nothing is written while typing: "Spara paragrafen" (or leaving the §) writes it with the operation
``nämndtool.operations.protokoll.save_paragraf`` on the app's runner. Confirming a recipient's address is the
exception: it is recorded at once with who and when (``operations.secrecy.confirm_recipient_address``), since an
utdrag of a secret § depends on it. A confirmation that came in an import
file is only a claim and is shown as one; it never stands in for a person's confirmation.

The § has no secrecy of its own: it shows its ärende's (or its stand-alone item's). The lagrum can be filled in
here while none is recorded (it goes to the source); once recorded it is changed where the secrecy lives.
"""

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from nämndtool.operations import protokoll as operations
from nämndtool.operations import secrecy
from nämndtool.store.connection import current_user
from nämndtool.ui.common import changes, tasks
from nämndtool.ui.common.form_fields import GrowingTextEdit, secret_badge, section_heading
from nämndtool.ui.common.row_lists import RowList, TextRow
from nämndtool.ui.protokoll.common import (
    LOCKED_STATE,
    PROBLEM_COLOUR, WARNING_STYLE, bold, lock_widgets, note_label, person_name, present_at, problem_label,
    row_buttons, serving_at, show_note, show_when_editable, user_name,
)
from nämndtool.ui.protokoll.paragraf_parts import JavBox, MottagareRow, NamePicker, NoteRow, VotesBox, YrkandeRow
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.choices import MERGED_NOTE, merged_into, recipient_choice
from nämndtool.ui.common.recipient_dialog import RecipientDialog, open_dialog
from nämndtool.ui.common.widgets import muted


def _hint(text: str) -> QLabel:
    label = muted(text)
    label.setContentsMargins(0, 0, 0, 2)
    return label


def _content(paragraf: dict | None) -> dict | None:
    """A stored § without what the list adds to it (the lines of the KL check)."""
    return None if paragraf is None else {k: v for k, v in paragraf.items() if k != "saknas"}


class ParagrafEditor(QWidget):
    """One § at a time. ``saved`` is emitted after a write to the store."""

    saved = Signal()
    edited = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.paragraf: dict | None = None
        self.meeting: dict | None = None
        """The meeting of the § (set by the list): its organ and nämnd give the standard texts."""
        self.narvaro: list[dict] = []
        self.header_justerare: list[str] = []
        """The protokoll's justerare as stored: what the picker of Val av justerare shows."""
        self.locked = False
        self._snapshot: dict | None = None
        self._loading = False
        self._book: list[dict] = []
        self._build()

    # --- building ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = bold(QLabel(), 1.3)
        self.title.setWordWrap(True)
        self.badge = secret_badge()
        self.meta = muted()
        self.rubrik = QLineEdit()
        self.rubrik.setAccessibleName("Paragrafens rubrik")
        self.lagrum = QLineEdit()
        self.lagrum.setAccessibleName("Sekretessgrund")
        self.lagrum.setPlaceholderText("t.ex. 26 kap. 1 § OSL")
        self.omedelbar = QCheckBox("Paragrafen justeras omedelbart")
        self.omedelbar.setToolTip("Beslutet justeras vid sammanträdet och anslås för sig")
        self.check_note = note_label(WARNING_STYLE, "Saknas i paragrafen")
        self.beslut = RowList(lambda: TextRow("Beslutspunkt", "Beslutstext"), add_text="Lägg till beslutspunkt",
                              empty_text="Inget beslut skrivet ännu.", numbered=True)
        self.beslut_hint = _hint("")
        self.beslut_hint.setWordWrap(True)
        self.standard_button = QPushButton("Använd standardtexten")
        self.standard_button.setToolTip("Lägger in nämndens standardtext för punkten som beslut")
        self.standard_button.clicked.connect(self.use_standard_text)
        self.justerare = NamePicker("Justerare", others_name="Andra justerare",
                                    others_placeholder="Andra justerare, åtskilda med kommatecken",
                                    empty_text="Fyll i närvaron först; då kan du kryssa för de justerare som "
                                               "sammanträdet utser.")
        self.justerare.changed.connect(self._justerare_changed)
        self._justerare_shown: list[str] = []
        self.yrkanden = RowList(lambda: YrkandeRow(self._speaker_names()), add_text="Lägg till yrkande",
                                empty_text="Inga yrkanden.")
        self.proposition = GrowingTextEdit(min_lines=2)
        self.proposition.setAccessibleName("Propositionsordning")
        self.proposition.setPlaceholderText(
            "t.ex. Ordföranden ställer proposition på yrkandena och finner att nämnden beslutar enligt …")
        self.votes = VotesBox()
        self.votes.fetch_button.clicked.connect(self.fetch_voters)
        self.reservationer = RowList(lambda: NoteRow("Reservation", self._voter_names()),
                                     add_text="Lägg till reservation", empty_text="Inga reservationer.")
        self.anteckningar = RowList(lambda: NoteRow("Protokollsanteckning", self._speaker_names()),
                                    add_text="Lägg till protokollsanteckning", empty_text="Inga protokollsanteckningar.")
        self.jav = JavBox()
        self.mottagare = RowList(self._new_recipient_row, add_text=None, empty_text="Inga mottagare.")
        self.secret_hint = note_label(WARNING_STYLE, "Sekretess och adresser")
        self.book = QComboBox()
        self.book.setEditable(True)
        self.book.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.book.setAccessibleName("Välj mottagare ur adressboken")
        self.book.lineEdit().setPlaceholderText("Sök i adressboken …")
        self.book.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.book.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.book.setMinimumContentsLength(34)
        self.add_recipient_button = QPushButton("Lägg till mottagare")
        self.add_recipient_button.clicked.connect(self.add_chosen_recipient)
        self.new_recipient_button = QPushButton("Ny mottagare…")
        self.new_recipient_button.setToolTip("Lägg in en ny mottagare i adressboken och lägg till den här")
        self.new_recipient_button.clicked.connect(self.open_new_recipient)
        self.recipient_dialog: RecipientDialog | None = None
        changes.follow(self, changes.RECIPIENT_TOPICS, self._people_changed, self.store)   # saved or merged anywhere
        self.berord = QLineEdit()
        self.berord.setAccessibleName("Ärendet gäller")
        self.berord.setPlaceholderText("Vem beslutet gäller, t.ex. Barn född 2015 (står på försättsbladet)")
        self.skickas_av = QLineEdit()
        self.skickas_av.setAccessibleName("Skickas av")
        self.skickas_av.setPlaceholderText("Lämna tomt när nämndsekreteraren skickar utdragen")
        self.problem = problem_label()
        self.state = muted()
        self.state.setWordWrap(False)
        self.save_button = QPushButton("Spara paragrafen")
        self.save_button.clicked.connect(lambda: self.save())   # not save(checked): clicked passes a bool
        self.undo_button = QPushButton("Ångra ändringarna")
        self.undo_button.clicked.connect(self.discard)

        for signal in (self.rubrik.textChanged, self.lagrum.textChanged, self.omedelbar.toggled,
                       self.beslut.changed, self.yrkanden.changed, self.proposition.textChanged, self.votes.changed,
                       self.reservationer.changed, self.anteckningar.changed, self.jav.changed,
                       self.mottagare.changed, self.berord.textChanged, self.skickas_av.textChanged):
            signal.connect(self._on_change)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Rubrik", self.rubrik)
        form.addRow("Sekretessgrund", self.lagrum)
        self._lagrum_row = form
        add = QHBoxLayout()
        add.addWidget(self.book, 1)
        add.addWidget(self.add_recipient_button)
        add.addWidget(self.new_recipient_button)
        sending = QFormLayout()
        sending.setContentsMargins(0, 0, 0, 0)
        sending.addRow("Ärendet gäller", self.berord)
        sending.addRow("Skickas av", self.skickas_av)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.meta)
        layout.addWidget(self.problem)
        layout.addWidget(self.check_note)
        layout.addLayout(form)
        layout.addWidget(self.omedelbar)
        self.justerare_heading = section_heading("Justerare som utses")
        layout.addWidget(self.justerare_heading)
        layout.addWidget(self.justerare)
        layout.addWidget(section_heading("Beslut"))
        hint = QHBoxLayout()
        hint.addWidget(self.beslut_hint, 1)
        hint.addWidget(self.standard_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(hint)
        layout.addWidget(self.beslut)
        layout.addWidget(section_heading("Yrkanden"))
        layout.addWidget(self.yrkanden)
        layout.addWidget(section_heading("Propositionsordning"))
        layout.addWidget(self.proposition)
        layout.addWidget(section_heading("Omröstning"))
        layout.addWidget(self.votes)
        layout.addWidget(section_heading("Reservationer"))
        layout.addWidget(self.reservationer)
        layout.addWidget(section_heading("Protokollsanteckningar"))
        layout.addWidget(self.anteckningar)
        layout.addWidget(section_heading("Jäv"))
        layout.addWidget(_hint("Kryssa för den som anmält jäv och inte deltog i handläggningen av paragrafen."))
        layout.addWidget(self.jav)
        layout.addWidget(section_heading("Beslutet skickas till"))
        layout.addWidget(self.secret_hint)
        layout.addWidget(self.mottagare)
        layout.addLayout(add)
        layout.addLayout(sending)
        layout.addStretch(1)

    def _new_recipient_row(self) -> MottagareRow:
        row = MottagareRow()
        row.set_secret(self.is_secret())
        row.set_locked(self.locked)
        row.confirm_toggled.connect(self.on_confirm_toggled)
        return row

    # --- showing ------------------------------------------------------------------------------------------

    def is_secret(self) -> bool:
        return bool(self.paragraf and self.paragraf["sekretess"])

    def load(self, paragraf: dict, narvaro: list[dict], locked: bool, missing: list[str],
             justerare: list[str] | None = None) -> None:
        """Show a § as stored (replacing what was typed); ``justerare``: the protokoll's, as stored."""
        justerare = self.header_justerare if justerare is None else justerare
        if (_content(self.paragraf) == _content(paragraf) and self.narvaro == narvaro and self.locked == locked
                and self.header_justerare == justerare and not self.has_unsaved_changes()):
            self.set_missing(missing)   # already showing exactly this
            return
        self._loading = True
        self.paragraf, self.narvaro, self.locked = paragraf, narvaro, locked
        self.header_justerare = list(justerare)
        p = paragraf
        secret = bool(p["sekretess"])
        self.title.setText(f"§ {p['nr']} {p['rubrik']}")
        meta = [p["diarienummer"] or "Inget ärende i diariet"]
        if p.get("dagordning_nr"):
            meta.append(f"punkt {p['dagordning_nr']} på dagordningen")
        if secret:
            meta.append("sekretess" + (f" enligt {p['sekretess_lagrum']}" if p["sekretess_lagrum"] else ""))
        self.meta.setText(" · ".join(meta))
        self.badge.setVisible(secret)
        self.rubrik.setText(p["rubrik"])
        self.lagrum.setText(p["sekretess_lagrum"] or "")
        self.lagrum.setToolTip(
            ("Sekretessen följer ärendet" if p["arende_id"] else "Sekretessen följer dagordningspunkten")
            + (": lagrumet ändras där." if p["sekretess_lagrum"] else "; lagrumet du anger sparas där."))
        self._lagrum_row.setRowVisible(self.lagrum, secret)
        self.omedelbar.setChecked(bool(p["omedelbart_justerad"]))
        self.beslut.set_values(p["beslut"])
        chooses = operations.is_val_av_justerare(p["rubrik"])
        self.justerare_heading.setVisible(chooses)
        self.justerare.setVisible(chooses)
        self.justerare.set_people(self._speaker_names(), self.header_justerare)
        self._justerare_shown = self.justerare.names()
        self.show_beslut_source()
        self.yrkanden.set_values(p["yrkanden"])
        self.proposition.setPlainText(p["propositionsordning"] or "")
        self.votes.set_values(p)
        self.reservationer.set_values(p["reservationer"])
        self.anteckningar.set_values(p["protokollsanteckningar"])
        self.jav.set_people(self._present_names(), p["jav"])
        self.mottagare.set_values(p["mottagare"])
        for row in self.mottagare.contents():
            row.set_secret(secret)
        self.berord.setText(p["berord"] or "")
        self.skickas_av.setText(p["skickas_av"] or "")
        claimed = [m["namn"] for m in p["mottagare"]
                   if m.get("bekraftad_enligt_import") and not m["adress_bekraftad"]]
        hint = ("Sekretessärende: utdraget skickas med post och bara till mottagare vars postadress handläggaren "
                "har bekräftat. Kontrollera namn och adress och kryssa i Adress bekräftad – gör det före "
                "justeringen, därefter kan paragrafen inte ändras.") if secret else ""
        if secret and claimed:
            hint += (f"\nImportfilen uppger att adressen är bekräftad för {', '.join(claimed)}. Det räknas inte "
                     "som en bekräftelse: kontrollera adressen och kryssa i själv.")
        show_note(self.secret_hint, hint)
        self._load_book()
        show_note(self.problem, "")
        self._loading = False
        self._snapshot = self.values()
        self.set_missing(missing)
        self._apply_lock()
        self._refresh()

    def update_context(self, narvaro: list[dict], locked: bool, missing: list[str]) -> None:
        """New attendance or lock state while the § keeps what was typed."""
        self.narvaro, self.locked = narvaro, locked
        self._loading = True
        for row in self.yrkanden.contents():
            row.set_names(self._speaker_names())
        self.jav.set_people(self._present_names())
        for row in self.reservationer.contents():
            row.set_names(self._voter_names())
        for row in self.anteckningar.contents():
            row.set_names(self._speaker_names())
        self.justerare.set_people(self._speaker_names())
        self._loading = False
        self.set_missing(missing)
        self._apply_lock()
        self._refresh()

    def set_missing(self, missing: list[str]) -> None:
        text = ("Saknas enligt KL 5 kap. 67 §:\n" + "\n".join(f"• {m}" for m in missing)) if missing else ""
        show_note(self.check_note, text)

    def _people_changed(self) -> None:
        """The address book again, and a § recipient merged away shown as the entry it became, with that entry's
        stored confirmation (the merge kept it only for the same address)."""
        self._load_book()
        book = {r["id"]: r for r in self._book}
        rows = self.mottagare.values()
        kept = {m["mottagare_id"]: merged_into(self.store, m["mottagare_id"], set(book)) for m in rows}
        if not any(kept.values()) or self.paragraf is None:
            return
        stored = {m["mottagare_id"]: m for m in self.store.paragraf(self.paragraf["id"])["mottagare"]}
        current = []
        for m in rows:
            new_id = kept[m["mottagare_id"]] or m["mottagare_id"]
            if new_id in [c["mottagare_id"] for c in current]:
                continue
            if new_id != m["mottagare_id"]:
                entry = book[new_id]
                m = {**stored.get(new_id, {"adress_bekraftad": 0}), "mottagare_id": new_id, "namn": entry["namn"],
                     "adress": entry["adress"], "epost": entry["epost"]}
            current.append(m)
        self.mottagare.set_values(current)
        show_note(self.problem, MERGED_NOTE)

    def _load_book(self) -> None:
        try:
            self._book = self.store.recipients()
        except Exception as error:  # noqa: BLE001
            self._book = []
            show_note(self.problem, f"Adressboken kunde inte läsas: {error_text(error)}")
        self.book.blockSignals(True)
        self.book.clear()
        for r in self._book:
            self.book.addItem(recipient_choice(r), r["id"])
        self.book.setCurrentIndex(-1)
        self.book.blockSignals(False)

    def _present_names(self) -> list[str]:
        nr = self.paragraf["nr"] if self.paragraf else 0
        return [person_name(n) for n in self.narvaro if present_at(n, nr)]

    def _speaker_names(self) -> list[str]:
        nr = self.paragraf["nr"] if self.paragraf else 0
        return [person_name(n) for n in self.narvaro if n["roll"] != "tjansteperson" and present_at(n, nr)]

    def _voter_names(self) -> list[str]:
        """The beslutande at this § (those who can reserve themselves against the decision)."""
        return [person_name(n) for n in serving_at(self.narvaro, self.paragraf["nr"] if self.paragraf else 0)]

    # --- the decision's text: where it came from, the standard text, the justerare chosen --------------------

    def standard_text(self) -> str | None:
        """The nämnd's standard text for this §'s item, as the § reads it (None: none)."""
        if self.paragraf is None or self.meeting is None:
            return None
        try:
            texts = operations.standard_texts(self.store, self.meeting["namnd_id"])
        except Exception:  # noqa: BLE001 — a hint only; the § can be written without it
            return None
        text = operations.standard_text_for(texts, self.paragraf["rubrik"])
        return operations.fill_standard_text(text, self.meeting["organ"], self.justerare.names()) if text else None

    def show_beslut_source(self) -> None:
        """Say where the decision's text comes from: the förslag till beslut, the nämnd's standard text, or nowhere."""
        p = self.paragraf
        standard = self.standard_text()
        forslag = False
        if p["arende_id"]:
            try:
                forslag = bool((self.store.tjansteskrivelse(p["arende_id"]) or {}).get("forslag"))
            except Exception:  # noqa: BLE001
                forslag = False
        if forslag:
            text = "Förifyllt från förslaget till beslut i tjänsteskrivelsen."
        elif standard:
            text = ("Förifyllt med nämndens standardtext för punkten (Standardtexter… under Paragrafer)."
                    if p["beslut"] else "Nämnden har en standardtext för punkten.")
        else:
            text = "Punkten har inget förslag till beslut och ingen standardtext: skriv beslutet."
        self.beslut_hint.setText(text)
        self.standard_button.setVisible(bool(standard) and not p["beslut"] and not self.locked)

    def use_standard_text(self) -> None:
        text = self.standard_text()
        if text:
            self.beslut.add_row(text)
            self.standard_button.hide()

    def _justerare_changed(self) -> None:
        """The justerare chosen here go into the decision while it still reads as the standard text made it."""
        names = self.justerare.names()
        if not self._loading and self.meeting is not None and self.paragraf is not None:
            try:
                texts = operations.standard_texts(self.store, self.meeting["namnd_id"])
            except Exception:  # noqa: BLE001
                texts = []
            followed = operations.justerare_decision(
                self.beslut.values(), operations.standard_text_for(texts, self.paragraf["rubrik"]),
                self.meeting["organ"], self._justerare_shown, names)
            if followed is not None:
                self.beslut.set_values(followed)
        self._justerare_shown = names
        self._on_change()

    def _refresh(self) -> None:
        dirty = self.has_unsaved_changes()
        if self.paragraf is None:
            self.state.setText("")
        elif self.locked:
            self.state.setText(LOCKED_STATE)
        else:
            self.state.setText("Ändrad – inte sparad" if dirty else "Sparad")
        self.state.setStyleSheet(f"color: {PROBLEM_COLOUR.name()};" if dirty and not self.locked else "")
        # the buttons sit in a bar above the scrolled editor (see ParagrafTab), outside lock_widgets' reach
        self.save_button.setEnabled(dirty and not self.locked)
        self.undo_button.setEnabled(dirty and not self.locked)

    def _apply_lock(self) -> None:
        """Every input read-only once justerat. It touches every widget, so it runs when a § is shown, not on
        each keystroke."""
        lock_widgets(self, self.locked)
        for row in self.mottagare.contents():
            row.set_locked(self.locked)   # "Adress bekräftad" only where there is an address
        # A recorded lagrum belongs to the ärende or item; only a missing one can be given here.
        self.lagrum.setReadOnly(self.locked or bool(self.paragraf and self.paragraf["sekretess_lagrum"]))
        if not self.locked:
            self.votes.sum_button.setEnabled(bool(self.votes.roster()))
        lists = (self.beslut, self.yrkanden, self.reservationer, self.anteckningar)
        show_when_editable([rows.add_button for rows in lists] + [
            self.book, self.add_recipient_button, self.new_recipient_button, self.votes.fetch_button,
            self.votes.sum_button, self.votes.clear_button, self.save_button, self.undo_button,
            *row_buttons(*lists, self.mottagare)], self.locked)

    # --- values -------------------------------------------------------------------------------------------

    def values(self) -> dict:
        fields = {
            "rubrik": self.rubrik.text().strip(),
            "propositionsordning": self.proposition.toPlainText().strip() or None,
            **self.votes.fields(),
            "omedelbart_justerad": int(self.omedelbar.isChecked()),
            "berord": self.berord.text().strip() or None,
            "skickas_av": self.skickas_av.text().strip() or None,
        }
        lagrum = self.lagrum.text().strip() or None
        if self.is_secret() and lagrum and not self.paragraf["sekretess_lagrum"]:
            fields["sekretess_lagrum"] = lagrum   # the store records it on the ärende or item
        chooses = self.paragraf is not None and operations.is_val_av_justerare(self.paragraf["rubrik"])
        return {
            "fields": fields,
            **({"justerare": self.justerare.names()} if chooses else {}),
            "beslut": [t.strip() for t in self.beslut.values() if t.strip()],
            "yrkanden": [y for y in self.yrkanden.values() if y["av"] or y["text"]],
            "roster": self.votes.roster(),
            "reservationer": [r for r in self.reservationer.values() if r["av"] or r["text"]],
            "protokollsanteckningar": [r for r in self.anteckningar.values() if r["av"] or r["text"]],
            "jav": self.jav.names(),
            "mottagare": self.mottagare.values(),
        }

    def has_unsaved_changes(self) -> bool:
        return self.paragraf is not None and self._snapshot is not None and self.values() != self._snapshot

    def _on_change(self, *_args) -> None:
        if self._loading:
            return
        self._refresh()
        self.edited.emit()

    # --- editing ------------------------------------------------------------------------------------------

    def fetch_voters(self) -> None:
        """One row per beslutande at this § (not those with jäv); votes already given stay."""
        if self.paragraf is None:
            return
        jav = set(self.jav.names())
        names = [person_name(n) for n in serving_at(self.narvaro, self.paragraf["nr"])
                 if person_name(n) not in jav and n["namn"] not in jav]
        if not names:
            self.dialogs.info(self, "Närvaron har inga beslutande vid den här paragrafen. Fyll i och spara "
                                    "närvaron först.")
            return
        self.votes.set_voters(names)

    def add_chosen_recipient(self) -> bool:
        index = self.book.currentIndex()
        typed = self.book.currentText().strip()
        if index < 0 or self.book.currentText() != self.book.itemText(index):
            index = self.book.findText(typed, Qt.MatchFlag.MatchFixedString)
        if index < 0:   # a name typed: only when one entry has it, since namesakes differ by address
            named = [r["id"] for r in self._book if r["namn"].casefold() == typed.casefold()]
            if len(named) > 1:
                self.dialogs.info(self, f"Det finns {len(named)} mottagare som heter {typed}. Välj den rätta i "
                                        "listan, där adressen och e-posten står.")
                return False
            if not named:
                self.dialogs.info(self, "Välj en mottagare i adressboken, eller lägg in en ny med Ny mottagare….")
                return False
            index = self.book.findData(named[0])
        return self.add_mottagare(self.book.itemData(index))

    def open_new_recipient(self) -> None:
        """The address-book dialog; the recipient it saves is added to the §'s recipients."""
        typed = self.book.currentText().strip() if self.book.currentIndex() < 0 else ""
        self.recipient_dialog = open_dialog(RecipientDialog(self.store, self.dialogs, parent=self, namn=typed))
        self.recipient_dialog.saved.connect(self._saved_in_dialog)

    def _saved_in_dialog(self, recipient_id: int) -> None:
        self._load_book()
        self.add_mottagare(recipient_id)

    def add_mottagare(self, mottagare_id: int) -> bool:
        """A recipient from the address book among the §'s (written when the § is saved)."""
        recipient = next((r for r in self._book if r["id"] == mottagare_id), None)
        if recipient is None:
            return False
        if any(m["mottagare_id"] == mottagare_id for m in self.mottagare.values()):
            self.dialogs.info(self, f"{recipient['namn']} finns redan bland mottagarna.")
            return False
        self.mottagare.add_row({"mottagare_id": mottagare_id, "namn": recipient["namn"], "adress": recipient["adress"],
                                "epost": recipient["epost"], "adress_bekraftad": 0}, focus=False)
        self.mottagare.contents()[-1].set_secret(self.is_secret())
        self.book.setCurrentIndex(-1)
        return True

    def on_confirm_toggled(self, row: MottagareRow, checked: bool) -> bool:
        """Record (or withdraw) that the postal address was checked, only where there is one. The confirmation is
        recorded with the person's name (asked once, kept in the settings: ``common.user_name``); for a secret §
        the handläggare is asked to confirm the full address explicitly. The § is saved and then the confirmation
        stored with who and when. True when the work was started."""
        value = row.value()
        if self._loading or self.paragraf is None:
            return False
        if checked and not (value["adress"] or "").strip():
            self.dialogs.error(self, (
                f"{value['namn']} har ingen postadress i adressboken, så det finns ingen adress att bekräfta. Lägg in "
                "den under Personer och mottagare och välj mottagaren på nytt."))
            row.set_value(value)
            return False
        name = user_name(self, self.dialogs) if checked else None
        if checked and name is None:
            row.set_value(value)
            return False
        if checked and self.is_secret():
            question = (
                f"Bekräfta postadressen för utdraget ur § {self.paragraf['nr']} (sekretess):\n\n{value['namn']}\n"
                f"{value['adress']}\n\nKontrollera mot akten att namn och adress är rätt. Ett beslut i ett "
                "sekretessärende som skickas till fel adress röjer uppgifter som sekretessen skyddar.\n\n"
                + ("Importfilen uppger att adressen är bekräftad, men det är ingen kontroll: bekräfta bara om du "
                   "själv har kontrollerat den.\n\n" if value.get("bekraftad_enligt_import") else "")
                + f"Bekräftelsen registreras med ditt namn ({name}) och dagens datum; datorns inloggning "
                  f"({current_user()}) sparas i ändringshistoriken.")
            if not self.dialogs.confirm(self, question, yes="Adressen är rätt", no="Avbryt"):
                row.set_value(value)
                return False
        if not checked:
            row.set_confirmed(False)
        # A recipient just added (or other edits) is saved first; the operation then records who confirmed and when.
        stored = any(m["mottagare_id"] == value["mottagare_id"] for m in self.paragraf["mottagare"])
        needs_save = not checked or not stored or self.has_unsaved_changes()
        paragraf_id = self.paragraf["id"]
        confirm = (lambda: self._confirm(paragraf_id, value["mottagare_id"], name)) if checked else None
        if not needs_save:
            confirm()
        elif self.save(then=confirm, refused=lambda: row.set_value(value)) is None:
            row.set_value(value)
            return False
        return True

    def _confirm(self, paragraf_id: int, mottagare_id: int, name: str) -> None:
        tasks.run(self, self.store, secrecy.confirm_recipient_address, paragraf_id, mottagare_id, by=name,
                  done=self._confirmed, failed=self._confirm_refused)

    def _confirmed(self, fresh: dict) -> None:
        if self.paragraf is not None and self.paragraf["id"] == fresh["id"]:
            self.load(fresh, self.narvaro, self.locked, [], self._stored_justerare())
        self.saved.emit()

    def _confirm_refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self.reload_from_store()

    def reload_from_store(self) -> None:
        try:
            fresh = self.store.paragraf(self.paragraf["id"])
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        self.load(fresh, self.narvaro, self.locked, [], self._stored_justerare())

    def _stored_justerare(self) -> list[str]:
        try:
            return (self.store.protokoll(self.store.paragraf_meeting(self.paragraf["id"])) or {}).get("justerare", [])
        except Exception:  # noqa: BLE001
            return self.header_justerare

    # --- saving -------------------------------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None,
             refused: Callable[[], None] | None = None) -> tasks.Task | None:
        """Hand the § to the runner (``operations.save_paragraf``); its task, or None when what must be fixed first
        (``operations.paragraph_problems``) was shown. ``then`` runs after a successful save, ``refused`` after a
        refusal; on a problem or a refusal everything typed stays and the reason is shown."""
        if self.paragraf is None:
            return None
        values = self.values()
        nr = self.paragraf["nr"]
        found = operations.paragraph_problems(values)
        if found:
            self._save_refused(f"§ {nr} kan inte sparas ännu:\n" + "\n".join(f"• {p}" for p in found))
            return None
        return tasks.run(self, self.store, operations.save_paragraf, self.paragraf["id"], values,
                         done=lambda fresh: self._stored(values, fresh, then),
                         failed=lambda error: self._save_refused(error_text(error), refused))

    def _stored(self, values: dict, fresh: dict, then: Callable[[], None] | None) -> None:
        """The § as stored is shown, unless the user has gone on typing in it or moved to another §."""
        if self.paragraf is not None and self.paragraf["id"] == fresh["id"] and self.values() == values:
            self.load(fresh, self.narvaro, self.locked, [], values.get("justerare", self.header_justerare))
        self.saved.emit()
        if then is not None:
            then()

    def _save_refused(self, message: str, refused: Callable[[], None] | None = None) -> None:
        show_note(self.problem, message)
        self.dialogs.error(self, message)
        if refused is not None:
            refused()

    def discard(self) -> None:
        if self.paragraf is not None:
            self.load(self.paragraf, self.narvaro, self.locked, [])
            self.edited.emit()
