"""The Protokoll view: attendance from the roster, §§ from the agenda, the KL check before justering, the lock,
anslag, utdrag of secret §§ only to confirmed addresses, and the dispatch list."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QTextEdit, QWidget,
)

from docs_helpers import flat, pdf_text
from nämndtool.demo import create_demo
from nämndtool.documents.protokoll import attendance_lines
from nämndtool.secrecy import operations
from nämndtool.store.connection import current_user
from nämndtool.ui.common import tasks
from nämndtool.ui.common.table_models import SECRET_ROLE
from nämndtool.ui.protokoll.paragraf_parts import CLAIMED_BY_IMPORT
from nämndtool.operations.protokoll import narvaro_problems as problems
from nämndtool.ui.protokoll.page import NOTHING_MISSING, ProtokollPage
from ui_checks import assert_readable

TODAY = dt.date.today()
CONFIRMER = "Matilda Johansson"
"""Who confirms an address: the name the program asks for once (Ditt namn), not the computer login."""
P6 = "Socialnämndens plan med budget 2023"


@pytest.fixture
def held(store):
    """The demo store (roster, address book) with the imported 2023 meeting; (store, meeting_id)."""
    return store, create_demo(store)


def open_page(qtbot, store, dialogs, meeting_id) -> ProtokollPage:
    page = ProtokollPage(store, dialogs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    assert page.set_meeting(meeting_id)
    return page


def settle(qtbot) -> None:
    """Every started operation has ended and the events it posted are handled: a screenshot shows what a user
    would see."""
    qtbot.waitUntil(tasks.idle)
    QApplication.processEvents()


def finished(qtbot, task) -> None:
    """The view handed its operation to the runner; wait until the outcome is shown."""
    assert task is not None
    qtbot.waitUntil(tasks.idle, timeout=30_000)


def accept(qtbot, dialog) -> None:
    """Press the dialog's OK and wait until its operation has succeeded and closed it."""
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.accept()
    qtbot.waitUntil(tasks.idle)


def refused(qtbot, dialog) -> None:
    """Press the dialog's OK and wait until its operation has been refused (the dialog stays open)."""
    dialog.accept()
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    assert dialog.isVisible() and dialog.buttons.isEnabled()


def fill_attendance(qtbot, page: ProtokollPage) -> None:
    """From the roster: Johanna Karlsson has förhinder and Eva Lindqvist serves for her; Anders Gölevik leaves
    after § 11; the förvaltningschef is there."""
    narvaro = page.narvaro
    assert narvaro.fill_from_roster()
    narvaro.row_of("Johanna Karlsson").forhinder.setChecked(True)
    eva = narvaro.row_of("Eva Lindqvist")
    eva.ersatter.setCurrentIndex(eva.ersatter.findData("Johanna Karlsson"))
    narvaro.row_of("Anders Gölevik").till.setValue(11)
    assert narvaro.add_staff("Marie Lundqvist", "T.f. förvaltningschef")
    finished(qtbot, narvaro.save())


def fill_header(qtbot, page: ProtokollPage) -> None:
    tab = page.justering
    tab.sekreterare.setText("Madelene Sönnerfors")
    tab.justerare.set_names(["Anders Gölevik (C)"])
    tab.plats.setText("Socialförvaltningen")
    tab.datum.set_iso("2023-03-01")
    tab.forvaring.setText("Socialförvaltningen")
    finished(qtbot, tab.save())


def select(page: ProtokollPage, nr: int):
    page.tabs.setCurrentWidget(page.paragrafer)
    assert page.paragrafer.select_number(nr)
    editor = page.paragrafer.editor
    assert editor.paragraf["nr"] == nr
    return editor


def write_missing_decisions(qtbot, page: ProtokollPage) -> None:
    for p in page.protokoll["paragrafer"]:
        if not p["beslut"]:
            editor = select(page, p["nr"])
            editor.beslut.add_row(f"Socialnämnden lägger punkt {p['dagordning_nr']} till handlingarna.")
            finished(qtbot, editor.save())


def vote_on_paragraph_6(qtbot, page: ProtokollPage) -> None:
    """Two yrkanden and a vote per person (6 ja, 3 nej), without result or propositionsordning."""
    editor = select(page, 6)
    editor.yrkanden.add_row({"av": "Wahid Moosawi (M)", "text": "bifall till förvaltningens förslag"})
    editor.yrkanden.add_row({"av": "Anders Gölevik (C)", "text": "avslag"})
    editor.fetch_voters()
    voters = list(editor.votes.combos)
    assert len(voters) == 9 and "Johanna Karlsson (S)" not in voters and "Eva Lindqvist (S)" in voters
    for index, name in enumerate(voters):
        editor.votes.set_vote(name, "ja" if index < 6 else "nej")
    editor.votes.sum_votes()
    editor.reservationer.add_row({"av": ["Anders Gölevik (C)"], "text": "Till förmån för eget yrkande."})
    finished(qtbot, editor.save())


def secret_recipient(store) -> int:
    return next(r["id"] for r in store.recipients() if r["namn"] == "Vårdnadshavare 1")


def editing_widgets(page: ProtokollPage) -> list:
    containers = (page.narvaro, page.paragrafer.editor, page.justering.details)
    kinds = (QLineEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractButton)
    return [w for c in containers for w in c.findChildren(QWidget) if isinstance(w, kinds)]


def is_editable(widget) -> bool:
    if not widget.isEnabled():
        return False
    return not (isinstance(widget, (QLineEdit, QTextEdit, QAbstractSpinBox)) and widget.isReadOnly())


# --- attendance ---------------------------------------------------------------------------------------------------


def test_attendance_from_the_roster_with_a_substitute(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    assert page.tabs.currentWidget() is page.narvaro
    fill_attendance(qtbot, page)
    stored = {n["namn"]: n for n in store.protokoll(meeting_id)["narvaro"]}
    assert stored["Martin Edgélius"]["roll"] == "ordforande" and stored["Martin Edgélius"]["tjanstgor"] == 1
    assert stored["Johanna Karlsson"]["forhinder"] == 1 and stored["Johanna Karlsson"]["tjanstgor"] == 0
    assert stored["Eva Lindqvist"]["tjanstgor"] == 1 and stored["Eva Lindqvist"]["ersatter"] == "Johanna Karlsson"
    assert stored["Fatima Hassan"]["roll"] == "ersattare" and stored["Fatima Hassan"]["tjanstgor"] == 0
    assert stored["Anders Gölevik"]["till_paragraf"] == 11
    assert stored["Marie Lundqvist"]["roll"] == "tjansteperson"
    assert stored["Marie Lundqvist"]["titel"] == "T.f. förvaltningschef"
    assert stored["Martin Edgélius"]["person_id"] is not None
    beslutande, ovriga = attendance_lines(store.protokoll(meeting_id)["narvaro"])
    assert "Eva Lindqvist (S), tjänstgörande ersättare för Johanna Karlsson" in beslutande
    assert "Anders Gölevik (C), ledamot (till och med § 11)" in beslutande
    assert "Marie Lundqvist, T.f. förvaltningschef" in ovriga
    assert not any(line.startswith("Johanna") for line in beslutande + ovriga)
    assert "Beslutande: 9" in page.narvaro.summary_label.text()
    assert page.tabs.tabText(0) == "Närvaro (14)"
    assert "Närvaron är inte ifylld." not in page.missing

    # choosing förhinder unticks Tjänstgör; an ersättare who replaces someone serves
    assert not page.narvaro.row_of("Johanna Karlsson").tjanstgor.isChecked()
    assert dialogs.messages("error") == []


def test_attendance_mistakes_are_explained_in_swedish_and_the_edits_stay(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    fill_attendance(qtbot, page)
    before = store.protokoll(meeting_id)["narvaro"]
    narvaro = page.narvaro
    narvaro.row_of("Johanna Karlsson").forhinder.setChecked(False)   # Eva still replaces her
    fatima = narvaro.row_of("Fatima Hassan")
    fatima.fran.setValue(9)
    fatima.till.setValue(4)
    assert narvaro.has_unsaved_changes()
    narvaro.save()   # the operation refuses the list
    qtbot.waitUntil(lambda: bool(dialogs.messages("error")))
    message = dialogs.messages("error")[-1]
    assert message.startswith("Närvaron kan inte sparas ännu:")
    assert ("Eva Lindqvist ersätter Johanna Karlsson, men Johanna Karlsson står inte som ledamot med förhinder"
            in message)
    assert "Fatima Hassan: Från § 9 ligger efter Till § 4." in message
    assert narvaro.problem.isVisibleTo(page) and "Eva Lindqvist" in narvaro.problem.text()
    # nothing typed was lost, nothing was stored
    assert narvaro.row_of("Eva Lindqvist").ersatter.currentData() == "Johanna Karlsson"
    assert narvaro.row_of("Fatima Hassan").fran.value() == 9
    assert store.protokoll(meeting_id)["narvaro"] == before
    assert page.tabs.tabText(0).endswith("*")

    # the operation's rules, asked directly
    rows = [{"namn": "Eva Lindqvist", "roll": "ersattare", "tjanstgor": 0, "forhinder": 0, "ersatter": "Johanna Karlsson",
             "fran_paragraf": None, "till_paragraf": None},
            {"namn": "", "roll": "ledamot", "tjanstgor": 1, "forhinder": 0, "ersatter": None, "fran_paragraf": None,
             "till_paragraf": None}]
    assert problems(rows) == ["Eva Lindqvist ersätter Johanna Karlsson och måste då vara ersättare som tjänstgör.",
                              "Rad 2: namnet saknas."]

    narvaro.discard()
    assert not narvaro.has_unsaved_changes() and narvaro.row_of("Johanna Karlsson").forhinder.isChecked()


def test_a_meeting_without_roster_says_where_to_add_it(qtbot, imported, dialogs):
    store, meeting_id = imported
    page = open_page(qtbot, store, dialogs, meeting_id)
    assert page.status.text() == "Status: Inte påbörjat"
    assert not page.narvaro.fill_from_roster()
    assert "inga ledamöter eller ersättare registrerade den 2023-02-22" in dialogs.messages("info")[-1]
    assert store.protokoll(meeting_id) is None   # looking does not create a protokoll


# --- paragraphs and the check ----------------------------------------------------------------------------------------


def test_paragraphs_are_made_from_the_agenda_and_numbered_through_the_year(qtbot, imported, dialogs):
    store, meeting_id = imported
    organ_id = store.meeting(meeting_id)["organ_id"]
    later = store.save_meeting(organ_id, "2023-05-10", {"plats": "Solrosen"})
    store.save_agenda(later, [{"nr": 1, "rubrik": "Upprop", "typ": "standard", "sekretess": 0}])
    store.create_paragraphs(later)
    page = open_page(qtbot, store, dialogs, meeting_id)
    finished(qtbot, page.paragrafer.create_paragraphs())
    assert "datumordning" in dialogs.messages("error")[-1]
    assert store.protokoll(meeting_id) is None or store.protokoll(meeting_id)["paragrafer"] == []

    store.delete_meeting(later)
    finished(qtbot, page.paragrafer.create_paragraphs())
    model = page.paragrafer.model
    assert [model.row_at(r)["nr"] for r in range(model.rowCount())] == list(range(1, 16))
    assert page.tabs.tabText(1) == "Paragrafer (15)"
    secret = model.row_at(3)
    assert secret["sekretess"] == 1 and model.data(model.index(3, 2)) == "SEKRETESS"
    editor = select(page, 5)
    assert editor.beslut.values()[0].startswith("Socialnämnden beslutar att godkänna socialförvaltningens årsredovisning")
    assert [m["namn"] for m in editor.mottagare.values()] == ["Kommunstyrelsen", "akten"]
    finished(qtbot, page.paragrafer.create_paragraphs())   # again: nothing new
    assert dialogs.messages("info")[-1] == "Alla punkter på dagordningen har redan en paragraf."


def test_klar_for_justering_is_refused_until_the_check_is_empty(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    fill_attendance(qtbot, page)
    finished(qtbot, page.paragrafer.create_paragraphs())
    fill_header(qtbot, page)
    write_missing_decisions(qtbot, page)
    assert page.check_list.text() == NOTHING_MISSING

    vote_on_paragraph_6(qtbot, page)
    p6 = store.paragraf_by_number(meeting_id, 6)
    assert [y["av"] for y in p6["yrkanden"]] == ["Wahid Moosawi (M)", "Anders Gölevik (C)"]
    assert (p6["votering_ja"], p6["votering_nej"], p6["votering_avstar"]) == (6, 3, 0)
    assert len(p6["roster"]) == 9 and p6["reservationer"] == [{"av": ["Anders Gölevik (C)"],
                                                               "text": "Till förmån för eget yrkande."}]
    assert not any("omröstningen" in m for m in page.missing)   # the counts are the result (issue 13)
    assert f"§ 6 {P6}: flera yrkanden men ingen propositionsordning." in page.missing
    assert "ingen propositionsordning" in page.check_list.text()
    assert "ingen propositionsordning" in page.paragrafer.editor.check_note.text()
    assert page.paragrafer.model.data(page.paragrafer.model.index(5, 3)) == "Saknas uppgifter"

    finished(qtbot, page.justering.mark_klar())
    refusal = dialogs.messages("error")[-1]
    assert refusal.startswith("Protokollet är inte klart för justering. Detta saknas:")
    assert "§ 6" in refusal and "propositionsordning" in refusal
    assert not store.protokoll(meeting_id)["klar_for_justering"]
    assert page.status.text() == "Status: Utkast"

    editor = select(page, 6)
    editor.proposition.setPlainText("Ordföranden ställer proposition på yrkandena och finner att nämnden bifaller "
                                    "Wahid Moosawis (M) yrkande. Omröstning begärs.")
    editor.votes.resultat.setText("Nämnden har beslutat enligt Wahid Moosawis (M) yrkande.")
    finished(qtbot, page.justering.mark_klar())   # saves the § first
    assert dialogs.messages("info")[-1].startswith("Protokollet är klart för justering.")
    assert store.protokoll(meeting_id)["klar_for_justering"] == 1
    assert page.status.text() == "Status: Klar för justering"
    assert page.check_list.text() == NOTHING_MISSING
    assert store.paragraf_by_number(meeting_id, 6)["votering_resultat"].startswith("Nämnden har beslutat")


def editing_paragraph_7(qtbot, held, dialogs):
    """The page with its §§ made, § 7 shown with "Skickas av" typed and not saved; returns (store, meeting id,
    page, editor)."""
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    finished(qtbot, page.paragrafer.create_paragraphs())
    editor = select(page, 7)
    editor.skickas_av.setText("Sara Gibro")
    return store, meeting_id, page, editor


def test_switching_paragraph_saves_the_one_left(qtbot, held, dialogs):
    store, meeting_id, page, editor = editing_paragraph_7(qtbot, held, dialogs)
    editor.omedelbar.setChecked(True)
    assert page.paragrafer.select_number(8)
    assert page.paragrafer.editor.paragraf["nr"] == 8
    p7 = store.paragraf_by_number(meeting_id, 7)
    assert p7["skickas_av"] == "Sara Gibro" and p7["omedelbart_justerad"] == 1
    assert page.paragrafer.model.data(page.paragrafer.model.index(6, 2)) == "Omedelbart justerad"

    # a § that cannot be saved keeps what was typed when the user chooses Avbryt
    editor = select(page, 9)
    editor.yrkanden.add_row({"av": "", "text": "återremiss"})
    dialogs.unsaved_answer = "cancel"
    page.paragrafer.select_number(10)
    assert page.paragrafer.editor.paragraf["nr"] == 9
    assert "Yrkande 1: ange vem som yrkar." in dialogs.messages("error")[-1]
    assert page.paragrafer.editor.yrkanden.values()[0]["text"] == "återremiss"


def test_spara_paragrafen_saves_in_the_background_and_shows_the_stored_paragraph(qtbot, held, dialogs):
    store, meeting_id, page, editor = editing_paragraph_7(qtbot, held, dialogs)
    assert editor.state.text() == "Ändrad – inte sparad"
    with qtbot.waitSignal(page.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert store.paragraf_by_number(meeting_id, 7)["skickas_av"] == "Sara Gibro"
    assert editor.state.text() == "Sparad" and not editor.save_button.isEnabled()
    assert dialogs.messages("error") == []


def test_the_vote_of_one_paragraph_never_shows_in_another(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    fill_attendance(qtbot, page)
    finished(qtbot, page.paragrafer.create_paragraphs())
    vote_on_paragraph_6(qtbot, page)
    editor = select(page, 7)
    assert editor.votes.roster() == [] and editor.votes.fields()["votering_ja"] is None
    assert not editor.has_unsaved_changes()
    assert store.paragraf_by_number(meeting_id, 7)["roster"] == []
    # jäv: the one with jäv is left out of the vote
    editor.jav.boxes["Wahid Moosawi (M)"].setChecked(True)
    editor.fetch_voters()
    assert "Wahid Moosawi (M)" not in editor.votes.combos and len(editor.votes.combos) == 8
    finished(qtbot, editor.save())
    assert store.paragraf_by_number(meeting_id, 7)["jav"] == ["Wahid Moosawi (M)"]
    # Anders Gölevik left after § 11: he is not among the beslutande of § 12
    editor = select(page, 12)
    editor.fetch_voters()
    assert "Anders Gölevik (C)" not in editor.votes.combos
    assert "Anders Gölevik (C)" not in editor.jav.boxes


def test_an_empty_agenda_says_so(qtbot, held, dialogs):
    store, _ = held
    organ_id = store.meetings()[0]["organ_id"]
    empty = store.save_meeting(organ_id, "2027-01-20", {"plats": "Solrosen"})
    page = open_page(qtbot, store, dialogs, empty)
    finished(qtbot, page.paragrafer.create_paragraphs())
    assert dialogs.messages("info")[-1] == "Dagordningen är tom. Lägg in punkterna under Sammanträden först."


# --- justering and anslag ----------------------------------------------------------------------------------------


def complete(qtbot, page: ProtokollPage) -> None:
    fill_attendance(qtbot, page)
    finished(qtbot, page.paragrafer.create_paragraphs())
    fill_header(qtbot, page)
    write_missing_decisions(qtbot, page)
    assert page.missing == []


def justera(qtbot, page: ProtokollPage, datum: dt.date) -> None:
    dialog = page.justering.register_justering()
    assert dialog is not None
    dialog.set_date(datum)
    accept(qtbot, dialog)


def test_justering_locks_the_protokoll_in_the_store_and_on_screen(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    assert any(is_editable(w) for w in editing_widgets(page))
    with qtbot.waitSignal(page.saved):
        justera(qtbot, page, dt.date(2023, 3, 1))
    assert store.meeting(meeting_id)["status"] == "justerat"
    protokoll = store.protokoll(meeting_id)
    assert protokoll["justerad"] == "2023-03-01"
    sha = protokoll["justerad_pdf_sha256"]
    assert store.file_path(sha).read_bytes().startswith(b"%PDF")
    assert dialogs.messages("info")[-1].startswith("Protokollet är justerat 2023-03-01 och låst.")
    assert sha in dialogs.messages("info")[-1]
    assert page.status.text() == "Status: Justerat 2023-03-01"
    assert page.locked_note.isVisibleTo(page) and "justerat 2023-03-01 och låst" in page.locked_note.text()
    assert sha in page.justering.locked_note.text()

    editable = [w for w in editing_widgets(page) if is_editable(w)]
    assert editable == []
    assert not page.paragrafer.create_button.isEnabled()
    assert not page.paragrafer.editor.save_button.isEnabled()
    assert not page.justering.justera_button.isEnabled() and not page.justering.klar_button.isEnabled()
    assert page.justering.anslag_button.isEnabled() and page.justering.export_button.isEnabled()

    # a write that slips through is refused by the store, its message shown, nothing changed
    before = store.protokoll(meeting_id)
    finished(qtbot, page.paragrafer.create_paragraphs())
    editor = select(page, 5)
    editor.rubrik.setText("Ändrad rubrik")
    finished(qtbot, editor.save())
    page.narvaro.rows[0].namn.setText("Någon annan")
    finished(qtbot, page.narvaro.save())
    page.justering.plats.setText("Annan plats")
    finished(qtbot, page.justering.save())
    errors = dialogs.messages("error")[-4:]
    assert all("Protokollet är justerat och kan inte ändras" in e for e in errors)
    assert store.protokoll(meeting_id) == before
    # what was typed stays on the screen
    assert page.paragrafer.editor.rubrik.text() == "Ändrad rubrik" and page.paragrafer.editor.has_unsaved_changes()
    assert page.narvaro.rows[0].namn.text() == "Någon annan" and page.narvaro.has_unsaved_changes()
    assert page.justering.plats.text() == "Annan plats" and page.justering.has_unsaved_changes()

    # anslag: overklagandetid and the earliest day it comes down
    dialog = page.justering.register_anslag()
    dialog.set_date(dt.date(2023, 3, 2))
    accept(qtbot, dialog)
    assert store.protokoll(meeting_id)["anslag_datum"] == "2023-03-02"
    message = dialogs.messages("info")[-1]
    assert "Överklagandetiden löper till och med 2023-03-23" in message
    assert "anslaget tas ned tidigast 2023-03-24" in message
    assert "2023-03-23" in page.justering.anslag_text.text() and "2023-03-24" in page.justering.anslag_text.text()
    assert "tas ned tidigast 2023-03-24" in page.deadline_info.text()
    assert not page.justering.anslag_button.isEnabled()

    # the justerade PDF can be saved as it was stored
    target = tmp_path / "kopia.pdf"
    dialogs.save_answers = [target]
    assert page.justering.export_justerat() == target
    assert target.read_bytes() == store.file_path(sha).read_bytes()


def test_a_late_justering_is_warned_about(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    assert "Protokollet skulle ha justerats senast 2023-03-08" in page.warnings.text()
    complete(qtbot, page)
    justera(qtbot, page, dt.date(2023, 3, 20))
    assert "justerades 2023-03-20, efter sista dag 2023-03-08" in dialogs.messages("info")[-1]
    assert "efter sista dag 2023-03-08" in page.warnings.text()
    assert "skulle ha satts upp senast 2023-03-22" in page.warnings.text()


def test_justering_before_the_meeting_is_refused_and_the_dialog_stays(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    dialog = page.justering.register_justering()
    dialog.set_date(dt.date(2023, 2, 1))
    refused(qtbot, dialog)
    assert "kan inte ske före sammanträdet" in dialogs.messages("error")[-1]
    assert dialog.isVisible() and dialog.date() == dt.date(2023, 2, 1)
    assert not store.is_justerat(meeting_id)
    dialog.reject()


def test_omedelbart_justerade_paragraphs_get_their_own_anslag(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    assert not page.justering.omedelbar_button.isEnabled()
    editor = select(page, 11)
    editor.omedelbar.setChecked(True)
    finished(qtbot, editor.save())
    assert "§ 11 Yttrande över remiss av Platsvarumärket Katrineholm" in page.justering.omedelbar_text.text()
    dialog = page.justering.register_omedelbar_anslag()
    dialog.set_date(dt.date(2023, 2, 23))
    accept(qtbot, dialog)
    assert store.protokoll(meeting_id)["omedelbar_anslag"] == "2023-02-23"
    assert "2023-03-16" in dialogs.messages("info")[-1] and "2023-03-17" in dialogs.messages("info")[-1]
    assert "tas ned tidigast 2023-03-17" in page.justering.omedelbar_text.text()

    # its utdrag may go out before the protokoll is justerat
    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(11, "akten")
    finished(qtbot, page.utskick.mark_sent())
    assert dialogs.messages("error") == []
    target = tmp_path / "omedelbara.pdf"
    dialogs.save_answers = [target]
    assert page.documents.save_protokoll(True, "pdf", only_omedelbara=True) == target
    text = flat(pdf_text(target.read_bytes()))
    assert "§ 11 Yttrande över remiss av Platsvarumärket Katrineholm" in text and "§ 10" not in text


def test_a_wrong_justering_date_is_corrected_with_a_reason(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    tab = page.justering
    assert not tab.correct_button.isEnabled()
    justera(qtbot, page, dt.date(2023, 3, 1))
    assert tab.correct_button.isEnabled()
    dialog = tab.correct_date()
    assert dialog is not None and dialog.isVisible()
    # only the dates that exist: no anslag yet, no omedelbart justerade §§
    assert [dialog.which.itemText(i) for i in range(dialog.which.count())] == ["Justeringsdatum (nu 2023-03-01)"]
    assert dialog.column() == "justerad" and dialog.date() == dt.date(2023, 3, 1)
    dialog.set_date(dt.date(2023, 3, 2))
    dialog.reason.setText("Fel")   # too short: the operation refuses, the dialog keeps what was typed
    refused(qtbot, dialog)
    assert dialogs.messages("error")[-1].startswith("Ange skälet till rättelsen")
    assert (dialog.reason.text(), dialog.date()) == ("Fel", dt.date(2023, 3, 2))
    assert store.protokoll(meeting_id)["justerad"] == "2023-03-01"
    dialog.reason.setText("Fel dag skrevs in; justerat 2023-03-02 enligt protokollet")
    settle(qtbot)
    assert_readable(dialog, "ratta_datum.png")
    with qtbot.waitSignal(tab.saved):
        accept(qtbot, dialog)
    assert store.protokoll(meeting_id)["justerad"] == "2023-03-02"
    rows = store.rows("SELECT falt, fore, efter, skal, av FROM datumrattelse WHERE sammantrade_id = ?", (meeting_id,))
    assert [dict(r) for r in rows] == [{"falt": "justerad", "fore": "2023-03-01", "efter": "2023-03-02",
                                        "skal": "Fel dag skrevs in; justerat 2023-03-02 enligt protokollet",
                                        "av": current_user()}]
    assert dialogs.messages("info")[-1].startswith("Justeringsdatumet är rättat från 2023-03-01 till 2023-03-02.")
    assert tab.justering_text.text() == "Justerat 2023-03-02."


def test_a_date_correction_after_the_anslag_period_started_is_refused(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    justera(qtbot, page, dt.date(2023, 3, 1))
    store.record_anslag(meeting_id, "2023-03-02", today=dt.date(2023, 3, 2))
    page.reload()
    before = store.protokoll(meeting_id)
    dialog = page.justering.correct_date()
    assert [dialog.which.itemText(i) for i in range(dialog.which.count())] == [
        "Justeringsdatum (nu 2023-03-01)", "Anslagsdatum (nu 2023-03-02)"]
    dialog.which.setCurrentIndex(1)
    assert dialog.column() == "anslag_datum" and dialog.date() == dt.date(2023, 3, 2)
    dialog.set_date(dt.date(2023, 3, 3))
    dialog.reason.setText("Fel dag skrevs in på anslaget")
    refused(qtbot, dialog)
    assert dialogs.messages("error")[-1].startswith("Anslaget sattes upp 2023-03-02 och överklagandetiden löper från "
                                                    "det. Datumen kan inte längre rättas i registret")
    assert dialog.isVisible() and dialog.date() == dt.date(2023, 3, 3)
    assert store.protokoll(meeting_id) == before
    assert store.value("SELECT count(*) FROM datumrattelse") == 0
    dialog.reject()


# --- utdrag and the dispatch list -----------------------------------------------------------------------------------


def test_an_utdrag_of_a_secret_paragraph_needs_a_confirmed_address(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    finished(qtbot, page.paragrafer.create_paragraphs())
    editor = select(page, 4)
    assert editor.badge.isVisibleTo(page) and editor.secret_hint.isVisibleTo(page)
    family = secret_recipient(store)
    assert editor.add_mottagare(family)
    editor.berord.setText("Barn född 2015")
    editor.lagrum.setText("26 kap. 1 § OSL")
    editor.beslut.add_row("Individutskottet beslutar om vård enligt 2 § LVU.")
    finished(qtbot, editor.save())
    row_widget = editor.mottagare.contents()[0]
    assert "Storgatan 12 B, 641 30 Katrineholm" in row_widget.address.text()

    page.tabs.setCurrentWidget(page.utskick)
    row = page.utskick.select(4, "Vårdnadshavare 1")
    assert row["sekretess"] == 1 and row["kanal"] == "post"
    model = page.utskick.model
    index = model.row_of(row["paragraf_id"], family)
    assert model.data(model.index(index, 2)) == "SEKRETESS"
    assert model.data(model.index(index, 6)) == "Nej – krävs för sekretess"
    assert model.data(model.index(index, 0), SECRET_ROLE) is True
    assert page.utskick.create_utdrag() == []
    assert "adressen till Vårdnadshavare 1 är inte bekräftad" in dialogs.messages("error")[-1]
    assert not [c for c in dialogs.calls if c[0] == "save_path"]
    # nor by e-mail, nor sent before justering
    finished(qtbot, page.utskick.change_channel("e-post"))
    assert "skickas inte med e-post" in dialogs.messages("error")[-1]
    assert page.utskick.channel.currentData() == "post"   # the stored channel is shown again
    finished(qtbot, page.utskick.mark_sent())
    assert "inte justerat" in dialogs.messages("error")[-1]

    # the handläggare declines, then confirms the address explicitly (by name, asked once: issue 13)
    editor = select(page, 4)
    dialogs.text_answers = [CONFIRMER]
    dialogs.confirm_answer = False
    editor.mottagare.contents()[0].confirmed.setChecked(True)
    question = [c[1] for c in dialogs.calls if c[0] == "confirm"][-1]
    assert "Vårdnadshavare 1\nStorgatan 12 B, 641 30 Katrineholm" in question
    assert not editor.mottagare.contents()[0].confirmed.isChecked()
    assert not store.paragraf_by_number(meeting_id, 4)["mottagare"][0]["adress_bekraftad"]
    dialogs.confirm_answer = True
    editor.mottagare.contents()[0].confirmed.setChecked(True)
    qtbot.waitUntil(tasks.idle)
    stored = store.paragraf_by_number(meeting_id, 4)["mottagare"][0]
    assert stored["adress_bekraftad"] == 1 and stored["bekraftad_av"] == CONFIRMER
    assert stored["bekraftad_datum"] == TODAY.isoformat()
    assert CONFIRMER in page.paragrafer.editor.mottagare.contents()[0].who.text()

    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(4, "Vårdnadshavare 1")
    target = tmp_path / "ut" / "utdrag.pdf"
    target.parent.mkdir()
    dialogs.save_answers = [target]
    written = page.utskick.create_utdrag()
    assert "Protokollet är inte justerat ännu" in [c[1] for c in dialogs.calls if c[0] == "confirm"][-1]
    assert written == [target, target.with_name("utdrag försättsblad.pdf")]
    suggested = [c[2] for c in dialogs.calls if c[0] == "save_path"][-1].name
    assert "(sekretess)" in suggested and "Vårdnadshavare" not in suggested
    utdrag = flat(pdf_text(written[0].read_bytes()))
    for expected in ("PROTOKOLLSUTDRAG", "§ 4 Sekretessärende", "Storgatan 12 B", "SEKRETESS 26 kap. 1 § OSL",
                     "Individutskottet beslutar om vård enligt 2 § LVU."):
        assert expected in utdrag
    sheet = flat(pdf_text(written[1].read_bytes()))
    for expected in ("Försättsblad", "Barn född 2015", "Storgatan 12 B, 641 30 Katrineholm", CONFIRMER):
        assert expected in sheet
    assert "försättsbladet överst" in dialogs.messages("info")[-1]
    assert ("open", target) in dialogs.calls


def test_an_address_only_claimed_by_the_import_file_is_shown_so_and_does_not_count(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    editor = select(page, 4)
    family = secret_recipient(store)
    assert editor.add_mottagare(family)
    editor.berord.setText("Barn född 2015")
    finished(qtbot, editor.save())
    paragraf_id = editor.paragraf["id"]
    store.claim_confirmation(paragraf_id, family)               # what an import file saying "bekräftad" leaves
    page.reload(fresh=True)

    editor = select(page, 4)
    row = editor.mottagare.contents()[0]
    assert not row.confirmed.isChecked()
    assert row.who.text() == f"{CLAIMED_BY_IMPORT}. Bekräftelse krävs före utdrag."
    assert "ingen här har kontrollerat den" in row.who.toolTip()
    assert ("Importfilen uppger att adressen är bekräftad för Vårdnadshavare 1. Det räknas inte som en "
            "bekräftelse") in editor.secret_hint.text()
    page.paragrafer.scroll.verticalScrollBar().setValue(page.paragrafer.scroll.verticalScrollBar().maximum())
    settle(qtbot)
    assert_readable(page, "protokoll-adress-enligt-import.png")

    # Saving the § keeps the claim as a claim, never as a confirmation.
    editor.skickas_av.setText("Madelene Sönnerfors")
    finished(qtbot, editor.save())
    [stored] = store.paragraf(paragraf_id)["mottagare"]
    assert (stored["adress_bekraftad"], stored["bekraftad_enligt_import"], stored["bekraftad_av"]) == (0, 1, None)

    page.tabs.setCurrentWidget(page.utskick)
    listed = page.utskick.select(4, "Vårdnadshavare 1")
    model = page.utskick.model
    index = model.row_of(listed["paragraf_id"], family)
    assert model.data(model.index(index, 6)) == "Nej – uppgiven som bekräftad i importfilen – inte kontrollerad"
    assert page.utskick.create_utdrag() == []
    message = dialogs.messages("error")[-1]
    assert "adressen till Vårdnadshavare 1 är inte bekräftad" in message
    assert "Importfilen uppger att adressen är bekräftad, men det räknas inte" in message
    assert not [c for c in dialogs.calls if c[0] == "save_path"]
    finished(qtbot, page.utskick.mark_sent())
    assert "inte justerat" in dialogs.messages("error")[-1]

    # Before justering the list of unconfirmed addresses says which were only claimed.
    dialogs.confirm_answer = False
    assert page.justering.register_justering() is None
    question = dialogs.messages("confirm")[-1]
    assert "§ 4: Vårdnadshavare 1 (bara uppgiven som bekräftad i importfilen)" in question

    # A person confirms: told that the import file's word is no check, and recorded with who and when.
    editor = select(page, 4)
    dialogs.text_answers = [CONFIRMER]
    dialogs.confirm_answer = True
    editor.mottagare.contents()[0].confirmed.setChecked(True)
    question = dialogs.messages("confirm")[-1]
    assert "Importfilen uppger att adressen är bekräftad, men det är ingen kontroll" in question
    qtbot.waitUntil(tasks.idle)
    [stored] = store.paragraf(paragraf_id)["mottagare"]
    assert (stored["adress_bekraftad"], stored["bekraftad_av"]) == (1, CONFIRMER)
    row = page.paragrafer.editor.mottagare.contents()[0]
    assert row.who.text() == f"av {CONFIRMER} {TODAY.isoformat()}"

    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(4, "Vårdnadshavare 1")
    target = tmp_path / "utdrag.pdf"
    dialogs.save_answers = [target]
    written = page.utskick.create_utdrag()
    assert written == [target, target.with_name("utdrag försättsblad.pdf")]
    assert CONFIRMER in flat(pdf_text(written[1].read_bytes()))


def test_a_paragraph_shows_the_secrecy_of_its_item_or_arende(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)

    # § 4 is a secret stand-alone item: no lagrum recorded yet, so it may be given here and goes to the item.
    editor = select(page, 4)
    assert editor.is_secret() and editor.badge.isVisibleTo(page)
    assert editor.lagrum.text() == "" and not editor.lagrum.isReadOnly()
    assert editor.lagrum.toolTip() == "Sekretessen följer dagordningspunkten; lagrumet du anger sparas där."
    editor.lagrum.setText("26 kap. 1 § OSL")
    finished(qtbot, editor.save())
    assert store.agenda(meeting_id)[3]["sekretess_lagrum"] == "26 kap. 1 § OSL"
    editor = select(page, 4)
    assert editor.lagrum.text() == "26 kap. 1 § OSL" and editor.lagrum.isReadOnly()
    assert editor.lagrum.toolTip() == "Sekretessen följer dagordningspunkten: lagrumet ändras där."

    # Lifted for the item (one recorded decision), the § follows.
    operations.unseal_item(store, meeting_id, 4, "Punkten innehåller inga uppgifter som omfattas av sekretess")
    page.reload(fresh=True)
    editor = select(page, 4)
    assert not editor.is_secret() and not editor.badge.isVisibleTo(page) and not editor.secret_hint.isVisibleTo(page)

    # § 5 is public; its public protokoll goes out, then its ärende is made secret: the § follows, and the
    # program knows where the public version went.
    dialogs.save_answers = [tmp_path / "offentligt.pdf"]
    public = page.documents.save_protokoll(True, "pdf")
    assert "Socialnämndens årsredovisning 2022" in flat(pdf_text(public.read_bytes()))
    arende_id = store.paragraf_by_number(meeting_id, 5)["arende_id"]
    sealed = operations.seal_arende(store, arende_id, "21 kap. 1 § OSL")
    assert sealed.newly_secret and any(str(public) in line for line in sealed.published)
    page.reload(fresh=True)
    editor = select(page, 5)
    assert editor.is_secret() and editor.badge.isVisibleTo(page) and editor.lagrum.isReadOnly()
    assert editor.lagrum.toolTip() == "Sekretessen följer ärendet: lagrumet ändras där."
    page.tabs.setCurrentWidget(page.utskick)
    row = page.utskick.select(5, "Kommunstyrelsen")
    assert row["sekretess"] == 1
    assert page.utskick.create_utdrag() == []
    assert "inte bekräftad" in dialogs.messages("error")[-1]
    finished(qtbot, page.utskick.change_channel("e-post"))
    assert "skickas inte med e-post" in dialogs.messages("error")[-1]


def test_marking_an_utdrag_sent_updates_the_list_and_registers_a_handling(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(5, "Kommunstyrelsen")
    finished(qtbot, page.utskick.mark_sent())
    assert "får skickas först när protokollet är justerat" in dialogs.messages("error")[-1]
    justera(qtbot, page, dt.date(2023, 3, 1))

    row = page.utskick.select(5, "Kommunstyrelsen")
    assert row["skickat"] is None and page.utskick.sent_button.isEnabled()
    finished(qtbot, page.utskick.change_channel("post"))
    assert dialogs.messages("error")[-1] == "Kommunstyrelsen har ingen postadress i adressboken. Välj en annan kanal."
    finished(qtbot, page.utskick.change_channel("bud"))
    finished(qtbot, page.utskick.mark_sent())
    sent = next(r for r in store.dispatch_list(meeting_id) if r["paragraf"] == 5 and r["namn"] == "Kommunstyrelsen")
    assert sent["skickat"] == TODAY.isoformat() and sent["skickat_av"] == current_user() and sent["kanal"] == "bud"
    row = page.utskick.selected()
    assert row["namn"] == "Kommunstyrelsen" and row["skickat"] == TODAY.isoformat()
    model = page.utskick.model
    index = model.row_of(row["paragraf_id"], row["mottagare_id"])
    assert model.data(model.index(index, 7)) == f"{TODAY.isoformat()} ({current_user()})"
    assert model.data(model.index(index, 5)) == "Bud"
    assert not page.utskick.sent_button.isEnabled()
    arende_id = store.paragraf_by_number(meeting_id, 5)["arende_id"]
    handling = [h for h in store.handlingar(arende_id) if h["riktning"] == "ut"]
    assert len(handling) == 1 and handling[0]["motpart"] == "Kommunstyrelsen"
    assert handling[0]["beskrivning"] == "Protokollsutdrag § 5 Socialnämndens årsredovisning 2022"
    assert "1 skickade" in page.utskick.intro.text() and "1 skickade" in page.counts()

    # once is enough: a second mark would register the handling twice
    finished(qtbot, page.utskick.mark_sent())
    assert "redan markerat som skickat" in dialogs.messages("error")[-1]
    assert len([h for h in store.handlingar(arende_id) if h["riktning"] == "ut"]) == 1

    # a public utdrag is written after justering without a question, once the bestyrkande's date is set (issue 14)
    page.utskick.bestyrkt.set_iso("2023-03-02")
    dialogs.save_answers = [tmp_path / "ks.pdf"]
    questions = len(dialogs.messages("confirm"))
    written = page.utskick.create_utdrag()
    assert len(written) == 1 and len(dialogs.messages("confirm")) == questions
    assert "Kommunstyrelsen" in flat(pdf_text(written[0].read_bytes()))


def test_the_protokoll_as_public_and_internal_documents(qtbot, held, dialogs, tmp_path):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    editor = select(page, 4)
    editor.rubrik.setText("Placering av barn enligt LVU")
    finished(qtbot, editor.save())
    dialogs.save_answers = [tmp_path / "offentligt.pdf", tmp_path / "internt.pdf", tmp_path / "offentligt.docx"]
    public = page.documents.save_protokoll(True, "pdf")
    internal = page.documents.save_protokoll(False, "pdf")
    word = page.documents.save_protokoll(True, "docx")
    public_text = flat(pdf_text(public.read_bytes()))
    assert "§ 4 Sekretessärende" in public_text and "Placering av barn" not in public_text
    assert "Eva Lindqvist (S), tjänstgörande ersättare för Johanna Karlsson" in public_text
    assert "Placering av barn enligt LVU" in flat(pdf_text(internal.read_bytes())) \
        and "INTERN VERSION" in flat(pdf_text(internal.read_bytes()))
    assert word.read_bytes()[:2] == b"PK"
    assert any("utkast" in m for m in dialogs.messages("info"))


# --- the whole view, with screenshots ------------------------------------------------------------------------------


def test_screenshots_of_every_tab(qtbot, held, dialogs):
    store, meeting_id = held
    page = open_page(qtbot, store, dialogs, meeting_id)
    complete(qtbot, page)
    vote_on_paragraph_6(qtbot, page)
    editor = select(page, 4)
    editor.add_mottagare(secret_recipient(store))
    editor.berord.setText("Barn född 2015")
    finished(qtbot, editor.save())
    editor.mottagare.contents()[0].confirmed.setChecked(True)
    page.tabs.setCurrentWidget(page.narvaro)
    settle(qtbot)
    assert_readable(page, "protokoll-narvaro.png")

    editor = select(page, 6)
    settle(qtbot)
    assert_readable(page, "protokoll-paragrafer.png")
    page.paragrafer.scroll.verticalScrollBar().setValue(page.paragrafer.editor.votes.y() - 40)
    settle(qtbot)
    assert_readable(page, "protokoll-paragrafer-omrostning.png")
    editor = select(page, 4)
    page.paragrafer.scroll.verticalScrollBar().setValue(page.paragrafer.scroll.verticalScrollBar().maximum())
    settle(qtbot)
    assert_readable(page, "protokoll-paragrafer-sekretess.png")

    page.tabs.setCurrentWidget(page.justering)
    settle(qtbot)
    assert_readable(page, "protokoll-justering.png")
    select(page, 6)
    editor = page.paragrafer.editor
    editor.proposition.setPlainText("Ordföranden ställer proposition på yrkandena och finner att nämnden bifaller "
                                    "Wahid Moosawis (M) yrkande.")
    editor.votes.resultat.setText("Nämnden har beslutat enligt Wahid Moosawis (M) yrkande.")
    justera(qtbot, page, dt.date(2023, 3, 1))
    dialog = page.justering.register_anslag()
    dialog.set_date(dt.date(2023, 3, 2))
    accept(qtbot, dialog)
    page.tabs.setCurrentWidget(page.justering)
    settle(qtbot)
    assert_readable(page, "protokoll-justerat.png")

    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(5, "Kommunstyrelsen")
    finished(qtbot, page.utskick.mark_sent())
    page.utskick.select(7, "Revisorerna")
    settle(qtbot)
    assert_readable(page, "protokoll-utskick.png")
    select(page, 6)
    settle(qtbot)
    assert_readable(page, "protokoll-paragrafer-justerat.png")
    assert page.counts().startswith("Protokoll Socialnämnden 2023-02-22 · Justerat 2023-03-01 · 15 paragrafer")
