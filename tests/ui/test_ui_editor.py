"""The ärende and tjänsteskrivelse editor: fields in print order, lists, recipients, live preview, autosave,
and what happens when the store cannot be written."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import re
import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from nämndtool.demo import create_demo
from nämndtool.diarienummer import parse
from nämndtool.store import Store, connection
from nämndtool.store.connection import current_user
from nämndtool.ui.editor import arende_editor
from nämndtool.ui.editor.arende_editor import ArendeEditor
from nämndtool.ui.common.secrecy_prompts import MINIMUM_REASON, REASON_EXAMPLE, unseal_arende_question
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs, TextPrompt
from ui_checks import SCREENSHOTS, assert_readable

PRINT_ORDER = ["Sidhuvud", "Rubrik", "Förslag till beslut", "Sammanfattning av ärendet", "Ärendets handlingar",
               "Fler avsnitt", "Undertecknare", "Beslutet skickas till"]


@pytest.fixture
def fast_autosave(monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 200)
    monkeypatch.setattr(arende_editor, "PREVIEW_DELAY_MS", 100)


def open_editor(qtbot, store, arende_id: int, dialogs=None) -> ArendeEditor:
    editor = ArendeEditor(store, dialogs or ScriptedDialogs(), arende_id)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def arende_id(store, number: str) -> int:
    return store.arende_by_number(parse(number))["id"]


def preview_text(editor: ArendeEditor) -> str:
    document = editor.preview.pdf.document
    text = " ".join(document.getAllText(page).text() for page in range(document.pageCount()))
    return " ".join(text.split())  # lines wrap where the page ends them


def wait_preview(qtbot, editor: ArendeEditor, containing: str | None = None) -> None:
    def ready():
        assert not editor.renderer.busy and not editor._preview_timer.isActive()
        assert editor.preview.pdf.document.status() == QPdfDocument.Status.Ready
        assert editor.preview.pdf.document.pageCount() >= 1
        if containing:
            assert containing in preview_text(editor)
    qtbot.waitUntil(ready, timeout=10_000)


def wait_saved(qtbot, editor: ArendeEditor) -> None:
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes(), timeout=6_000)


def wait_autosave_done(qtbot, editor: ArendeEditor) -> None:
    """The autosave has fired and whatever it started has ended."""
    qtbot.waitUntil(lambda: not editor._save_timer.isActive() and tasks.idle(), timeout=10_000)


def y_in(widget, ancestor) -> int:
    return widget.mapTo(ancestor, widget.rect().topLeft()).y()


def secret_case(store) -> int:
    return next(a["id"] for a in store.list_arenden() if a["rubrik"] == "Ansökan om vård enligt 2 § LVU")


# --- showing what is stored ----------------------------------------------------------------------


def test_fields_show_the_stored_values_in_print_order(qtbot, imported):
    store, _ = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"))
    a, ts = editor.arende_form, editor.ts_form
    assert editor.number_label.text() == "SOCN/2023:16"
    assert a.rubrik.text() == "Socialnämndens plan med budget 2023"
    assert a.status.currentText() == "Klart för nämnd"
    assert a.handlaggare.currentText().startswith("Julia Lindberg")
    assert not a.sekretess.isChecked() and editor.secret_badge.isHidden()
    assert (ts.forvaltning.text(), ts.enhet.text(), ts.mottagare.text()) == ("Socialförvaltningen", "Stab",
                                                                             "Socialnämnden")
    assert ts.datum.iso() == "2023-02-13" and ts.ert_datum.iso() is None
    assert ts.ert_datum.edit.text() == "Inget datum"
    assert "0150-570 00" in ts.handlaggare.text() and "julia.lindberg@katrineholm.se" in ts.handlaggare.text()
    assert ts.rubrik.text() == "Nämndens plan med budget"
    assert [r.number.text() for r in ts.forslag.rows] == ["1.", "2."]
    assert ts.forslag.values()[0].startswith("Socialnämnden beslutar att anta den tilldelade budgetramen")
    assert ts.sammanfattning.toPlainText().startswith("Socialnämnden har av kommunfullmäktige tilldelats")
    assert ts.handlingar.values() == ["Socialnämndens plan med budget 2023", "Investeringsbudget 2023 med plan 2024-2027"]
    assert ts.undertecknare.values() == [{"namn": "Marie Lundqvist", "titel": "Tf. förvaltningschef"}]
    assert [r["namn"] for r in ts.recipients.recipients()] == ["akten"]   # the sample's first spelling is the entry

    form = editor.scroll.widget()
    assert [title for title, _ in ts.sections] == PRINT_ORDER
    positions = [y_in(widget, form) for _, widget in ts.sections]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    header = [ts.forvaltning, ts.enhet, ts.datum, ts.ert_datum, ts.er_beteckning, ts.mottagare, ts.handlaggare]
    header_positions = [y_in(w, form) for w in header]
    assert header_positions == sorted(header_positions)
    assert y_in(a, form) < y_in(ts, form)
    assert editor.state_text() == "Allt är sparat" and not editor.has_unsaved_changes()


# --- editing and autosave ------------------------------------------------------------------------


def test_edit_forslag_list_and_autosave(qtbot, imported):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    a, forslag = editor.arende_form, editor.ts_form.forslag

    a.rubrik.end(False)
    qtbot.keyClicks(a.rubrik, " och verksamhetsplan")  # QTest types ASCII only
    first = forslag.contents()[0].edit
    first.setPlainText("Socialnämnden antar budgetramen för 2023.")
    qtbot.mouseClick(forslag.add_button, Qt.MouseButton.LeftButton)
    assert forslag.count() == 3 and forslag.rows[2].number.text() == "3."
    forslag.contents()[2].edit.insertPlainText("Socialnämnden uppdrar åt förvaltningen att följa upp budgeten.")
    qtbot.mouseClick(forslag.rows[2].up, Qt.MouseButton.LeftButton)       # the new point becomes point 2
    qtbot.mouseClick(forslag.rows[2].remove, Qt.MouseButton.LeftButton)   # the old point 2 goes
    expected = ["Socialnämnden antar budgetramen för 2023.",
                "Socialnämnden uppdrar åt förvaltningen att följa upp budgeten."]
    assert forslag.values() == expected
    assert [r.number.text() for r in forslag.rows] == ["1.", "2."]
    assert not forslag.rows[0].up.isEnabled() and not forslag.rows[1].down.isEnabled()

    assert editor.has_unsaved_changes() and editor.state_text() == "Ändrat – sparas …"
    assert store.tjansteskrivelse(case)["forslag"] != expected  # not yet: autosave waits for a pause
    wait_saved(qtbot, editor)                                    # the real 2 s delay
    assert store.tjansteskrivelse(case)["forslag"] == expected
    assert store.arende(case)["rubrik"] == "Socialnämndens plan med budget 2023 och verksamhetsplan"
    assert re.fullmatch(r"Sparat \d\d:\d\d", editor.state_text())
    # Everything else was kept as it was.
    stored = store.tjansteskrivelse(case)
    assert stored["datum"] == "2023-02-13" and stored["handlaggare"]["namn"] == "Julia Lindberg"
    assert [r["namn"] for r in stored["beslutet_skickas_till"]] == ["akten"]


def test_empty_rows_are_not_stored_and_typing_back_is_no_change(qtbot, imported, fast_autosave):
    store, _ = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"))
    forslag = editor.ts_form.forslag
    forslag.add_row()
    assert forslag.count() == 3 and not editor.has_unsaved_changes()  # an empty point is nothing to save
    enhet = editor.ts_form.enhet
    enhet.setText("Stab och ekonomi")
    assert editor.has_unsaved_changes()
    enhet.setText("Stab")
    assert not editor.has_unsaved_changes()


def test_sections_signers_and_dates(qtbot, imported, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    ts = editor.ts_form
    ts.avsnitt.add_row({"rubrik": "Förvaltningens bedömning", "text": "Budgeten är *realistisk*."})
    ts.avsnitt.add_row({"rubrik": "Ärendebeskrivning", "text": "Bakgrund."})
    ts.avsnitt.move_row(1, -1)
    ts.undertecknare.add_row({"namn": "Julia Lindberg", "titel": "Controller"})
    ts.ert_datum.set_iso("2023-01-30")
    ts.datum.edit.clear_date()
    wait_saved(qtbot, editor)
    stored = store.tjansteskrivelse(case)
    assert stored["avsnitt"] == [{"rubrik": "Ärendebeskrivning", "text": "Bakgrund."},
                                 {"rubrik": "Förvaltningens bedömning", "text": "Budgeten är *realistisk*."}]
    assert stored["undertecknare"][1] == {"namn": "Julia Lindberg", "titel": "Controller"}
    assert stored["ert_datum"] == "2023-01-30" and stored["datum"] is None


def test_a_problem_keeps_the_text_and_says_why(qtbot, imported, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    editor.arende_form.rubrik.clear()
    wait_autosave_done(qtbot, editor)
    assert editor.has_unsaved_changes()
    assert editor.state_text() == "Inte sparat: Ärendemeningen får inte vara tom."
    assert store.arende(case)["rubrik"] == "Socialnämndens plan med budget 2023"
    assert dialogs.messages("error") == []
    signer = editor.ts_form.undertecknare
    signer.add_row({"namn": "", "titel": "Controller"})
    editor.arende_form.rubrik.setText("Budget 2023")
    wait_autosave_done(qtbot, editor)
    assert editor.state_text() == "Inte sparat: Undertecknare 2 har en titel men inget namn. Skriv namnet."
    signer.contents()[1].namn.setText("Julia Lindberg")
    wait_saved(qtbot, editor)
    assert store.arende(case)["rubrik"] == "Budget 2023"


def test_optional_date(qtbot, imported, fast_autosave):
    store, _ = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"))
    field = editor.ts_form.ert_datum
    assert field.iso() is None and not field.clear_button.isEnabled()
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)       # an empty date starts from today
    assert field.iso() is not None and field.iso()[:4] == str(dt.date.today().year)
    field.set_iso("2023-01-30")
    qtbot.mouseClick(field.clear_button, Qt.MouseButton.LeftButton)
    assert field.iso() is None and field.edit.text() == "Inget datum"
    field.set_iso("2023-01-30")
    field.edit.selectAll()
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)   # the whole date deleted: no date
    assert field.iso() is None


# --- recipients ----------------------------------------------------------------------------------


def test_recipients_from_the_address_book_and_typed_once(qtbot, imported, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    recipients = editor.ts_form.recipients

    qtbot.keyClicks(recipients.search, "kommunsty")
    assert recipients.proxy.rowCount() == 1
    qtbot.keyClick(recipients.search, Qt.Key.Key_Return)
    assert [r["namn"] for r in recipients.recipients()] == ["akten", "Kommunstyrelsen"]
    recipients.search.setText("akten")
    recipients.add_selected()
    assert "redan" in recipients.book_note.text() and len(recipients.recipients()) == 2

    qtbot.keyClicks(recipients.new_namn, "Revisorerna i Katrineholm")
    qtbot.keyClicks(recipients.new_adress, "Box 1, 641 80 Katrineholm")
    qtbot.keyClicks(recipients.new_epost, "revisorerna-katrineholm")
    qtbot.mouseClick(recipients.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert "e-postadress" in recipients.new_note.text()
    assert recipients.new_namn.text() == "Revisorerna i Katrineholm"  # kept for correcting
    recipients.new_epost.setText("revisorerna@katrineholm.se")
    qtbot.mouseClick(recipients.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert recipients.new_namn.text() == ""
    book = {r["namn"]: r for r in store.recipients()}
    assert book["Revisorerna i Katrineholm"]["adress"] == "Box 1, 641 80 Katrineholm"
    assert book["Revisorerna i Katrineholm"]["epost"] == "revisorerna@katrineholm.se"

    recipients.chosen.move_row(2, -1)
    wait_saved(qtbot, editor)
    names = [r["namn"] for r in store.tjansteskrivelse(case)["beslutet_skickas_till"]]
    assert names == ["akten", "Revisorerna i Katrineholm", "Kommunstyrelsen"]
    # The same recipient typed again is the same address-book entry, not a second one.
    recipients.new_namn.setText("Revisorerna i Katrineholm")
    recipients.new_adress.setText("Box 1, 641 80 Katrineholm")
    recipients.new_epost.setText("revisorerna@katrineholm.se")
    recipients.add_new()
    qtbot.waitUntil(tasks.idle)
    assert [r["namn"] for r in store.recipients()].count("Revisorerna i Katrineholm") == 1
    assert len(recipients.recipients()) == 3


def test_secret_case_shows_person_addresses_and_lifts_secrecy_only_with_a_reason(qtbot, store, fast_autosave):
    create_demo(store)
    case = secret_case(store)
    dialogs = ScriptedDialogs(confirm_answer=False)
    editor = open_editor(qtbot, store, case, dialogs)
    assert editor.secret_badge.isVisible() and editor.secret_badge.text() == "SEKRETESS 26 kap. 1 § OSL"
    recipients = editor.ts_form.recipients
    assert recipients.secret_hint.isVisible()
    rows = {row.value()["namn"]: row for row in recipients.chosen.contents()}
    family = rows["Vårdnadshavare 1"]
    assert family.shows_address_prominently() and family.address.isVisible()
    assert "Storgatan 12 B, 641 30 Katrineholm" in family.address.text()
    assert not rows["Akten"].shows_address_prominently()
    # A recipient added from the address book is checked the same way.
    recipients.search.setText("kommunstyrelsen@")
    recipients.add_selected()
    added = recipients.chosen.contents()[-1]
    assert added.shows_address_prominently() and "641 80 Katrineholm" in added.address.text()
    wait_preview(qtbot, editor, containing="SEKRETESS 26 kap. 1 § OSL")

    secrecy = editor.arende_form.sekretess
    qtbot.mouseClick(secrecy, Qt.MouseButton.LeftButton)   # the user cancels the prompt for a reason
    [(_kind, question, title, ok)] = [c for c in dialogs.calls if c[0] == "ask_text"]
    assert (title, ok) == ("Häv sekretessen", "Häv sekretessen")
    number = store.arende(case)["diarienummer"]
    assert question.startswith(f"Sekretessen för {number} (26 kap. 1 § OSL) hävs.")
    assert f"Beslutet sparas med skälet, ditt namn ({current_user()}) och tidpunkten" in question
    assert secrecy.isChecked() and editor.secret_badge.isVisible()
    assert store.arende(case)["sekretess"] == 1 and not store.unseal_decisions(arende_id=case)

    dialogs.text_answers = ["Sekretessen har upphört enligt beslut 2024-05-02"]
    qtbot.mouseClick(secrecy, Qt.MouseButton.LeftButton)
    assert secrecy.isChecked() and editor.state_text() == "Sparar …"   # ticked until the decision is stored
    qtbot.waitUntil(tasks.idle)
    assert not secrecy.isChecked() and editor.secret_badge.isHidden()
    stored = store.arende(case)                               # lifted at once, as its own act
    assert (stored["sekretess"], stored["sekretess_lagrum"]) == (0, None)
    [decision] = store.unseal_decisions(arende_id=case)
    assert (decision["skal"], decision["av"], decision["tidigare_lagrum"]) == (
        "Sekretessen har upphört enligt beslut 2024-05-02", current_user(), "26 kap. 1 § OSL")
    assert dialogs.messages("info")[-1].startswith(f"Sekretessen för {number} är hävd.")
    assert not family.shows_address_prominently() and "Storgatan 12 B" in family.details.text()
    wait_saved(qtbot, editor)                                 # the other edits (a recipient) save as usual
    assert not dialogs.messages("error") and editor.conflict_bar.isHidden()
    assert editor.arende_form.lagrum.text() == "26 kap. 1 § OSL"   # kept in the field if it is made secret again
    assert store.arende(case)["sekretess"] == 0


def test_a_lift_refused_by_the_store_keeps_the_arende_secret(qtbot, store):
    create_demo(store)
    case = secret_case(store)
    dialogs = ScriptedDialogs(text_answers=["ok"])            # too short: the store refuses it
    editor = open_editor(qtbot, store, case, dialogs)
    qtbot.mouseClick(editor.arende_form.sekretess, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert "Ange skälet till att sekretessen hävs" in dialogs.messages("error")[0]
    assert editor.arende_form.sekretess.isChecked() and store.arende(case)["sekretess"] == 1
    assert not editor.has_unsaved_changes()


def test_autosave_never_saves_a_secret_arende_as_public(qtbot, store, fast_autosave):
    create_demo(store)
    case = secret_case(store)
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    editor.arende_form.sekretess.setChecked(False)           # not the user's click: no decision was made
    editor.arende_form.rubrik.setText("Ansökan om vård enligt 2 § LVU, Pojke född 2015")
    wait_saved(qtbot, editor)
    stored = store.arende(case)
    assert stored["rubrik"] == "Ansökan om vård enligt 2 § LVU, Pojke född 2015"
    assert (stored["sekretess"], stored["sekretess_lagrum"]) == (1, "26 kap. 1 § OSL")
    assert not dialogs.messages("error") and not store.unseal_decisions(arende_id=case)


def test_newly_secret_arende_tells_where_public_versions_went(qtbot, store, fast_autosave):
    create_demo(store)
    case = arende_id(store, "SOCN/2023:16")
    meeting = next(m for m in store.meetings() if m["datum"] == "2023-02-22")
    store.record_publication("Handlingar (offentlig version)", "/srv/webb/handlingar.pdf", meeting_id=meeting["id"])
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    qtbot.mouseClick(editor.arende_form.sekretess, Qt.MouseButton.LeftButton)
    editor.arende_form.lagrum.setText("21 kap. 1 § OSL")
    wait_saved(qtbot, editor)
    assert store.arende(case)["sekretess"] == 1
    [message] = dialogs.messages("info")
    assert message.startswith("Ärendet omfattas nu av sekretess. Offentliga versioner har redan lämnat programmet:\n")
    assert ("• Handlingar (offentlig version) (Socialnämnden 2023-02-22): skrevs till /srv/webb/handlingar.pdf"
            in message)
    assert message.endswith("Dra tillbaka dem där det går.")
    assert not dialogs.messages("ask_text")


def test_newly_secret_arende_without_public_versions_says_nothing_more(qtbot, store, fast_autosave):
    create_demo(store)
    case = next(a["id"] for a in store.list_arenden() if a["rubrik"].startswith("Yttrande över remiss"))
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    qtbot.mouseClick(editor.arende_form.sekretess, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, editor)
    assert store.arende(case)["sekretess"] == 1 and not dialogs.messages("info")


def test_public_case_shows_addresses_quietly(qtbot, store):
    create_demo(store)
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    recipients = editor.ts_form.recipients
    recipients.search.setText("kommunstyrelsen@")
    recipients.add_selected()
    row = recipients.chosen.contents()[-1]
    assert not row.shows_address_prominently() and "641 80 Katrineholm" in row.details.text()
    assert recipients.secret_hint.isHidden()


# --- preview -------------------------------------------------------------------------------------


def test_preview_renders_unsaved_values_and_warns(qtbot, imported, monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 60_000)
    monkeypatch.setattr(arende_editor, "PREVIEW_DELAY_MS", 100)
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    wait_preview(qtbot, editor, containing="Nämndens plan med budget")
    assert editor.preview.pdf.pdf_bytes().startswith(b"%PDF")
    assert "TJÄNSTESKRIVELSE" in preview_text(editor)
    assert editor.preview.warning_texts() == []

    editor.ts_form.rubrik.setText("Plan med budget för socialnämnden 2023")
    wait_preview(qtbot, editor, containing="Plan med budget för socialnämnden 2023")
    assert store.tjansteskrivelse(case)["rubrik"] == "Nämndens plan med budget"   # shown before it is saved

    editor.ts_form.handlingar.remove_row(1)
    wait_preview(qtbot, editor)
    qtbot.waitUntil(lambda: editor.preview.warning_texts() == [
        "Bilagan ”Investeringsbudget 2023 med plan 2024-2027” är bifogad men står inte under Ärendets handlingar."])
    editor.ts_form.fill_button.click()
    assert editor.ts_form.handlingar.values()[1] == "Investeringsbudget 2023 med plan 2024-2027"
    qtbot.waitUntil(lambda: editor.preview.warning_texts() == [])

    editor.ts_form.sammanfattning.setPlainText("Barnet med personnummer 19121212-1212 har ansökt.")
    qtbot.waitUntil(lambda: any("personnummer" in w for w in editor.preview.warning_texts()), timeout=10_000)
    assert editor.preview.pdf.document.pageCount() >= 1


def test_ärende_without_tjansteskrivelse_gets_one_when_writing_starts(qtbot, store, fast_autosave):
    create_demo(store)
    case = next(a["id"] for a in store.list_arenden() if a["rubrik"].startswith("Yttrande över remiss"))
    assert store.tjansteskrivelse(case) is None
    editor = open_editor(qtbot, store, case)
    assert editor.ts_stack.currentIndex() == 0 and editor.preview.pdf.isHidden()
    assert not editor.has_unsaved_changes()
    qtbot.mouseClick(editor.start_button, Qt.MouseButton.LeftButton)
    assert editor.ts_stack.currentIndex() == 1
    assert editor.ts_form.forvaltning.text() == "Socialförvaltningen"
    assert "Julia Lindberg" in editor.ts_form.handlaggare.text()
    editor.ts_form.forslag.add_row("Socialnämnden lämnar yttrandet som sitt eget.")
    wait_saved(qtbot, editor)
    stored = store.tjansteskrivelse(case)
    assert stored["forslag"] == ["Socialnämnden lämnar yttrandet som sitt eget."]
    assert stored["datum"] == dt.date.today().isoformat() and stored["handlaggare"]["namn"] == "Julia Lindberg"
    wait_preview(qtbot, editor, containing="Yttrande över remiss om kommunens trygghetsstrategi")


# --- a store that cannot be written --------------------------------------------------------------


@pytest.fixture
def locked(imported, monkeypatch):
    """Another connection holds the write lock; the runner's connection gives up after 200 ms instead of 15 s."""
    store, _ = imported
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def test_locked_store_reports_once_keeps_the_text_and_saves_later(qtbot, imported, locked, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    text = "Socialnämnden har tilldelats en budgetram om 203 226 tkr.\n\nNytt stycke som inte får försvinna."
    editor.ts_form.sammanfattning.setPlainText(text)
    qtbot.waitUntil(lambda: len(dialogs.messages("error")) == 1)
    assert "upptaget" in dialogs.messages("error")[0]
    assert editor.state_text() == "Inte sparat – försöker igen vid nästa ändring"
    assert editor.ts_form.sammanfattning.toPlainText() == text and editor.has_unsaved_changes()

    editor.ts_form.enhet.setText("Stab och ekonomi")   # the next change tries again, quietly
    wait_autosave_done(qtbot, editor)
    editor.save()
    qtbot.waitUntil(tasks.idle)
    assert editor.has_unsaved_changes() and len(dialogs.messages("error")) == 1
    assert editor.ts_form.enhet.text() == "Stab och ekonomi"

    locked.execute("ROLLBACK")
    editor.ts_form.mottagare.setText("Socialnämnden ")
    wait_saved(qtbot, editor)
    stored = store.tjansteskrivelse(case)
    assert stored["sammanfattning"] == text and stored["enhet"] == "Stab och ekonomi"
    assert stored["mottagare"] == "Socialnämnden"
    assert editor.state_text().startswith("Sparat ") and len(dialogs.messages("error")) == 1


def test_locked_store_when_adding_a_typed_recipient_keeps_it(qtbot, imported, locked):
    store, _ = imported
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"), dialogs)
    recipients = editor.ts_form.recipients
    recipients.new_namn.setText("Vårdnadshavare 2")
    recipients.new_adress.setText("Lillgatan 3, 641 31 Katrineholm")
    assert recipients.add_new()
    qtbot.waitUntil(tasks.idle)
    assert len(dialogs.messages("error")) == 1 and "upptaget" in recipients.new_note.text()
    assert recipients.new_namn.text() == "Vårdnadshavare 2" and len(recipients.recipients()) == 1


@pytest.fixture
def held(imported):
    """Another program holds the store's write lock (BEGIN IMMEDIATE) until ``release()``; the runner's connection
    waits for it with the real busy timeout."""
    store, _ = imported
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    def release():
        if other.in_transaction:
            other.execute("ROLLBACK")

    yield release
    release()
    other.close()


def test_autosave_while_the_store_is_busy_never_freezes_the_window_and_saves_after(qtbot, imported, held,
                                                                                   fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    editor.ts_form.enhet.setText("Stab och ekonomi")
    qtbot.waitUntil(editor.saving)                                     # the autosave waits for the lock …
    assert editor.state_text() == "Sparar …"
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)            # … while the UI thread goes on
    editor.ts_form.mottagare.setText("Socialnämnden i Katrineholm")    # typed during the save: saved after it
    qtbot.waitUntil(lambda: editor._save_again is not None)
    assert len(tasks._pending) == 1 and editor.saving()                # never two saves at once
    assert store.tjansteskrivelse(case)["enhet"] == "Stab" and dialogs.calls == []

    held()                                                             # the other program lets go
    wait_saved(qtbot, editor)
    qtbot.waitUntil(tasks.idle)
    timer.stop()
    stored = store.tjansteskrivelse(case)
    assert (stored["enhet"], stored["mottagare"]) == ("Stab och ekonomi", "Socialnämnden i Katrineholm")
    assert editor.state_text().startswith("Sparat ") and dialogs.calls == []


def test_closing_the_editor_waits_for_the_save_being_written(qtbot, imported, held, monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 60_000)
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    editor.ts_form.enhet.setText("Stab och ekonomi")
    editor.save()                                                      # waits for the lock in the runner
    assert editor.saving()
    QTimer.singleShot(300, held)                                       # let go while the editor waits
    editor.close()
    assert not editor.saving() and not editor.has_unsaved_changes()
    assert store.tjansteskrivelse(case)["enhet"] == "Stab och ekonomi"


def test_a_refused_handling_keeps_what_was_typed(qtbot, imported, locked):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    before = len(store.handlingar(case))
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    panel = editor.handlingar
    panel.beskrivning.setText("Skrivelse från revisorerna")
    panel.motpart.setText("Revisorerna")
    assert panel.register()
    assert not panel.register_button.isEnabled() and panel.register_button.text() == "Registrerar …"
    qtbot.waitUntil(tasks.idle)
    [message] = dialogs.messages("error")
    assert "upptaget" in message
    assert (panel.beskrivning.text(), panel.motpart.text()) == ("Skrivelse från revisorerna", "Revisorerna")
    assert panel.register_button.isEnabled() and len(store.handlingar(case)) == before

    locked.execute("ROLLBACK")
    assert panel.register()
    qtbot.waitUntil(tasks.idle)
    assert len(store.handlingar(case)) == before + 1 and panel.beskrivning.text() == ""


def test_a_refused_close_is_shown_and_the_arende_stays_open(qtbot, imported, locked):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    assert editor.handlingar.request_close()
    qtbot.waitUntil(tasks.idle)
    assert "upptaget" in dialogs.messages("error")[0]
    assert store.arende(case)["status"] != "avslutat" and editor.handlingar.close_button.isEnabled()

    locked.execute("ROLLBACK")
    editor.handlingar.close_button.click()
    qtbot.waitUntil(tasks.idle)
    assert store.arende(case)["status"] == "avslutat"
    assert not editor.handlingar.reopen_button.isHidden() and editor.subtitle.text().endswith(
        f"avslutat {dt.date.today().isoformat()} av {current_user()}")


def test_maybe_leave(qtbot, imported, monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 60_000)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs(unsaved_answer="cancel")
    editor = open_editor(qtbot, store, case, dialogs)
    assert editor.maybe_leave() and dialogs.calls == []           # nothing unsaved: no question

    editor.ts_form.enhet.setText("Stab och ekonomi")
    assert editor.maybe_leave() and dialogs.calls == []           # saved on the way out
    assert store.tjansteskrivelse(case)["enhet"] == "Stab och ekonomi"

    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        editor.ts_form.enhet.setText("Stab")
        assert editor.maybe_leave() is False
        assert dialogs.calls == [("unsaved", "ärendet SOCN/2023:16")]
        assert editor.ts_form.enhet.text() == "Stab" and editor.has_unsaved_changes()

        dialogs.unsaved_answer = "save"                            # still locked: the error is shown, stay
        assert editor.maybe_leave() is False
        assert len(dialogs.messages("error")) == 1 and editor.ts_form.enhet.text() == "Stab"

        dialogs.unsaved_answer = "discard"
        assert editor.maybe_leave() is True
        assert editor.ts_form.enhet.text() == "Stab och ekonomi" and not editor.has_unsaved_changes()
    finally:
        other.execute("ROLLBACK")
        other.close()


# --- someone else changed the ärende meanwhile ------------------------------------------------------


def test_a_change_made_elsewhere_is_not_overwritten_unasked(qtbot, imported, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    with Store.open(store.path) as other_window:
        other_window.update_arende(case, {"rubrik": "Ändrad i det andra fönstret"})
    editor.arende_form.status.setCurrentIndex(editor.arende_form.status.findData("beslutat"))
    qtbot.waitUntil(lambda: len(dialogs.messages("error")) == 1)
    assert "har ändrats" in dialogs.messages("error")[0]
    assert editor.conflict_bar.isVisible() and editor.state_text() == "Inte sparat – ändrat i ett annat fönster"
    assert store.arende(case)["status"] == "klart_for_namnd"
    # Editing the tjänsteskrivelse, which nobody else changed, still cannot slip the ärende change through.
    editor.ts_form.enhet.setText("Stab och ekonomi")
    wait_autosave_done(qtbot, editor)
    assert store.tjansteskrivelse(case)["enhet"] == "Stab" and len(dialogs.messages("error")) == 1

    qtbot.mouseClick(editor.override_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert not editor.has_unsaved_changes() and editor.conflict_bar.isHidden()
    stored = store.arende(case)
    assert stored["status"] == "beslutat" and stored["rubrik"] == "Ändrad i det andra fönstret"  # only mine written
    assert store.tjansteskrivelse(case)["enhet"] == "Stab och ekonomi"


def test_reloading_after_a_change_elsewhere_shows_it(qtbot, imported, fast_autosave):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    with Store.open(store.path) as other_window:
        ts = other_window.tjansteskrivelse(case)
        other_window.save_tjansteskrivelse(
            case, {**ts, "rubrik": "Rubrik från det andra fönstret"}, forslag=ts["forslag"], avsnitt=ts["avsnitt"],
            handlingar=ts["handlingar"], undertecknare=ts["undertecknare"],
            mottagare_ids=[r["id"] for r in ts["beslutet_skickas_till"]])
    editor.ts_form.enhet.setText("Stab och ekonomi")
    qtbot.waitUntil(editor.conflict_bar.isVisible)
    dialogs.confirm_answer = False
    editor.reload_button.click()
    assert editor.ts_form.enhet.text() == "Stab och ekonomi"
    dialogs.confirm_answer = True
    editor.reload_button.click()
    assert editor.ts_form.rubrik.text() == "Rubrik från det andra fönstret"
    assert editor.ts_form.enhet.text() == "Stab" and not editor.has_unsaved_changes()
    assert editor.conflict_bar.isHidden()


def test_opening_a_secret_arende_is_logged(qtbot, store):
    create_demo(store)
    case = secret_case(store)
    open_editor(qtbot, store, case)
    qtbot.waitUntil(tasks.idle)
    assert [r["hur"] for r in store.reads(case)] == ["öppnat i programmet"]
    public = arende_id(store, "SOCN/2023:16")
    open_editor(qtbot, store, public)
    qtbot.waitUntil(tasks.idle)
    assert store.reads(public) == []


# --- screenshots ---------------------------------------------------------------------------------


def test_screenshot(qtbot, imported):
    store, _ = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"))
    wait_preview(qtbot, editor, containing="Nämndens plan med budget")
    QApplication.processEvents()
    assert_readable(editor, "arende_editor.png")


def test_screenshot_secret_recipients(qtbot, store):
    create_demo(store)
    editor = open_editor(qtbot, store, secret_case(store))
    wait_preview(qtbot, editor, containing="SEKRETESS")
    recipients = editor.ts_form.recipients
    editor.scroll.ensureWidgetVisible(recipients.chosen, 0, 200)
    QApplication.processEvents()
    assert_readable(editor, "arende_editor_sekretess.png")


def test_the_reason_prompt_waits_for_a_reason(qtbot, store):
    create_demo(store)
    arende = store.arende(secret_case(store))
    prompt = TextPrompt(None, "Häv sekretessen", unseal_arende_question(arende), ok="Häv sekretessen",
                        placeholder=REASON_EXAMPLE, minimum=MINIMUM_REASON)
    qtbot.addWidget(prompt)
    assert not prompt.ok_button.isEnabled()
    prompt.text.setPlainText("  ok  ")                        # spaces do not count
    assert not prompt.ok_button.isEnabled()
    prompt.text.setPlainText("  Sekretessen har upphört  ")
    assert prompt.ok_button.isEnabled() and prompt.value() == "Sekretessen har upphört"
    assert [b.text() for b in prompt.buttons.buttons()] == ["Häv sekretessen", "Avbryt"]


def test_screenshot_unseal_prompt(qtbot, store):
    """The prompt as the user meets it: over the editor of the secret ärende, at 1366×768."""
    create_demo(store)
    case = secret_case(store)
    editor = open_editor(qtbot, store, case)
    wait_preview(qtbot, editor, containing="SEKRETESS")
    prompt = TextPrompt(editor, "Häv sekretessen", unseal_arende_question(store.arende(case)), ok="Häv sekretessen",
                        placeholder=REASON_EXAMPLE, minimum=MINIMUM_REASON)
    prompt.show()
    qtbot.waitExposed(prompt)
    prompt.text.setPlainText("Sekretessen har upphört enligt nämndens beslut 2024-05-02 § 57")
    assert prompt.ok_button.isEnabled()
    QApplication.processEvents()
    screen = editor.grab()
    shown = prompt.grab()
    assert shown.width() <= screen.width() and shown.height() <= screen.height()   # nothing cut off
    painter = QPainter(screen)
    painter.fillRect(screen.rect(), QColor(0, 0, 0, 90))
    painter.drawPixmap((screen.width() - shown.width()) // 2, (screen.height() - shown.height()) // 3, shown)
    painter.end()
    assert (screen.width(), screen.height()) == (1366, 768)
    assert screen.save(str(SCREENSHOTS / "sekretess-hav-skal.png"))
    assert shown.save(str(SCREENSHOTS / "sekretess-hav-skal-dialog.png"))
