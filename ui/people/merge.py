"""Slå ihop: two or more persons, or address-book entries, that are the same become one.

The user chooses which to keep and reads, before anything happens, what the merge will do: who or what is kept
(with the details it gets), what moves to it (ärenden, tjänsteskrivelser, seats, §§ …), what is removed, and what
else changes (a decision sent to another address from now on, an address to confirm again). When the core says a
merge may not be done (a justerat protokoll names the one to remove, an utdrag was sent to it …) the reason is
shown and Slå ihop stays disabled. The merge itself is ``operations.people.merge_persons`` / ``merge_recipients``
on the runner, which checks the same rules again inside its transaction.
"""

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QScrollArea, QVBoxLayout, QWidget

from nämndtool.operations import people
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.recipient_dialog import FormDialog
from nämndtool.ui.common.table_models import SECRET_FOREGROUND

KINDS = {
    "person": ("Slå ihop personer", people.describe_person, people.person_merge_preview, people.merge_persons),
    "mottagare": ("Slå ihop mottagare", people.describe_recipient, people.recipient_merge_preview,
                  people.merge_recipients),
}


class MergeDialog(FormDialog):
    """Choose the row to keep among ``rows`` (persons or recipients, ``kind``), read the preview, merge."""

    def __init__(self, store, dialogs, kind: str, rows: list[dict], parent=None):
        title, self.describe, self.preview_of, self.merge = KINDS[kind]
        super().__init__(title, store, dialogs, parent, save_text="Slå ihop")
        self.kind, self.rows = kind, rows
        intro = QLabel("Välj vilken som ska behållas. Allt som hänvisar till de andra flyttas till den, och de andra "
                       "tas bort. Sammanslagningen sparas i ändringsloggen med vem som gjorde den och när.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.choices = QButtonGroup(self)
        suggested = people.suggested_keep(store, kind, [r["id"] for r in rows])
        for row in rows:
            button = QRadioButton(self.describe(row))
            button.setAccessibleName(f"Behåll {row['namn']}")
            self.choices.addButton(button, row["id"])
            self.form.addRow(button)
            button.setChecked(row["id"] == suggested)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setAccessibleName("Vad som händer")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        holder = QWidget()
        QVBoxLayout(holder).addWidget(self.preview)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(260)
        self.layout_.insertWidget(1, scroll, 1)
        self.setMinimumWidth(720)
        self.result_preview: people.MergePreview | None = None
        self.choices.idToggled.connect(lambda _id, checked: self.show_preview() if checked else None)
        self.show_preview()

    def keep_id(self) -> int:
        return self.choices.checkedId()

    def remove_ids(self) -> list[int]:
        return [r["id"] for r in self.rows if r["id"] != self.keep_id()]

    def show_preview(self) -> None:
        try:
            preview = self.preview_of(self.store, self.keep_id(), self.remove_ids())
        except Exception as error:  # noqa: BLE001 — a row gone meanwhile is said, not crashed on
            self.preview.setText(_problems([error_text(error)]))
            self.save_button.setEnabled(False)
            return
        self.result_preview = preview
        parts = [_section("Behålls", [self.describe(preview.kept)])]
        if preview.moves:
            parts.append(_section("Flyttas till den som behålls",
                                  [f"{heading}: {', '.join(items)}" if items else heading
                                   for heading, items in preview.moves]))
        else:
            parts.append(_section("Flyttas till den som behålls", ["Ingenting hänvisar till de andra."]))
        parts.append(_section("Tas bort", [self.describe(r) for r in preview.removed]))
        if preview.notes:
            parts.append(_section("Dessutom", preview.notes))
        if preview.problems:
            parts.append(_problems(preview.problems))
        self.preview.setText("".join(parts))
        self.save_button.setEnabled(not preview.problems)

    def validate(self):
        if self.result_preview is None or self.result_preview.problems:
            return "Sammanslagningen kan inte göras, se ovan.", self.choices.checkedButton()
        return None

    def operation(self):
        return self.merge, (self.keep_id(), self.remove_ids())


def _section(heading: str, lines: list[str]) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<p><b>{escape(heading)}</b></p><ul style='margin-top:0'>{items}</ul>"


def _problems(lines: list[str]) -> str:
    colour = SECRET_FOREGROUND.name()
    return (f"<p style='color:{colour}'><b>Kan inte slås ihop</b></p>"
            + "".join(f"<p style='color:{colour}'>{escape(line)}</p>" for line in lines))
