"""Tests for the desktop app (nämndtool.ui): the main window over a store with the demo meeting."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import importlib.resources
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QFontInfo, QHelpEvent
from PySide6.QtWidgets import QApplication, QHeaderView, QMessageBox, QStyleOptionViewItem, QToolTip

from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import diary
from nämndtool.store import Store, connection
from nämndtool.ui import app as ui_app
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_ROLE, UNNUMBERED
from ui_checks import assert_readable

DEMO_JSON = Path(str(importlib.resources.files("nämndtool.resources") / "demo" / "meeting-2023.json"))


@pytest.fixture
def demo_store(tmp_path):
    store = Store.open(tmp_path / "s.sqlite")
    import_meeting(store, DEMO_JSON)
    yield store
    store.close()


def open_window(qtbot, store) -> MainWindow:
    window = ui_app.create_main_window(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, demo_store) -> MainWindow:
    return open_window(qtbot, demo_store)


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def column_texts(model, column: int) -> list[str]:
    return [cell(model, row, column) for row in range(model.rowCount())]


def menu_action(window: MainWindow, menu_title: str, action_text: str):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    actions = {a.text().replace("&", ""): a for a in menus[menu_title].actions() if not a.isSeparator()}
    return actions[action_text]


# --- window and meetings -----------------------------------------------------------


def test_window_title_names_the_namnd(window):
    assert window.windowTitle() == "Nämndtool – Socialnämnden"


def test_empty_store_has_plain_title_and_says_there_are_no_meetings(qtbot, tmp_path):
    with Store.open(tmp_path / "tom.sqlite") as store:
        window = open_window(qtbot, store)
        assert window.windowTitle() == "Nämndtool"
        assert window.meetings_page.meetings_model.rowCount() == 0
        assert "inga sammanträden" in window.meetings_page.agenda_info.text()
        assert window.diary_page.model.rowCount() == 0


def test_meeting_table_shows_the_meeting(window):
    model = window.meetings_page.meetings_model
    assert headers(model) == ["Datum", "Tid", "Organ", "Plats", "Punkter", "Status"]
    row = column_texts(model, 0).index("2023-02-22")
    assert [cell(model, row, c) for c in range(6)] == ["2023-02-22", "13:00", "Socialnämnden", "Solrosen", "15", "Planerat"]


def test_selecting_a_meeting_shows_its_agenda_with_the_secret_item_marked(qtbot, window):
    page = window.meetings_page
    page.meetings_view.clearSelection()
    assert page.agenda_model.rowCount() == 0
    assert "Välj ett sammanträde" in page.agenda_info.text()

    row = column_texts(page.meetings_model, 0).index("2023-02-22")
    rect = page.meetings_view.visualRect(page.meetings_model.index(row, 0))
    qtbot.mouseClick(page.meetings_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    agenda = page.agenda_model
    assert agenda.rowCount() == 15
    assert headers(agenda) == ["Nr", "Ärende", "Beteckning", "Status"]
    assert page.agenda_title.text() == "Dagordning – Socialnämnden onsdag 22 februari 2023"
    assert "Ordförande: Martin Edgélius (M)" in page.agenda_info.text()

    secret = column_texts(agenda, 0).index("4")
    assert cell(agenda, secret, 1) == "Sekretessärende"
    assert cell(agenda, secret, 1, SECRET_ROLE) is True
    assert "SEKRETESS" in cell(agenda, secret, 2)
    assert cell(agenda, secret, 1, Qt.ItemDataRole.BackgroundRole) == SECRET_BACKGROUND

    public = column_texts(agenda, 0).index("5")
    assert cell(agenda, public, 1) == "Socialnämndens årsredovisning 2022"
    assert cell(agenda, public, 2) == "SOCN/2023:17"
    assert cell(agenda, public, 1, SECRET_ROLE) is False
    assert cell(agenda, public, 1, Qt.ItemDataRole.BackgroundRole) is None
    assert window.counts_label.text() == "1 sammanträde · dagordningen har 15 punkter"


# --- diary ---------------------------------------------------------------------------


def test_diary_lists_the_arenden_and_filters_as_you_type(qtbot, window):
    window.show_view(1)   # a page reads its data when first shown (issue 15)
    model = window.diary_page.model
    assert headers(model) == ["Diarienummer", "Rubrik", "Status", "Handläggare", "Sekretess", "Registrerat"]
    assert model.rowCount() == 10
    numbers = column_texts(model, 0)
    assert "SOCN/2023:17" in numbers and numbers.count(UNNUMBERED) == 2
    assert set(column_texts(model, 2)) == {"Klart för nämnd"}
    assert "Julia Lindberg" in column_texts(model, 3)

    search = window.diary_page.search
    assert search.placeholderText() == "Sök diarienummer eller rubrik …"
    qtbot.keyClicks(search, "arsredovisning")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert column_texts(model, 0) == ["SOCN/2023:17"]
    assert column_texts(model, 1) == ["Socialnämndens årsredovisning 2022"]
    assert window.diary_page.result.text() == "1 ärende matchar ”arsredovisning”."
    assert window.counts_label.text() == "1 ärende"

    search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=3000)

    qtbot.keyClicks(search, "finns inte alls")
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=3000)
    assert window.diary_page.result.text() == "Inga ärenden matchar ”finns inte alls”."


def test_diary_marks_secret_arenden(qtbot, demo_store):
    namnd = demo_store.the_namnd()
    demo_store.register_arende(namnd["id"], "Ansökan om vård enligt LVU", sekretess=1, sekretess_lagrum="26 kap. 1 § OSL")
    window = open_window(qtbot, demo_store)
    window.show_view(1)
    model = window.diary_page.model
    row = column_texts(model, 1).index("Ansökan om vård enligt LVU")
    assert cell(model, row, 4) == "Sekretess (26 kap. 1 § OSL)"
    assert cell(model, row, 0, Qt.ItemDataRole.BackgroundRole) == SECRET_BACKGROUND
    assert cell(model, column_texts(model, 1).index("Meddelanden"), 4) == ""


def test_a_cell_too_narrow_for_its_text_shows_it_as_tooltip(qtbot, window):
    window.show_view(1)
    view = window.diary_page.view
    view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
    view.setColumnWidth(1, 60)
    index = view.model().index(0, 1)
    rect = view.visualRect(index)
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center()))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = rect
    assert view.itemDelegate().helpEvent(event, view, option, index)
    assert QToolTip.text() == cell(view.model(), 0, 1)


# --- menus, status bar, settings ------------------------------------------------------


def test_menus_switch_views(window, monkeypatch):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["Arkiv", "Redigera", "Visa", "Sammanträde", "Ärende", "Hjälp"]
    assert menu_action(window, "Arkiv", "Avsluta").shortcut().toString() == "Ctrl+Q"
    to_meetings = menu_action(window, "Visa", "Sammanträden")
    to_diary = menu_action(window, "Visa", "Diarium")
    assert (to_meetings.shortcut().toString(), to_diary.shortcut().toString()) == ("Ctrl+1", "Ctrl+2")

    assert window.current_view() == "Sammanträden"
    to_diary.trigger()
    assert window.stack.currentWidget() is window.diary_page
    assert window.navigation.currentRow() == 1 and to_diary.isChecked()
    assert "10" in window.counts_label.text() and "ärenden" in window.counts_label.text()
    to_meetings.trigger()
    assert window.stack.currentWidget() is window.meetings_page
    assert window.navigation.currentRow() == 0 and to_meetings.isChecked()

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    menu_action(window, "Hjälp", "Om Nämndtool").trigger()
    assert shown and shown[0][0] == "Om Nämndtool" and "Nämndtool" in shown[0][1]


def test_status_bar_shows_the_store_and_counts(window, demo_store):
    assert window.store_label.text() == f"Register: {demo_store.path}"
    assert "15 punkter" in window.counts_label.text()


@pytest.fixture
def scripted_window(qtbot, demo_store):
    """The main window with the dialogs replaced by a script."""
    dialogs = ScriptedDialogs()
    window = MainWindow(demo_store, dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, dialogs


def hold_write_lock(store) -> sqlite3.Connection:
    """Another program takes the store's write lock."""
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_reporting_delegationsbeslut_and_a_refusal_shown(qtbot, scripted_window, demo_store, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    window, dialogs = scripted_window
    meeting = demo_store.meetings()[0]
    beslut = diary.register_delegationsbeslut(demo_store, diary.NewDelegationsbeslut(
        meeting["namnd_id"], dt.date(2023, 2, 1), "Anna Ek", "2.1", "Beviljat bistånd"))
    window.meetings_page.select_meeting(meeting["id"])
    action = menu_action(window, "Sammanträde", "Anmäl delegationsbeslut vid sammanträdet …")

    other = hold_write_lock(demo_store)
    try:
        action.trigger()
        qtbot.waitUntil(tasks.idle, timeout=10_000)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dialogs.messages("confirm") == ["1 delegationsbeslut markeras som anmälda vid sammanträdet. Fortsätt?"]
    assert "upptaget" in dialogs.messages("error")[0]
    assert [d["id"] for d in diary.pending_delegationsbeslut(demo_store, meeting["id"])] == [beslut]

    action.trigger()
    qtbot.waitUntil(tasks.idle)
    assert diary.pending_delegationsbeslut(demo_store, meeting["id"]) == []
    assert window.statusBar().currentMessage() == "1 delegationsbeslut är anmälda."
    action.trigger()
    assert dialogs.messages("info")[-1] == "Det finns inga delegationsbeslut att anmäla vid sammanträdet."


def test_the_status_bar_follows_the_save_and_closing_the_window_waits_for_it(qtbot, scripted_window, demo_store):
    window, dialogs = scripted_window
    case = demo_store.list_arenden(search="plan med budget")[0]["id"]
    window.open_arende(case)
    editor = window.editors.currentWidget()
    other = hold_write_lock(demo_store)
    try:
        editor.arende_form.klassificering.setText("1.2.3")
        editor.save()
        qtbot.waitUntil(lambda: window.counts_label.text() == "Sparar …")
        assert demo_store.arende(case)["klassificering"] != "1.2.3"
        QTimer.singleShot(300, lambda: other.execute("ROLLBACK"))    # the other program lets go …
        window.close()                                             # … while the window waits for the save
    finally:
        other.close()
    assert demo_store.arende(case)["klassificering"] == "1.2.3" and dialogs.calls == []


def test_application_font_is_the_shipped_dejavu_sans(window):
    assert "DejaVu Sans" in ui_app.register_fonts()
    assert QApplication.font().family() == "DejaVu Sans"
    assert QFontInfo(window.font()).family() == "DejaVu Sans"


def test_qt_own_texts_are_swedish(window):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Avbryt"
    assert QCoreApplication.translate("QLineEdit", "Select All") == "Markera alla"


def test_window_geometry_and_view_are_remembered(qtbot, demo_store, settings_dir):
    assert QSettings().fileName().startswith(str(settings_dir))
    first = open_window(qtbot, demo_store)
    # The offscreen screen is 800 px wide, about the window's least width: the height is what can differ.
    assert first.height() != 520
    first.resize(first.width(), 520)
    first.show_view(1)
    first.close()
    assert any(settings_dir.rglob("*.conf")) or any(settings_dir.rglob("*.ini"))

    second = open_window(qtbot, demo_store)
    assert second.height() == 520
    assert second.frameGeometry().width() <= second.screen().availableGeometry().width()
    assert second.current_view() == "Diarium"


# --- starting the app ------------------------------------------------------------------


def test_run_shows_a_swedish_error_when_the_store_cannot_be_opened(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    assert ui_app.run(tmp_path) == 1
    assert shown == [("Nämndtool", f"{tmp_path} är en mapp, inte en registerfil. Ange en fil med --db.")]


def test_run_shows_the_window_and_returns_when_it_closes(tmp_path, monkeypatch):
    with Store.open(tmp_path / "s.sqlite") as store:
        import_meeting(store, DEMO_JSON)
    opened = []

    def exec_():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        opened.extend(w.windowTitle() for w in windows)
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication.instance(), "exec", exec_)
    assert ui_app.run(tmp_path / "s.sqlite") == 0
    assert opened == ["Nämndtool – Socialnämnden"]
    assert QApplication.organizationName() == "Nämndtool" and QApplication.applicationName() == "Nämndtool"


def test_gui_without_a_display_says_so_in_one_swedish_line(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check only applies on Linux")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "nämndtool", "--db", str(tmp_path / "s.sqlite"), "gui"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "xvfb-run make run" in lines[0] and "skärm" in lines[0]


# --- screenshots -------------------------------------------------------------------------


def _screenshot_store(tmp_path) -> Store:
    """The full demo when the core has it (what `make run` shows), else the imported meeting."""
    store = Store.open(tmp_path / "demo.sqlite")
    try:
        from nämndtool.demo import create_demo
    except ImportError:
        import_meeting(store, DEMO_JSON)
    else:
        create_demo(store)
    return store


def test_screenshots_of_both_views(qtbot, tmp_path):
    with _screenshot_store(tmp_path) as store:
        window = open_window(qtbot, store)
        window.resize(1200, 760)
        page = window.meetings_page
        row = column_texts(page.meetings_model, 0).index("2023-02-22")
        page.meetings_view.selectRow(row)
        QApplication.processEvents()
        assert_readable(window, "sammantraden.png")
        window.show_view(1)
        QApplication.processEvents()
        assert_readable(window, "diarium.png")
        window.close()
