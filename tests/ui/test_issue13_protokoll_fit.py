"""Issue 13, the Protokoll page in the main window at its first size on a 1366×768 laptop (the screen less its task
bar): every tab fits without cutting anything, Ctrl+Shift+P from another view opens the protokoll's document menu,
a saved utdrag or justerat protokoll is announced as the other documents are (Öppna mappen, "Skrivet: <fil>", the
save dialog in Documents or where the last one of its kind went), and the Klar för justering button says what is
true. Each test goes the user's way with keys and clicks; what only prepares the protokoll uses the helpers of
tests/ui/test_ui_protokoll.py."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFileDialog, QMenu, QScrollArea, QWidget

from keys import type_text
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import Dialogs
from nämndtool.ui.main_window import MainWindow
from test_ui_protokoll import accept, complete
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LAPTOP = QRect(0, 0, 1366, 728)
"""A 1366×768 screen less a 40 px task bar: what QScreen.availableGeometry says on the kansli's laptops."""
HELD = "2023-02-22"
JUSTERAD = dt.date(2023, 3, 1)


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(LAPTOP))


def meeting_id(store, datum: str = HELD) -> int:
    return next(m["id"] for m in store.meetings() if m["datum"] == datum and m["organ"] == "Socialnämnden")


def settle(qtbot) -> None:
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    QApplication.processEvents()


def start(qtbot, store, dialogs) -> MainWindow:
    """The app's window at the size it takes itself on the laptop, in front."""
    window = MainWindow(store, dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    front(qtbot, window)
    assert LAPTOP.contains(window.frameGeometry()), window.frameGeometry()
    return window


def front(qtbot, window) -> None:
    """The window takes the keys (the offscreen platform lets it go inactive after a dialog or a popup)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def choose_meeting(qtbot, window, chosen: int) -> None:
    """Sammanträden (Ctrl+1), a click on the meeting in the list."""
    front(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    page = window.meetings_page
    view = page.meetings_view
    index = page.meetings_model.index(page.meetings_model.row_of(chosen), 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    assert page.selected_meeting()["id"] == chosen


def ctrl_shift_p(qtbot, window) -> QMenu:
    """Ctrl+Shift+P: the Protokoll page, and its menu "Protokollet som dokument" open."""
    front(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_P, CTRL | SHIFT)
    menu = window.protokoll_page.documents.menu
    qtbot.waitUntil(menu.isVisible)
    assert window.current_view() == "Protokoll"
    return menu


def open_protokoll(qtbot, window, chosen: int):
    """The meeting chosen under Sammanträden, Ctrl+Shift+P, the menu closed with Esc: the page to work in."""
    choose_meeting(qtbot, window, chosen)
    menu = ctrl_shift_p(qtbot, window)
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    settle(qtbot)
    page = window.protokoll_page
    assert page.meeting["id"] == chosen
    return page


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, LEFT)
    settle(qtbot)


def click_tab(qtbot, page, index: int) -> None:
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == index)
    settle(qtbot)


def cut_sideways(window, page) -> list[str]:
    """What of the page the user must scroll sideways to see: the page wider than the window's room for it, a
    list or form inside it wider than its frame, a control reaching past the page's right edge."""
    found = []
    outer = next(w for w in window.stack.findChildren(QScrollArea) if w.widget() is page)
    viewport = outer.viewport()
    if page.width() > viewport.width():
        found.append(f"sidan är {page.width()} px bred, fönstret har {viewport.width()} px")
    for area in page.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
            found.append(f"{type(area).__name__} {area.accessibleName()!r} rullar i sidled "
                         f"({area.horizontalScrollBar().maximum()} px)")
    for widget in page.findChildren(QWidget):
        if widget.isVisible() and widget.mapTo(viewport, QPoint(widget.width(), 0)).x() > viewport.width() + 1:
            found.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r} når utanför fönstret")
    return found


def every_tab_fits(qtbot, window, page, state: str) -> None:
    for index in range(page.tabs.count()):
        click_tab(qtbot, page, index)
        name = page.tabs.tabText(index).split(" (")[0].lower().replace(" ", "-").replace("ä", "a")
        assert cut_sideways(window, page) == [], (state, page.tabs.tabText(index), cut_sideways(window, page))
        assert_readable(window, f"issue13-protokoll-{state}-{name}.png")


# --- 1 and 2: every tab fits the first window -----------------------------------------------------------------


def test_every_tab_of_the_protokoll_fits_the_first_window_on_the_laptop(qtbot, demo, dialogs, laptop):
    window = start(qtbot, demo, dialogs)
    page = open_protokoll(qtbot, window, meeting_id(demo))
    every_tab_fits(qtbot, window, page, "inte-paborjat")

    # attendance from the roster with the förvaltningschef, the §§ from the agenda, § 6 chosen
    click_tab(qtbot, page, 0)
    narvaro = page.narvaro
    click(qtbot, narvaro.fill_button)
    qtbot.mouseClick(narvaro.staff_namn, LEFT)
    type_text(narvaro.staff_namn, "Marie Lundqvist")
    qtbot.mouseClick(narvaro.staff_titel, LEFT)
    type_text(narvaro.staff_titel, "T.f. förvaltningschef")
    qtbot.keyClick(narvaro.staff_titel, Qt.Key.Key_Return)
    click(qtbot, narvaro.save_button)
    assert len(demo.protokoll(page.meeting["id"])["narvaro"]) == len(narvaro.rows) > 10
    for row in narvaro.rows:   # every row's Ta bort whole, and still named so for a screen reader
        assert row.remove.text() == "Ta bort" and row.remove.accessibleName() == "Ta bort raden"
    click_tab(qtbot, page, 1)
    click(qtbot, page.paragrafer.create_button)
    view, model = page.paragrafer.list, page.paragrafer.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r)["nr"] == 6)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(model.index(row, 1)).center())
    settle(qtbot)
    assert page.paragrafer.editor.paragraf["nr"] == 6
    every_tab_fits(qtbot, window, page, "utkast")


def test_a_justerat_protokoll_fits_the_first_window_on_the_laptop(qtbot, demo, dialogs, laptop):
    window = start(qtbot, demo, dialogs)
    page = open_protokoll(qtbot, window, meeting_id(demo))
    complete(qtbot, page)
    click_tab(qtbot, page, 2)
    click(qtbot, page.justering.justera_button)
    dialog = page.justering.dialog
    dialog.set_date(JUSTERAD)
    accept(qtbot, dialog)
    settle(qtbot)
    assert page.is_locked()
    every_tab_fits(qtbot, window, page, "justerat")


# --- 3: Ctrl+Shift+P from another view -------------------------------------------------------------------------


def test_ctrl_shift_p_from_the_diary_opens_the_protokoll_with_its_document_menu(qtbot, demo, dialogs, laptop):
    window = start(qtbot, demo, dialogs)
    held = meeting_id(demo)
    choose_meeting(qtbot, window, held)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert window.current_view() == "Diarium"
    menu = ctrl_shift_p(qtbot, window)   # the first press: the page and its menu
    page = window.protokoll_page
    assert page.meeting["id"] == held and QApplication.activePopupWidget() is menu
    button = page.documents.menu_button
    assert menu.geometry().top() >= button.mapToGlobal(QPoint(0, button.height())).y() - 1   # under its button
    assert_readable(menu, "issue13-protokoll-dokumentmeny-fran-diariet.png")
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    # pressed again on the page, it opens the menu once more
    menu = ctrl_shift_p(qtbot, window)
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert dialogs.messages("error") == []


# --- 4: saved utdrag and justerat protokoll ----------------------------------------------------------------------


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """The user's Documents folder (in a home of its own); the test runs in another folder, as the program does."""
    for folder in ("hem/Documents", "program"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "hem"))
    monkeypatch.chdir(tmp_path / "program")
    return tmp_path / "hem" / "Documents"


def test_utdrag_and_the_justerat_protokoll_are_announced_with_oppna_mappen_and_saved_where_documents_go(
        qtbot, demo, laptop, tmp_path, monkeypatch, documents):
    chosen = tmp_path / "protokoll"
    chosen.mkdir()
    asked, shown = [], []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, caption, start, filters: (
        asked.append(Path(start)) or str(chosen / Path(start).name), filters))
    monkeypatch.setattr(Dialogs, "saved", lambda self, parent, message, folder: shown.append(("saved", message, folder)))
    monkeypatch.setattr(Dialogs, "info", lambda self, parent, message: shown.append(("info", message)))
    monkeypatch.setattr(Dialogs, "confirm", lambda self, *args, **kwargs: True)
    monkeypatch.setattr(Dialogs, "open_externally", lambda self, path: None)
    window = start(qtbot, demo, Dialogs())
    page = open_protokoll(qtbot, window, meeting_id(demo))
    complete(qtbot, page)
    click_tab(qtbot, page, 2)
    click(qtbot, page.justering.justera_button)
    page.justering.dialog.set_date(JUSTERAD)
    accept(qtbot, page.justering.dialog)
    settle(qtbot)

    click(qtbot, page.justering.export_button)   # Spara det justerade protokollet …
    assert asked[-1].parent == documents
    kind, message, folder = shown[-1]
    assert kind == "saved" and "Det justerade protokollet är sparat" in message and folder == chosen
    assert window.statusBar().currentMessage() == f"Skrivet: {chosen / asked[-1].name}"

    click_tab(qtbot, page, 3)
    utskick = page.utskick
    table = utskick.table
    first = next(r for r in range(utskick.model.rowCount()) if utskick.model.row_at(r)["paragraf"] == 5)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(utskick.model.index(first, 1)).center())
    utskick.bestyrkt.set_iso("2023-03-02")   # the bestyrkande's date, typed in tests/ui/test_issue14_utdrag.py
    click(qtbot, utskick.utdrag_button)
    assert asked[-1].parent == documents and asked[-1].name.startswith("Protokollsutdrag")
    kind, message, folder = shown[-1]
    assert kind == "saved" and "Protokollsutdraget är sparat" in message and folder == chosen
    assert window.statusBar().currentMessage() == f"Skrivet: {chosen / asked[-1].name}"
    assert_readable(window, "issue13-utdrag-skrivet.png")

    # the next start: an utdrag of another § opens where the last utdrag went
    window.close()
    window = start(qtbot, demo, Dialogs())
    page = open_protokoll(qtbot, window, meeting_id(demo))
    click_tab(qtbot, page, 3)
    utskick = page.utskick
    other = next(r for r in range(utskick.model.rowCount()) if utskick.model.row_at(r)["paragraf"] == 7)
    qtbot.mouseClick(utskick.table.viewport(), LEFT,
                     pos=utskick.table.visualRect(utskick.model.index(other, 1)).center())
    utskick.bestyrkt.set_iso("2023-03-02")
    click(qtbot, utskick.utdrag_button)
    assert asked[-1].parent == chosen and "§ 7" in asked[-1].name
    assert shown[-1][0] == "saved"


# --- 5: what Klar för justering says ----------------------------------------------------------------------------


def test_klar_for_justering_says_what_is_true_before_after_and_on_coming_back(qtbot, demo, dialogs, laptop):
    window = start(qtbot, demo, dialogs)
    held, coming = meeting_id(demo), meeting_id(demo, next(m["datum"] for m in demo.meetings()
                                                           if m["datum"] > "2024" and m["organ"] == "Socialnämnden"))
    page = open_protokoll(qtbot, window, held)
    complete(qtbot, page)
    click_tab(qtbot, page, 2)
    button = page.justering.klar_button
    assert (button.text(), button.isEnabled()) == ("Klar för justering", True)
    click(qtbot, button)
    assert demo.protokoll(held)["klar_for_justering"]
    assert (button.text(), button.isEnabled()) == ("Markerat klart för justering", False)
    assert button.accessibleName() == "Markerat klart för justering"
    assert_readable(window, "issue13-markerat-klart-for-justering.png")

    # another meeting and back: the button says what is true of each
    page = open_protokoll(qtbot, window, coming)
    click_tab(qtbot, page, 2)
    assert (button.text(), button.isEnabled()) == ("Klar för justering", True)
    page = open_protokoll(qtbot, window, held)
    click_tab(qtbot, page, 2)
    assert (button.text(), button.isEnabled()) == ("Markerat klart för justering", False)

    click(qtbot, page.justering.justera_button)
    page.justering.dialog.set_date(JUSTERAD)
    accept(qtbot, page.justering.dialog)
    settle(qtbot)
    assert (button.text(), button.isEnabled()) == (f"Justerat {JUSTERAD}", False)
    assert_readable(window, "issue13-justerat-knapp.png")
    page = open_protokoll(qtbot, window, coming)
    page = open_protokoll(qtbot, window, held)
    click_tab(qtbot, page, 2)
    assert (button.text(), button.isEnabled()) == (f"Justerat {JUSTERAD}", False)
    assert dialogs.messages("error") == []
