"""Personer: the roster of ledamöter and ersättare per organ and date, and the address book, with their editing."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt

from nämndtool.demo import UTSKOTT
from nämndtool.errors import NamndtoolError
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_ROLE
from nämndtool.ui.people.page import EMAIL_HINT, PeoplePage
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from ui_checks import assert_readable


@pytest.fixture
def page(qtbot, demo, dialogs) -> PeoplePage:
    widget = PeoplePage(demo, dialogs)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.reload()
    widget.roster.date.setDate(QDate(2023, 2, 22))
    return widget


def texts(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def choose_organ(page, name: str) -> None:
    combo = page.roster.organ
    combo.setCurrentIndex(combo.findText(name))


def select(view, row: int) -> None:
    view.selectRow(row)


def is_open(dialog) -> bool:
    """A dialog that closed after saving is also deleted (``deleteLater``) once the event loop has run."""
    return shiboken6.isValid(dialog) and dialog.isVisible()


def save(qtbot, dialog) -> None:
    """Press Spara and wait until the operation has run and its outcome is shown."""
    dialog.accept()
    qtbot.waitUntil(tasks.idle)


# --- the roster -----------------------------------------------------------------------------------------------------


def test_roster_of_the_nämnd_on_a_date(page):
    model = page.roster.model
    assert headers(model) == ["Namn", "Parti", "Uppdrag", "Från", "Till", "E-post", "Telefon"]
    assert model.rowCount() == 13
    assert texts(model, 0)[:2] == ["Martin Edgélius", "Johanna Karlsson"]
    assert texts(model, 2)[:3] == ["Ordförande", "Vice ordförande", "Ledamot"]
    assert texts(model, 2)[-1] == "Ersättare"
    assert texts(model, 5)[0] == "martin.edgelius@politik.katrineholm.se"
    assert "9 ledamöter och 4 ersättare den onsdag 22 februari 2023" in page.roster.info.text()
    assert "saknar e-post" not in page.roster.info.text()
    assert page.counts() == "13 uppdrag"


def test_organ_and_date_choose_the_roster(page):
    choose_organ(page, UTSKOTT)
    assert texts(page.roster.model, 0) == ["Martin Edgélius", "Anders Gölevik", "Johanna Karlsson", "Eva Lindqvist"]
    page.roster.date.setDate(QDate(2022, 6, 1))
    assert page.roster.model.rowCount() == 0
    assert "inga ledamöter eller ersättare den onsdag 1 juni 2022" in page.roster.info.text()
    page.roster.all_seats.setChecked(True)
    assert page.roster.model.rowCount() == 4 and not page.roster.date.isEnabled()


def test_new_seat_for_a_new_person_with_inline_validation(page, demo, dialogs, qtbot):
    page.roster.add_seat()
    dialog = page.roster.dialog
    assert dialog.isVisible() and dialog.person.currentText() == "Ny person"
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.text() == "Skriv personens namn."
    dialog.namn.setText("Åsa Öhman")
    dialog.epost.setText("asa.ohman.example.se")
    assert dialog.email_problem.isVisible()   # said while typing
    dialog.accept()
    assert dialog.isVisible() and dialog.email_problem.text() == EMAIL_HINT and not dialog.problem.isVisible()
    assert dialog.namn.text() == "Åsa Öhman"   # nothing typed is lost
    dialog.epost.setText("asa.ohman@example.se")
    assert not dialog.email_problem.isVisible()
    dialog.parti.setCurrentText("MP")
    dialog.roll.setCurrentIndex(dialog.roll.findData("ersattare"))
    dialog.fran.setDate(QDate(2023, 2, 1))
    save(qtbot, dialog)
    assert not is_open(dialog)
    row = texts(page.roster.model, 0).index("Åsa Öhman")
    assert [page.roster.model.data(page.roster.model.index(row, c)) for c in range(6)] == [
        "Åsa Öhman", "MP", "Ersättare", "2023-02-01", "tills vidare", "asa.ohman@example.se"]
    assert not dialogs.messages("error")


def test_a_known_person_gets_a_second_seat_but_not_an_overlapping_one(page, demo, dialogs, qtbot):
    choose_organ(page, UTSKOTT)
    page.roster.add_seat()
    dialog = page.roster.dialog
    dialog.person.setCurrentIndex(dialog.person.findText("Wahid Moosawi (M)"))
    assert dialog.namn.text() == "Wahid Moosawi" and dialog.parti.currentText() == "M"
    save(qtbot, dialog)
    assert not is_open(dialog)
    assert "Wahid Moosawi" in texts(page.roster.model, 0)

    page.roster.add_seat()
    dialog = page.roster.dialog
    dialog.person.setCurrentIndex(dialog.person.findText("Wahid Moosawi (M)"))
    dialog.telefon.setText("0150-123 45")
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert "har redan ett uppdrag i organet" in dialogs.messages("error")[0]
    assert dialog.namn.text() == "Wahid Moosawi" and dialog.telefon.text() == "0150-123 45"   # kept
    wahid = next(p for p in demo.elected_people() if p["namn"] == "Wahid Moosawi")
    assert wahid["telefon"] != "0150-123 45"   # refused as a whole: the person's details unchanged too


def test_edit_a_seat_and_the_persons_details(page, demo, dialogs, qtbot):
    select(page.roster.view, 0)
    page.roster.edit_seat()
    dialog = page.roster.dialog
    assert dialog.namn.text() == "Martin Edgélius"
    dialog.epost.setText("martin.edgelius@katrineholm.se")
    dialog.telefon.setText("0150-570 01")
    dialog.ends.setChecked(True)
    dialog.till.setDate(QDate(2022, 12, 31))
    save(qtbot, dialog)
    assert dialog.isVisible() and "sluta innan det börjar" in dialogs.messages("error")[0]
    assert dialog.epost.text() == "martin.edgelius@katrineholm.se"   # what was typed stays
    unchanged = next(s for s in demo.organ_seats(page.roster.current_organ()["id"]) if s["namn"] == "Martin Edgélius")
    assert unchanged["epost"] != "martin.edgelius@katrineholm.se"   # neither the person nor the seat changed
    dialog.till.setDate(QDate(2024, 12, 31))
    save(qtbot, dialog)
    assert not is_open(dialog)
    martin = next(s for s in demo.organ_seats(page.roster.current_organ()["id"]) if s["namn"] == "Martin Edgélius")
    assert martin["epost"] == "martin.edgelius@katrineholm.se" and martin["telefon"] == "0150-570 01"
    assert martin["till"] == "2024-12-31"
    assert texts(page.roster.model, 5)[0] == "martin.edgelius@katrineholm.se"


def test_end_a_seat(page, demo, dialogs, qtbot):
    row = texts(page.roster.model, 0).index("Mats Ekholm")
    select(page.roster.view, row)
    page.roster.end_seat()
    dialog = page.roster.dialog
    dialog.till.setDate(QDate(2022, 1, 1))
    save(qtbot, dialog)
    assert dialog.isVisible() and "före uppdragets första dag (2023-01-01)" in dialogs.messages("error")[0]
    assert dialog.till.date() == QDate(2022, 1, 1)
    dialog.till.setDate(QDate(2024, 6, 30))
    save(qtbot, dialog)
    assert not is_open(dialog)
    page.roster.date.setDate(QDate(2024, 7, 1))
    assert "Mats Ekholm" not in texts(page.roster.model, 0)
    page.roster.date.setDate(QDate(2024, 6, 30))
    assert "Mats Ekholm" in texts(page.roster.model, 0)


@pytest.fixture
def in_window(qtbot, qapp, demo, tmp_path):
    """The page inside the main window (its style sheet and navigation), as users will see it."""
    window = MainWindow(demo)
    qtbot.addWidget(window)
    page = PeoplePage(demo, ScriptedDialogs())
    window.stack.addWidget(page)
    window.stack.setCurrentWidget(page)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page.reload()
    page.roster.date.setDate(QDate(2023, 2, 22))
    return window, page


def test_screenshot_personer(in_window):
    window, page = in_window
    select(page.roster.view, 0)
    assert_readable(window, "personer.png")


# --- the address book -------------------------------------------------------------------------------------------------


def show_address_book(page) -> None:
    page.tabs.setCurrentWidget(page.address_book)


def test_address_book_marks_a_recipient_of_a_secret_case(page):
    show_address_book(page)
    model = page.address_book.model
    assert headers(model) == ["Namn", "Postadress", "E-post", "Används i"]
    names = texts(model, 0)
    assert names[0].casefold() == "akten" and names[-2:] == ["Vårdnadshavare 1", "Överförmyndaren"]
    private = names.index("Vårdnadshavare 1")
    index = model.index(private, 3)
    assert model.data(index, SECRET_ROLE) and model.data(index, Qt.ItemDataRole.BackgroundRole) == SECRET_BACKGROUND
    assert model.data(index) == "3 tjänsteskrivelser  SEKRETESS"
    # Akten is used in secret cases too, but also in public ones: an archive is no secret.
    akten = max((r for r in range(model.rowCount()) if names[r] == "Akten"),
                key=lambda r: model.row_at(r)["anvands"])
    assert not model.data(model.index(akten, 3), SECRET_ROLE)
    overformyndaren = model.index(names.index("Överförmyndaren"), 3)
    assert model.data(overformyndaren) == "–"
    assert page.counts() == f"{len(names)} mottagare i adressboken"


def test_address_book_search(page):
    show_address_book(page)
    total = page.address_book.model.rowCount()
    page.address_book.search.setText("641 80 kommun")
    assert texts(page.address_book.model, 0) == ["Kommunfullmäktige", "Kommunstyrelsen", "Revisorerna"]
    assert page.address_book.result.text() == f"3 mottagare av {total} matchar."
    page.address_book.search.setText("finns inte")
    assert page.address_book.result.text() == "Ingen mottagare matchar ”finns inte”."


def test_add_and_edit_a_recipient(page, demo, dialogs, qtbot):
    show_address_book(page)
    tab = page.address_book
    tab.add_recipient()
    dialog = tab.dialog
    dialog.namn.setText("Region Sörmland")
    dialog.epost.setText("region@")
    dialog.accept()
    assert dialog.isVisible() and dialog.email_problem.isVisible()
    dialog.epost.setText("region@regionsormland.se")
    dialog.adress.setText("Box 1, 611 88 Nyköping")
    save(qtbot, dialog)
    assert not is_open(dialog)
    assert "Region Sörmland" in texts(tab.model, 0)

    tab.add_recipient()   # the same again is refused, and what was typed stays
    dialog = tab.dialog
    dialog.namn.setText("Region Sörmland")
    dialog.adress.setText("Box 1, 611 88 Nyköping")
    dialog.epost.setText("region@regionsormland.se")
    save(qtbot, dialog)
    assert dialog.isVisible() and "finns redan i adressboken" in dialogs.messages("error")[0]
    assert (dialog.namn.text(), dialog.adress.text()) == ("Region Sörmland", "Box 1, 611 88 Nyköping")
    dialog.reject()

    select(tab.view, texts(tab.model, 0).index("Region Sörmland"))
    tab.edit_recipient()
    dialog = tab.dialog
    dialog.adress.setText("Box 2, 611 88 Nyköping")
    save(qtbot, dialog)
    assert next(r for r in demo.address_book() if r["namn"] == "Region Sörmland")["adress"] == "Box 2, 611 88 Nyköping"


def row_of(tab, name: str, adress: str | None = None) -> int:
    return next(r for r in range(tab.model.rowCount())
                if tab.model.row_at(r)["namn"] == name and tab.model.row_at(r)["adress"] == adress)


def test_delete_refused_when_a_tjansteskrivelse_uses_the_recipient(page, demo, dialogs, qtbot):
    show_address_book(page)
    tab = page.address_book
    before = tab.model.rowCount()
    select(tab.view, row_of(tab, "Kommunstyrelsen"))
    tab.delete_recipient()
    qtbot.waitUntil(tasks.idle)
    assert dialogs.messages("confirm") == ["Ta bort ”Kommunstyrelsen” ur adressboken?"]
    message = dialogs.messages("error")[0]
    assert "”Kommunstyrelsen” kan inte tas bort" in message
    assert "2 tjänsteskrivelser (SOCN/2022:15, SOCN/2023:17)" in message
    assert tab.model.rowCount() == before

    assert tab.delete_button.isEnabled()
    select(tab.view, row_of(tab, "Överförmyndaren", "Överförmyndarnämnden, 641 80 Katrineholm"))
    tab.delete_recipient()
    qtbot.waitUntil(tasks.idle)
    assert "Överförmyndaren" not in texts(tab.model, 0) and tab.model.rowCount() == before - 1


def test_delete_message_never_names_a_secret_case_by_title(demo):
    family = next(r for r in demo.address_book() if r["namn"] == "Vårdnadshavare 1")
    with pytest.raises(NamndtoolError) as refused:
        demo.delete_recipient(family["id"])
    assert "3 tjänsteskrivelser" in str(refused.value)
    assert "LVU" not in str(refused.value) and "LVM" not in str(refused.value)


def test_declining_the_delete_keeps_the_recipient(page, dialogs):
    show_address_book(page)
    dialogs.confirm_answer = False
    tab = page.address_book
    before = tab.model.rowCount()
    select(tab.view, row_of(tab, "Överförmyndaren", "Överförmyndarnämnden, 641 80 Katrineholm"))
    tab.delete_recipient()
    assert tab.model.rowCount() == before


def test_screenshot_adressbok(in_window):
    window, page = in_window
    show_address_book(page)
    select(page.address_book.view, row_of(page.address_book, "Kommunstyrelsen", "Kommunledningsförvaltningen, 641 80 Katrineholm"))
    assert_readable(window, "adressbok.png")


# --- the store methods behind the view --------------------------------------------------------------------------------


def test_store_refuses_bad_email_and_dates_in_swedish(demo):
    person = demo.elected_people()[0]
    with pytest.raises(NamndtoolError, match="ingen e-postadress"):
        demo.update_person(person["id"], {"epost": "utan-snabel-a"})
    seat = demo.organ_seats(demo.all_organs()[0]["id"])[0]
    with pytest.raises(NamndtoolError, match="innan det börjar"):
        demo.end_seat(seat["uppdrag_id"], "2020-01-01")
    with pytest.raises(NamndtoolError, match="ingen e-postadress"):
        demo.add_recipient("X", None, "x@y")
    with pytest.raises(NamndtoolError, match="måste ha ett namn"):
        demo.add_recipient("  ")
    demo.update_person(person["id"], {"epost": " "})
    assert demo.person(person["id"])["epost"] is None
