"""Issue 13, the meetings page, the window and the date fields: what a nämndsekreterare met preparing next month's
meeting at 1366×768, each reproduced with keys and clicks."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QDesktopServices, QScreen
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QMenu, QMessageBox, QTableView, QToolButton, QToolTip,
)
from shiboken6 import isValid

from nämndtool.demo import UTSKOTT
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import Dialogs, ScriptedDialogs
from nämndtool.ui.editor.arende_editor import HANDLINGAR_TAB
from nämndtool.ui.main_window import DIARY, MEETINGS, REGISTRY, MainWindow
from nämndtool.ui.meetings.dialogs import ArendePickerDialog, CopyAgendaDialog, MeetingDialog
from ui_checks import assert_readable

LAPTOP = QRect(0, 0, 1366, 728)
"""A 1366×768 screen less a 40 px task bar: what QScreen.availableGeometry says on the kansli's laptops."""
NEXT_MONTH = "2027-01-13"
"""A Wednesday in the month after the demo's coming meetings, after the demo's mandate period (ends 2026-12-31)."""


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(LAPTOP))
    return LAPTOP


def open_window(qtbot, store, dialogs=None) -> MainWindow:
    window = MainWindow(store, dialogs if dialogs is not None else ScriptedDialogs())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def window(qtbot, demo, dialogs, laptop):
    return open_window(qtbot, demo, dialogs)


def settle(qtbot) -> None:
    qtbot.waitUntil(tasks.idle)


def titles(store, meeting_id: int) -> list[str]:
    return [item["rubrik"] for item in store.agenda(meeting_id)]


def page_titles(page) -> list[str]:
    return [page.agenda_model.row_at(row)["rubrik"] for row in range(page.agenda_model.rowCount())]


def coming_nämnd_meeting(store) -> dict:
    return next(m for m in store.meetings() if m["organ"] == "Socialnämnden" and m["datum"] > "2024")


def type_date(qtbot, edit, text: str, click_at: int = 1) -> None:
    """Click into the date's text (before character ``click_at``), type ``text`` and leave the field with Tab."""
    line = edit.lineEdit()
    x = line.fontMetrics().horizontalAdvance(line.text()[:click_at]) + 3
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, line.height() // 2))
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def open_calendar(qtbot, edit):
    """Click the date field's arrow; the calendar that pops up."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 8, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    return calendar


def ink(view: QTableView, row: int, column: int) -> int:
    """How many pixels of the cell stand out from its paper (the colour of its corner): 0 when no text is drawn."""
    image = view.viewport().grab(view.visualRect(view.model().index(row, column))).toImage()
    paper = QColor(image.pixel(0, 0))

    def stands_out(colour: QColor) -> bool:
        return sum(abs(a - b) for a, b in zip(colour.getRgb()[:3], paper.getRgb()[:3])) > 150

    return sum(1 for y in range(image.height()) for x in range(image.width()) if stands_out(QColor(image.pixel(x, y))))


def new_meeting_by_keys(qtbot, window) -> MeetingDialog:
    page = window.meetings_page
    page.meetings_view.setFocus()
    qtbot.keyClick(page.meetings_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(page.dialog, MeetingDialog) and page.dialog.isVisible())
    return active(qtbot, page.dialog)


def active(qtbot, widget):
    """The window as the user has it in front: shown, active, taking the keys."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def back_in_the_agenda(qtbot, window) -> None:
    """The dialog has closed: the window is in front again with the agenda taking the keys."""
    active(qtbot, window)
    window.meetings_page.agenda_view.setFocus()
    qtbot.waitUntil(window.meetings_page.agenda_view.hasFocus)


def choose(qtbot, button: QToolButton, text: str) -> None:
    """Click a tool button with a menu and choose ``text`` in it."""
    def pick():
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    QTimer.singleShot(0, pick)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- the window fits the screen ------------------------------------------------------------------------------------


def test_the_first_window_fits_a_1366x768_screen_with_its_task_bar(qtbot, demo, laptop):
    window = open_window(qtbot, demo)
    assert laptop.contains(window.frameGeometry()), window.frameGeometry()
    assert window.width() >= 1200   # as large as the screen allows, not a small window
    assert_readable(window, "issue13_forsta_fonstret.png")


def test_a_window_remembered_from_a_bigger_screen_is_made_to_fit(qtbot, demo, laptop):
    QSettings().setValue("main_window/geometry", _geometry_of_a_big_window(qtbot, demo))
    window = open_window(qtbot, demo)
    assert laptop.contains(window.frameGeometry()), window.frameGeometry()


def _geometry_of_a_big_window(qtbot, store):
    big = MainWindow(store, ScriptedDialogs())
    qtbot.addWidget(big)
    big.setGeometry(200, 150, 1900, 1040)
    return big.saveGeometry()


def test_no_control_of_the_meetings_page_is_cut_off_on_the_laptop(qtbot, window):
    window.show_view(MEETINGS)
    QApplication.processEvents()
    assert_readable(window, "issue13_sammantraden.png")
    assert window.meetings_page.kallelse_button.isVisible() and window.meetings_page.protokoll_button.isVisible()


# --- date fields ----------------------------------------------------------------------------------------------------


def test_a_date_is_typed_as_a_swede_types_it(qtbot, window):
    dialog = new_meeting_by_keys(qtbot, window)
    datum = dialog.datum
    type_date(qtbot, datum, "2027-01-13")
    assert dialog.iso_date() == "2027-01-13"
    type_date(qtbot, datum, "15/12")              # day and month: the year the field shows
    assert dialog.iso_date() == "2027-12-15"
    type_date(qtbot, datum, "3 feb 2027")
    assert dialog.iso_date() == "2027-02-03"
    type_date(qtbot, datum, "20", click_at=9)     # clicked into the day: a number alone is the day
    assert dialog.iso_date() == "2027-02-20"
    type_date(qtbot, datum, "3", click_at=6)      # clicked into the month: the month
    assert dialog.iso_date() == "2027-03-20"
    type_date(qtbot, datum, "31/2")               # no such day: the date stays, and the field says why
    assert dialog.iso_date() == "2027-03-20" and datum.text() == "2027-03-20"
    assert QToolTip.text().startswith("”31/2” är inget datum. Skriv datumet, till exempel 2026-12-15, 15/12")
    assert dialog.datum_text.text() == "lördag 20 mars 2027"
    dialog.reject()


def test_the_calendar_draws_every_heading_and_day_and_opening_it_changes_nothing(qtbot, window):
    dialog = new_meeting_by_keys(qtbot, window)
    type_date(qtbot, dialog.datum, "2027-01-13")
    calendar = open_calendar(qtbot, dialog.datum)
    assert dialog.iso_date() == "2027-01-13"
    view = calendar.findChild(QTableView)
    model = view.model()
    cells = {str(model.index(r, c).data()): (r, c) for r in range(model.rowCount())
             for c in range(model.columnCount())}
    for text in ("mån", "tors", "sön", "10", "29", "31"):
        assert ink(view, *cells[text]) > 0, f"{text} is not drawn"
    assert_readable(calendar.window(), "issue13_kalender.png")
    calendar.window().hide()
    assert dialog.iso_date() == "2027-01-13"
    dialog.reject()


def test_every_date_fields_calendar_in_the_window_draws_whole(qtbot, window):
    """A view's own date field (here the diary extract's Från och med) draws its calendar whole in the window too."""
    window.show_view(REGISTRY)
    fran = window.registry_page.diary.fran
    calendar = open_calendar(qtbot, fran)
    view = calendar.findChild(QTableView)
    model = view.model()
    cells = {str(model.index(r, c).data()): (r, c) for r in range(model.rowCount())
             for c in range(model.columnCount())}
    assert ink(view, *cells["tors"]) > 0 and ink(view, *cells["28"]) > 0
    calendar.window().hide()


def test_opening_the_calendar_of_an_empty_date_leaves_it_empty(qtbot, window, demo):
    window.open_arende(demo.list_arenden(search="plan med budget")[0]["id"])
    field = window.editors.currentWidget().ts_form.ert_datum
    assert field.iso() is None
    calendar = open_calendar(qtbot, field.edit)
    today = dt.date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    assert field.iso() is None and field.edit.text() == "Inget datum"
    calendar.window().hide()


# --- a new meeting --------------------------------------------------------------------------------------------------


def test_ctrl_n_on_the_meetings_page_makes_a_meeting_of_the_nämnd_and_warns_about_the_mandate(qtbot, window, demo,
                                                                                              dialogs):
    page = window.meetings_page
    assert page.selected_meeting()["organ"] == UTSKOTT      # the soonest meeting is the utskott's
    dialog = new_meeting_by_keys(qtbot, window)
    assert dialog.organ.currentText() == "Socialnämnden"
    type_date(qtbot, dialog.datum, NEXT_MONTH)
    note = dialog.date_note
    assert note.isVisible() and "utanför mandatperioderna för Socialnämnden" in note.text()
    QApplication.processEvents()
    assert note.height() >= note.heightForWidth(note.width())       # the whole note shown, not squeezed
    assert_readable(dialog, "issue13_nytt_sammantrade.png")
    qtbot.mouseClick(dialog.button_box.buttons()[0], Qt.MouseButton.LeftButton)
    settle(qtbot)
    meeting = page.selected_meeting()
    assert (meeting["organ"], meeting["datum"]) == ("Socialnämnden", NEXT_MONTH)
    assert dialogs.messages("info")[-1].startswith(
        f"Sammanträdet är skapat. Observera:\n• {NEXT_MONTH} ligger utanför mandatperioderna för Socialnämnden "
        "(2023-01-01–2026-12-31)")


def test_nytt_sammanträde_is_in_the_sammanträde_menu_and_ctrl_n_elsewhere_is_still_a_new_arende(qtbot, window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    texts = [a.text().replace("&", "") for a in menus["Sammanträde"].actions() if not a.isSeparator()]
    assert texts[:4] == ["Nytt sammanträde…", "Redigera…", "Kopiera dagordning från …", "Lägg till ärenden…"]
    assert "Nytt sammanträde…" not in [a.text().replace("&", "") for a in menus["Arkiv"].actions()]
    window.show_view(DIARY)
    assert window.diary_page.new_action.shortcut().toString() == "Ctrl+N"
    assert [k.toString() for k in window.meetings_page.new_meeting_action.shortcuts()] == ["Ctrl+Shift+N"]
    window.show_view(MEETINGS)
    assert window.diary_page.new_action.shortcut().isEmpty()


# --- the agenda: copying, several ärenden, undo --------------------------------------------------------------------


@pytest.fixture
def empty_meeting(qtbot, window, demo):
    """A new, empty meeting of the nämnd next month, selected."""
    dialog = new_meeting_by_keys(qtbot, window)
    type_date(qtbot, dialog.datum, NEXT_MONTH)
    qtbot.mouseClick(dialog.button_box.buttons()[0], Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())
    active(qtbot, window)
    return window.meetings_page.selected_meeting()


def test_copy_the_agenda_of_the_previous_meeting_and_undo_it(qtbot, window, demo, dialogs, empty_meeting):
    page = window.meetings_page
    source = coming_nämnd_meeting(demo)
    copy_button = page.agenda_toolbar.widgetForAction(page.copy_agenda_action)
    qtbot.mouseClick(copy_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, CopyAgendaDialog)
    assert dialog.from_meeting_id() == source["id"]          # the latest earlier meeting of the nämnd
    assert dialog.preview.count() == len(demo.agenda(source["id"]))
    assert_readable(dialog, "issue13_kopiera_dagordning.png")
    qtbot.mouseClick(dialog.button_box.buttons()[0], Qt.MouseButton.LeftButton)
    settle(qtbot)

    copied = titles(demo, empty_meeting["id"])
    assert copied == titles(demo, source["id"])              # standard items and the ärenden still open
    assert page_titles(page) == copied
    told = dialogs.messages("info")[-1]
    assert told.startswith(f"{len(copied)} punkter kopierades till dagordningen. Observera:")
    assert f"på dagordningen för Socialnämnden {source['datum']}" in told   # the other open meeting, named

    back_in_the_agenda(qtbot, window)
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert titles(demo, empty_meeting["id"]) == [] and page.agenda_model.rowCount() == 0
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    assert titles(demo, empty_meeting["id"]) == copied


def test_several_arenden_at_once_and_a_warning_naming_the_other_meeting(qtbot, window, demo, dialogs,
                                                                       empty_meeting):
    page = window.meetings_page
    source = coming_nämnd_meeting(demo)
    page.agenda_view.setFocus()
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Insert)
    dialog = page.dialog
    assert isinstance(dialog, ArendePickerDialog)
    qtbot.keyClicks(dialog.search, "remiss")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    model, view = dialog.model, dialog.view
    assert model.rowCount() == 2
    remiss = next(r for r in range(model.rowCount()) if "trygghetsstrategi" in model.row_at(r)["rubrik"])
    assert model.index(remiss, 4).data() == f"Står på Socialnämnden {source['datum']}"
    assert dialog.chosen_all() == [model.row_at(0)]           # the search chose the first
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)      # and the next one too
    rows = [0, 1]
    assert dialog.button_box.buttons()[0].text() == "Lägg till 2 ärenden"
    assert_readable(dialog, "issue13_lagg_till_arenden.png")
    qtbot.mouseClick(dialog.button_box.buttons()[0], Qt.MouseButton.LeftButton)
    settle(qtbot)

    added = [model.row_at(r)["rubrik"] for r in rows]
    assert titles(demo, empty_meeting["id"]) == added
    told = dialogs.messages("info")[-1]
    assert told.startswith("2 ärenden lades till på dagordningen. Observera:\n• Ärendet ")
    assert f"på dagordningen för Socialnämnden {source['datum']}" in told
    back_in_the_agenda(qtbot, window)
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert titles(demo, empty_meeting["id"]) == []


def test_undo_and_redo_agenda_edits_each_saved(qtbot, window, demo):
    page = window.meetings_page
    meeting = coming_nämnd_meeting(demo)
    page.select_meeting(meeting["id"])
    before = titles(demo, meeting["id"])
    page.select_item(3)
    page.agenda_view.setFocus()
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)   # Flytta ned
    settle(qtbot)
    moved = titles(demo, meeting["id"])
    assert moved == before[:3] + [before[4], before[3]] + before[5:]
    page.select_item(0)
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Delete)                                 # Ta bort punkt
    settle(qtbot)
    assert titles(demo, meeting["id"]) == moved[1:]

    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    undo = next(a for a in menus["Redigera"].actions() if a.text().startswith("Ångra"))
    assert undo.text() == "Ångra ta bort punkt" and undo.shortcut().toString() == "Ctrl+Z"
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert titles(demo, meeting["id"]) == moved
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert titles(demo, meeting["id"]) == before and page_titles(page) == before
    assert [item["nr"] for item in demo.agenda(meeting["id"])] == list(range(1, len(before) + 1))
    qtbot.keyClick(page.agenda_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    assert titles(demo, meeting["id"]) == moved
    # On another view Ctrl+Z never undoes an agenda edit out of sight.
    window.show_view(DIARY)
    assert not undo.isEnabled()


# --- documents from the meetings page -------------------------------------------------------------------------------


def test_kallelse_from_the_page_starts_in_documents_remembers_the_folder_and_offers_to_open_it(
        qtbot, demo, laptop, tmp_path, monkeypatch):
    home = tmp_path / "hem"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)          # the program's own folder: never where a save dialog opens
    chosen = tmp_path / "utskick"
    chosen.mkdir()
    asked, opened = [], []

    def save_dialog(parent, caption, start, filters):
        asked.append((caption, Path(start)))
        return str(chosen / Path(start).name), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    window = open_window(qtbot, demo, Dialogs())
    page = window.meetings_page
    page.select_meeting(coming_nämnd_meeting(demo)["id"])

    def press_open_folder(tries: int = 500):
        """Once the message that the file is saved is up (the file is written on the runner first), its Öppna
        mappen is clicked; until then this looks again, for at most ten seconds."""
        box = QApplication.activeModalWidget()
        if not (isinstance(box, QMessageBox) and "Den offentliga kallelsen är sparad" in box.text()):
            if tries:
                QTimer.singleShot(20, lambda: press_open_folder(tries - 1))
            return
        button = next(b for b in box.buttons() if b.text() == "Öppna mappen")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press_open_folder)
    choose(qtbot, page.kallelse_button, "Kallelse, offentlig (PDF) …")
    qtbot.waitUntil(lambda: chosen in opened)
    caption, start = asked[0]
    assert start.parent == home / "Documents" and start.name.startswith("Kallelse Socialnämnden")
    assert any(p.suffix == ".pdf" for p in chosen.iterdir())

    # The next kallelse opens where the last one went; the handlingar (another kind) still in Documents.
    monkeypatch.setattr(Dialogs, "saved", lambda self, parent, message, folder: None)
    choose(qtbot, page.kallelse_button, "Kallelse, intern (PDF) …")
    assert asked[1][1].parent == chosen
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: asked.append(Path(args[2])) or ("", ""))
    monkeypatch.setattr(Dialogs, "confirm", lambda self, *args, **kwargs: True)
    choose(qtbot, page.pack_button, "Handlingar, offentlig version …")
    assert asked[2].parent == home / "Documents"


def test_protokoll_from_the_meetings_page(qtbot, window, demo):
    page = window.meetings_page
    held = next(m for m in demo.meetings() if m["datum"] == "2023-02-22")
    page.select_meeting(held["id"])
    qtbot.mouseClick(page.protokoll_button, Qt.MouseButton.LeftButton)
    assert window.current_view() == "Protokoll"
    assert window.protokoll_page.meeting["id"] == held["id"]


def test_choosing_a_file_for_a_handling_opens_in_documents_then_where_the_last_file_was(
        qtbot, demo, laptop, tmp_path, monkeypatch):
    home = tmp_path / "hem"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    letters = tmp_path / "brev"
    letters.mkdir()
    (letters / "Skrivelse.pdf").write_bytes(b"%PDF-1.4")
    started = []

    def open_dialog(parent, caption, start, filters):
        started.append(Path(start))
        return [str(letters / "Skrivelse.pdf")], filters

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_dialog)
    window = open_window(qtbot, demo, Dialogs())
    window.open_arende(demo.list_arenden(search="plan med budget")[0]["id"])
    editor = window.editors.currentWidget()
    editor.tabs.setCurrentIndex(HANDLINGAR_TAB)
    panel = editor.handlingar
    qtbot.mouseClick(panel.more_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.file_button, Qt.MouseButton.LeftButton)
    assert started == [home / "Documents", letters]
    assert panel.file_label.text() == "Skrivelse.pdf"
