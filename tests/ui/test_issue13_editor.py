"""Issue 13, the tjänsteskrivelse form as a handläggare reads it: the förslag placeholder shows a whole decision
sentence (the print adds no lead-in), and the text hints speak of what to type, not of "Markdown"."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from keys import type_text
from test_ui_editor import arende_id, fast_autosave, open_editor, preview_text, wait_preview  # noqa: F401 — fixture


def test_a_new_forslag_is_printed_exactly_as_the_placeholder_suggests_writing_it(qtbot, imported, fast_autosave):
    store, _meeting_id = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:17"))
    form = editor.ts_form
    before = len(form.forslag.rows)
    qtbot.mouseClick(form.forslag.add_button, Qt.MouseButton.LeftButton)
    row = form.forslag.rows[before].content
    placeholder = row.edit.placeholderText()
    assert "Hela beslutsmeningen" in placeholder and "beslutar att" in placeholder
    type_text(row.edit, "Socialnämnden beslutar att lägga rapporten till handlingarna.")
    wait_preview(qtbot, editor, containing="lägga rapporten till handlingarna")
    assert "Socialnämnden beslutar att lägga rapporten till handlingarna." in preview_text(editor)
    hints = [label.text() for label in form.findChildren(QLabel)]
    assert not [text for text in hints if "Markdown" in text]
    assert any("Två stjärnor runt ord" in text for text in hints)
