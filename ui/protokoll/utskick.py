"""Utdrag och utskick: the dispatch list of the meeting (every utdrag, to whom, by which channel, sent or not),
making an utdrag (with its försättsblad for a secret §) and marking it sent. The protokoll as a document is saved
from the page's header (``documents.py``).

An utdrag of a secret § is made only for a recipient whose postal address the handläggare has confirmed (the core
refuses otherwise; a confirmation that only came in an import file does not count and is shown as a claim), never
goes by e-mail, and its file name never carries the § heading or the recipient's name: file names show in folders,
mail and backups. A public utdrag passes the secrecy gate and is recorded with where it went.

The date of the Utdragsbestyrkande is the secretary's choice (Bestyrkt datum), never today by default: once the
protokoll is justerat (or the § was justerad at the meeting) no utdrag is made until it is set. An utdrag of a
§ not yet justerad is marked Ej justerat on every page and carries no date.
"""

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from nämndtool.distribution import safe_filename
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import forsattsblad_document, utdrag_document
from nämndtool.documents.service import render_bytes
from nämndtool.operations import protokoll as operations
from nämndtool.ui.common import tasks
from nämndtool.ui.common.table_models import SECRET_MARK, Column, RowTableModel
from nämndtool.ui.protokoll.common import announce_saved, ask_save_path, bold, busy_cursor
from nämndtool.ui.protokoll.paragraf_parts import CLAIMED_BY_IMPORT
from nämndtool.ui.common.saving import save_rendered
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import DateField
from nämndtool.ui.common.widgets import count_text, fit_columns, muted, table_view

CHANNELS = {"post": "Post", "e-post": "E-post", "internpost": "Internpost", "bud": "Bud"}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _confirmed(row: dict) -> str:
    if not row["adress_bekraftad"]:
        if row.get("bekraftad_enligt_import"):
            return f"Nej – {CLAIMED_BY_IMPORT[0].lower()}{CLAIMED_BY_IMPORT[1:]}"
        return "Nej – krävs för sekretess" if row["sekretess"] else "Nej"
    who = " ".join(p for p in (row.get("bekraftad_av"), row.get("bekraftad_datum")) if p)
    return f"Ja ({who})" if who else "Ja"


def _sent(row: dict) -> str:
    if not row["skickat"]:
        return "Inte skickat"
    return f"{row['skickat']} ({row['skickat_av']})" if row.get("skickat_av") else row["skickat"]


class DispatchModel(RowTableModel):
    """``store.dispatch_list()`` rows with who confirmed the address."""

    COLUMNS = (
        Column("§", lambda r: str(r["paragraf"]), _RIGHT),
        Column("Rubrik", lambda r: r["rubrik"]),
        Column("Sekretess", lambda r: SECRET_MARK if r["sekretess"] else "", emphasis=True),
        Column("Mottagare", lambda r: r["namn"]),
        Column("Adress", lambda r: r["adress"] or r["epost"] or "–"),
        Column("Kanal", lambda r: CHANNELS.get(r["kanal"], r["kanal"])),
        Column("Adress bekräftad", _confirmed),
        Column("Skickat", _sent),
    )

    def row_of(self, paragraf_id: int, mottagare_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows)
                     if r["paragraf_id"] == paragraf_id and r["mottagare_id"] == mottagare_id), None)


def utdrag_names(meeting: dict, row: dict, number: int, fmt: str) -> tuple[str, str]:
    """The file names of an utdrag and its försättsblad. A secret § gives neither heading nor recipient."""
    base = f"Protokollsutdrag {meeting['organ']} {meeting['datum']} § {row['paragraf']}"
    if row["sekretess"]:
        stem = f"{base} (sekretess) mottagare {number}"
    else:
        stem = f"{base} {row['namn']}"
    return safe_filename(f"{stem}.{fmt}"), safe_filename(f"{stem} försättsblad.{fmt}")


class UtskickTab(QWidget):
    saved = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.before_write: Callable[[], bool] = lambda: True
        self._showing = False

        self.model = DispatchModel(parent=self)
        self.table = table_view(self.model)
        self.table.setAccessibleName("Utskickslista")
        fit_columns(self.table, stretch=1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.doubleClicked.connect(lambda _i: self.create_utdrag())
        self.intro = muted()
        self.utdrag_button = QPushButton("Skapa utdrag…")
        self.utdrag_button.setToolTip("Protokollsutdrag för vald paragraf och mottagare (med försättsblad vid sekretess)")
        self.utdrag_button.clicked.connect(lambda: self.create_utdrag())
        self.channel = QComboBox()
        self.channel.setAccessibleName("Kanal")
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.channel.activated.connect(lambda _i: self.change_channel(self.channel.currentData()))
        self.sent_button = QPushButton("Markera som skickat")
        self.sent_button.setToolTip("Registrerar utdraget som skickat i dag och som utgående handling i ärendet")
        self.sent_button.clicked.connect(self.mark_sent)
        self.selection_note = muted()
        self.bestyrkt = DateField("Bestyrkt datum")
        self.bestyrkt.setToolTip("Datumet i utdragsbestyrkandet. Krävs när protokollet är justerat; "
                                 "programmet sätter det inte själv.")
        self.bestyrkt_note = muted()

        bestyrkande = QHBoxLayout()
        bestyrkande.addWidget(bold(QLabel("Bestyrkt datum")))
        bestyrkande.addWidget(self.bestyrkt)
        bestyrkande.addWidget(self.bestyrkt_note, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.utdrag_button)
        actions.addSpacing(16)
        actions.addWidget(bold(QLabel("Kanal")))
        actions.addWidget(self.channel)
        actions.addWidget(self.sent_button)
        actions.addWidget(self.selection_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(bestyrkande)
        layout.addLayout(actions)
        self._update_actions()

    # --- showing ------------------------------------------------------------------------------------------

    def load(self, meeting: dict, protokoll: dict | None) -> None:
        if self.meeting is None or meeting["id"] != self.meeting["id"]:
            self.bestyrkt.set_iso(None)   # a date chosen for one meeting's utdrag is not another's
        self.meeting, self.protokoll = meeting, protokoll
        selected = self.selected()
        rows = []
        if protokoll is not None:
            try:
                rows = self.store.dispatch_list(meeting["id"])
            except Exception as error:  # noqa: BLE001
                self.dialogs.error(self, error_text(error))
        confirmations = {(p["id"], m["mottagare_id"]): m for p in (protokoll or {}).get("paragrafer", [])
                         for m in p["mottagare"]}
        lagrum = {p["id"]: p["sekretess_lagrum"] for p in (protokoll or {}).get("paragrafer", [])}
        for row in rows:
            found = confirmations.get((row["paragraf_id"], row["mottagare_id"]), {})
            row.update(bekraftad_av=found.get("bekraftad_av"), bekraftad_datum=found.get("bekraftad_datum"),
                       bekraftad_enligt_import=found.get("bekraftad_enligt_import"),
                       sekretess_lagrum=lagrum.get(row["paragraf_id"]))
        self._showing = True
        self.model.set_rows(rows)
        row = self.model.row_of(selected["paragraf_id"], selected["mottagare_id"]) if selected else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._showing = False
        sent = sum(1 for r in rows if r["skickat"])
        if rows:
            self.intro.setText(f"{count_text(len(rows), 'utdrag', 'utdrag')} enligt ”Beslutet skickas till” i "
                               f"paragraferna, varav {sent} skickade. Sekretessärenden är rödmarkerade och skickas med "
                               "post till bekräftad adress.")
        else:
            self.intro.setText("Inga utdrag ännu. Mottagarna anges under ”Beslutet skickas till” i varje paragraf.")
        self._update_actions()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, paragraf_nr: int, namn: str) -> dict:
        for index in range(self.model.rowCount()):
            row = self.model.row_at(index)
            if row["paragraf"] == paragraf_nr and row["namn"] == namn:
                self.table.selectRow(index)
                return row
        raise LookupError(f"§ {paragraf_nr} {namn} finns inte i utskickslistan")

    def _update_actions(self) -> None:
        row = self.selected()
        self.utdrag_button.setEnabled(row is not None)
        self.sent_button.setEnabled(row is not None and not row["skickat"])
        self.channel.setEnabled(row is not None and not row["skickat"])
        if row is not None:
            self.channel.setCurrentIndex(max(0, self.channel.findData(row["kanal"])))
            self.selection_note.setText(f"§ {row['paragraf']} till {row['namn']}")
        else:
            self.selection_note.setText("Välj en rad i listan.")
        if row is not None and not self._is_justerad(row):
            self.bestyrkt_note.setText("Paragrafen är inte justerad: utdraget märks Ej justerat och får inget "
                                       "bestyrkt datum.")
        else:
            self.bestyrkt_note.setText("Datumet i utdragsbestyrkandet. Krävs när protokollet är justerat.")

    def _is_justerad(self, row: dict) -> bool:
        """Whether the § may be acted on: the protokoll is justerat, or the § was justerad at the meeting."""
        if (self.protokoll or {}).get("justerad"):
            return True
        return any(p["id"] == row["paragraf_id"] and p["omedelbart_justerad"] for p in self.protokoll["paragrafer"])

    # --- utdrag ------------------------------------------------------------------------------------------

    def create_utdrag(self, fmt: str = "pdf") -> list[Path]:
        """The utdrag for the selected row, and for a secret § its försättsblad saved next to it."""
        row = self.selected()
        if row is None or self.meeting is None or not self.before_write():
            return []
        paragraf = next(p for p in self.protokoll["paragrafer"] if p["id"] == row["paragraf_id"])
        same_name = [m for m in paragraf["mottagare"] if m["namn"].casefold() == row["namn"].casefold()]
        if len(same_name) > 1:
            self.dialogs.error(self, (
                f"§ {row['paragraf']} har {len(same_name)} mottagare som heter {row['namn']}. Ge dem olika namn i "
                "adressboken så att varje utdrag får rätt adress, och välj dem på nytt i paragrafen."))
            return []
        justerad = self._is_justerad(row)
        if justerad and self.bestyrkt.edit.is_empty():
            self.dialogs.error(self, (
                "Ange datumet för utdragsbestyrkandet under Bestyrkt datum innan utdraget skapas. Protokollet är "
                "justerat, och datumet skrivs i bestyrkandet; programmet sätter det inte själv."))
            self.bestyrkt.edit.setFocus()
            return []
        if not justerad and not self.dialogs.confirm(self, (
                f"Protokollet är inte justerat ännu. Ett utdrag ur § {row['paragraf']} blir ett utkast, märkt Ej "
                "justerat på varje sida: beslutet får skickas först när protokollet är justerat. Skapa utkastet "
                "ändå?"), yes="Skapa utkast"):
            return []
        bestyrkt = self.bestyrkt.edit.date().toPython() if justerad else None
        try:
            with busy_cursor():
                branding = load_branding()
                utdrag_doc = utdrag_document(self.store, self.meeting["id"], row["paragraf"], row["namn"],
                                             bestyrkt_datum=bestyrkt)
                utdrag = render_bytes(utdrag_doc, fmt, branding)
                sheet_doc = forsattsblad_document(self.store, self.meeting["id"], row["paragraf"],
                                                  row["namn"]) if row["sekretess"] else None
                sheet = render_bytes(sheet_doc, fmt, branding) if sheet_doc is not None else None
        except Exception as error:  # noqa: BLE001 — e.g. the address of a secret § is not confirmed
            claimed = row["sekretess"] and row.get("bekraftad_enligt_import") and not row["adress_bekraftad"]
            self.dialogs.error(self, error_text(error) + (
                "\n\nImportfilen uppger att adressen är bekräftad, men det räknas inte: en person här ska ha "
                "kontrollerat den. Bekräfta adressen under Paragrafer (Adress bekräftad)." if claimed else ""))
            return []
        number = [m["mottagare_id"] for m in paragraf["mottagare"]].index(row["mottagare_id"]) + 1
        name, sheet_name = utdrag_names(self.meeting, row, number, fmt)
        path = self._ask_path(f"Spara protokollsutdraget för § {row['paragraf']}", name, fmt)
        if path is None:
            return []
        written = [path]
        refused = lambda error: self.dialogs.error(self, error_text(error))  # noqa: E731
        if sheet is not None:
            sheet_path = path.with_name(sheet_name if path.name == name else f"{path.stem} försättsblad{path.suffix}")
            if not save_rendered(self, self.store, sheet_doc, sheet, sheet_path, refused):
                return []
            written.append(sheet_path)
        if not save_rendered(self, self.store, utdrag_doc, utdrag, path, refused):
            return []
        text = [f"Protokollsutdraget är sparat:\n{path}"]
        if sheet is not None:
            text.append(f"Försättsbladet är sparat bredvid:\n{written[1]}")
            text.append("Sekretessärende: skicka med post i kuvert med försättsbladet överst, aldrig med e-post. "
                        f"Adressen är bekräftad: {row['adress']}.")
        announce_saved(self, self.dialogs, "\n\n".join(text), path)
        return written

    def _ask_path(self, caption: str, name: str, fmt: str) -> Path | None:
        return ask_save_path(self.dialogs, self, caption, name, fmt, kind="protokollsutdrag")

    # --- dispatch ----------------------------------------------------------------------------------------

    def change_channel(self, kanal: str) -> tasks.Task | None:
        """How the utdrag goes to the selected recipient, on the runner (``operations.set_dispatch_channel`` refuses
        e-mail for a secret § and a channel without an address); its task, or None when nothing changes."""
        row = self.selected()
        if row is None or self.meeting is None or kanal == row["kanal"]:
            return None
        return tasks.run(self, self.store, operations.set_dispatch_channel, self.meeting["id"], row["paragraf_id"],
                         row["mottagare_id"], kanal, done=lambda _none: self.saved.emit(), failed=self._refused)

    def mark_sent(self) -> tasks.Task | None:
        """Today, by the OS user; also registers the utdrag as an outgoing handling of the §'s ärende. The operation
        refuses one already sent, one before justering, a secret one to an unconfirmed address and a channel that
        cannot be used."""
        row = self.selected()
        if row is None or self.meeting is None:
            return None
        kanal = self.channel.currentData() or row["kanal"]
        return tasks.run(self, self.store, operations.mark_utdrag_sent, self.meeting["id"], row["paragraf_id"],
                         row["mottagare_id"], kanal, done=lambda _none: self.saved.emit(), failed=self._refused)

    def _refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self._update_actions()   # the channel shown is the stored one again
