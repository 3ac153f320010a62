"""The history of an ärende: the decisions that lifted its secrecy, every change from the audit trail, newest first,
and who opened a secret ärende.

Read-only by design: the trail is written by the store's triggers and nothing here can change it. One save is
shown as its net effect per record (``store.net_history``), each changed field as "gammalt → nytt"; long texts are
shortened, with the whole text in the tooltip. A decision to lift secrecy (``store.unseal_decisions``) is shown with
its reason, who and when, both in a list of its own and beside the change it made in the trail.
"""

import datetime as dt

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from nämndtool import labels
from nämndtool.secrecy.labels import secret_marking
from nämndtool.errors import NamndtoolError
from nämndtool.ui.common.form_fields import SECRET_STYLE, part_heading
from nämndtool.ui.editor.handlingar import RIKTNING
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import count_text, muted

SHORT = 70
"""Values longer than this many characters are shortened in the list; the tooltip has all of it."""

EMPTY = "(tomt)"

TABLES = {
    "arende": "Ärendet", "tjansteskrivelse": "Tjänsteskrivelsen", "forslag": "Förslag till beslut",
    "avsnitt": "Avsnitt i tjänsteskrivelsen", "listad_handling": "Ärendets handlingar (i tjänsteskrivelsen)",
    "undertecknare": "Undertecknare", "beslutsmottagare": "Beslutet skickas till", "handling": "Handling",
    "dagordningspunkt": "Dagordningspunkt", "paragraf": "Paragraf", "beslut": "Beslut", "yrkande": "Yrkande",
    "rost": "Röst", "anteckning": "Reservation eller protokollsanteckning", "jav": "Jäv",
    "paragraf_mottagare": "Mottagare av protokollsutdrag", "delegationsbeslut": "Delegationsbeslut",
}
EVENTS = {"ny": "Ny", "ändrad": "Ändrad", "borttagen": "Borttagen"}

FIELDS = {
    "rubrik": "Rubrik", "offentlig_rubrik": "Offentlig rubrik", "status": "Status", "handlaggare_id": "Handläggare",
    "klassificering": "Klassificering", "sekretess": "Sekretess", "sekretess_lagrum": "Lagrum",
    "extern_referens": "Extern referens", "svar_senast": "Svar senast", "omedelbar_justering": "Omedelbar justering",
    "registrerad": "Registrerad", "avslutad": "Avslutad", "avslutad_av": "Avslutad av", "ar": "År",
    "lopnr": "Löpnummer", "forvaltning": "Förvaltning", "enhet": "Enhet", "datum": "Datum", "ert_datum": "Ert datum",
    "er_beteckning": "Er beteckning", "mottagare": "Mottagare", "sammanfattning": "Sammanfattning", "text": "Text",
    "titel": "Titel", "namn": "Namn", "mottagare_id": "Mottagare", "riktning": "Riktning", "motpart": "Motpart",
    "beskrivning": "Beskrivning", "filnamn": "Fil", "bilaga_nr": "Bilaga nr", "registrerad_av": "Registrerad av",
    "nr": "Nummer", "typ": "Typ", "anteckning": "Anteckning", "av": "Av", "rost": "Röst", "slag": "Slag",
    "beslutsfattare": "Beslutsfattare", "delegationspunkt": "Delegationspunkt", "anmald_vid": "Anmält vid sammanträde",
    "adress_bekraftad": "Adressen bekräftad", "bekraftad_av": "Bekräftad av", "bekraftad_datum": "Bekräftad",
    "propositionsordning": "Propositionsordning", "votering_ja": "Ja-röster", "votering_nej": "Nej-röster",
    "votering_avstar": "Avstår", "votering_resultat": "Voteringens resultat", "omedelbart_justerad": "Omedelbart justerad",
    "berord": "Berörd", "skickas_av": "Skickas av", "dagordning_nr": "Punkt på dagordningen",
}
FIELDS_OF = {("arende", "rubrik"): "Ärendemening"}

FIRST = ("rubrik", "beskrivning", "text", "titel", "namn", "motpart", "riktning", "datum", "status",
         "beslutsfattare", "delegationspunkt", "offentlig_rubrik", "handlaggare_id", "sekretess", "sekretess_lagrum")
"""The fields a reader looks for first; the rest follow in the order of the trail."""

HIDDEN = {"id", "arende_id", "namnd_id", "tjansteskrivelse_id", "paragraf_id", "sammantrade_id", "protokoll_id",
          "organ_id", "fil_sha256", "version"}
"""Keys that only tie rows together; the user sees what they point at instead."""

YES_NO = {"sekretess", "omedelbar_justering", "adress_bekraftad", "omedelbart_justerad"}
CODES = {"status": labels.STATUS, "riktning": RIKTNING, "typ": labels.ITEM_KIND,
         "slag": {"reservation": "Reservation", "protokollsanteckning": "Protokollsanteckning"},
         "rost": {"ja": "Ja", "nej": "Nej", "avstar": "Avstår"}}
NAMING = ("beskrivning", "titel", "text", "rubrik", "namn")
"""The fields that name a new or removed record in its summary line, in order of preference."""


def shorten(text: str, limit: int = SHORT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def when(tid: str) -> str:
    """``2023-03-10 14:05`` from the trail's ISO time."""
    return (tid or "")[:16].replace("T", " ")


def _moment(tid: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat((tid or "")[:19])
    except ValueError:
        return None


def decision_for(entry: dict, decisions: list[dict]) -> dict | None:
    """The decision that made this change of the trail (the ärende going from secret to public): the same user, in
    the same second or the next (both are written in one transaction)."""
    if entry["tabell"] != "arende" or entry["handelse"] != "ändrad":
        return None
    old, new = entry["fält"].get("sekretess", (None, None))
    if not old or new:
        return None
    at = _moment(entry["tid"])
    for decision in decisions:
        made = _moment(decision["tid"])
        if decision["av"] == entry["anvandare"] and at and made and abs((at - made).total_seconds()) <= 2:
            return decision
    return None


def unseal_text(decision: dict) -> str:
    """One decision as a sentence, for the tooltip and the trail."""
    lagrum = f" (sekretess enligt {decision['tidigare_lagrum']})" if decision.get("tidigare_lagrum") else ""
    return (f"Sekretessen hävdes {when(decision['tid'])} av {decision['av']}{lagrum}.\n"
            f"Skäl: {decision['skal']}")


class HistoryView(QWidget):
    """The Historik tab of the ärende editor."""

    def __init__(self, store, arende_id: int, parent=None):
        super().__init__(parent)
        self.store, self.arende_id = store, arende_id
        self._names: dict[tuple[str, int], str] = {}
        self.entries: list[dict] = []
        self.read_entries: list[dict] = []
        self.decisions: list[dict] = []

        self.intro = muted("Alla ändringar i ärendet, de senaste först, med vem som gjorde dem. "
                           "Historiken skrivs av programmet och kan inte ändras.")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Ändringshistorik")
        self.tree.setHeaderLabels(["Tid", "Användare", "Händelse", "Vad", "Ändring"])
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.unseals_heading = QLabel("Beslut att häva sekretessen")
        self.unseals_heading.setStyleSheet("font-weight: bold;")
        self.unseals_intro = muted("Sekretessen hävs bara genom ett eget beslut. Skälet sparas med vem som "
                                   "beslutade och när, och kan inte ändras eller tas bort.")
        self.unseals = QTreeWidget()
        self.unseals.setAccessibleName("Beslut att häva sekretessen")
        self.unseals.setHeaderLabels(["Tid", "Beslutat av", "Sekretess före", "Skäl"])
        self.unseals.setRootIsDecorated(False)
        self.unseals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unseals.setAlternatingRowColors(True)
        self.unseals.setWordWrap(True)
        self.unseals.header().setStretchLastSection(True)
        for column in range(3):
            self.unseals.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.reads_heading = QLabel(f"{secret_marking(None)}  Läsloggen: vem har öppnat ärendet")
        self.reads_heading.setStyleSheet(SECRET_STYLE + " font-weight: bold;")
        self.reads_intro = muted("Ärendet omfattas av sekretess. Varje gång någon öppnar det sparas vem och när.")
        self.reads = QTreeWidget()
        self.reads.setAccessibleName("Läslogg")
        self.reads.setHeaderLabels(["Tid", "Användare", "Hur"])
        self.reads.setRootIsDecorated(False)
        self.reads.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reads.setAlternatingRowColors(True)
        for column in range(2):
            self.reads.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.addWidget(part_heading("Historik"))
        layout.addWidget(self.unseals_heading)
        layout.addWidget(self.unseals_intro)
        layout.addWidget(self.unseals)
        layout.addSpacing(8)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 3)
        layout.addSpacing(8)
        layout.addWidget(self.reads_heading)
        layout.addWidget(self.reads_intro)
        layout.addWidget(self.reads, 1)

    # --- loading ---------------------------------------------------------------------------------

    def reload(self) -> str | None:
        """Read the trail again; returns the Swedish error when the store could not be read."""
        try:
            arende = self.store.arende(self.arende_id)
            self.entries = self.store.net_history(arende_id=self.arende_id)
            self.read_entries = self.store.reads(self.arende_id)
            self.decisions = self.store.unseal_decisions(arende_id=self.arende_id)
        except NamndtoolError as error:
            self.intro.setText(f"Historiken kunde inte läsas: {error_text(error)}")
            return error_text(error)
        self._names.clear()
        self._fill_unseals()
        self._fill_changes()
        show_reads = bool(arende["sekretess"] or self.read_entries)
        self.reads_intro.setText(
            "Ärendet omfattas av sekretess. Varje gång någon öppnar det sparas vem och när." if arende["sekretess"]
            else "Ärendet har omfattats av sekretess. Så länge det gjorde det sparades vem som öppnade det och "
                 "när.")
        for widget in (self.reads_heading, self.reads_intro, self.reads):
            widget.setVisible(show_reads)
        self._fill_reads()
        return None

    def counts(self) -> str:
        return count_text(len(self.entries), "ändring", "ändringar")

    def _fill_changes(self) -> None:
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for entry in self.entries:
            top = QTreeWidgetItem([when(entry["tid"]), entry["anvandare"], EVENTS.get(entry["handelse"], entry["handelse"]),
                                   self.what(entry), self.summary(entry)])
            top.setToolTip(0, entry["tid"].replace("T", " "))
            top.setToolTip(4, self.summary(entry, limit=10_000))
            top.setFont(3, bold)
            for field, (old, new) in self.visible_fields(entry):
                child = QTreeWidgetItem(["", "", "", self.field_label(entry["tabell"], field),
                                         self.change_text(entry, field, old, new)])
                child.setToolTip(4, self.change_tooltip(entry, field, old, new))
                top.addChild(child)
            decision = decision_for(entry, self.decisions)
            if decision is not None:
                child = QTreeWidgetItem(["", "", "", "Skäl till att sekretessen hävdes", shorten(decision["skal"])])
                child.setToolTip(4, unseal_text(decision))
                child.setFont(3, bold)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        if not self.entries:
            self.tree.addTopLevelItem(QTreeWidgetItem(["", "", "", "Inga ändringar är sparade ännu.", ""]))

    def _fill_unseals(self) -> None:
        self.unseals.clear()
        for decision in self.decisions:
            item = QTreeWidgetItem([when(decision["tid"]), decision["av"], decision["tidigare_lagrum"] or "Sekretess",
                                    decision["skal"]])
            item.setToolTip(0, decision["tid"].replace("T", " "))
            item.setToolTip(3, unseal_text(decision))
            self.unseals.addTopLevelItem(item)
        rows = max(1, len(self.decisions))
        self.unseals.setFixedHeight(self.unseals.header().sizeHint().height()
                                    + rows * (self.unseals.fontMetrics().height() + 8) + 6)
        for widget in (self.unseals_heading, self.unseals_intro, self.unseals):
            widget.setVisible(bool(self.decisions))

    def _fill_reads(self) -> None:
        self.reads.clear()
        for read in self.read_entries:
            item = QTreeWidgetItem([when(read["tid"]), read["anvandare"], read["hur"]])
            item.setToolTip(0, read["tid"].replace("T", " "))
            self.reads.addTopLevelItem(item)

    # --- texts -----------------------------------------------------------------------------------

    def what(self, entry: dict) -> str:
        """The record changed: ``Förslag till beslut 2``, ``Handling``, ``Paragraf § 12``."""
        table = entry["tabell"]
        record = entry["efter"] or entry["fore"] or {}
        name = TABLES.get(table, table)
        if table == "paragraf" and record.get("nr"):
            return f"Paragraf § {record['nr']}"
        if "nr" in record and table not in ("arende", "handling", "delegationsbeslut"):
            return f"{name} {record['nr']}"
        return name

    def visible_fields(self, entry: dict) -> list[tuple[str, tuple]]:
        found = []
        for field, (old, new) in entry["fält"].items():
            if field in HIDDEN or (entry["tabell"] == "handling" and field == "registrerad"):
                continue
            if entry["handelse"] != "ändrad" and field == "nr" and entry["tabell"] not in ("arende", "handling"):
                continue  # the number is in the "Vad" column already
            if entry["handelse"] == "ny" and new in (None, ""):
                continue
            if entry["handelse"] == "borttagen" and old in (None, ""):
                continue
            found.append((field, (old, new)))
        return sorted(found, key=lambda item: FIRST.index(item[0]) if item[0] in FIRST else len(FIRST))

    def summary(self, entry: dict, limit: int = 60) -> str:
        """The top line of a change: the fields that changed, or what the new or removed record is."""
        if entry["handelse"] == "ändrad":
            names = [self.field_label(entry["tabell"], f) for f, _ in self.visible_fields(entry)]
            return ", ".join(names)
        record = entry["efter"] or entry["fore"] or {}
        for key in NAMING:
            if record.get(key):
                return shorten(str(record[key]), limit)
        return ""

    @staticmethod
    def field_label(table: str, field: str) -> str:
        return FIELDS_OF.get((table, field)) or FIELDS.get(field) or field.replace("_", " ").capitalize()

    def value_text(self, field: str, value) -> str:
        """A stored value as the user knows it: a name instead of an id, a label instead of a code."""
        if value is None or value == "":
            return EMPTY
        if field in YES_NO:
            return "Ja" if value else "Nej"
        if field in CODES:
            return CODES[field].get(value, str(value))
        if field == "handlaggare_id":
            return self._name("person", value)
        if field == "mottagare_id":
            return self._name("mottagare", value)
        if field == "anmald_vid":
            return self._name("sammantrade", value)
        return str(value)

    def _name(self, kind: str, value: int) -> str:
        key = (kind, value)
        if key not in self._names:
            try:
                if kind == "person":
                    found = (self.store.person(value) or {}).get("namn")
                elif kind == "mottagare":
                    found = self.store.recipient(value)["namn"]
                else:
                    meeting = self.store.meeting(value)
                    found = f"{meeting['organ']} {meeting['datum']}"
            except NamndtoolError:
                found = None
            self._names[key] = found or f"nr {value} (finns inte längre)"
        return self._names[key]

    def change_text(self, entry: dict, field: str, old, new) -> str:
        if entry["handelse"] == "ny":
            return shorten(self.value_text(field, new))
        if entry["handelse"] == "borttagen":
            return shorten(self.value_text(field, old))
        return f"{shorten(self.value_text(field, old), SHORT // 2)} → {shorten(self.value_text(field, new), SHORT // 2)}"

    def change_tooltip(self, entry: dict, field: str, old, new) -> str:
        label = self.field_label(entry["tabell"], field)
        if entry["handelse"] == "ny":
            return f"{label}:\n{self.value_text(field, new)}"
        if entry["handelse"] == "borttagen":
            return f"{label} (borttaget):\n{self.value_text(field, old)}"
        return f"{label}\n\nFöre:\n{self.value_text(field, old)}\n\nEfter:\n{self.value_text(field, new)}"
