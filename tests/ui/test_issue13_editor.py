"""Issue 13, the tjänsteskrivelse form as a handläggare reads it: the förslag placeholder shows a whole decision
sentence (the print adds no lead-in), and the text hints speak of what to type, not of "Markdown"."""

import pypdfium2
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QLabel

from nämndtool import pdfium
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from nämndtool.ui.main_window import MainWindow

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


# --- the preview after the ärende is opened again -----------------------------------------------------------------


def grey(image: QImage) -> Image.Image:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    bits = image.constBits()
    return Image.frombuffer("L", (image.width(), image.height()), bytes(bits), "raw", "L", image.bytesPerLine(), 1)


def page_on_screen(editor) -> tuple[Image.Image, tuple[int, int, int]]:
    """The preview as the user sees it, and where its first page is: (left, right, top) of the white paper."""
    shot = grey(editor.preview.pdf.view.viewport().grab().toImage())
    width, height = shot.size
    px = shot.load()
    row = max(range(height), key=lambda y: sum(px[x, y] >= 250 for x in range(0, width, 3)))
    paper = [x for x in range(width) if px[x, row] >= 250]
    left, right = paper[0], paper[-1]
    top = next(y for y in range(height) if px[(left + right) // 2, y] >= 250)
    return shot, (left, right, top)


def printed_page(pdf: bytes, width: int) -> Image.Image:
    """The first page of ``pdf`` drawn by PDFium (another renderer than the preview's) ``width`` pixels wide."""
    with pdfium.LOCK:
        document = pypdfium2.PdfDocument(pdf)
        page = document[0]
        image = page.render(scale=width / page.get_size()[0]).to_pil().convert("L")
        document.close()
    return image


def main_window(qtbot, store) -> MainWindow:
    """The app's window at 1366×768 on the store."""
    window = MainWindow(store, ScriptedDialogs())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def press(qtbot, window, key) -> None:
    """Ctrl+``key`` pressed in the window in front, where the keyboard focus is."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)


def test_the_preview_is_sharp_and_whole_after_the_arende_is_opened_again(qtbot, demo, tmp_path):
    """Open an ärende, close it and open it again while the window manager still sizes the window (as it does
    when the window is shown or maximised): the page is as sharp as the PDF itself, and its whole width shows."""
    window = main_window(qtbot, demo)
    arende = arende_id(demo, "SOCN/2026:5")
    window.open_arende(arende)
    wait_preview(qtbot, window.editors.currentWidget())
    press(qtbot, window, Qt.Key.Key_W)                                  # Arkiv → Stäng ärendet
    qtbot.waitUntil(lambda: window.editors.count() == 0 and tasks.idle())
    for attempt, (narrow, wide) in enumerate([(1200, 1366), (1000, 1366)]):
        window.open_arende(arende)
        editor = window.editors.currentWidget()
        qtbot.waitUntil(lambda: editor.preview.pdf.document.status() == QPdfDocument.Status.Ready, timeout=10_000)
        for step in range(6):                          # the window manager sizes the window while it is drawn
            window.resize(narrow if step % 2 else wide, 740)
            QApplication.processEvents()               # laid out and painted at that width
        window.resize(1366, 768)
        wait_preview(qtbot, editor)
        qtbot.waitUntil(lambda: editor.preview.pdf.view.viewport().grab().toImage().pixelColor(   # the paper, in
            editor.preview.pdf.view.viewport().width() // 10, 40).lightness() >= 250)           # the left margin
        shot, (left, right, top) = page_on_screen(editor)
        shot.save(tmp_path / f"forhandsvisning-{attempt}.png")
        view_width = editor.preview.pdf.view.viewport().width()
        assert right < view_width - 2 and left > 0, "the page's right edge is cut off"
        assert right - left + 1 >= view_width - 20, "the page does not fill the width of the preview"
        reference = printed_page(editor.preview.pdf.pdf_bytes(), right - left + 1)
        shown = shot.crop((left, top, left + reference.width, min(shot.height, top + reference.height)))
        difference = ImageStat.Stat(ImageChops.difference(shown, reference.crop((0, 0) + shown.size))).mean[0]
        assert difference < 1.5, f"the preview differs from the PDF (mean {difference:.1f} of 255): blurred"
        press(qtbot, window, Qt.Key.Key_W)
        qtbot.waitUntil(lambda: window.editors.count() == 0 and tasks.idle())


# --- Ctrl+S ----------------------------------------------------------------------------------------------------------


def test_ctrl_s_in_the_arende_editor_saves_the_arende(qtbot, demo):
    """One owner of Ctrl+S (Arkiv → Spara ärendet): pressed while typing in the editor, the ärende is saved at
    once, long before the autosave would."""
    window = main_window(qtbot, demo)
    arende = arende_id(demo, "SOCN/2026:1")
    window.open_arende(arende)
    editor = window.editors.currentWidget()
    assert window.save_action.shortcut().toString() == "Ctrl+S"     # the menu still tells the shortcut
    field = editor.arende_form.rubrik
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_End)
    type_text(field, " – reviderad")
    assert editor.has_unsaved_changes()
    press(qtbot, window, Qt.Key.Key_S)
    assert demo.arende(arende)["rubrik"] == "Socialnämndens internkontrollplan 2027 – reviderad"
    assert not editor.has_unsaved_changes() and editor.state_text().startswith("Sparat")
