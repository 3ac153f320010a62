"""Files dropped on an ärende, confirmed before they are registered as handlingar: on its row in the diary, or on
its tjänsteskrivelse in the editor, where they become bilagor to the tjänsteskrivelse unless the user says not."""

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout,
    QWidget,
)

from nämndtool.operations import diary
from nämndtool.ui.common.form_fields import DateEdit, problem_label, secret_banner, show_problems
from nämndtool.ui.common.table_models import UNNUMBERED
from nämndtool.ui.common.widgets import muted

MANY_FILES = 8
"""Above this many dropped files, their descriptions scroll instead of making the dialog taller than the screen."""

BILAGOR_TEXT = "Gör filerna till bilagor till tjänsteskrivelsen"
BILAGA_TEXT = "Gör filen till bilaga till tjänsteskrivelsen"
BILAGOR_HINT = ("Bilagorna följer med tjänsteskrivelsen i handlingarna till sammanträdet och står under "
                "Ärendets handlingar.")


def arende_name(arende: dict) -> str:
    """How an ärende is named in a sentence: its diary number, or its rubrik when it has none."""
    return arende.get("diarienummer") or f"ärendet ”{arende.get('rubrik') or UNNUMBERED}”"


def local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files a drag carries (none for text or web addresses)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class HandlingarDialog(QDialog):
    """Confirms files dropped on an ärende: which ärende, each file's description (its name to start with), the
    date, and whether they become bilagor to the tjänsteskrivelse (``bilagor``: ticked to start with)."""

    def __init__(self, arende: dict, paths: list[Path], skipped: list[str], parent: QWidget | None = None,
                 *, bilagor: bool = False):
        super().__init__(parent)
        self.arende = arende
        self.paths = list(paths)
        self.setWindowTitle("Registrera handlingar")
        self.setMinimumWidth(620)
        count = "filen" if len(paths) == 1 else f"de {len(paths)} filerna"
        intro = QLabel(f"Registrera {count} som inkomna handlingar i {arende_name(arende)}"
                       + (f" – {arende['rubrik']}" if arende.get("diarienummer") else "") + ".")
        intro.setWordWrap(True)

        self.descriptions: list[QLineEdit] = []
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for path in self.paths:
            edit = QLineEdit(path.stem)
            edit.setAccessibleName(f"Beskrivning av {path.name}")
            edit.setToolTip(str(path))
            self.descriptions.append(edit)
            form.addRow(f"{path.name}:", edit)
        self.date = DateEdit(QDate.currentDate())
        self.date.setAccessibleName("Inkom")
        form.addRow("Inkom:", self.date)
        self.bilagor = QCheckBox(BILAGA_TEXT if len(self.paths) == 1 else BILAGOR_TEXT)
        self.bilagor.setAccessibleName(self.bilagor.text())
        self.bilagor.setToolTip(BILAGOR_HINT)
        self.bilagor.setChecked(bilagor)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if arende.get("sekretess"):
            grounds = arende.get("sekretess_lagrum") or "samma grund som ärendet"
            layout.addWidget(secret_banner(f"Handlingarna registreras med sekretess ({grounds})."))
        layout.addWidget(muted("Beskrivningen är filens namn från början; "
                               "ändra den om den inte säger vad handlingen är."))
        if len(self.paths) > MANY_FILES:
            inner = QWidget()
            inner.setLayout(form)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(inner)
            scroll.setMinimumHeight((self.descriptions[0].sizeHint().height() + 6) * MANY_FILES)
            layout.addWidget(scroll)
        else:
            layout.addLayout(form)
        layout.addWidget(self.bilagor)
        if skipped:
            layout.addWidget(muted("Hoppas över:\n" + "\n".join(skipped)))
        self.problems = problem_label()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Registrera")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def files(self) -> list[diary.DroppedFile]:
        """Each file with its description and whether it becomes a bilaga, as ``diary.register_files`` takes them."""
        bilaga = self.bilagor.isChecked()
        return [diary.DroppedFile(path, edit.text().strip(), bilaga)
                for path, edit in zip(self.paths, self.descriptions)]

    def datum(self) -> str:
        return self.date.date().toString("yyyy-MM-dd")

    def accept(self) -> None:
        empty = [edit for edit in self.descriptions if not edit.text().strip()]
        show_problems(self.problems, ["Varje handling behöver en beskrivning."] if empty else [])
        if empty:
            empty[0].setFocus()
            return
        super().accept()
