"""Paragrafer: the §§ of the protokoll in a list, made from the agenda, and the editor of the chosen one."""

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget

from nämndtool.operations import protokoll as operations
from nämndtool.ui.common import tasks
from nämndtool.ui.common.table_models import SECRET_MARK, Column, RowTableModel
from nämndtool.ui.protokoll.common import OK_COLOUR, PROBLEM_COLOUR
from nämndtool.ui.protokoll.paragraf_editor import ParagrafEditor
from nämndtool.ui.protokoll.standard_texts import StandardTextsDialog
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import count_text, fit_columns, muted, table_view

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CHECK_COLUMN = 3


def _marking(p: dict) -> str:
    parts = [SECRET_MARK] if p["sekretess"] else []
    if p["omedelbart_justerad"]:
        parts.append("Omedelbart justerad")
    return ", ".join(parts)


def missing_of(missing: list[str], nr: int) -> list[str]:
    """The lines of the KL check that concern § ``nr``, without the "§ nr rubrik:" they start with."""
    prefix = f"§ {nr} "
    return [m.split(": ", 1)[1] if ": " in m else m for m in missing if m.startswith(prefix)]


class ParagraphsModel(RowTableModel):
    """The §§ (``protokoll["paragrafer"]`` with ``saknas``, the KL check lines of each)."""

    COLUMNS = (
        Column("§", lambda p: str(p["nr"]), _RIGHT),
        Column("Rubrik", lambda p: p["rubrik"]),
        Column("Markering", _marking, emphasis=True),
        Column("Kontroll", lambda p: "Saknas uppgifter" if p.get("saknas") else "Komplett"),
    )

    def row_of(self, paragraf_id: int | None) -> int | None:
        return next((i for i, p in enumerate(self._rows) if p["id"] == paragraf_id), None)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == CHECK_COLUMN and index.row() < len(self._rows):
            p = self._rows[index.row()]
            if role == Qt.ItemDataRole.ForegroundRole:
                return PROBLEM_COLOUR if p.get("saknas") else OK_COLOUR
            if role == Qt.ItemDataRole.ToolTipRole and p.get("saknas"):
                return "\n".join(p["saknas"])
        return super().data(index, role)


class ParagrafTab(QWidget):
    """The list of §§ and the editor. ``saved`` after anything was written."""

    saved = Signal()
    edited = Signal()

    def __init__(self, store, dialogs, parent=None):
        super().__init__(parent)
        self.store, self.dialogs = store, dialogs
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.locked = False
        self._missing: list[str] = []
        self._selecting = False

        self.create_button = QPushButton("Skapa paragrafer från dagordningen")
        self.create_button.setToolTip("En § för varje punkt på dagordningen som saknar en, numrerad i årets serie")
        self.create_button.clicked.connect(self.create_paragraphs)
        self.texts_button = QPushButton("Standardtexter…")
        self.texts_button.setToolTip("Nämndens beslutstexter för Upprop, Val av justerare, Fastställande av "
                                     "dagordning och andra stående punkter")
        self.texts_button.clicked.connect(lambda: self.edit_standard_texts())
        self.texts_dialog: StandardTextsDialog | None = None
        self.intro = muted()
        self.model = ParagraphsModel(parent=self)
        self.list = table_view(self.model)
        self.list.setAccessibleName("Paragrafer")
        fit_columns(self.list, stretch=1)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.editor = ParagrafEditor(store, dialogs)
        self.editor.saved.connect(self._after_save)
        self.editor.edited.connect(self.edited)
        self.empty = muted("Välj en paragraf i listan.")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(12, 4, 12, 4)
        holder_layout.addWidget(self.empty)
        holder_layout.addWidget(self.editor)
        self.scroll.setWidget(holder)

        bar = QHBoxLayout()
        bar.setContentsMargins(12, 0, 12, 0)
        bar.addWidget(self.editor.state, 1)
        bar.addWidget(self.editor.undo_button)
        bar.addWidget(self.editor.save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.scroll, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.create_button)
        top.addStretch(1)
        top.addWidget(self.texts_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.intro)
        left_layout.addWidget(self.list, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([460, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    # --- showing ------------------------------------------------------------------------------------------

    def load(self, meeting: dict, protokoll: dict | None, locked: bool, missing: list[str]) -> None:
        """Show the §§ as stored; the § being edited keeps what was typed when it has unsaved changes."""
        self.meeting, self.protokoll, self.locked, self._missing = meeting, protokoll, locked, missing
        self.editor.meeting = meeting
        paragrafer = [{**p, "saknas": missing_of(missing, p["nr"])} for p in (protokoll or {}).get("paragrafer", [])]
        current = self.current_id()
        self._selecting = True
        self.model.set_rows(paragrafer)
        row = self.model.row_of(current)
        if row is None and paragrafer:
            row = 0
        if row is not None:
            self.list.selectRow(row)
        self._selecting = False
        self.create_button.setEnabled(not locked)
        if paragrafer:
            self.intro.setText(f"{count_text(len(paragrafer), 'paragraf', 'paragrafer')}, "
                               f"§§ {paragrafer[0]['nr']}–{paragrafer[-1]['nr']}.")
        else:
            self.intro.setText("Protokollet har inga paragrafer ännu. Skapa dem från dagordningen: varje punkt blir "
                               "en § i årets nummerserie, med beslutet förifyllt från förslaget till beslut.")
        self._show_selected(keep_edits=True)

    def _show_selected(self, keep_edits: bool) -> None:
        p = self.selected()
        narvaro = (self.protokoll or {}).get("narvaro", [])
        self.empty.setVisible(p is None)
        self.editor.setVisible(p is not None)
        if p is None:
            self.editor.paragraf = None
            return
        saknas = p["saknas"]
        if keep_edits and self.editor.paragraf and self.editor.paragraf["id"] == p["id"] \
                and self.editor.has_unsaved_changes():
            self.editor.update_context(narvaro, self.locked, saknas)
        else:
            self.editor.load(p, narvaro, self.locked, saknas, (self.protokoll or {}).get("justerare", []))

    def current_id(self) -> int | None:
        return self.editor.paragraf["id"] if self.editor.paragraf else None

    def selected(self) -> dict | None:
        rows = self.list.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_number(self, nr: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row)["nr"] == nr:
                self.list.selectRow(row)
                return self.selected() is not None and self.selected()["nr"] == nr
        return False

    def _on_selection(self, *_args) -> None:
        if self._selecting:
            return
        chosen = self.selected()
        if self.editor.paragraf and chosen and chosen["id"] != self.editor.paragraf["id"] \
                and self.editor.has_unsaved_changes() and not self.leave_paragraph():
            self._selecting = True
            row = self.model.row_of(self.editor.paragraf["id"])
            if row is not None:
                self.list.selectRow(row)
            self._selecting = False
            return
        if chosen and (self.selected() or {}).get("id") != chosen["id"]:
            # saving reloaded the list and selected the § that was saved; go on to the one chosen
            self._selecting = True
            row = self.model.row_of(chosen["id"])
            if row is not None:
                self.list.selectRow(row)
            self._selecting = False
        self._show_selected(keep_edits=False)
        self.scroll.verticalScrollBar().setValue(0)

    def leave_paragraph(self) -> bool:
        """Before another § is shown: the changes are saved (and the save waited for, so nothing typed is lost to a
        refusal); when that fails the user decides."""
        if not self.editor.has_unsaved_changes() or tasks.wait_for(self.editor.save()):
            return True
        answer = self.dialogs.unsaved_changes(self, f"§ {self.editor.paragraf['nr']}")
        if answer == "discard":
            self.editor.discard()
            return True
        return answer == "save" and tasks.wait_for(self.editor.save())

    def has_unsaved_changes(self) -> bool:
        return self.editor.has_unsaved_changes()

    def save(self) -> tasks.Task | None:
        """The § being edited to the runner (see ``ParagrafEditor.save``)."""
        return self.editor.save()

    def discard(self) -> None:
        self.editor.discard()

    # --- creating ---------------------------------------------------------------------------------------

    def create_paragraphs(self) -> tasks.Task | None:
        """A § for every agenda item without one, on the runner; its task, or None when the § being edited could
        not be left. A refusal (e.g. a later meeting already has §§ this year) is shown."""
        if self.meeting is None:
            return None
        if self.editor.has_unsaved_changes() and not self.leave_paragraph():
            return None
        meeting_id = self.meeting["id"]
        return tasks.run(self, self.store, operations.create_paragraphs, meeting_id,
                         done=lambda created: self._created(meeting_id, created),
                         failed=lambda error: self.dialogs.error(self, error_text(error)))

    def _created(self, meeting_id: int, created: list[int]) -> None:
        if created:
            self.saved.emit()
            return
        try:
            empty = not self.store.agenda(meeting_id)
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self, error_text(error))
            return
        self.dialogs.info(self, "Dagordningen är tom. Lägg in punkterna under Sammanträden först." if empty
                          else "Alla punkter på dagordningen har redan en paragraf.")

    def _after_save(self) -> None:
        self.saved.emit()

    # --- the nämnd's standard texts ----------------------------------------------------------------------

    def edit_standard_texts(self) -> StandardTextsDialog | None:
        """The dialog where the nämnd's standard decision texts are changed (new §§ start from them)."""
        if self.meeting is None:
            return None
        self.texts_dialog = StandardTextsDialog(self.store, self.dialogs, self.meeting, parent=self)
        self.texts_dialog.saved.connect(self._texts_saved)
        self.texts_dialog.finished.connect(self.texts_dialog.deleteLater)
        self.texts_dialog.open()
        return self.texts_dialog

    def _texts_saved(self) -> None:
        if self.editor.paragraf is not None:
            self.editor.show_beslut_source()
