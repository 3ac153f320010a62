"""The day of a nämndsekreterare through the main window: a meeting, its agenda, an ärende's tjänsteskrivelse,
and the kallelse as a file. Also the screenshots of each main view at 1366×768."""

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from docs_helpers import flat
from nämndtool.demo import create_demo
from nämndtool.ui import app as ui_app
from nämndtool.ui.main_window import DIARY, EDITORS, MEETINGS, PEOPLE, PROTOKOLL, REGISTRY
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from ui_checks import assert_readable



@pytest.fixture
def window(qtbot, store):
    create_demo(store)
    dialogs = ScriptedDialogs()
    main = ui_app.MainWindow(store, dialogs)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    main.dialogs_for_test = dialogs
    return main


def test_a_meeting_from_nothing_to_a_kallelse_file(qtbot, window, store, tmp_path):
    page = window.meetings_page
    dialog = page.new_meeting()
    day = dt.date.today() + dt.timedelta(days=40)
    dialog.organ.setCurrentIndex(dialog.organ.findText("Socialnämnden"))
    dialog.datum.setDate(QDate(day.year, day.month, day.day))
    dialog.tid.setTime(QTime(14, 0))
    dialog.plats.setText("Stadshuset, sal A")
    dialog.accept()
    qtbot.waitUntil(tasks.idle)
    meeting = page.selected_meeting()
    assert meeting["datum"] == day.isoformat()

    assert page.add_missing_standard()
    budget = store.register_arende(store.the_namnd()["id"], "Socialnämndens budget för nästa år")
    assert page.add_arende(store.arende(budget["id"]))
    qtbot.waitUntil(tasks.idle)
    titles = [item["rubrik"] for item in store.agenda(meeting["id"])]
    assert titles[:3] == ["Upprop", "Val av justerare", "Fastställande av dagordning"]
    assert titles[3] == "Socialnämndens budget för nästa år" and titles[-1] == "Meddelanden"
    page.select_item(3)
    assert page.move_selected(-1)
    qtbot.waitUntil(tasks.idle)
    assert [i["rubrik"] for i in store.agenda(meeting["id"])][2] == "Socialnämndens budget för nästa år"
    assert [i["nr"] for i in store.agenda(meeting["id"])] == list(range(1, len(titles) + 1))

    window.open_arende(budget["id"])
    assert window.current_view() == "Öppna ärenden"
    editor = window.editors.currentWidget()
    editor.start_tjansteskrivelse()
    qtbot.waitUntil(lambda: editor.ts_form.isEnabled(), timeout=5000)
    editor.ts_form.rubrik.setText("Budget 2027")
    assert editor.save_now()
    assert store.tjansteskrivelse(budget["id"])["rubrik"] == "Budget 2027"

    window.show_view(MEETINGS)
    page.select_meeting(meeting["id"])
    out = tmp_path / "kallelse.pdf"
    window.dialogs_for_test.save_answers.append(out)
    window.kallelse_action.trigger()
    text = flat(" ".join(p.extract_text() for p in PdfReader(str(out)).pages))
    assert "Stadshuset, sal A" in text and "Socialnämndens budget för nästa år" in text
    assert f"{day.isoformat()} kl. 14:00" in text


def test_screenshots_of_each_main_view(qtbot, window, store):
    for index, name in ((MEETINGS, "huvudfonster-sammantraden"), (DIARY, "huvudfonster-diarium"),
                        (PEOPLE, "huvudfonster-personer"), (REGISTRY, "huvudfonster-register"),
                        (PROTOKOLL, "huvudfonster-protokoll")):
        window.show_view(index)
        QApplication.processEvents()
        assert_readable(window, f"{name}.png")
    window.open_arende(store.list_arenden(search="plan med budget")[0]["id"])
    assert window.current_view() == "Öppna ärenden" and window.stack.currentIndex() == EDITORS
    editor = window.editors.currentWidget()
    qtbot.waitUntil(lambda: not editor.renderer.busy and not editor._preview_timer.isActive()
                    and editor.preview.pdf.document.pageCount() >= 1, timeout=10_000)
    assert_readable(window, "huvudfonster-arende.png")


def test_protokoll_opens_for_the_selected_meeting_from_the_menu(qtbot, window, store):
    meeting = next(m for m in store.meetings() if m["datum"] == "2023-02-22")
    window.meetings_page.select_meeting(meeting["id"])
    action = next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                  if a.text().replace("&", "") == "Protokoll …")
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    action.trigger()
    assert window.current_view() == "Protokoll"
    assert window.protokoll_page.meeting["id"] == meeting["id"]
