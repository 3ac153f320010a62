"""The Anslagstavla tab of the Protokoll page (issue 17, point 3): publishing the notice of the justering to the
anslagstavla's folder (remembered), the anslag recorded and shown, and taking it down early only with a reason."""

import datetime as dt
import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from nämndtool.anslagstavla import folder as tavla
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.ui.common import tasks
from nämndtool.ui.protokoll.anslagstavla import FOLDER_SETTING, PUBLISH_TEXT, WITHDRAW_TEXT
from nämndtool.ui.protokoll.page import ProtokollPage
from test_protokoll_issue13 import ready_for_justering
from ui_checks import assert_readable

UP = dt.date(2023, 3, 2)
KEY = "socn-socialnamnden-2023-02-22"


@pytest.fixture
def justerat(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding(), today=dt.date(2023, 3, 1))
    return store, meeting_id


def open_tab(qtbot, store, dialogs, meeting_id, today=UP):
    page = ProtokollPage(store, dialogs, today=lambda: today)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    assert page.set_meeting(meeting_id)
    page.tabs.setCurrentWidget(page.anslagstavla)
    QApplication.processEvents()
    return page, page.anslagstavla


def test_publish_and_take_down_from_the_protokoll_page(qtbot, justerat, dialogs, tmp_path):
    store, meeting_id = justerat
    web = tmp_path / "webb"
    web.mkdir()
    page, tab = open_tab(qtbot, store, dialogs, meeting_id)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Anslagstavla"
    assert tab.publish_button.text() == PUBLISH_TEXT and tab.publish_button.isEnabled()
    assert tab.withdraw_button.text() == WITHDRAW_TEXT and not tab.withdraw_button.isEnabled()

    asked = []
    tab.choose_folder = lambda start: asked.append(start) or web
    task = tab.publish()
    assert task is not None
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    QApplication.processEvents()
    assert asked == [None]   # nothing remembered yet
    assert dialogs.messages("error") == []
    assert any("Anslaget är publicerat" in m and "23 mars 2023" in m for m in dialogs.messages("info"))
    assert (web / f"{KEY}.html").is_file() and (web / f"{KEY}-protokoll.pdf").is_file()
    assert QSettings().value(FOLDER_SETTING) == str(web)
    assert store.protokoll(meeting_id)["anslag_datum"] == UP.isoformat()
    assert "Anslaget sattes upp 2023-03-02" in page.deadline_info.text()   # the page read the register again
    assert "Uppe på anslagstavlan sedan 2 mars 2023" in tab.state.text()
    assert tab.withdraw_button.isEnabled()
    shot = assert_readable(page, "anslagstavla-publicerat.png")
    print(f"Skärmbild: {shot}")

    # publishing again asks in the remembered folder and changes nothing
    tab.publish()
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    assert asked[-1] == web and dialogs.messages("error") == []

    # taking down before the appeal period ends: the reason is asked for; cancelling keeps the notice
    dialogs.text_answers = [None]
    assert not tab.withdraw()
    assert (web / f"{KEY}.html").is_file()
    question = [c for c in dialogs.calls if c[0] == "ask_text"][-1][1]
    assert "löper fortfarande, till och med 23 mars 2023" in question
    dialogs.text_answers = ["Fel protokoll publicerades"]
    assert tab.withdraw()
    assert not (web / f"{KEY}.html").exists() and not (web / f"{KEY}-protokoll.pdf").exists()
    [down] = json.loads((web / tavla.MANIFEST).read_text())["nedtagna"]
    assert down["skal"] == "Fel protokoll publicerades"
    assert "Anslaget finns inte på anslagstavlan" in tab.state.text() and not tab.withdraw_button.isEnabled()
    widget_shot = tmp_path / "anslagstavla-flik.png"
    assert tab.grab().save(str(widget_shot))
    print(f"Skärmbild: {widget_shot}")


def test_an_unjusterat_protokoll_cannot_be_published(qtbot, imported, dialogs):
    store, meeting_id = imported
    _, tab = open_tab(qtbot, store, dialogs, meeting_id)
    assert not tab.publish_button.isEnabled() and not tab.withdraw_button.isEnabled()
    assert "inte justerat" in tab.state.text()


def test_a_refusal_is_shown_in_swedish(qtbot, justerat, dialogs, tmp_path):
    """The anslag was recorded by hand the day before; a folder where it is not up is refused, nothing written."""
    from nämndtool.operations.protokoll import record_anslag

    store, meeting_id = justerat
    record_anslag(store, meeting_id, UP, today=UP)
    web = tmp_path / "webb"
    web.mkdir()
    _, tab = open_tab(qtbot, store, dialogs, meeting_id, today=UP + dt.timedelta(days=1))
    tab.choose_folder = lambda start: web
    tab.publish()
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    [error] = dialogs.messages("error")
    assert "registrerat som uppsatt 2023-03-02" in error
    assert not (web / f"{KEY}.html").exists()
