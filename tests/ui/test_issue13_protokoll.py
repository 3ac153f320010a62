"""Issue 13, after the meeting, as the nämndsekreterare works in the Protokoll page: each test goes the user's way,
with clicks and keys, and fails without the fix it is named after."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from docs_helpers import flat, pdf_pages, pdf_text
from nämndtool.operations import people
from nämndtool.ui.common import tasks
from nämndtool.ui.diary.model import STATUS_COLUMN
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.protokoll.common import USER_NAME
from test_ui_protokoll import complete, fill_attendance, open_page, settle
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
HELD = "2023-02-22"


def held_meeting(store) -> int:
    return next(m["id"] for m in store.meetings() if m["datum"] == HELD and m["organ"] == "Socialnämnden")


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, LEFT)
    settle(qtbot)


def make_paragraphs(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.paragrafer)
    click(qtbot, page.paragrafer.create_button)
    assert page.protokoll["paragrafer"]


# --- the draft protokoll -----------------------------------------------------------------------------------------


def test_a_draft_protokoll_from_the_button_in_the_header_is_marked_on_every_page(qtbot, demo, dialogs, tmp_path):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    make_paragraphs(qtbot, page)
    assert page.documents.draft_button.isVisibleTo(page)
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    click(qtbot, page.documents.draft_button)
    pages = pdf_pages(target.read_bytes())
    assert len(pages) > 2 and all("Utkast – ej justerat" in text for text in pages)   # §§ run on (issue 14)
    assert "Placering" not in pages[0] and "INTERN VERSION" in pages[0]   # the whole protokoll, secrets marked
    assert "filen är ett utkast, och varje sida är märkt ”Utkast – ej justerat”" in dialogs.messages("info")[-1]
    assert ("open", target) in dialogs.calls
    assert "(utkast, intern)" in [c[2] for c in dialogs.calls if c[0] == "save_path"][-1].name
    assert_readable(page, "issue13-protokoll-utkast-knapp.png")


def test_ctrl_shift_p_on_the_protokoll_opens_its_document_menu(qtbot, demo, dialogs, tmp_path):
    window = MainWindow(demo, dialogs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    meeting_id = held_meeting(demo)
    window.meetings_page.select_meeting(meeting_id)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = window.protokoll_page
    assert page.isVisible() and page.meeting["id"] == meeting_id
    make_paragraphs(qtbot, page)
    with qtbot.waitActive(window):   # the offscreen platform lets the window go inactive after the click
        window.activateWindow()
    # pressed on the protokoll, the shortcut opens "Protokollet som dokument"
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    menu = page.documents.menu
    qtbot.waitUntil(menu.isVisible)
    assert_readable(menu, "issue13-protokoll-dokumentmeny.png")
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is page.documents.actions["utkast"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    settle(qtbot)
    assert not menu.isVisible()
    assert all("Utkast – ej justerat" in text for text in pdf_pages(target.read_bytes()))


# --- attendance from the roster --------------------------------------------------------------------------------


def test_attendance_after_the_mandate_period_comes_from_the_last_roster_with_a_warning_and_roles(qtbot, demo, dialogs,
                                                                                                tmp_path):
    organ_id = next(m["organ_id"] for m in demo.meetings() if m["id"] == held_meeting(demo))
    after = demo.save_meeting(organ_id, "2027-01-20", {"plats": "Solrosen", "tid": "13:00"})
    page = open_page(qtbot, demo, dialogs, after)
    narvaro = page.narvaro
    click(qtbot, narvaro.fill_button)
    assert dialogs.messages("info") == []
    assert narvaro.roster_note.isVisibleTo(page)
    assert "mandatperioden i listan slutade 2026-12-31" in narvaro.roster_note.text()
    assert narvaro.row_of("Martin Edgélius").roll.currentText() == "Ordförande"
    assert narvaro.row_of("Johanna Karlsson").roll.currentText() == "Vice ordförande"
    assert narvaro.row_of("Anders Gölevik").roll.currentText() == "Ledamot"
    assert narvaro.row_of("Eva Lindqvist").roll.currentText() == "Ersättare"
    assert_readable(page, "issue13-narvaro-efter-mandatperioden.png")
    click(qtbot, narvaro.save_button)
    stored = {n["namn"]: n["roll"] for n in demo.protokoll(after)["narvaro"]}
    assert stored["Johanna Karlsson"] == "vice_ordforande" and stored["Martin Edgélius"] == "ordforande"
    assert dialogs.messages("error") == []
    # a draft at any time, with the roles printed: here with the attendance and no § yet
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    click(qtbot, page.documents.draft_button)
    front = flat(pdf_pages(target.read_bytes())[0])
    assert "Utkast – ej justerat" in front
    for line in ("Martin Edgélius (M), ordförande", "Johanna Karlsson (S), vice ordförande",
                 "Anders Gölevik (C), ledamot", "Eva Lindqvist (S), ersättare"):
        assert line in front


# --- standard decision texts ---------------------------------------------------------------------------------------


def click_paragraph(qtbot, page, nr: int):
    """Click the § in the list, as the user chooses it; the editor then shows it."""
    page.tabs.setCurrentWidget(page.paragrafer)
    view, model = page.paragrafer.list, page.paragrafer.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r)["nr"] == nr)
    view.scrollTo(model.index(row, 1))
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(model.index(row, 1)).center())
    settle(qtbot)
    editor = page.paragrafer.editor
    assert editor.paragraf["nr"] == nr
    return editor


def test_standard_items_start_from_the_namnds_texts_which_are_edited_in_a_small_dialog(qtbot, demo, dialogs):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    make_paragraphs(qtbot, page)
    editor = click_paragraph(qtbot, page, 1)
    assert editor.beslut.values() == ["Upprop förrättas och närvaron antecknas enligt förteckningen på protokollets "
                                      "första sida."]
    assert editor.beslut_hint.text().startswith("Förifyllt med nämndens standardtext för punkten")
    assert "tjänsteskrivelsen" not in editor.beslut_hint.text()
    editor = click_paragraph(qtbot, page, 5)   # an ärende with förslag till beslut
    assert editor.beslut_hint.text() == "Förifyllt från förslaget till beslut i tjänsteskrivelsen."

    click(qtbot, page.paragrafer.texts_button)
    dialog = page.paragrafer.texts_dialog
    qtbot.waitUntil(dialog.isVisible)
    upprop = dialog.rows.contents()[0]
    assert upprop.punkt.text() == "Upprop"
    upprop.text.setFocus()
    qtbot.keyClick(upprop.text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(upprop.text, "Ordforanden halsar alla valkomna och forrattar upprop.")
    settle(qtbot)
    assert_readable(dialog, "issue13-standardtexter.png")
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        qtbot.mouseClick(dialog.save_button, LEFT)
    settle(qtbot)
    namnd_id = page.meeting["namnd_id"]
    stored = {t["punkt"]: t["text"] for t in demo.standard_texts(namnd_id)}
    assert stored["Upprop"] == "Ordforanden halsar alla valkomna och forrattar upprop."
    assert stored["Val av justerare"].startswith("{organ} utser {justerare}")

    # a new meeting's Upprop starts from the new text
    organ_id = page.meeting["organ_id"]
    later = demo.save_meeting(organ_id, "2023-03-22", {"plats": "Solrosen"})
    demo.save_agenda(later, [{"nr": 1, "rubrik": "Upprop", "typ": "standard", "sekretess": 0}])
    assert page.set_meeting(later)
    make_paragraphs(qtbot, page)
    assert click_paragraph(qtbot, page, 16).beslut.values() == [stored["Upprop"]]


# --- a vote: what ja and nej stood for -------------------------------------------------------------------------------


def type_into(qtbot, widget, text: str) -> None:
    qtbot.mouseClick(widget, LEFT)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_a_vote_records_what_ja_and_nej_stood_for_and_counts_alone_are_a_result(qtbot, demo, dialogs, tmp_path):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    fill_attendance(qtbot, page)
    make_paragraphs(qtbot, page)
    editor = click_paragraph(qtbot, page, 6)
    votes = editor.votes
    type_into(qtbot, votes.proposition_ja, "bifall till forvaltningens forslag")
    type_into(qtbot, votes.proposition_nej, "avslag")
    type_into(qtbot, votes.ja.lineEdit(), "6")
    type_into(qtbot, votes.nej.lineEdit(), "3")
    type_into(qtbot, votes.avstar.lineEdit(), "0")
    page.paragrafer.scroll.ensureWidgetVisible(votes)
    settle(qtbot)
    assert_readable(page, "issue13-omrostning-proposition.png")
    click(qtbot, editor.save_button)
    stored = demo.paragraf_by_number(page.meeting["id"], 6)
    assert (stored["proposition_ja"], stored["proposition_nej"]) == ("bifall till forvaltningens forslag", "avslag")
    assert (stored["votering_ja"], stored["votering_nej"], stored["roster"]) == (6, 3, [])
    assert not any("§ 6" in line and "omröstning" in line for line in page.missing)   # no roll call needed
    target = tmp_path / "utkast.pdf"
    dialogs.save_answers = [target]
    click(qtbot, page.documents.draft_button)
    text = flat(pdf_text(target.read_bytes()))
    assert ("Voteringsproposition: ja-röst för bifall till forvaltningens forslag, nej-röst för avslag." in text)
    assert "Omröstningen utfaller med 6 ja-röster mot 3 nej-röster; 0 avstår." in text
    assert "Socialnämnden har därmed beslutat enligt ja-propositionen" in text


# --- justerare and reservanter picked from those present ----------------------------------------------------------


def test_the_justerare_chosen_at_paragraph_2_are_carried_to_the_justering(qtbot, demo, dialogs):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    fill_attendance(qtbot, page)
    make_paragraphs(qtbot, page)
    editor = click_paragraph(qtbot, page, 2)
    assert editor.justerare.isVisibleTo(page) and not editor.justerare.names()
    assert editor.beslut.values() == ["Socialnämnden utser … att jämte ordföranden justera dagens protokoll."]
    box = editor.justerare.boxes["Anders Gölevik (C)"]
    qtbot.mouseClick(box, LEFT, pos=box.rect().center())
    assert editor.beslut.values() == ["Socialnämnden utser Anders Gölevik (C) att jämte ordföranden justera dagens "
                                      "protokoll."]
    page.paragrafer.scroll.ensureWidgetVisible(editor.justerare)
    settle(qtbot)
    assert_readable(page, "issue13-val-av-justerare.png")
    click(qtbot, editor.save_button)   # the very next click lands: no completion popup in between
    assert demo.protokoll(page.meeting["id"])["justerare"] == ["Anders Gölevik (C)"]
    assert "Ingen justerare är utsedd." not in page.missing
    page.tabs.setCurrentWidget(page.justering)
    tab = page.justering
    assert tab.justerare.names() == ["Anders Gölevik (C)"] and tab.justerare.boxes["Anders Gölevik (C)"].isChecked()
    # in the Justering tab too: ticked, then saved with the next click
    box = tab.justerare.boxes["Wahid Moosawi (M)"]
    qtbot.mouseClick(box, LEFT, pos=box.rect().center())
    click(qtbot, tab.save_button)
    assert demo.protokoll(page.meeting["id"])["justerare"] == ["Anders Gölevik (C)", "Wahid Moosawi (M)"]
    assert click_paragraph(qtbot, page, 2).beslut.values() == [   # § 2 follows while it is the standard text
        "Socialnämnden utser Anders Gölevik (C) och Wahid Moosawi (M) att jämte ordföranden justera dagens protokoll."]
    page.tabs.setCurrentWidget(page.justering)
    assert_readable(page, "issue13-justering-justerare.png")


def test_reservanter_are_ticked_among_the_beslutande(qtbot, demo, dialogs):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    fill_attendance(qtbot, page)
    make_paragraphs(qtbot, page)
    editor = click_paragraph(qtbot, page, 6)
    click(qtbot, editor.reservationer.add_button)
    row = editor.reservationer.contents()[0]
    assert "Johanna Karlsson (S)" not in row.av.boxes   # förhinder: not among the beslutande
    assert "Marie Lundqvist" not in row.av.boxes        # staff do not reserve themselves
    box = row.av.boxes["Anders Gölevik (C)"]
    qtbot.mouseClick(box, LEFT, pos=box.rect().center())
    type_into(qtbot, row.av.others, "Gast Gastsson (X)")
    click(qtbot, editor.save_button)
    stored = demo.paragraf_by_number(page.meeting["id"], 6)["reservationer"]
    assert stored == [{"av": ["Anders Gölevik (C)", "Gast Gastsson (X)"], "text": None}]


# --- the recipients of a secret § ---------------------------------------------------------------------------------


def test_an_address_is_confirmed_only_where_there_is_one_and_by_the_persons_name(qtbot, demo, dialogs, tmp_path):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    complete(qtbot, page)
    family = demo.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    nowhere = demo.ensure_recipient("Vårdnadshavare 2", None, None)
    editor = click_paragraph(qtbot, page, 4)
    assert editor.is_secret()
    for recipient in (family, nowhere):
        assert editor.add_mottagare(recipient)
    click(qtbot, editor.save_button)
    with_address, without = editor.mottagare.contents()
    assert with_address.address.text() == "Postadress: Storgatan 12 B, 641 30 Katrineholm"
    assert with_address.address.styleSheet() == ""            # a valid address is no error
    assert without.address.styleSheet() != ""                 # a missing one is
    assert without.confirmed.isVisibleTo(page) and not without.confirmed.isEnabled()
    qtbot.mouseClick(without.confirmed, LEFT)
    assert not without.confirmed.isChecked() and dialogs.messages("confirm") == []

    # the first confirmation asks for the person's name once; it is kept in the settings
    dialogs.text_answers = ["Sara Gibro"]
    qtbot.mouseClick(with_address.confirmed, LEFT)
    settle(qtbot)
    assert [c[2] for c in dialogs.calls if c[0] == "ask_text"] == ["Ditt namn"]
    assert "registreras med ditt namn (Sara Gibro)" in dialogs.messages("confirm")[-1]
    stored = demo.paragraf_by_number(page.meeting["id"], 4)["mottagare"]
    assert (stored[0]["adress_bekraftad"], stored[0]["bekraftad_av"]) == (1, "Sara Gibro")
    assert stored[1]["adress_bekraftad"] == 0
    assert QSettings().value(USER_NAME) == "Sara Gibro"
    row = page.paragrafer.editor.mottagare.contents()[0]
    assert row.who.text() == f"av Sara Gibro {dt.date.today().isoformat()}"
    page.paragrafer.scroll.verticalScrollBar().setValue(page.paragrafer.scroll.verticalScrollBar().maximum())
    settle(qtbot)
    assert_readable(page, "issue13-mottagare-sekretess.png")

    # the försättsblad names the person
    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(4, "Vårdnadshavare 1")
    target = tmp_path / "utdrag.pdf"
    dialogs.save_answers = [target]
    written = page.utskick.create_utdrag()
    sheet = flat(pdf_text(written[1].read_bytes()))
    assert "Adressen bekräftad av Sara Gibro" in sheet
    assert not [b.text() for b in page.utskick.findChildren(QPushButton) if "protokoll" in b.text().lower()]
    assert_readable(page, "issue13-utskick.png")   # the documents are in the header now, not in this tab


def test_a_recipient_added_in_the_address_book_is_offered_at_once(qtbot, demo, dialogs):
    page = open_page(qtbot, demo, dialogs, held_meeting(demo))
    make_paragraphs(qtbot, page)
    editor = click_paragraph(qtbot, page, 4)
    assert editor.book.findText("Familjehemmet Ek", Qt.MatchFlag.MatchStartsWith) < 0
    # saved in Personer och mottagare (or anywhere else in the app) meanwhile
    tasks.run(page, demo, people.ensure_recipient, "Familjehemmet Ek", "Ekvägen 1, 641 30 Katrineholm", None,
              failed=lambda error: dialogs.error(page, str(error)))
    settle(qtbot)
    assert page.paragrafer.editor.paragraf["nr"] == 4
    assert editor.book.findText("Familjehemmet Ek", Qt.MatchFlag.MatchStartsWith) >= 0


# --- after the justering -------------------------------------------------------------------------------------------


def test_after_justering_the_arenden_are_beslutat_in_the_diary(qtbot, demo, dialogs):
    window = MainWindow(demo, dialogs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    meeting_id = held_meeting(demo)
    window.meetings_page.select_meeting(meeting_id)
    window.open_protokoll(meeting_id)
    page = window.protokoll_page
    complete(qtbot, page)
    page.tabs.setCurrentWidget(page.justering)
    qtbot.mouseClick(page.justering.justera_button, LEFT)
    dialog = page.justering.dialog
    dialog.set_date(dt.date(2023, 3, 1))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    settle(qtbot)
    on_agenda = {i["arende_id"] for i in demo.agenda(meeting_id) if i["arende_id"]}
    assert {demo.arende(a)["status"] for a in on_agenda} == {"beslutat"}
    diary = window.diary_page
    window.show_view(window.VIEWS.index("Diarium"))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: diary.model.rowCount() > 0)
    numbers = {demo.arende(a)["diarienummer"] for a in on_agenda if demo.arende(a)["diarienummer"]}
    shown = {diary.model.data(diary.model.index(r, 0)): diary.model.data(diary.model.index(r, STATUS_COLUMN))
             for r in range(diary.model.rowCount())}
    assert numbers and all(shown[n] == "Beslutat" for n in numbers)
