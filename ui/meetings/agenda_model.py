"""The editable agenda of one meeting: order by drag and drop or move, numbers 1..n, readiness at a glance.

The model changes its own rows (move, insert, remove, edit) and then emits ``edited``; the page writes the
whole agenda to the store and hands the stored rows back with ``refresh``. The placement rules (where a
standard item or an ärende goes) are plain functions over the item list in ``operations.meetings``, which the
operations that add items (several ärenden, a copied agenda) follow too.
"""

import json
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from nämndtool import labels
from nämndtool.readiness import item_notes, note_explanation, notes_summary
from nämndtool.operations.meetings import arende_position, has_standard, standard_position  # noqa: F401 — the rules
from nämndtool.store.sammantraden import READY_STATUSES
from nämndtool.secrecy.labels import secrecy_status
from nämndtool.ui.common.table_models import (
    MISSING_COLOUR, MUTED_FOREGROUND, READY_COLOUR, SECRET_MARK, UNNUMBERED, Column, RowTableModel,
)

AGENDA_MIME = "application/x-namndtool-dagordningspunkt"
STORED_FIELDS = ("nr", "rubrik", "typ", "arende_id", "sekretess", "sekretess_lagrum", "anteckning")
"""What the store keeps of an item; the other keys of a row (diarienummer, readiness) are read back from it."""

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


# --- placement rules ----------------------------------------------------------------------------------------


def standard_item(title: str) -> dict:
    return {"rubrik": title, "typ": "standard", "arende_id": None, "sekretess": 0, "sekretess_lagrum": None,
            "anteckning": None}


# --- readiness ------------------------------------------------------------------------------------------------


def readiness_problems(item: dict) -> list[str]:
    """What an ärende item still lacks before its handlingar can be put out, most serious first."""
    if item.get("arende_id") is None:
        return []
    problems = []
    if not item.get("har_tjansteskrivelse"):
        problems.append("Tjänsteskrivelse saknas")
    if item.get("arende_status") not in READY_STATUSES:
        problems.append("Inte klar")
    if (item.get("antal_listade") or 0) > (item.get("antal_bilagor") or 0):
        problems.append("Bilagor saknas")
    return problems


def readiness_text(item: dict) -> str:
    """The Status cell: the most serious problem, ``Klar`` with the item's notes (``Klar – bilaga ej
    tillgänglighetsanpassad``: a note, not a blocker), or nothing for an item without an ärende."""
    if item.get("arende_id") is None:
        return "Inget ärende i diariet" if item.get("typ") == "arende" else ""
    problems = readiness_problems(item)
    return problems[0] if problems else " – ".join(["Klar", *item_notes(item)])


def readiness_tooltip(item: dict) -> str:
    if item.get("arende_id") is None:
        if item.get("typ") == "arende":
            return "Punkten är inte kopplad till något ärende i diariet, så dess handlingar kan inte kontrolleras."
        return ""
    lines = []
    if not item.get("har_tjansteskrivelse"):
        lines.append("Ärendet har ingen tjänsteskrivelse ännu.")
    if item.get("arende_status") not in READY_STATUSES:
        lines.append("Ärendet är inte markerat som klart för nämnd.")
    listed, attached = item.get("antal_listade") or 0, item.get("antal_bilagor") or 0
    if listed > attached:
        lines.append(missing_bilagor_text(listed, attached))
    if not lines:
        lines.append("Tjänsteskrivelse och bilagor finns; ärendet är klart för nämnd.")
    if note_explanation(item):
        lines.append(note_explanation(item))
    return "\n".join(lines)


def missing_bilagor_text(listed: int, attached: int) -> str:
    """What "Bilagor saknas" means and what to do: Ärendets handlingar names more handlingar than the ärende has
    bilagor (handlingar made bilagor, which go into the handlingar for the meeting)."""
    names = f"{listed} {'handling' if listed == 1 else 'handlingar'}"
    has = ("ärendet har ingen bilaga" if attached == 0
           else f"ärendet har bara {attached} {'bilaga' if attached == 1 else 'bilagor'}")
    return (f"Tjänsteskrivelsen nämner {names} under Ärendets handlingar, men {has}. Öppna ärendet och gör "
            "handlingen till bilaga under fliken Handlingar (registrera filen där om den saknas), eller ta bort "
            "raden ur Ärendets handlingar.")


def readiness_summary(items: list[dict]) -> str:
    """One line under the agenda's title: can the handlingar be sent out with the kallelse, and if not, what is missing."""
    cases = [item for item in items if item.get("arende_id") is not None]
    secret = sum(1 for item in items if item.get("sekretess"))
    secret_text = f" {secret} {'punkt' if secret == 1 else 'punkter'} med sekretess." if secret else ""
    if not cases:
        return "Dagordningen har inga ärenden ur diariet ännu." + secret_text
    notes = notes_summary(cases)
    secret_text = (f" {notes}" if notes else "") + secret_text   # a note between the verdict and the secrecy count
    lacking = {"Tjänsteskrivelse saknas": 0, "Inte klar": 0, "Bilagor saknas": 0}
    for item in cases:
        for problem in readiness_problems(item):
            lacking[problem] += 1
    ready = sum(1 for item in cases if not readiness_problems(item))
    noun = "ärende" if len(cases) == 1 else "ärenden"
    if ready == len(cases):
        everything = "ärendet är klart" if len(cases) == 1 else f"alla {len(cases)} ärenden är klara"
        return f"Handlingarna kan skickas ut: {everything}." + secret_text
    parts = []
    if lacking["Tjänsteskrivelse saknas"]:
        parts.append(f"{lacking['Tjänsteskrivelse saknas']} saknar tjänsteskrivelse")
    if lacking["Inte klar"]:
        n = lacking["Inte klar"]
        parts.append(f"{n} är inte {'klart' if n == 1 else 'klara'} för nämnd")
    if lacking["Bilagor saknas"]:
        parts.append(f"{lacking['Bilagor saknas']} saknar bilagor")
    return (f"Innan handlingarna skickas ut: {ready} av {len(cases)} {noun} klara – " + ", ".join(parts) + "."
            + secret_text)


# --- the model --------------------------------------------------------------------------------------------------


def agenda_beteckning(item: dict) -> str:
    """The diary number of an agenda item, with the secret marker on secret items."""
    number = item.get("diarienummer") or ""
    if item.get("sekretess"):
        return f"{number}  {SECRET_MARK}" if number else SECRET_MARK
    return number


def _nr(item: dict) -> str:
    return str(item.get("nr") or "")


def _rubrik(item: dict) -> str:
    return item.get("rubrik") or ""


class AgendaEditorModel(RowTableModel):
    """The agenda items of one meeting, reorderable by drag and drop, with the readiness of each ärende."""

    COLUMNS = (
        Column("Nr", _nr, _RIGHT),
        Column("Ärende", _rubrik),
        Column("Beteckning", agenda_beteckning, emphasis=True),
        Column("Status", readiness_text),
    )
    TITLE_COLUMN = 1
    STATUS_COLUMN = 3

    edited = Signal(str)
    """The model changed its items itself (moved, added, removed, edited), with what was done (the name of the undo
    step: "flytta punkt"); the page saves the agenda."""

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.read_only = False

    # --- reading ---------------------------------------------------------------------------------------------

    def items(self) -> list[dict]:
        """The items as the store takes them, numbered 1..n in display order."""
        return [{**{f: item.get(f) for f in STORED_FIELDS}, "id": item.get("id"), "nr": nr}
                for nr, item in enumerate(self._rows, 1)]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))

    def refresh(self, rows: list[dict]) -> None:
        """The stored rows after a save: in place when the order is unchanged, so the selection stays."""
        if len(rows) != len(self._rows):
            self.set_rows(rows)
            return
        self._rows = list(rows)
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole and column == self.TITLE_COLUMN:
            return _rubrik(item)
        if column == self.STATUS_COLUMN:
            if role == Qt.ItemDataRole.ForegroundRole:
                text = readiness_text(item)
                if not text:
                    return None
                if item.get("arende_id") is None:
                    return MUTED_FOREGROUND
                return MISSING_COLOUR if readiness_problems(item) else READY_COLOUR
            if role == Qt.ItemDataRole.ToolTipRole:
                return readiness_tooltip(item) or None
        if role == Qt.ItemDataRole.ToolTipRole and column != self.STATUS_COLUMN and not item.get("sekretess"):
            return item.get("anteckning") or None
        return super().data(index, role)

    # --- editing ---------------------------------------------------------------------------------------------

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags if self.read_only else Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
            if index.column() == self.TITLE_COLUMN:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (self.read_only or not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() != self.TITLE_COLUMN):
            return False
        title = str(value or "").strip()
        if not title or title == self._rows[index.row()].get("rubrik"):
            return False
        self._rows[index.row()] = {**self._rows[index.row()], "rubrik": title}
        self.dataChanged.emit(index, index)
        self.edited.emit("ändra rubrik")
        return True

    def update_item(self, row: int, changes: dict, what: str = "ändra punkt") -> None:
        self._rows[row] = {**self._rows[row], **changes}
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        self.edited.emit(what)

    def insert_item(self, row: int, item: dict, what: str = "lägg till punkt") -> None:
        self.insert_items([(row, item)], what)

    def insert_items(self, placed: list[tuple[int, dict]], what: str = "lägg till punkter") -> None:
        """Several items, each at its position in the list as it is when it goes in; one save afterwards."""
        for row, item in placed:
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, dict(item))
            self.endInsertRows()
        self._renumber()
        self.edited.emit(what)

    def remove_item(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self._renumber()
        self.edited.emit("ta bort punkt")

    def snapshot(self) -> list[dict]:
        """The rows as they are now (copies), for an undo step to put back with :meth:`restore`."""
        return [dict(row) for row in self._rows]

    def restore(self, rows: list[dict]) -> None:
        """Rows from :meth:`snapshot`, numbered anew; no ``edited`` (the page saves them itself)."""
        self.set_rows([dict(row) for row in rows])
        self._renumber()

    def move_item(self, row: int, to_row: int) -> bool:
        """Move the item at ``row`` so that it ends up at ``to_row``."""
        if not (0 <= row < len(self._rows) and 0 <= to_row < len(self._rows)) or row == to_row:
            return False
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), to_row + 1 if to_row > row else to_row)

    def moveRows(self, source_parent: QModelIndex | QPersistentModelIndex, source_row: int, count: int,
                 destination_parent: QModelIndex | QPersistentModelIndex, destination_child: int) -> bool:
        """Qt's move: ``destination_child`` is the row the items go before, counted before the move."""
        if (self.read_only or source_parent.isValid() or destination_parent.isValid() or count < 1
                or source_row < 0 or source_row + count > len(self._rows)
                or not 0 <= destination_child <= len(self._rows)
                or source_row <= destination_child <= source_row + count):
            return False
        if not self.beginMoveRows(QModelIndex(), source_row, source_row + count - 1, QModelIndex(), destination_child):
            return False
        moving = self._rows[source_row:source_row + count]
        rest = self._rows[:source_row] + self._rows[source_row + count:]
        at = destination_child if destination_child < source_row else destination_child - count
        self._rows = rest[:at] + moving + rest[at:]
        self.endMoveRows()
        self._renumber()
        self.edited.emit("flytta punkt")
        return True

    def _renumber(self) -> None:
        for nr, item in enumerate(self._rows, 1):
            item["nr"] = nr
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # --- drag and drop ------------------------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [AGENDA_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data = QMimeData()
        data.setData(AGENDA_MIME, QByteArray(json.dumps({"model": id(self), "rows": rows}).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not self.read_only and action == Qt.DropAction.MoveAction and self._dragged_rows(data) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Move the dragged items to the drop position.

        The move happens here, so the view's follow-up removeRows (for a MoveAction drop) must do nothing:
        this model does not implement removeRows, whose default refuses.
        """
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        rows = self._dragged_rows(data)
        if row < 0 and parent.isValid():
            # Dropped onto an item: the dragged items take its place (below it when dragged downwards).
            row = parent.row() + 1 if parent.row() > rows[0] else parent.row()
        elif row < 0:
            row = len(self._rows)
        return self.moveRows(QModelIndex(), rows[0], len(rows), QModelIndex(), row)

    def _dragged_rows(self, data: QMimeData) -> list[int] | None:
        """The rows of this model that ``data`` carries, as one contiguous run; None for anything else."""
        if not data.hasFormat(AGENDA_MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(AGENDA_MIME)).decode())
        except (ValueError, UnicodeDecodeError):
            return None
        rows = payload.get("rows") or []
        if payload.get("model") != id(self) or not rows or rows != list(range(rows[0], rows[0] + len(rows))):
            return None
        if rows[0] < 0 or rows[-1] >= len(self._rows):
            return None
        return rows


# --- picking an ärende ------------------------------------------------------------------------------------------


def _pick_sekretess(arende: dict) -> str:
    return secrecy_status(1, arende.get("sekretess_lagrum")) if arende.get("sekretess") else ""


class ArendePickModel(RowTableModel):
    """Ärenden found in the diary; those already on the agenda are shown but cannot be picked again, and those on
    another open agenda say which."""

    COLUMNS = (
        Column("Diarienummer", lambda a: a.get("diarienummer") or UNNUMBERED),
        Column("Rubrik", _rubrik),
        Column("Status", lambda a: labels.STATUS.get(a.get("status"), a.get("status") or "")),
        Column("Sekretess", _pick_sekretess, emphasis=True),
        Column("Dagordning", lambda a: ""),
    )
    ON_AGENDA_COLUMN = 4

    def __init__(self, on_agenda: dict[int, int], parent=None):
        super().__init__(parent=parent)
        self.on_agenda = dict(on_agenda)
        """ärende id -> the number of its item on this agenda"""
        self.elsewhere: dict[int, str] = {}
        """ärende id -> the other open meeting whose agenda it stands on ("Socialnämnden 2026-12-23")"""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < len(self._rows):
            arende_id = self._rows[index.row()]["id"]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == self.ON_AGENDA_COLUMN:
                if arende_id in self.on_agenda:
                    return f"Punkt {self.on_agenda[arende_id]}"
                return f"Står på {self.elsewhere[arende_id]}" if arende_id in self.elsewhere else ""
            if (role == Qt.ItemDataRole.ForegroundRole and arende_id in self.on_agenda
                    and not self._rows[index.row()].get("sekretess")):
                return MUTED_FOREGROUND
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and self._rows[index.row()]["id"] in self.on_agenda:
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def first_free_row(self) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row["id"] not in self.on_agenda), None)
