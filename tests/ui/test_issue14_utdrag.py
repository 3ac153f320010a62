"""Issue 14, the utdrag in the app: under Utdrag och utskick the secretary sets the date of the Utdragsbestyrkande
(Bestyrkt datum); an utdrag of a justerat protokoll is refused in one Swedish sentence until it is set, and then
prints that date; before the justering the utdrag is made as a draft marked Ej justerat, without a date. The
protokoll is prepared with the helpers of tests/ui/test_ui_protokoll.py."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from docs_helpers import flat, pdf_text
from nämndtool.demo import create_demo
from test_ui_protokoll import complete, justera, open_page
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def prepared(store):
    """The demo store with its 2023 meeting, whose protokoll the test completes; (store, meeting_id)."""
    return store, create_demo(store)


def type_date(qtbot, edit, text: str) -> None:
    """Click into the date field's text in the window in front, type the date and leave the field with Tab."""
    edit.window().activateWindow()
    qtbot.waitUntil(edit.window().isActiveWindow)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    line = edit.lineEdit()
    qtbot.mouseClick(line, LEFT, pos=QPoint(6, line.height() // 2))
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_the_utdrag_of_a_justerat_protokoll_waits_for_the_bestyrkt_datum(qtbot, prepared, dialogs, tmp_path):
    store, meeting_id = prepared
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    utskick = page.utskick
    page.tabs.setCurrentWidget(utskick)

    # before the justering: a draft, marked Ej justerat, that no date can bestyrka
    utskick.select(5, "Kommunstyrelsen")
    assert utskick.bestyrkt.edit.is_empty()
    assert "utdraget märks Ej justerat" in utskick.bestyrkt_note.text()
    draft = tmp_path / "utkast.pdf"
    dialogs.save_answers = [draft]
    qtbot.mouseClick(utskick.utdrag_button, LEFT)
    qtbot.waitUntil(draft.exists)
    assert "märkt Ej justerat på varje sida" in dialogs.messages("confirm")[-1]
    assert "Utdraget kan bestyrkas först när protokollet har justerats" in flat(pdf_text(draft.read_bytes()))

    justera(qtbot, page, dt.date(2023, 3, 1))
    utskick.select(5, "Kommunstyrelsen")
    assert "Krävs när protokollet är justerat" in utskick.bestyrkt_note.text()
    asked = len([c for c in dialogs.calls if c[0] == "save_path"])
    qtbot.mouseClick(utskick.utdrag_button, LEFT)
    assert dialogs.messages("error")[-1].startswith(
        "Ange datumet för utdragsbestyrkandet under Bestyrkt datum innan utdraget skapas.")
    assert len([c for c in dialogs.calls if c[0] == "save_path"]) == asked   # nothing written, not even asked

    type_date(qtbot, utskick.bestyrkt.edit, "2023-02-27")   # before the justering: the core says so
    assert utskick.bestyrkt.iso() == "2023-02-27"
    qtbot.mouseClick(utskick.utdrag_button, LEFT)
    assert "före justeringen 2023-03-01" in dialogs.messages("error")[-1]

    type_date(qtbot, utskick.bestyrkt.edit, "2023-03-06")
    assert utskick.bestyrkt.iso() == "2023-03-06"
    target = tmp_path / "ks.pdf"
    dialogs.save_answers = [target]
    qtbot.mouseClick(utskick.utdrag_button, LEFT)
    qtbot.waitUntil(target.exists)
    text = flat(pdf_text(target.read_bytes()))
    assert "Utdragsbestyrkande Utdraget bestyrks Datum 2023-03-06 Madelene Sönnerfors" in text
    assert dt.date.today().isoformat() not in text and "Ej justerat" not in text
    assert_readable(page, "issue14-utdrag-bestyrkt-datum.png")
