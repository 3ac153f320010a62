"""Standardtexter: the nämnd's decision texts for the standing items (Upprop, Val av justerare, Fastställande av
dagordning …). A new § for such an item starts from its text instead of an empty decision; §§ already made keep
theirs. Saved with ``operations.protokoll.save_standard_texts`` on the app's runner: the dialog closes when that has
succeeded and keeps what was typed when it is refused."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QScrollArea, QVBoxLayout, QWidget

from nämndtool.operations import protokoll as operations
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.row_lists import RowList, SectionRow
from nämndtool.ui.common.widgets import muted
from nämndtool.ui.protokoll.common import problem_label, show_note


class StandardTextRow(SectionRow):
    """One standing item: its title as the agenda writes it (in the heading field), and the decision text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.punkt = self.rubrik
        self.punkt.setAccessibleName("Punkt")
        self.punkt.setPlaceholderText("Punkten, t.ex. Upprop")
        self.text.setAccessibleName("Standardtext")
        self.text.setPlaceholderText("Beslutet, t.ex. {organ} fastställer dagordningen. Tomt: ingen standardtext.")

    def value(self) -> dict:
        value = super().value()
        return {"punkt": value["rubrik"].strip(), "text": value["text"].strip()}

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        super().set_value({"rubrik": value.get("punkt"), "text": value.get("text")})


class StandardTextsDialog(QDialog):
    """The standard texts of the meeting's nämnd. ``saved`` after the operation stored them."""

    saved = Signal()

    def __init__(self, store, dialogs, meeting: dict, parent=None):
        super().__init__(parent)
        self.store, self.dialogs, self.meeting = store, dialogs, meeting
        self.task: tasks.Task | None = None
        self.setWindowTitle(f"Standardtexter för beslut – {meeting['namnd']}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        intro = muted("En ny paragraf för en av de här punkterna får texten som beslut. {organ} blir organets namn "
                      f"(till exempel {meeting['organ']}) och {{justerare}} de justerare som sammanträdet utser. En "
                      "tom text betyder att punkten inte får någon. Paragrafer som redan finns behåller sin text.")
        intro.setWordWrap(True)
        self.rows = RowList(StandardTextRow, add_text="Lägg till punkt", empty_text="Inga standardtexter.")
        self.rows.set_values(operations.standard_texts(store, meeting["namnd_id"]))
        self.defaults_button = QPushButton("Programmets texter")
        self.defaults_button.setToolTip("Fyller i programmets förslag på nytt (sparas först med Spara)")
        self.defaults_button.clicked.connect(self.use_defaults)
        self.problem = problem_label()
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addWidget(self.rows)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Spara", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(760, 620)

    def use_defaults(self) -> None:
        self.rows.set_values([{"punkt": p, "text": t} for p, t in operations.DEFAULT_STANDARD_TEXTS])

    def values(self) -> list[dict]:
        return [v for v in self.rows.values() if v["punkt"] or v["text"]]

    def accept(self) -> None:
        if self.task is not None:
            return
        self.buttons.setEnabled(False)
        self.task = tasks.run(self, self.store, operations.save_standard_texts, self.meeting["namnd_id"],
                              self.values(), done=self._stored, failed=self._refused)

    def _stored(self, _texts: list[dict]) -> None:
        self.task = None
        self.saved.emit()
        QDialog.accept(self)

    def _refused(self, error: BaseException) -> None:
        self.task = None
        self.buttons.setEnabled(True)
        show_note(self.problem, error_text(error))
        self.dialogs.error(self, error_text(error))

    def reject(self) -> None:
        if self.task is None:
            super().reject()
