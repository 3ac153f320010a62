"""Issue 13, people and addresses, as the nämndsekreterare meets them: possible duplicates found and merged with a
preview in Personer, pickers that show address and e-mail, "Ny mottagare…" where a recipient is needed, every
list refreshed at once after a change, and a new mandate period for an organ in one action. Keys and clicks."""

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QRadioButton, QWidget

from nämndtool.demo import create_demo
from nämndtool.operations import people
from nämndtool.ui.common import changes, tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from nämndtool.ui.diary.register_dialogs import RegisterArendeDialog
from nämndtool.ui.editor.recipients import RecipientsEditor
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.people.page import PeoplePage
from nämndtool.ui.protokoll.page import ProtokollPage
from keys import type_text
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


def shown(qtbot, widget, width: int = 1366, height: int = 768):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def page(qtbot, demo, dialogs) -> PeoplePage:
    widget = shown(qtbot, PeoplePage(demo, dialogs))
    widget.reload()
    return widget


def click_tab(qtbot, tabs, text: str) -> None:
    bar = tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == text)
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def click_row(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(view.viewport(), LEFT, modifier, view.visualRect(view.model().index(row, 0)).center())


def rows_named(model, name: str) -> list[int]:
    return [r for r in range(model.rowCount()) if model.row_at(r)["namn"].casefold() == name.casefold()]


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def click_radio(qtbot, radio) -> None:
    """On the round button itself (a radio button's row is wider than what answers a click)."""
    qtbot.mouseClick(radio, LEFT, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def open_merge(qtbot, tab):
    """Press Slå ihop… and wait until the dialog is on screen."""
    click(qtbot, tab.merge_button)
    qtbot.waitExposed(tab.dialog)
    return tab.dialog


def merge_and_wait(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(tasks.idle)


# --- duplicates in Personer -------------------------------------------------------------------------------------


def test_duplicate_recipients_are_found_and_merged_after_a_preview(qtbot, page, demo):
    click_tab(qtbot, page.tabs, "Adressbok")
    tab = page.address_book
    assert "4 grupper med möjliga dubbletter" in tab.result.text()
    qtbot.mouseClick(tab.duplicates_only, LEFT)
    names = sorted({tab.model.row_at(r)["namn"].casefold() for r in range(tab.model.rowCount())})
    assert names == ["akten", "kommunfullmäktige", "kommunstyrelsen", "revisorerna"]
    click_row(qtbot, tab.view, rows_named(tab.model, "Kommunstyrelsen")[0])
    dialog = open_merge(qtbot, tab)
    choice = dialog.choices.checkedButton().text()
    assert choice == "Kommunstyrelsen, Kommunledningsförvaltningen, 641 80 Katrineholm, kommunstyrelsen@katrineholm.se"
    text = dialog.preview.text()
    assert "Beslutet skickas till, i 2 tjänsteskrivelser: SOCN/2022:15, SOCN/2023:17" in text
    assert "Kommunstyrelsen (ingen adress eller e-post)" in text   # what is removed
    assert "De besluten skickas i fortsättningen till Kommunstyrelsen, Kommunledningsförvaltningen" in text
    assert_readable(dialog, "sla-ihop-mottagare.png")
    merge_and_wait(qtbot, dialog)

    assert len(rows_named(tab.model, "Kommunstyrelsen")) == 0   # no longer a possible duplicate
    qtbot.mouseClick(tab.duplicates_only, LEFT)
    assert len(rows_named(tab.model, "Kommunstyrelsen")) == 1 and "3 grupper" in tab.result.text()
    kept = tab.model.row_at(rows_named(tab.model, "Kommunstyrelsen")[0])
    assert kept["anvands"] == 3 and kept["adress"] == "Kommunledningsförvaltningen, 641 80 Katrineholm"


def test_two_revisorerna_become_one_and_the_kept_one_can_be_chosen(qtbot, page, demo):
    click_tab(qtbot, page.tabs, "Adressbok")
    tab = page.address_book
    rows = rows_named(tab.model, "Revisorerna")
    assert len(rows) == 2   # the import's "revisorerna" is its "Revisorerna"; the address book's has an address
    click_row(qtbot, tab.view, rows[0])
    for row in rows[1:]:
        click_row(qtbot, tab.view, row, CTRL)
    dialog = open_merge(qtbot, tab)
    radios = dialog.findChildren(QRadioButton)
    assert len(radios) == 2
    bare = next(r for r in radios if "Kommunrevisionen" not in r.text())
    click_radio(qtbot, bare)
    assert "Behålls" in dialog.preview.text() and dialog.choices.checkedButton() is bare
    click_radio(qtbot, next(r for r in radios if "Kommunrevisionen" in r.text()))
    merge_and_wait(qtbot, dialog)
    (only,) = [r for r in demo.address_book() if r["namn"].casefold() == "revisorerna"]
    assert only["adress"] == "Kommunrevisionen, 641 80 Katrineholm"


def test_namesake_handlaggare_are_merged_in_alla_personer(qtbot, page, demo):
    click_tab(qtbot, page.tabs, "Alla personer")
    tab = page.persons
    assert "2 grupper med möjliga dubbletter" in tab.result.text()
    type_text(tab.search, "julia")
    rows = rows_named(tab.model, "Julia Lindberg")
    assert [tab.model.data(tab.model.index(r, 1)) for r in rows] == ["", "Controller"]
    click_row(qtbot, tab.view, rows[0])
    click_row(qtbot, tab.view, rows[1], CTRL)
    dialog = open_merge(qtbot, tab)
    assert dialog.choices.checkedButton().text().startswith("Julia Lindberg (tjänsteperson, Controller")
    assert "Handläggare för 1 ärende: SOCN/2023:16" in dialog.preview.text()
    assert_readable(dialog, "sla-ihop-personer.png")
    merge_and_wait(qtbot, dialog)
    assert [tab.model.data(tab.model.index(r, 1)) for r in rows_named(tab.model, "Julia Lindberg")] == ["Controller"]
    assert [p["titel"] for p in demo.tjanstepersoner() if p["namn"] == "Julia Lindberg"] == ["Controller"]


def test_a_merge_that_may_not_be_done_says_why_and_cannot_be_pressed(qtbot, page, demo):
    click_tab(qtbot, page.tabs, "Alla personer")
    tab = page.persons
    demo_before = len(demo.all_persons())
    click_row(qtbot, tab.view, rows_named(tab.model, "Eva Lindqvist")[0])
    click_row(qtbot, tab.view, rows_named(tab.model, "Sara Gibro")[0], CTRL)
    dialog = open_merge(qtbot, tab)
    assert "Kan inte slås ihop" in dialog.preview.text()
    assert "En tjänsteperson och en förtroendevald kan inte slås ihop" in dialog.preview.text()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(demo.all_persons()) == demo_before


# --- a new mandate period ---------------------------------------------------------------------------------------


def test_a_new_mandate_period_renews_every_seat_with_its_role(qtbot, page, demo):
    roster = page.roster
    roster.date.setDate(QDate(2026, 6, 1))
    click(qtbot, roster.renew_button)
    dialog = roster.dialog
    assert (dialog.fran.date(), dialog.till.date()) == (QDate(2027, 1, 1), QDate(2030, 12, 31))
    items = [dialog.seats.item(i) for i in range(dialog.seats.count())]
    assert len(items) == 13 and items[1].text() == "Johanna Karlsson (S) – Vice ordförande"
    leaving = next(i for i in items if i.text().startswith("Mats Ekholm"))
    qtbot.mouseClick(dialog.seats.viewport(), LEFT, pos=dialog.seats.visualItemRect(leaving).center())
    qtbot.keyClick(dialog.seats, Qt.Key.Key_Space)
    assert leaving.checkState() == Qt.CheckState.Unchecked
    assert dialog.summary.text() == "12 av 13 uppdrag förnyas för 2027-01-01 – 2030-12-31."
    assert_readable(dialog, "ny-mandatperiod.png")
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(tasks.idle)

    roster.date.setDate(QDate(2027, 2, 1))
    model = roster.model
    seats = [(model.data(model.index(r, 0)), model.data(model.index(r, 2))) for r in range(model.rowCount())]
    assert len(seats) == 12 and seats[:2] == [("Martin Edgélius", "Ordförande"), ("Johanna Karlsson", "Vice ordförande")]
    assert "Mats Ekholm" not in dict(seats)


def test_renewing_twice_is_not_possible(qtbot, page, demo, dialogs):
    roster = page.roster
    roster.date.setDate(QDate(2026, 6, 1))
    click(qtbot, roster.renew_button)
    with qtbot.waitSignal(roster.dialog.finished, timeout=30_000):
        click(qtbot, roster.dialog.save_button)
    qtbot.waitUntil(tasks.idle)
    click(qtbot, roster.renew_button)
    dialog = roster.dialog
    dialog.fran.setDate(QDate(2027, 1, 1))
    assert all("kan inte förnyas" in dialog.seats.item(i).text() for i in range(dialog.seats.count()))
    assert not dialog.save_button.isEnabled()


# --- pickers and "Ny mottagare…" ----------------------------------------------------------------------------------


def test_ny_mottagare_in_the_tjansteskrivelse_adds_it_and_every_list_follows(qtbot, demo, dialogs):
    people_page = shown(qtbot, PeoplePage(demo, dialogs))
    people_page.reload()
    editor = shown(qtbot, RecipientsEditor(demo, dialogs), 900, 700)
    other = shown(qtbot, RecipientsEditor(demo, dialogs), 900, 700)   # the same picker in another open ärende
    type_text(editor.search, "Region Sörmland")
    assert editor.proxy.rowCount() == 0
    click(qtbot, editor.new_dialog_button)
    dialog = editor.dialog
    assert dialog.namn.text() == "Region Sörmland"   # what was searched for
    type_text(dialog.adress, "Box 1, 611 88 Nyköping")
    type_text(dialog.epost, "region@regionsormland.se")
    assert_readable(dialog, "ny-mottagare-fran-tjansteskrivelsen.png")
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        qtbot.keyClick(dialog.epost, Qt.Key.Key_Return)
    qtbot.waitUntil(tasks.idle)
    assert [r["namn"] for r in editor.recipients()] == ["Region Sörmland"]
    assert editor.recipients()[0]["adress"] == "Box 1, 611 88 Nyköping"
    book = other.book
    assert any(book.row_at(r)["namn"] == "Region Sörmland" for r in range(book.rowCount()))
    address_book = people_page.address_book.model
    assert rows_named(address_book, "Region Sörmland")

    # merged in Personer: the pickers no longer offer the removed entry
    click_tab(qtbot, people_page.tabs, "Adressbok")
    tab = people_page.address_book
    click_row(qtbot, tab.view, rows_named(tab.model, "akten")[0])
    click_row(qtbot, tab.view, next(r for r in rows_named(tab.model, "Akten") if tab.model.row_at(r)["namn"] == "Akten"),
              CTRL)
    merge_and_wait(qtbot, open_merge(qtbot, tab))
    assert [book.row_at(r)["namn"] for r in range(book.rowCount())].count("akten") \
        + [book.row_at(r)["namn"] for r in range(book.rowCount())].count("Akten") == 1


def test_the_table_picker_shows_address_and_email(qtbot, demo, dialogs):
    editor = shown(qtbot, RecipientsEditor(demo, dialogs), 900, 700)
    type_text(editor.search, "kommunstyrelsen")
    shown_rows = [[editor.proxy.data(editor.proxy.index(r, c)) for c in range(3)] for r in range(editor.proxy.rowCount())]
    assert ["Kommunstyrelsen", "Kommunledningsförvaltningen, 641 80 Katrineholm",
            "kommunstyrelsen@katrineholm.se"] in shown_rows and ["Kommunstyrelsen", "", ""] in shown_rows


@pytest.fixture
def paragraph_editor(qtbot, store, dialogs):
    meeting_id = create_demo(store)
    store.create_paragraphs(meeting_id)
    page = shown(qtbot, ProtokollPage(store, dialogs))
    assert page.set_meeting(meeting_id)
    page.tabs.setCurrentWidget(page.paragrafer)
    assert page.paragrafer.select_number(5)
    return store, page.paragrafer.editor


def test_the_paragraph_picker_tells_namesakes_apart_and_adds_a_new_recipient(qtbot, paragraph_editor, dialogs):
    store, editor = paragraph_editor
    texts = [editor.book.itemText(i) for i in range(editor.book.count())]
    assert "Kommunstyrelsen – Kommunledningsförvaltningen, 641 80 Katrineholm · kommunstyrelsen@katrineholm.se" in texts
    assert "Kommunstyrelsen – ingen postadress · ingen e-post" in texts
    editor.book.lineEdit().clear()
    type_text(editor.book.lineEdit(), "Revisorerna")
    click(qtbot, editor.add_recipient_button)
    assert "Det finns 2 mottagare som heter Revisorerna" in dialogs.messages("info")[-1]

    editor.book.lineEdit().clear()
    type_text(editor.book.lineEdit(), "Vårdnadshavare 2")
    click(qtbot, editor.new_recipient_button)
    dialog = editor.recipient_dialog
    assert dialog.namn.text() == "Vårdnadshavare 2"
    type_text(dialog.adress, "Storgatan 14, 641 30 Katrineholm")
    assert_readable(dialog, "ny-mottagare-fran-paragrafen.png")
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(tasks.idle)
    assert [m["namn"] for m in editor.mottagare.values()][-1] == "Vårdnadshavare 2"
    assert "Vårdnadshavare 2 – Storgatan 14, 641 30 Katrineholm · ingen e-post" in [
        editor.book.itemText(i) for i in range(editor.book.count())]
    assert any(r["namn"] == "Vårdnadshavare 2" for r in store.recipients())


def test_the_register_dialog_shows_title_and_email_of_each_handlaggare(qtbot, demo, dialogs):
    dialog = shown(qtbot, RegisterArendeDialog(demo, dialogs, today=dt.date(2024, 3, 1)), 700, 500)
    texts = [dialog.handlaggare.itemText(i) for i in range(dialog.handlaggare.count())]
    assert "Julia Lindberg – Controller · julia.lindberg@katrineholm.se" in texts
    assert "Julia Lindberg – julia.lindberg@katrineholm.se" in texts
    type_text(dialog.rubrik, "Remiss om föreningsbidrag")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)   # the list completes what is typed in the focused field
    qtbot.mouseClick(dialog.handlaggare.lineEdit(), LEFT)
    type_text(dialog.handlaggare.lineEdit(), "Julia Lindberg")
    assert dialog.handlaggare.currentText() == "Julia Lindberg – julia.lindberg@katrineholm.se"   # completed
    qtbot.keyClick(dialog.handlaggare, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.handlaggare, Qt.Key.Key_Down)
    assert dialog.handlaggare.currentText() == "Julia Lindberg – Controller · julia.lindberg@katrineholm.se"
    with qtbot.waitSignal(dialog.registered, timeout=30_000):
        click(qtbot, dialog.ok_button)
    qtbot.waitUntil(tasks.idle)
    controller = next(p for p in demo.tjanstepersoner() if p["titel"] == "Controller")
    assert dialog.arende["handlaggare_id"] == controller["id"]


def test_an_open_tjansteskrivelse_shows_the_recipient_a_merge_kept(qtbot, page, demo, dialogs):
    editor = shown(qtbot, RecipientsEditor(demo, dialogs), 900, 700)
    old = next(r for r in demo.recipients() if r["namn"] == "Kommunstyrelsen" and not r["adress"])
    editor.set_recipients([old])
    click_tab(qtbot, page.tabs, "Adressbok")
    tab = page.address_book
    for n, row in enumerate(rows_named(tab.model, "Kommunstyrelsen")):
        click_row(qtbot, tab.view, row, CTRL if n else Qt.KeyboardModifier.NoModifier)
    merge_and_wait(qtbot, open_merge(qtbot, tab))
    (shown_now,) = editor.recipients()
    assert shown_now["adress"] == "Kommunledningsförvaltningen, 641 80 Katrineholm" and shown_now["id"] != old["id"]
    assert "slagits ihop" in editor.book_note.text()


def test_an_open_paragraph_shows_the_recipient_a_merge_kept(qtbot, paragraph_editor, dialogs):
    store, editor = paragraph_editor
    assert [(m["namn"], m["adress"]) for m in editor.mottagare.values()] == [("Kommunstyrelsen", None), ("akten", None)]
    people_page = shown(qtbot, PeoplePage(store, dialogs))
    people_page.reload()
    click_tab(qtbot, people_page.tabs, "Adressbok")
    tab = people_page.address_book
    for n, row in enumerate(rows_named(tab.model, "Kommunstyrelsen")):
        click_row(qtbot, tab.view, row, CTRL if n else Qt.KeyboardModifier.NoModifier)
    merge_and_wait(qtbot, open_merge(qtbot, tab))
    assert [(m["namn"], m["adress"]) for m in editor.mottagare.values()] == [
        ("Kommunstyrelsen", "Kommunledningsförvaltningen, 641 80 Katrineholm"), ("akten", None)]
    assert "slagits ihop" in editor.problem.text()
    stored = [m["mottagare_id"] for m in store.paragraf(editor.paragraf["id"])["mottagare"]]
    assert [m["mottagare_id"] for m in editor.mottagare.values()] == stored   # what a save would write
    assert stored[0] == next(r["id"] for r in store.recipients() if r["namn"] == "Kommunstyrelsen")


# --- the change notification --------------------------------------------------------------------------------------


def test_the_runner_announces_a_change_after_done_and_a_closed_view_no_longer_listens(qtbot, demo, dialogs):
    heard, order = [], []
    view = QWidget()
    changes.follow(view, {changes.PEOPLE}, lambda: heard.append("view"))
    closed = QWidget()
    changes.follow(closed, {changes.PEOPLE}, lambda: heard.append("closed"))
    changes.follow(view, {changes.DIARY}, lambda: heard.append("diary"))
    with qtbot.waitSignal(closed.destroyed):
        closed.deleteLater()
    changes.hub().changed.connect(order.append)
    tasks.run(view, demo, people.save_recipient, None, "Polismyndigheten", None, None,
              done=lambda _id: order.append("done"), failed=pytest.fail)
    qtbot.waitUntil(tasks.idle)
    assert order[:2] == ["done", "people"] and heard == ["view"]
    changes.hub().changed.disconnect(order.append)


def test_screenshot_alla_personer_with_possible_duplicates(qtbot, demo):
    window = shown(qtbot, MainWindow(demo))
    people_page = PeoplePage(demo, ScriptedDialogs())
    window.stack.addWidget(people_page)
    window.stack.setCurrentWidget(people_page)
    people_page.reload()
    click_tab(qtbot, people_page.tabs, "Alla personer")
    qtbot.mouseClick(people_page.persons.duplicates_only, LEFT)
    assert people_page.persons.model.rowCount() == 4
    assert_readable(window, "alla-personer-dubbletter.png")


# --- the handläggare's own details ----------------------------------------------------------------------------------


def click_view(qtbot, window, name: str) -> None:
    """A view chosen in the navigation on the left."""
    nav = window.navigation
    item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).text() == name)
    qtbot.mouseClick(nav.viewport(), LEFT, pos=nav.visualItemRect(item).center())
    assert window.current_view() == name


def fill(qtbot, edit, text: str) -> None:
    """Click into the field, select what is there and type ``text`` over it."""
    qtbot.mouseClick(edit, LEFT)
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    type_text(edit, text)


def pick(qtbot, combo, text: str) -> None:
    """Choose the entry ``text`` in a drop-down list by typing its first word, as in the walk-through."""
    combo.window().activateWindow()
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    type_text(combo, text.split()[0])
    assert combo.currentText() == text


def save_dialog(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(tasks.idle)


def printed_tjansteskrivelse(store, arende_id: int) -> str:
    from docs_helpers import pdf_text
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.service import render_preview
    from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
    document = tjansteskrivelse_document(store, arende_id, load_branding()).document
    return " ".join(pdf_text(render_preview(document, "pdf", load_branding())).split())


def test_a_new_handlaggare_with_contact_details_is_picked_in_the_open_editor_and_printed(qtbot, demo, dialogs):
    window = shown(qtbot, MainWindow(demo, dialogs))
    arende = next(a["id"] for a in demo.list_arenden() if a["diarienummer"] == "SOCN/2026:1")
    window.open_arende(arende)
    editor = window.editors.currentWidget()

    click_view(qtbot, window, "Personer och mottagare")
    people_page = window.people_page
    click_tab(qtbot, people_page.tabs, "Alla personer")
    click(qtbot, people_page.persons.add_button)
    dialog = people_page.persons.dialog
    qtbot.waitExposed(dialog)
    fill(qtbot, dialog.namn, "Åsa Öberg")
    fill(qtbot, dialog.titel, "Socialsekreterare")
    fill(qtbot, dialog.epost, "asa.oberg.katrineholm.se")
    fill(qtbot, dialog.telefon, "0150-570 99")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and "saknar @" in dialog.email_problem.text()     # said, and nothing saved
    assert not [p for p in demo.tjanstepersoner() if p["namn"] == "Åsa Öberg"]
    fill(qtbot, dialog.epost, "asa.oberg@katrineholm.se")
    save_dialog(qtbot, dialog)
    (added,) = [p for p in demo.tjanstepersoner() if p["namn"] == "Åsa Öberg"]
    assert (added["titel"], added["epost"], added["telefon"]) == ("Socialsekreterare", "asa.oberg@katrineholm.se",
                                                                  "0150-570 99")
    assert people_page.persons.model.rowCount() == len(demo.all_persons())

    click_view(qtbot, window, "Öppna ärenden")
    pick(qtbot, editor.arende_form.handlaggare, "Åsa Öberg (Socialsekreterare)")
    window.activateWindow()
    qtbot.keyClick(editor.arende_form.handlaggare, Qt.Key.Key_S, CTRL)                  # Arkiv → Spara ärendet
    assert demo.arende(arende)["handlaggare_id"] == added["id"]
    printed = printed_tjansteskrivelse(demo, arende)
    assert "Åsa Öberg" in printed and "0150-570 99" in printed and "asa.oberg@katrineholm.se" in printed

    click_view(qtbot, window, "Personer och mottagare")
    tab = people_page.persons
    click_row(qtbot, tab.view, rows_named(tab.model, "Åsa Öberg")[0])
    click(qtbot, tab.edit_button)
    qtbot.waitExposed(tab.dialog)
    fill(qtbot, tab.dialog.telefon, "0150-570 42")
    save_dialog(qtbot, tab.dialog)
    assert "0150-570 42" in editor.ts_form.handlaggare.text()          # the open editor follows at once
    assert "0150-570 42" in printed_tjansteskrivelse(demo, arende)
    trail = demo.rows("SELECT handelse, fore, efter FROM andring WHERE tabell = 'person' ORDER BY id")
    assert [row["handelse"] for row in trail[-2:]] == ["ny", "ändrad"]
    assert "0150-570 99" in trail[-1]["fore"] and "0150-570 42" in trail[-1]["efter"]


def test_a_handlaggare_merged_in_personer_is_shown_as_the_kept_one_in_the_open_editor(qtbot, demo, dialogs):
    window = shown(qtbot, MainWindow(demo, dialogs))
    arende = next(a["id"] for a in demo.list_arenden() if a["diarienummer"] == "SOCN/2023:16")
    window.open_arende(arende)
    editor = window.editors.currentWidget()
    assert editor.arende_form.handlaggare.currentText().startswith("Julia Lindberg – ")   # two of that name
    click_view(qtbot, window, "Personer och mottagare")
    tab = window.people_page.persons
    click_tab(qtbot, window.people_page.tabs, "Alla personer")
    for n, row in enumerate(rows_named(tab.model, "Julia Lindberg")):
        click_row(qtbot, tab.view, row, CTRL if n else Qt.KeyboardModifier.NoModifier)
    merge_and_wait(qtbot, open_merge(qtbot, tab))
    kept = demo.arende(arende)["handlaggare_id"]
    assert editor.arende_form.handlaggare.currentData() == kept
    assert [editor.arende_form.handlaggare.itemText(i) for i in range(editor.arende_form.handlaggare.count())
            ].count("Julia Lindberg (Controller)") == 1
    assert not editor.has_unsaved_changes()
