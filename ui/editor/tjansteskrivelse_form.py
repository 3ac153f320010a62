"""The tjänsteskrivelse part of the editor, its fields in the order of the printed document: header, rubrik,
förslag till beslut, sammanfattning, ärendets handlingar, further sections, undertecknare, Beslutet skickas till.

Ärendets handlingar and the bilagor are one list to the handläggare: a handling made a bilaga (under the tab
Handlingar, or by dropping its file on the tjänsteskrivelse) is added to the list, one no longer a bilaga leaves
it, and the order of the list is the order of the bilagor in the handlingar for the meeting."""

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QCompleter, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from nämndtool.operations.diary import listed_with_bilagor
from nämndtool.ui.common.form_fields import DateField, GrowingTextEdit, section_heading
from nämndtool.ui.common.handlingar_dialog import local_files
from nämndtool.ui.common.row_lists import LineRow, RowList, SectionRow, SignerRow, TextRow
from nämndtool.ui.editor.recipients import RecipientsEditor
from nämndtool.ui.common.widgets import muted

TEXT_HINT = ("En tom rad börjar ett nytt stycke. En rad som börjar med - blir en punkt i en lista. "
             "Två stjärnor runt ord (**så här**) ger fetstil.")
FORSLAG_PLACEHOLDER = "Hela beslutsmeningen, till exempel ”Socialnämnden beslutar att godkänna …”"
"""The point is printed as written, with no lead-in: the placeholder shows a whole sentence."""
HANDLINGAR_HINT = ("Bilagorna står här i den ordning de kommer i handlingarna till sammanträdet. Dra filer hit för "
                   "att registrera dem som bilagor; fler handlingar gör du till bilagor under fliken Handlingar.")


def _text(value: str) -> str | None:
    """A single-line or paragraph value as stored: trimmed, and None when empty."""
    return value.strip() or None


class TjansteskrivelseForm(QWidget):
    """Every field of the tjänsteskrivelse. ``values()`` has the keys of ``store.tjansteskrivelse()``."""

    changed = Signal()
    files_dropped = Signal(list)
    """Files (paths) dropped on the tjänsteskrivelse, to register as bilagor."""

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.dialogs = dialogs
        self._bilagor: list[str] = []
        self.forvaltning = self._line("Förvaltning", "t.ex. Socialförvaltningen")
        self.enhet = self._line("Enhet", "t.ex. Stab")
        self.datum = DateField("Datum")
        self.ert_datum = DateField("Ert datum")
        self.er_beteckning = self._line("Er beteckning", "Avsändarens beteckning, om ärendet kom in utifrån")
        self.mottagare = self._line("Mottagare", "t.ex. Socialnämnden")
        self.handlaggare = QLabel()
        self.handlaggare.setWordWrap(True)
        self.handlaggare_note = muted("Hämtas från ärendets handläggare.")
        self.rubrik = self._line("Tjänsteskrivelsens rubrik", "")
        self.forslag = RowList(lambda: TextRow("Förslag till beslut", FORSLAG_PLACEHOLDER),
                               add_text="Lägg till punkt", empty_text="Inga förslag till beslut ännu.",
                               numbered=True)
        self.sammanfattning = GrowingTextEdit(min_lines=5, max_lines=24)
        self.sammanfattning.setAccessibleName("Sammanfattning av ärendet")
        self.sammanfattning.setTabChangesFocus(False)
        self.handlingar = RowList(lambda: LineRow("Handling", "Handlingens titel"), add_text="Lägg till handling",
                                  empty_text="Inga handlingar listade.")
        self.fill_button = QPushButton("Hämta från bilagorna")
        self.fill_button.setToolTip("Lista ärendets bilagor under Ärendets handlingar, i bilagornas ordning")
        self.fill_button.clicked.connect(self.fill_from_bilagor)
        self.handlingar.buttons.insertWidget(1, self.fill_button)
        self.avsnitt = RowList(SectionRow, add_text="Lägg till avsnitt", empty_text="Inga fler avsnitt.")
        self.undertecknare = RowList(SignerRow, add_text="Lägg till undertecknare", empty_text="Ingen undertecknare.")
        self.recipients = RecipientsEditor(store, dialogs)
        self.sections: list[tuple[str, QWidget]] = []
        self._build_layout()

        for widget in (self.forvaltning, self.enhet, self.er_beteckning, self.mottagare, self.rubrik):
            widget.textChanged.connect(self.changed)
        for widget in (self.datum, self.ert_datum, self.forslag, self.handlingar, self.avsnitt, self.undertecknare,
                       self.recipients):
            widget.changed.connect(self.changed)
        self.sammanfattning.textChanged.connect(self.changed)
        self.setAcceptDrops(True)

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _build_layout(self) -> None:
        header = QFormLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addRow("Förvaltning", self.forvaltning)
        header.addRow("Enhet", self.enhet)
        header.addRow("Datum", self.datum)
        header.addRow("Ert datum", self.ert_datum)
        header.addRow("Er beteckning", self.er_beteckning)
        header.addRow("Mottagare", self.mottagare)
        contact = QWidget()
        contact_layout = QVBoxLayout(contact)
        contact_layout.setContentsMargins(0, 0, 0, 0)
        contact_layout.setSpacing(0)
        contact_layout.addWidget(self.handlaggare)
        contact_layout.addWidget(self.handlaggare_note)
        header.addRow("Vår handläggare", contact)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_heading("Sidhuvud"))
        layout.addLayout(header)
        parts = [
            ("Rubrik", self.rubrik, None),
            ("Förslag till beslut", self.forslag, None),
            ("Sammanfattning av ärendet", self.sammanfattning, TEXT_HINT),
            ("Ärendets handlingar", self.handlingar, HANDLINGAR_HINT),
            ("Fler avsnitt", self.avsnitt, "Till exempel Ärendebeskrivning, Förvaltningens bedömning. "
                                            "Ett avsnitt utan text skrivs inte ut."),
            ("Undertecknare", self.undertecknare, None),
            ("Beslutet skickas till", self.recipients, None),
        ]
        self.sections = [("Sidhuvud", self.forvaltning)]
        for title, widget, hint in parts:
            layout.addWidget(section_heading(title))
            if hint:
                layout.addWidget(muted(hint))
            layout.addWidget(widget)
            self.sections.append((title, widget))

    # --- values ----------------------------------------------------------------------------------

    def set_values(self, ts: dict) -> None:
        for key in ("forvaltning", "enhet", "er_beteckning", "mottagare", "rubrik"):
            getattr(self, key).setText(ts.get(key) or "")
        self.datum.set_iso(ts.get("datum"))
        self.ert_datum.set_iso(ts.get("ert_datum"))
        self.forslag.set_values(ts.get("forslag") or [])
        self.sammanfattning.setPlainText(ts.get("sammanfattning") or "")
        self.handlingar.set_values(ts["handlingar"] if "handlingar" in ts else self._bilagor)
        self.avsnitt.set_values(ts.get("avsnitt") or [])
        self.undertecknare.set_values(ts.get("undertecknare") or [])
        self.recipients.set_recipients(ts.get("beslutet_skickas_till") or [])

    def values(self) -> dict:
        """The tjänsteskrivelse as it will be stored and printed: trimmed, empty rows left out."""
        avsnitt = [{"rubrik": _text(a["rubrik"]), "text": _text(a["text"])} for a in self.avsnitt.values()]
        return {
            "forvaltning": _text(self.forvaltning.text()),
            "enhet": _text(self.enhet.text()),
            "datum": self.datum.iso(),
            "ert_datum": self.ert_datum.iso(),
            "er_beteckning": _text(self.er_beteckning.text()),
            "mottagare": _text(self.mottagare.text()),
            "rubrik": _text(self.rubrik.text()),
            "forslag": [t.strip() for t in self.forslag.values() if t.strip()],
            "sammanfattning": _text(self.sammanfattning.toPlainText()),
            "handlingar": [t.strip() for t in self.handlingar.values() if t.strip()],
            "avsnitt": [a for a in avsnitt if a["rubrik"] or a["text"]],
            "undertecknare": [{"namn": s["namn"].strip(), "titel": _text(s["titel"])}
                              for s in self.undertecknare.values() if s["namn"].strip()],
            "beslutet_skickas_till": self.recipients.recipients(),
        }

    def problem(self) -> str | None:
        """Why the tjänsteskrivelse cannot be saved as it is (it would lose what was typed); None when it can."""
        for nr, signer in enumerate(self.undertecknare.values(), 1):
            if signer["titel"].strip() and not signer["namn"].strip():
                return f"Undertecknare {nr} har en titel men inget namn. Skriv namnet."
        return None

    # --- context from the ärende -----------------------------------------------------------------

    def set_handlaggare(self, person: dict | None) -> None:
        if person is None:
            self.handlaggare.setText("Ingen handläggare är vald för ärendet.")
            return
        parts = [person["namn"], person.get("telefon"), person.get("epost")]
        self.handlaggare.setText(" · ".join(p for p in parts if p))

    def set_defaults(self, forvaltning: str | None, rubrik: str, mottagare: list[str]) -> None:
        """What a placeholder shows when a field is left empty, and the suggestions for Mottagare."""
        self.forvaltning.setPlaceholderText(forvaltning or "t.ex. Socialförvaltningen")
        self.rubrik.setPlaceholderText(f"Tom: ärendemeningen ({rubrik})" if rubrik else "")
        completer = QCompleter(mottagare, self.mottagare)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.mottagare.setCompleter(completer)

    def set_bilagor(self, titles: list[str]) -> None:
        """The titles of the ärende's bilagor, in their order (those Ärendets handlingar may name). When they
        change, the list follows (``operations.diary.listed_with_bilagor``): a new bilaga is added, one no longer a
        bilaga goes, the listed bilagor take the new order; the handläggare's other lines stay."""
        before, self._bilagor = self._bilagor, list(titles)
        self.fill_button.setEnabled(bool(titles))
        if before == self._bilagor:
            return
        current = [t.strip() for t in self.handlingar.values() if t.strip()]
        following = listed_with_bilagor(current, before, self._bilagor)
        if following != current:
            self.handlingar.set_values(following)
            self.changed.emit()

    def set_secret(self, secret: bool) -> None:
        self.recipients.set_secret(secret)

    def fill_from_bilagor(self) -> None:
        """List the attached bilagor under Ärendets handlingar; a different list is replaced only if confirmed."""
        current = [t.strip() for t in self.handlingar.values() if t.strip()]
        if current == self._bilagor:
            return
        if current and not self.dialogs.confirm(
                self, "Ersätta listan under Ärendets handlingar med titlarna på ärendets bilagor?",
                yes="Ersätt listan", no="Behåll listan"):
            return
        self.handlingar.set_values(self._bilagor)
        self.changed.emit()

    # --- files dropped on the tjänsteskrivelse ---------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit([Path(p) for p in paths])
