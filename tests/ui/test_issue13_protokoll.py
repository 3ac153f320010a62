"""Issue 13, after the meeting, as the nämndsekreterare works in the Protokoll page: each test goes the user's way,
with clicks and keys, and fails without the fix it is named after."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from docs_helpers import flat, pdf_pages, pdf_text
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import MainWindow
from test_ui_protokoll import open_page, settle
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
HELD = "2023-02-22"


def held_meeting(store) -> int:
    return next(m["id"] for m in store.meetings() if m["datum"] == HELD and m["organ"] == "Socialnämnden")


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, LEFT)
    settle(qtbot)


def make_paragraphs(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.paragrafer)
    click(qtbot, page.paragrafer.create_button)
    assert page.protokoll["paragrafer"]


# --- the draft protokoll -----------------------------------------------------------------------------------------


def test_a_draft_protokoll_from_the_button_in_the_header_is_marked_on_every_page(qtbot, demo, dialogs, tmp_path):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    make_paragraphs(qtbot, page)
    assert page.documents.draft_button.isVisibleTo(page)
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    click(qtbot, page.documents.draft_button)
    pages = pdf_pages(target.read_bytes())
    assert len(pages) > 10 and all("Utkast – ej justerat" in text for text in pages)
    assert "Placering" not in pages[0] and "INTERN VERSION" in pages[0]   # the whole protokoll, secrets marked
    assert "filen är ett utkast, och varje sida är märkt ”Utkast – ej justerat”" in dialogs.messages("info")[-1]
    assert ("open", target) in dialogs.calls
    assert "(utkast, intern)" in [c[2] for c in dialogs.calls if c[0] == "save_path"][-1].name
    assert_readable(page, "issue13-protokoll-utkast-knapp.png")


def test_ctrl_shift_p_on_the_protokoll_opens_its_document_menu(qtbot, demo, dialogs, tmp_path):
    window = MainWindow(demo, dialogs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    meeting_id = held_meeting(demo)
    window.meetings_page.select_meeting(meeting_id)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = window.protokoll_page
    assert page.isVisible() and page.meeting["id"] == meeting_id
    make_paragraphs(qtbot, page)
    with qtbot.waitActive(window):   # the offscreen platform lets the window go inactive after the click
        window.activateWindow()
    # pressed on the protokoll, the shortcut opens "Protokollet som dokument"
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    menu = page.documents.menu
    qtbot.waitUntil(menu.isVisible)
    assert_readable(menu, "issue13-protokoll-dokumentmeny.png")
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is page.documents.actions["utkast"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    settle(qtbot)
    assert not menu.isVisible()
    assert all("Utkast – ej justerat" in text for text in pdf_pages(target.read_bytes()))


# --- attendance from the roster --------------------------------------------------------------------------------


def test_attendance_after_the_mandate_period_comes_from_the_last_roster_with_a_warning_and_roles(qtbot, demo,
                                                                                                dialogs):
    organ_id = next(m["organ_id"] for m in demo.meetings() if m["id"] == held_meeting(demo))
    after = demo.save_meeting(organ_id, "2027-01-20", {"plats": "Solrosen", "tid": "13:00"})
    page = open_page(qtbot, demo, dialogs, after)
    narvaro = page.narvaro
    click(qtbot, narvaro.fill_button)
    assert dialogs.messages("info") == []
    assert narvaro.roster_note.isVisibleTo(page)
    assert "mandatperioden i listan slutade 2026-12-31" in narvaro.roster_note.text()
    assert narvaro.row_of("Martin Edgélius").roll.currentText() == "Ordförande"
    assert narvaro.row_of("Johanna Karlsson").roll.currentText() == "Vice ordförande"
    assert narvaro.row_of("Anders Gölevik").roll.currentText() == "Ledamot"
    assert narvaro.row_of("Eva Lindqvist").roll.currentText() == "Ersättare"
    assert_readable(page, "issue13-narvaro-efter-mandatperioden.png")
    click(qtbot, narvaro.save_button)
    stored = {n["namn"]: n["roll"] for n in demo.protokoll(after)["narvaro"]}
    assert stored["Johanna Karlsson"] == "vice_ordforande" and stored["Martin Edgélius"] == "ordforande"
    assert dialogs.messages("error") == []
