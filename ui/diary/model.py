"""The diary as a lazy table: only the sorted ids come from SQL up front, rows are fetched as they are shown.

Like Anki's browser table: a query gives the ordered list of ids (cheap even for 100 000 ärenden), and ``data()``
fetches the block of rows around the one asked for. A few recent blocks are kept; the rest is read again when the
user scrolls back. Sorting is done by SQL with Swedish collation (store.SORT_KEYS), never in Python.

What a cell shows (texts, colours, fonts, tooltips) is worked out once per row when its block is fetched, so painting
a screen of rows only looks values up (issue 15: a keystroke repaints the visible rows, about 130 cells asked for
seven roles each).
"""

from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from nämndtool import labels
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy.labels import secrecy_status
from nämndtool.ui.common.table_models import (
    MUTED_FOREGROUND, ROW_ROLE, SECRET_BACKGROUND, SECRET_FOREGROUND, SECRET_ROLE, UNNUMBERED,
)

BLOCK = 200
"""Rows fetched together: about ten screens of the table."""

KEPT_BLOCKS = 20
"""Blocks kept in memory (4 000 rows); older ones are dropped and read again when needed."""

ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""The ärende id behind a row."""

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROW = int(ROW_ROLE)
_SECRET = int(SECRET_ROLE)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROLES_FROM_ROW = frozenset((_DISPLAY, _ROW, _SECRET, _BACKGROUND, _FOREGROUND, _FONT, _TOOLTIP))


@dataclass(frozen=True)
class DiaryQuery:
    """What the diary shows: the filters of ``store.arende_ids`` and, for a typed diary number, that one ärende."""

    search: str | None = None
    year: int | None = None
    status: str | None = None
    handlaggare_id: int | None = None
    sekretess: bool | None = None
    sort: str | None = None
    descending: bool = False
    only_id: int | None = None
    """Set when the user typed a diary number: the table shows that ärende (or nothing when it is missing)."""

    def filters(self) -> dict:
        found = asdict(self)
        found.pop("only_id")
        return found


@dataclass(frozen=True)
class DiaryColumn:
    header: str
    sort_key: str
    text: Callable[[dict], str]
    initial_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder


def diary_number(arende: dict) -> str:
    return arende.get("diarienummer") or UNNUMBERED


def sekretess_text(arende: dict) -> str:
    """The Sekretess cell: the grounds of a secret ärende; public ones stay blank so secret rows stand out."""
    return secrecy_status(1, arende.get("sekretess_lagrum")) if arende.get("sekretess") else ""


def _text(key: str) -> Callable[[dict], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


COLUMNS = (
    DiaryColumn("Diarienummer", "diarienummer", diary_number),
    DiaryColumn("Rubrik", "rubrik", _text("rubrik")),
    DiaryColumn("Status", "status", lambda a: labels.STATUS.get(a.get("status"), a.get("status") or "")),
    DiaryColumn("Handläggare", "handlaggare", _text("handlaggare")),
    DiaryColumn("Sekretess", "sekretess", sekretess_text, Qt.SortOrder.DescendingOrder),
    DiaryColumn("Registrerat", "registrerad", _text("registrerad"), Qt.SortOrder.DescendingOrder),
)
NUMBER_COLUMN, RUBRIK_COLUMN, STATUS_COLUMN, HANDLAGGARE_COLUMN, SEKRETESS_COLUMN, REGISTRERAT_COLUMN = range(6)

_MISSING = {"rubrik": "(ärendet finns inte längre)", "diarienummer": "", "sekretess": 0}
"""Shown for an id whose ärende was removed after the ids were read; the next reload drops it."""


class LazyDiaryModel(QAbstractTableModel):
    """Ärenden of the diary for a :class:`DiaryQuery`, fetched block by block from the store as they are shown."""

    load_failed = Signal(str)
    """A block of rows could not be read; the Swedish message for the user."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self._store = store
        self._query = DiaryQuery()
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._blocks: OrderedDict[int, list[_Row]] = OrderedDict()
        self._last_number: int | None = None
        """The block asked for last and its rows: a screen of cells is painted from one block."""
        self._last_block: list[_Row] = []
        self.fetches = 0
        """How many times rows were read from the store (for tests and for judging the cache)."""

    # --- the query ------------------------------------------------------------------------------

    @property
    def query(self) -> DiaryQuery:
        return self._query

    def set_query(self, query: DiaryQuery) -> None:
        """Read the ids for ``query`` and show them; a store error propagates and leaves the table as it was."""
        if query.only_id is not None:
            ids = [query.only_id]
        else:
            ids = self._store.arende_ids(**query.filters())
        self.beginResetModel()
        self._query = query
        self._ids = ids
        self._positions = None
        self._blocks.clear()
        self._last_number, self._last_block = None, []
        self.endResetModel()

    def refresh(self) -> None:
        """Read the ids and rows again for the same query (after a change in the store)."""
        self.set_query(self._query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column through SQL; a column of -1 returns to the diary's own order (newest number first)."""
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        self.set_query(replace(self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    # --- rows -----------------------------------------------------------------------------------

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, arende_id: int) -> int | None:
        """The row showing this ärende, or None when the query leaves it out."""
        if self._positions is None:
            self._positions = {found: row for row, found in enumerate(self._ids)}
        return self._positions.get(arende_id)

    def arende_at(self, row: int) -> dict:
        """The ärende on ``row`` (fetching its block when it is not in memory)."""
        return self._row(row).arende

    def _row(self, row: int) -> "_Row":
        number, offset = divmod(row, BLOCK)
        if number == self._last_number:
            return self._last_block[offset]
        block = self._blocks.get(number)
        if block is None:
            block = self._fetch(number)
        else:
            self._blocks.move_to_end(number)
        self._last_number, self._last_block = number, block
        return block[offset]

    def cached_rows(self) -> int:
        return sum(len(block) for block in self._blocks.values())

    def is_cached(self, row: int) -> bool:
        return row // BLOCK in self._blocks

    def _fetch(self, number: int) -> list["_Row"]:
        ids = self._ids[number * BLOCK:(number + 1) * BLOCK]
        self.fetches += 1
        try:
            found = {a["id"]: a for a in self._store.arenden_by_ids(ids)}
        except NamndtoolError as error:
            # Painting cannot show a dialog; the page shows the message and the next reload tries again.
            found = {}
            self.load_failed.emit(str(error))
        block = [_Row(found.get(i) or {**_MISSING, "id": i}) for i in ids]
        self._blocks[number] = block
        while len(self._blocks) > KEPT_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    # --- Qt -------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return COLUMNS[section].initial_order
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sortera efter {COLUMNS[section].header.lower()}"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._ids):   # an invalid index has row -1
            return None
        if role == _ALIGNMENT:
            return _LEFT
        if role == ID_ROLE:
            return self._ids[row]
        if role not in _ROLES_FROM_ROW:
            return None
        return self._row(row).cells()[role][index.column()]


class _Row:
    """One fetched ärende and what each of its cells shows, by role then column, worked out the first time one of
    its cells is asked for (a block holds 200 rows; a screen shows about 25 of them)."""

    __slots__ = ("arende", "_cells")

    def __init__(self, arende: dict):
        self.arende = arende
        self._cells: dict[int, tuple] | None = None

    def cells(self) -> dict[int, tuple]:
        if self._cells is None:
            self._cells = _cells(self.arende)
        return self._cells


def _cells(arende: dict) -> dict[int, tuple]:
    secret = bool(arende.get("sekretess"))
    unnumbered = not arende.get("diarienummer")
    every = range(len(COLUMNS))
    return {
        _DISPLAY: tuple(column.text(arende) for column in COLUMNS),
        _ROW: (arende,) * len(COLUMNS),
        _SECRET: (secret,) * len(COLUMNS),
        _BACKGROUND: (SECRET_BACKGROUND if secret else None,) * len(COLUMNS),
        _FOREGROUND: tuple(SECRET_FOREGROUND if secret else MUTED_FOREGROUND
                           if unnumbered and column == NUMBER_COLUMN else None for column in every),
        _FONT: tuple(_font(bold=secret and column == SEKRETESS_COLUMN,
                           italic=unnumbered and column == NUMBER_COLUMN) for column in every),
        _TOOLTIP: (_tooltip(arende),) * len(COLUMNS),
    }


_FONTS: dict[tuple[bool, bool], QFont] = {}


def _font(*, bold: bool, italic: bool) -> QFont | None:
    """The cell's font when it differs from the table's: one shared QFont per kind."""
    if not (bold or italic):
        return None
    font = _FONTS.get((bold, italic))
    if font is None:
        font = _FONTS[bold, italic] = QFont()
        font.setBold(bold)
        font.setItalic(italic)
    return font


def _tooltip(arende: dict) -> str | None:
    """Secret rows say why and what the public sees; unnumbered ones why they have no number."""
    if arende.get("sekretess"):
        public = arende.get("offentlig_rubrik")
        text = secrecy_status(1, arende.get("sekretess_lagrum"))
        return f"{text}. Offentlig rubrik: {public}" if public else f"{text}. Ingen offentlig rubrik är angiven."
    if not arende.get("diarienummer"):
        return "Ärendet är inte diariefört (till exempel Meddelanden eller Anmälan av delegationsbeslut)."
    return None
