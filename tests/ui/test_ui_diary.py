"""The Diarium view: a lazy table over thousands of ärenden, search, filters, SQL sorting, registering ärenden
and handlingar (files dropped on a row)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import sqlite3
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from nämndtool.demo import OSL
from nämndtool.diarienummer import parse
from nämndtool.store import Store, connection
from nämndtool.ui import app as ui_app
from nämndtool.ui.diary.model import BLOCK, HANDLAGGARE_COLUMN, NUMBER_COLUMN, RUBRIK_COLUMN, SEKRETESS_COLUMN
from nämndtool.ui.common import tasks
from nämndtool.ui.diary.page import DiaryPage
from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_FOREGROUND, SECRET_ROLE, UNNUMBERED
from nämndtool.ui.common.dialogs import ScriptedDialogs
from keys import type_text
from ui_checks import assert_readable

SIZE = (1366, 768)
N = 5000
YEARS = (2021, 2022, 2023, 2024, 2025)
STATUSES = ("inkommet", "under_beredning", "klart_for_namnd", "beslutat", "avslutat")
WORDS = ("Yttrande över remiss", "Ansökan om bistånd", "Zonindelning av hemtjänsten", "Årsredovisning",
         "Ärende om tillsyn", "Översyn av riktlinjer", "Bokslut och uppföljning", "Motion om familjecentral")


@pytest.fixture(scope="module")
def big_store_file(tmp_path_factory) -> Path:
    """A store with 5 000 generated ärenden over five years, three handläggare, every tenth one secret."""
    path = tmp_path_factory.mktemp("stor") / "stor.sqlite"
    with Store.open(path) as store, store.write():
        namnd_id = store.save_namnd("SOCN", "Socialnämnden")
        people = [store.insert("person", {"namn": name, "roll": "tjansteperson"})
                  for name in ("Örjan Lind", "Åsa Berg", "Cecilia Ek")]
        per_year = N // len(YEARS)
        for i in range(N):
            year, lopnr = YEARS[i // per_year], i % per_year + 1
            secret = i % 10 == 0
            store.insert("arende", {
                "namnd_id": namnd_id, "ar": year, "lopnr": lopnr,
                "rubrik": f"{WORDS[i % len(WORDS)]} {i}", "registrerad": f"{year}-03-01",
                "status": STATUSES[i % len(STATUSES)], "handlaggare_id": people[i % 3],
                "sekretess": int(secret), "sekretess_lagrum": OSL if secret else None,
                "offentlig_rubrik": "Sekretessärende" if secret else None,
            })
    return path


@pytest.fixture
def big_store(big_store_file, tmp_path):
    copy = tmp_path / "stor.sqlite"
    with sqlite3.connect(big_store_file) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with Store.open(copy) as store:
        yield store


class CountingStore:
    """Counts the row fetches of the model by wrapping ``arenden_by_ids`` on the store instance."""

    def __init__(self, store):
        self.calls: list[int] = []
        original = store.arenden_by_ids

        def counted(ids):
            self.calls.append(len(ids))
            return original(ids)

        store.arenden_by_ids = counted


def show_page(qtbot, store, dialogs=None) -> DiaryPage:
    page = DiaryPage(store, dialogs or ScriptedDialogs())
    qtbot.addWidget(page)
    page.resize(*SIZE)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    QApplication.processEvents()
    return page


def texts(page, column: int) -> list[str]:
    model = page.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def row_of_number(page, number: str) -> int:
    return texts(page, NUMBER_COLUMN).index(number)


def wait_for_query(qtbot, page, expected_rows: int) -> None:
    qtbot.waitUntil(lambda: page.model.rowCount() == expected_rows, timeout=3000)


def click_header(qtbot, page, column: int) -> None:
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def drop_files(page, row: int, paths: list[Path]) -> None:
    """What the file manager does when files are dragged over the table and dropped on a row."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = page.view.visualRect(page.model.index(row, RUBRIK_COLUMN)).center()
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide marks the QPoint constructors deprecated
        enter, move = QDragEnterEvent(point, *args), QDragMoveEvent(point, *args)
    for event in (enter, move):
        QApplication.sendEvent(page.view.viewport(), event)
        assert event.isAccepted()
    QApplication.sendEvent(page.view.viewport(), QDropEvent(QPointF(point), *args))


# --- a lazy table -----------------------------------------------------------------------------------


def test_the_table_fetches_only_the_rows_it_shows(qtbot, big_store):
    counting = CountingStore(big_store)
    page = show_page(qtbot, big_store)
    assert page.model.rowCount() == N
    assert page.result.text() == "5\u00a0000 ärenden i diariet."
    assert page.counts() == "5\u00a0000 ärenden"
    visible = page.view.rowAt(page.view.viewport().height() - 1)
    assert 10 < visible < BLOCK
    assert len(counting.calls) <= 2 and page.model.cached_rows() <= 2 * BLOCK
    assert all(n <= BLOCK for n in counting.calls)

    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.is_cached(N - 1), timeout=3000)
    assert len(counting.calls) <= 4 and page.model.cached_rows() <= 4 * BLOCK
    # newest number first: the last row is the first ärende of the first year
    last = page.model.arende_at(N - 1)
    assert last["diarienummer"] == "SOCN/2021:1"


def test_search_as_you_type_narrows_over_the_full_text_index(qtbot, big_store):
    page = show_page(qtbot, big_store)
    expected = len(big_store.arende_ids(search="arsredovisning"))
    assert 0 < expected < N
    qtbot.keyClicks(page.search, "arsredovisning")
    assert page.model.rowCount() == N, "the search waits until the user stops typing"
    wait_for_query(qtbot, page, expected)
    assert all(rubrik.startswith("Årsredovisning") for rubrik in texts(page, RUBRIK_COLUMN))
    assert page.result.text() == f"{expected} ärenden matchar ”arsredovisning”."
    assert not page.search_problem.isVisible()

    page.search.clear()
    wait_for_query(qtbot, page, N)


@pytest.mark.parametrize("combo, data, check", [
    ("year_filter", 2022, lambda a: a["ar"] == 2022),
    ("status_filter", "beslutat", lambda a: a["status"] == "beslutat"),
    ("handlaggare_filter", "Åsa Berg", lambda a: a["handlaggare"] == "Åsa Berg"),
    ("secrecy_filter", True, lambda a: a["sekretess"] == 1),
    ("secrecy_filter", False, lambda a: a["sekretess"] == 0),
])
def test_each_filter_narrows_the_diary(qtbot, big_store, combo, data, check):
    page = show_page(qtbot, big_store)
    box = getattr(page, combo)
    if combo == "handlaggare_filter":
        data = next(p["id"] for p in big_store.handlaggare_list() if p["namn"] == data)
    expected = [a for a in big_store.arenden_by_ids(big_store.arende_ids()) if check(a)]
    box.setCurrentIndex(box.findData(data))
    wait_for_query(qtbot, page, len(expected))
    assert 0 < len(expected) < N
    shown = [page.model.arende_at(row) for row in range(page.model.rowCount())]
    assert all(check(a) for a in shown)
    assert page.result.text() == f"{len(expected):,} av 5\u00a0000 ärenden.".replace(",", "\u00a0")

    page.clear_button.click()
    wait_for_query(qtbot, page, N)


def test_filters_combine_with_the_search(qtbot, big_store):
    page = show_page(qtbot, big_store)
    page.year_filter.setCurrentIndex(page.year_filter.findData(2023))
    page.secrecy_filter.setCurrentIndex(page.secrecy_filter.findData(True))
    expected = big_store.arende_ids(year=2023, sekretess=True, search="yttrande")
    page.search.setText("yttrande")
    wait_for_query(qtbot, page, len(expected))
    assert [page.model.id_at(r) for r in range(page.model.rowCount())] == expected
    assert page.result.text().endswith("matchar ”yttrande” med de valda filtren.")
    assert page.year_filter.itemText(0) == "Alla" and [page.year_filter.itemData(i) for i in range(1, 6)] == [
        2025, 2024, 2023, 2022, 2021]


def test_the_headers_sort_through_sql_in_swedish_order(qtbot, big_store):
    page = show_page(qtbot, big_store)
    page.year_filter.setCurrentIndex(page.year_filter.findData(2022))
    wait_for_query(qtbot, page, N // len(YEARS))

    click_header(qtbot, page, NUMBER_COLUMN)
    assert page.model.query.sort == "diarienummer" and not page.model.query.descending
    numbers = texts(page, NUMBER_COLUMN)
    assert numbers[:3] == ["SOCN/2022:1", "SOCN/2022:2", "SOCN/2022:3"]
    assert numbers.index("SOCN/2022:100") > numbers.index("SOCN/2022:26")
    assert page.view.horizontalHeader().sortIndicatorSection() == NUMBER_COLUMN

    click_header(qtbot, page, NUMBER_COLUMN)
    assert texts(page, NUMBER_COLUMN)[0] == "SOCN/2022:1000"

    click_header(qtbot, page, RUBRIK_COLUMN)
    assert page.model.query.sort == "rubrik"
    initials = []
    for rubrik in texts(page, RUBRIK_COLUMN):
        if not initials or initials[-1] != rubrik[0]:
            initials.append(rubrik[0])
    assert initials == ["A", "B", "M", "Y", "Z", "Å", "Ä", "Ö"]

    click_header(qtbot, page, HANDLAGGARE_COLUMN)
    names = []
    for name in texts(page, HANDLAGGARE_COLUMN):
        if not names or names[-1] != name:
            names.append(name)
    assert names == ["Cecilia Ek", "Åsa Berg", "Örjan Lind"]


def test_sorting_keeps_the_selected_arende_selected(qtbot, big_store):
    page = show_page(qtbot, big_store)
    page.view.selectRow(5)
    chosen = page.selected_id()
    click_header(qtbot, page, RUBRIK_COLUMN)
    assert page.selected_id() == chosen


# --- the demo diary -------------------------------------------------------------------------------


def test_secret_and_unnumbered_arenden_are_marked(qtbot, demo):
    page = show_page(qtbot, demo)
    model = page.model
    row = texts(page, RUBRIK_COLUMN).index("Ansökan om vård enligt 2 § LVU")
    assert model.data(model.index(row, SEKRETESS_COLUMN)) == "Sekretess (26 kap. 1 § OSL)"
    assert model.data(model.index(row, RUBRIK_COLUMN), SECRET_ROLE) is True
    for column in range(model.columnCount()):
        assert model.data(model.index(row, column), Qt.ItemDataRole.BackgroundRole) == SECRET_BACKGROUND
        assert model.data(model.index(row, column), Qt.ItemDataRole.ForegroundRole) == SECRET_FOREGROUND
    assert "Offentlig rubrik: Sekretessärende" in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)

    public = row_of_number(page, "SOCN/2023:17")
    assert model.data(model.index(public, SEKRETESS_COLUMN)) == ""
    assert model.data(model.index(public, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert texts(page, NUMBER_COLUMN).count(UNNUMBERED) == 2
    unnumbered = texts(page, NUMBER_COLUMN).index(UNNUMBERED)
    assert model.data(model.index(unnumbered, 0), Qt.ItemDataRole.FontRole).italic()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Diarienummer", "Rubrik", "Status", "Handläggare", "Sekretess", "Registrerat"]


def test_double_click_and_enter_open_the_arende(qtbot, demo):
    page = show_page(qtbot, demo)
    row = row_of_number(page, "SOCN/2023:17")
    wanted = demo.arende_id_by_number(parse("SOCN/2023:17"))
    rect = page.view.visualRect(page.model.index(row, RUBRIK_COLUMN))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.open_arende) as opened:
        qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [wanted]

    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.open_arende) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened.args == [page.model.id_at(0)]


def test_a_diary_number_can_be_typed_in_any_usual_form(qtbot, demo):
    page = show_page(qtbot, demo)
    wanted = page.model.id_at(row_of_number(page, "SOCN/2023:17"))
    for typed in ("socn2023:17", "SOCN/2023:17", "2023:17", " Socn/2023:17 "):
        page.search.setText(typed)
        wait_for_query(qtbot, page, 1)
        assert page.model.id_at(0) == wanted and page.selected_id() == wanted
        assert page.result.text() == "Diarienummer SOCN/2023:17."
        page.search.clear()
        wait_for_query(qtbot, page, 15)
    page.search.setText("socn2023:17")
    with qtbot.waitSignal(page.open_arende) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == [wanted]


def test_an_invalid_diary_number_is_explained_under_the_search_box(qtbot, demo):
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    qtbot.keyClicks(page.search, "SOCN/2022:015")
    qtbot.waitUntil(page.search_problem.isVisible, timeout=3000)
    assert "löpnumret får inte börja med 0" in page.search_problem.text()
    assert "SOCN/2022:15" in page.search_problem.text()
    assert page.search.text() == "SOCN/2022:015"
    assert dialogs.calls == []

    page.search.setText("SOCN/2022:999")
    qtbot.waitUntil(lambda: "finns inte i diariet" in page.search_problem.text(), timeout=3000)

    page.search.setText("ABC/2022:5")
    qtbot.waitUntil(lambda: "koden ABC är okänd" in page.search_problem.text(), timeout=3000)

    page.search.setText("KS/2026:212")  # another authority's reference, found as text
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert not page.search_problem.isVisible()
    assert texts(page, RUBRIK_COLUMN) == ["Yttrande över remiss om kommunens trygghetsstrategi"]

    page.search.setText("SOCN/2022:015")
    qtbot.waitUntil(page.search_problem.isVisible, timeout=3000)
    page.search.clear()
    qtbot.waitUntil(lambda: not page.search_problem.isVisible(), timeout=3000)
    assert page.model.rowCount() == 15 and dialogs.calls == []


# --- a new ärende -----------------------------------------------------------------------------------


def test_registering_a_new_arende_shows_its_number_and_selects_it(qtbot, demo):
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    assert page.new_action.shortcut().toString() == "Ctrl+N"
    namnd = demo.the_namnd()
    year = dt.date.today().year
    expected = f"SOCN/{year}:{demo.next_number(namnd['id'], year)}"

    page.new_action.trigger()
    dialog = page.register_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Nytt ärende"
    assert not dialog.namnd.isVisible(), "one nämnd: nothing to choose"
    type_text(dialog.rubrik, "Yttrande över motion om äldreboende")
    dialog.handlaggare.setCurrentIndex(dialog.handlaggare.findText("Sara Gibro", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClicks(dialog.klassificering, "1.2.7")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)

    assert page.register_dialog is None   # closed (and deleted) once the ärende is in the store
    found = demo.arende_by_number(parse(expected))
    assert found["rubrik"] == "Yttrande över motion om äldreboende"
    assert found["handlaggare"] == "Sara Gibro" and found["klassificering"] == "1.2.7"
    assert found["sekretess"] == 0 and found["status"] == "inkommet"
    assert dialogs.messages("info") == [
        f"Ärendet har diarienummer {expected}.\n\nYttrande över motion om äldreboende"]
    assert page.selected_id() == found["id"]
    assert page.model.rowCount() == 16


def test_a_new_secret_arende_needs_its_lagrum_and_public_rubrik(qtbot, demo):
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    before = demo.arende_count()
    dialog = page.open_register_dialog()
    type_text(dialog.rubrik, "Ansökan om vård enligt LVU, barn född 2015")
    dialog.sekretess.setChecked(True)
    assert dialog.lagrum.isVisible() and dialog.secret_note.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.problems.isVisible()
    assert "sekretessgrunden (lagrum)" in dialog.problems.text()
    assert "offentlig rubrik" in dialog.problems.text()
    assert demo.arende_count() == before and dialogs.calls == []
    assert dialog.rubrik.text() == "Ansökan om vård enligt LVU, barn född 2015"

    type_text(dialog.lagrum, OSL)
    type_text(dialog.offentlig_rubrik, "Ansökan om vård enligt LVU")
    dialog.handlaggare.setEditText("Ny Handläggare")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert page.register_dialog is None
    made = demo.arende(page.selected_id())
    assert (made["sekretess"], made["sekretess_lagrum"], made["offentlig_rubrik"]) == (
        1, OSL, "Ansökan om vård enligt LVU")
    assert made["handlaggare"] == "Ny Handläggare"
    row = page.model.row_of(made["id"])
    assert page.model.data(page.model.index(row, 0), SECRET_ROLE) is True


def test_with_several_namnder_the_dialog_asks_which(qtbot, demo):
    demo.save_namnd("ÄLDN", "Äldrenämnden")
    page = show_page(qtbot, demo)
    dialog = page.open_register_dialog()
    assert dialog.namnd.isVisible() and dialog.namnd.count() == 2
    dialog.namnd.setCurrentIndex(dialog.namnd.findText("Äldrenämnden (ÄLDN)"))
    type_text(dialog.rubrik, "Avgifter inom äldreomsorgen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert page.register_dialog is None
    assert demo.arende(page.selected_id())["diarienummer"] == f"ÄLDN/{dt.date.today().year}:1"


def test_an_empty_register_says_so_and_cannot_register_without_a_namnd(qtbot, store):
    page = show_page(qtbot, store)
    assert page.model.rowCount() == 0 and page.result.text() == "0 ärenden i diariet."
    dialog = page.open_register_dialog()
    assert not dialog.ok_button.isEnabled() and "ingen nämnd" in dialog.problems.text()
    dialog.reject()


def test_a_personnummer_in_a_public_rubrik_is_refused(qtbot, demo):
    page = show_page(qtbot, demo)
    dialog = page.open_register_dialog()
    type_text(dialog.rubrik, "Ansökan om bistånd 19850312-1234")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "personnummer" in dialog.problems.text()


def test_a_locked_store_is_explained_and_the_dialog_keeps_the_text(qtbot, demo, monkeypatch):
    """The store refuses (another program holds the register longer than the worker waits): the error is shown
    through the dialogs, the dialog stays open with what was typed, and OK works once the register is free."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    dialog = page.open_register_dialog()
    type_text(dialog.rubrik, "Remiss om ny socialtjänstlag")
    before = demo.arende_count()
    other = sqlite3.connect(demo.path, timeout=0.05)
    other.execute("BEGIN IMMEDIATE")
    try:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Registrerar …"
        qtbot.waitUntil(tasks.idle, timeout=10_000)
    finally:
        other.rollback()
        other.close()
    [message] = dialogs.messages("error")
    assert "upptaget" in message and "försök igen" in message
    assert dialog.isVisible() and dialog.rubrik.text() == "Remiss om ny socialtjänstlag"
    assert dialog.ok_button.isEnabled() and demo.arende_count() == before

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert page.register_dialog is None and len(dialogs.messages("info")) == 1
    assert demo.arende_count() == before + 1


def test_problems_follow_the_typing_once_shown(qtbot, demo):
    page = show_page(qtbot, demo)
    dialog = page.open_register_dialog()
    dialog.sekretess.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "rubrik (ärendemening)" in dialog.problems.text() and dialog.focusWidget() is dialog.rubrik
    type_text(dialog.rubrik, "Ansökan om vård enligt LVU")
    assert "ärendemening" not in dialog.problems.text() and "sekretessgrunden" in dialog.problems.text()
    type_text(dialog.lagrum, OSL)
    assert dialog.problems.text().startswith("Ett sekretessärende behöver en offentlig rubrik")
    dialog.sekretess.setChecked(False)
    assert dialog.problems.isHidden()
    dialog.reject()


# --- handlingar by drag and drop --------------------------------------------------------------------


def test_files_dropped_on_a_row_become_handlingar_of_that_arende(qtbot, demo, tmp_path):
    page = show_page(qtbot, demo)
    letter = tmp_path / "Skrivelse från revisorerna.txt"
    letter.write_text("Revisorerna önskar svar senast 1 mars.", encoding="utf-8")
    sheet = tmp_path / "bilaga.docx"
    sheet.write_bytes(b"PK\x03\x04 not really a docx")
    row = row_of_number(page, "SOCN/2023:17")
    arende_id = page.model.id_at(row)
    messages = []
    page.message.connect(messages.append)

    drop_files(page, row, [letter, sheet])
    dialog = page.handling_dialog
    assert dialog.isVisible()
    assert any("i SOCN/2023:17 – Socialnämndens årsredovisning 2022" in label.text()
               for label in dialog.findChildren(QLabel))
    assert [d.text() for d in dialog.descriptions] == ["Skrivelse från revisorerna", "bilaga"]
    dialog.descriptions[1].setText("Revisorernas bedömning")
    dialog.accept()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)

    assert messages[-1] == "2 handlingar registrerade i SOCN/2023:17."
    found = [h for h in demo.handlingar(arende_id) if h["bilaga_nr"] is None]
    assert [(h["beskrivning"], h["filnamn"], h["riktning"], h["datum"], h["sekretess"]) for h in found] == [
        ("Skrivelse från revisorerna", letter.name, "in", dt.date.today().isoformat(), 0),
        ("Revisorernas bedömning", sheet.name, "in", dt.date.today().isoformat(), 0),
    ]
    assert demo.file_path(found[0]["fil_sha256"]).read_bytes() == letter.read_bytes()
    assert page.selected_id() == arende_id


def test_files_dropped_on_a_secret_arende_are_secret(qtbot, demo, tmp_path):
    page = show_page(qtbot, demo)
    report = tmp_path / "Utredning.txt"
    report.write_text("Utredning enligt 11 kap. 1 § SoL", encoding="utf-8")
    row = texts(page, RUBRIK_COLUMN).index("Ansökan om vård enligt 2 § LVU")
    drop_files(page, row, [report])
    page.handling_dialog.accept()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    [handling] = [h for h in demo.handlingar(page.model.id_at(row)) if h["filnamn"] == report.name]
    assert (handling["sekretess"], handling["sekretess_lagrum"]) == (1, OSL)


def test_a_dropped_folder_is_explained_and_nothing_is_registered(qtbot, demo, tmp_path):
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    folder = tmp_path / "Handlingar"
    folder.mkdir()
    row = row_of_number(page, "SOCN/2023:17")
    before = demo.handlingar(page.model.id_at(row))
    drop_files(page, row, [folder])
    [message] = dialogs.messages("error")
    assert "Handlingar är en mapp" in message and "Inga handlingar registrerades" in message
    assert page.handling_dialog is None
    assert demo.handlingar(page.model.id_at(row)) == before

    good = tmp_path / "Protokollsutdrag.txt"
    good.write_text("Utdrag", encoding="utf-8")
    drop_files(page, row, [folder, good])
    dialog = page.handling_dialog
    assert [p.name for p in dialog.paths] == ["Protokollsutdrag.txt"]
    dialog.reject()


def test_a_failed_registration_reopens_the_dialog_with_the_descriptions(qtbot, demo, tmp_path):
    dialogs = ScriptedDialogs()
    page = show_page(qtbot, demo, dialogs)
    letter = tmp_path / "Brev.txt"
    letter.write_text("Brev", encoding="utf-8")
    row = row_of_number(page, "SOCN/2023:17")
    drop_files(page, row, [letter])
    dialog = page.handling_dialog
    dialog.descriptions[0].setText("Brev från brukarrådet")
    letter.unlink()  # gone before it could be copied
    dialog.accept()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    qtbot.waitUntil(lambda: bool(dialogs.messages("error")), timeout=3000)
    assert "Brev.txt kunde inte sparas" in dialogs.messages("error")[0]
    assert dialog.isVisible() and dialog.descriptions[0].text() == "Brev från brukarrådet"
    dialog.reject()


# --- how it looks -----------------------------------------------------------------------------------


def test_screenshot_of_the_diary(qtbot, demo):
    window = ui_app.create_main_window(demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(*SIZE)
    window.show_view(1)
    page = window.diary_page
    page.select_arende(page.model.id_at(row_of_number(page, "SOCN/2023:17")))
    QApplication.processEvents()
    assert_readable(window, "diarium.png")
    window.close()


def test_screenshots_of_the_register_dialogs(qtbot, demo, tmp_path):
    page = show_page(qtbot, demo)
    dialog = page.open_register_dialog()
    type_text(dialog.rubrik, "Ansökan om vård enligt LVU")
    dialog.sekretess.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert_readable(dialog, "diarium-nytt-arende.png")
    dialog.reject()

    files = []
    for name in ("Anmälan från skolan.pdf", "Läkarintyg.docx"):
        files.append(tmp_path / name)
        files[-1].write_bytes(b"%PDF-1.4" if name.endswith(".pdf") else b"PK")
    row = texts(page, RUBRIK_COLUMN).index("Ansökan om vård enligt 2 § LVU")
    drop_files(page, row, files)
    QApplication.processEvents()
    assert_readable(page.handling_dialog, "diarium-handlingar.png")
    page.handling_dialog.reject()
