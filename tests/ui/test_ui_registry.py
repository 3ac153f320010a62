"""The registry in the app: handlingar registered with two fields, closing an ärende, the diary extract (public
and internal), delegationsbeslut, and the history of an ärende with the read log of a secret one."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from docs_helpers import flat, pdf_text
from nämndtool.demo import create_demo
from nämndtool.diarienummer import parse
from nämndtool.store.connection import current_user
from nämndtool.ui.editor.arende_editor import HANDLINGAR_TAB, HISTORY_TAB, ArendeEditor
from nämndtool.ui.registry.page import DELEGATION, RegistryPage
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from ui_checks import assert_readable

OSL = "26 kap. 1 § OSL"
TODAY = dt.date.today().isoformat()


def open_editor(qtbot, store, arende_id: int, dialogs=None, tab: int | None = None) -> ArendeEditor:
    editor = ArendeEditor(store, dialogs or ScriptedDialogs(), arende_id)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    if tab is not None:
        editor.tabs.setCurrentIndex(tab)
    return editor


def open_registry(qtbot, store, dialogs=None) -> RegistryPage:
    page = RegistryPage(store, dialogs or ScriptedDialogs())
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    return page


def arende_id(store, number: str) -> int:
    return store.arende_by_number(parse(number))["id"]


def secret_case(store) -> int:
    return next(a["id"] for a in store.list_arenden() if a["rubrik"] == "Ansökan om vård enligt 2 § LVU")


def newest_handling(store, case: int) -> dict:
    return max(store.handlingar(case), key=lambda h: h["id"])


def set_period(page: RegistryPage, fran: str, till: str) -> None:
    page.diary.fran.setDate(QDate.fromString(fran, "yyyy-MM-dd"))
    page.diary.till.setDate(QDate.fromString(till, "yyyy-MM-dd"))


def tree_rows(tree) -> list[list[str]]:
    """Every row of a QTreeWidget, top-level and children, as the texts of its columns."""
    rows = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        rows.append([top.text(c) for c in range(tree.columnCount())])
        for j in range(top.childCount()):
            child = top.child(j)
            rows.append([child.text(c) for c in range(tree.columnCount())])
    return rows


@pytest.fixture
def diary(imported):
    """The sample meeting, a public ärende with two handlingar, and a secret one whose letter came from
    Västerskolan."""
    store, meeting_id = imported
    namnd_id = store.the_namnd()["id"]
    public = store.arende_by_number(parse("SOCN/2023:17"))
    secret = store.register_arende(namnd_id, "Placering av Zacharias Svensson", today=dt.date(2023, 2, 1),
                                   sekretess=1, sekretess_lagrum=OSL, offentlig_rubrik="Ansökan om vård")
    store.register_handling(public["id"], riktning="in", beskrivning="Verksamhetsberättelse Länsjouren 2022",
                            datum="2023-02-03", motpart="Länsjouren")
    store.register_handling(secret["id"], riktning="in", beskrivning="Anmälan från skolan om Zacharias",
                            datum="2023-02-07", motpart="Västerskolan", sekretess=1, sekretess_lagrum=OSL)
    store.register_handling(public["id"], riktning="ut", beskrivning="Svar till Länsjouren", datum="2023-02-09",
                            motpart="Länsjouren")
    return store, namnd_id, secret


# --- handlingar in the ärende editor -------------------------------------------------------------


def test_two_fields_and_enter_register_an_incoming_handling_dated_today(qtbot, imported):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    before = len(store.handlingar(case))
    editor = open_editor(qtbot, store, case, tab=HANDLINGAR_TAB)
    panel = editor.handlingar
    assert editor.tabs.tabText(HANDLINGAR_TAB) == f"Handlingar ({before})"
    assert panel.more.isHidden() and panel.summary.text() == "Registreras som inkommen handling, daterad i dag, offentlig."

    qtbot.keyClicks(panel.beskrivning, "Skrivelse om budgeten")
    qtbot.keyClicks(panel.motpart, "Kommunstyrelsen")
    qtbot.keyClick(panel.motpart, Qt.Key.Key_Return)
    qtbot.waitUntil(tasks.idle)

    handlingar = store.handlingar(case)
    assert len(handlingar) == before + 1
    new = newest_handling(store, case)
    assert (new["beskrivning"], new["motpart"], new["datum"], new["riktning"]) == (
        "Skrivelse om budgeten", "Kommunstyrelsen", TODAY, "in")
    assert new["sekretess"] == 0 and new["sekretess_lagrum"] is None
    assert new["registrerad_av"] == current_user()
    assert panel.beskrivning.text() == "" and panel.motpart.text() == ""     # ready for the next one
    assert panel.model.rowCount() == before + 1
    assert editor.tabs.tabText(HANDLINGAR_TAB) == f"Handlingar ({before + 1})"
    row = panel.view.selectionModel().selectedRows()[0].row()              # the new one is selected
    shown = [panel.model.index(row, c).data() for c in range(6)]
    assert shown[:4] == [TODAY, "Inkommen", "Kommunstyrelsen", "Skrivelse om budgeten"]


def test_a_handling_in_a_secret_arende_is_secret_under_its_lagrum(qtbot, store):
    create_demo(store)
    case = secret_case(store)
    editor = open_editor(qtbot, store, case, tab=HANDLINGAR_TAB)
    panel = editor.handlingar
    assert "med sekretess (26 kap. 1 § OSL)" in panel.summary.text()
    panel.beskrivning.setText("Orosanmälan från Västerskolan")
    panel.motpart.setText("Västerskolan, rektor")
    qtbot.keyClick(panel.beskrivning, Qt.Key.Key_Return)
    qtbot.waitUntil(tasks.idle)
    new = newest_handling(store, case)
    assert (new["sekretess"], new["sekretess_lagrum"], new["riktning"], new["datum"]) == (1, OSL, "in", TODAY)
    row = panel.view.selectionModel().selectedRows()[0].row()
    assert panel.model.index(row, 4).data() == f"SEKRETESS ({OSL})"
    assert panel.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_registration_problems_are_shown_inline_and_nothing_is_lost(qtbot, imported):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    before = len(store.handlingar(case))
    dialogs = ScriptedDialogs()
    panel = open_editor(qtbot, store, case, dialogs, tab=HANDLINGAR_TAB).handlingar

    panel.motpart.setText("Länsstyrelsen")
    qtbot.keyClick(panel.motpart, Qt.Key.Key_Return)
    assert panel.problems.isVisible() and "beskrivning" in panel.problems.text()
    assert panel.motpart.text() == "Länsstyrelsen"

    panel.beskrivning.setText("Brev om 20150101-1234")
    assert not panel.register()
    assert "personnummer (20150101-1234)" in panel.problems.text()

    panel.beskrivning.setText("Brev om placering")
    panel.more_button.click()
    panel.sekretess.setChecked(True)
    assert not panel.register()
    assert "sekretessgrunden" in panel.problems.text()
    assert len(store.handlingar(case)) == before and dialogs.calls == []

    panel.lagrum.setText("18 kap. 1 § OSL")
    assert panel.register()
    qtbot.waitUntil(tasks.idle)
    new = newest_handling(store, case)
    assert (new["sekretess"], new["sekretess_lagrum"]) == (1, "18 kap. 1 § OSL")
    assert panel.problems.isHidden()


def test_more_gives_date_direction_and_a_file(qtbot, imported, tmp_path):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    letter = tmp_path / "Svar till Länsstyrelsen.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    dialogs = ScriptedDialogs(open_answers=[[letter]])
    panel = open_editor(qtbot, store, case, dialogs, tab=HANDLINGAR_TAB).handlingar
    panel.more_button.click()
    assert panel.more.isVisible() and panel.datum.date() == QDate.currentDate()
    panel.datum.setDate(QDate(2023, 3, 2))
    panel.riktning.setCurrentIndex(panel.riktning.findData("ut"))
    panel.file_button.click()
    assert panel.beskrivning.text() == "Svar till Länsstyrelsen"       # the file's name to start with
    panel.motpart.setText("Länsstyrelsen")
    assert "utgående handling, daterad 2023-03-02" in panel.summary.text()
    assert panel.register()
    qtbot.waitUntil(lambda: panel._task is None, timeout=10_000)
    new = newest_handling(store, case)
    assert (new["riktning"], new["datum"], new["filnamn"], new["motpart"]) == (
        "ut", "2023-03-02", "Svar till Länsstyrelsen.pdf", "Länsstyrelsen")
    assert store.file_path(new["fil_sha256"]).read_bytes() == letter.read_bytes()
    assert panel.file_label.text() == "Ingen fil" and dialogs.messages("error") == []


def test_close_and_reopen_record_who_and_when(qtbot, imported, monkeypatch):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs, tab=HANDLINGAR_TAB)
    panel = editor.handlingar
    assert panel.status_label.text() == "Ärendet är öppet." and panel.reopen_button.isHidden()
    status_before = store.arende(case)["status"]
    assert status_before != "beslutat"

    editor.arende_form.klassificering.setText("1.2.3")           # unsaved: saved before the ärende is closed
    panel.close_button.click()
    qtbot.waitUntil(tasks.idle)
    arende = store.arende(case)
    assert (arende["status"], arende["avslutad"], arende["avslutad_av"], arende["klassificering"]) == (
        "avslutat", TODAY, current_user(), "1.2.3")
    assert panel.status_label.text() == f"Avslutat {TODAY} av {current_user()}"
    assert panel.close_button.isHidden() and panel.reopen_button.isVisible()
    assert f"avslutat {TODAY} av {current_user()}" in editor.subtitle.text()
    assert editor.arende_form.status.currentText() == "Avslutat" and not editor.has_unsaved_changes()

    editor.arende_form.rubrik.setText("Ändrad efter avslut")      # the editor knows the new version: no conflict
    assert editor.save_now() and dialogs.messages("error") == []

    panel.reopen_button.click()
    qtbot.waitUntil(tasks.idle)
    arende = store.arende(case)                                 # the status it had before it was closed
    assert (arende["status"], arende["avslutad"], arende["avslutad_av"]) == (status_before, None, None)
    assert panel.status_label.text() == "Ärendet är öppet." and panel.close_button.isVisible()
    assert "avslutat" not in editor.subtitle.text()


# --- the diary extract ---------------------------------------------------------------------------


def test_diary_extract_preview_public_and_internal(qtbot, diary):
    store, _, secret = diary
    page = open_registry(qtbot, store)
    set_period(page, "2023-02-01", "2023-02-28")
    model = page.diary.model
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert ["2023-02-07", secret["diarienummer"], "Ansökan om vård", "", ""] in rows
    assert not any("Västerskolan" in cell or "Zacharias" in cell for row in rows for cell in row)
    assert page.diary.internal_banner.isHidden()
    assert "varav 1 med sekretess, som visas utan motpart och beskrivning" in page.diary.summary.text()

    page.diary.internal.setChecked(True)
    assert page.diary.internal_banner.isVisible()
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert ["2023-02-07", secret["diarienummer"], "Placering av Zacharias Svensson",
            "Anmälan från skolan om Zacharias", "Västerskolan"] in rows
    secret_row = next(r for r in range(model.rowCount()) if model.index(r, 4).data() == "Västerskolan")
    assert model.index(secret_row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None

    page.diary.till.setDate(QDate(2023, 1, 1))
    assert page.diary.problems.isVisible() and not page.diary.pdf_button.isEnabled()


def test_public_extract_pdf_leaves_out_the_secret_counterpart_the_internal_shows_it(qtbot, diary, tmp_path):
    store, _, secret = diary
    public_pdf, internal_pdf = tmp_path / "utdrag.pdf", tmp_path / "utdrag-intern"
    dialogs = ScriptedDialogs(save_answers=[public_pdf, internal_pdf])
    page = open_registry(qtbot, store, dialogs)
    set_period(page, "2023-02-01", "2023-02-28")

    assert page.diary.export("pdf")
    qtbot.waitUntil(lambda: page.diary.task is None, timeout=20_000)
    text = flat(pdf_text(public_pdf.read_bytes()))
    assert secret["diarienummer"] in text and "Ansökan om vård" in text and "Länsjouren" in text
    for hidden in ("Västerskolan", "Zacharias", "Anmälan från skolan", "INTERN VERSION"):
        assert hidden not in text, hidden
    assert dialogs.calls[0][0] == "save_path" and "SOCN 2023-02-01" in dialogs.calls[0][2].name
    assert dialogs.calls[-1] == ("open", public_pdf)

    page.diary.internal.setChecked(True)
    assert page.diary.export("pdf")
    qtbot.waitUntil(lambda: page.diary.task is None, timeout=20_000)
    written = internal_pdf.with_name("utdrag-intern.pdf")                    # the suffix is added
    text = flat(pdf_text(written.read_bytes()))
    assert "Västerskolan" in text and "Anmälan från skolan om Zacharias" in text and "INTERN VERSION" in text
    asked = [call for call in dialogs.calls if call[0] == "save_path"][-1]
    assert "intern version" in asked[2].name and dialogs.messages("error") == []


def test_a_personnummer_stops_the_public_extract_and_nothing_is_written(qtbot, diary, tmp_path):
    store, _, _ = diary
    case = arende_id(store, "SOCN/2023:16")
    store.register_handling(case, riktning="in", beskrivning="Brev om 20150101-1234", datum="2023-02-10")
    target = tmp_path / "utdrag.docx"
    dialogs = ScriptedDialogs(save_answers=[target])
    page = open_registry(qtbot, store, dialogs)
    set_period(page, "2023-02-01", "2023-02-28")
    assert page.diary.export("docx")
    qtbot.waitUntil(lambda: page.diary.task is None, timeout=20_000)
    (message,) = dialogs.messages("error")
    assert "personnummer" in message and "2015••••-••••" in message
    assert "20150101-1234" not in message                       # the message masks the number (core rule)
    assert not target.exists() and list(tmp_path.glob("utdrag*")) == []
    assert page.diary.pdf_button.isEnabled()


# --- delegationsbeslut ---------------------------------------------------------------------------


def fill_decision(tab, description="Beviljat bistånd i form av hemtjänst", case=""):
    tab.datum.setDate(QDate(2023, 2, 14))
    tab.punkt.setText("3.2.1")
    tab.beslutsfattare.setText("Matilda Johansson, utredare")
    tab.beskrivning.setText(description)
    tab.arende_field.setText(case)


def register(qtbot, tab) -> None:
    """Registrera, and wait until the operation has run and its outcome is shown."""
    assert tab.register()
    qtbot.waitUntil(tasks.idle)


def test_delegationsbeslut_are_registered_with_a_checked_diary_number(qtbot, store):
    create_demo(store)
    namnd_id = store.the_namnd()["id"]
    dialogs = ScriptedDialogs()
    page = open_registry(qtbot, store, dialogs)
    page.tabs.setCurrentIndex(DELEGATION)
    tab = page.delegation

    fill_decision(tab, case="SOCN/23:17")
    assert not tab.register()
    assert tab.arende_problem.isVisible() and "SOCN/23:17" in tab.arende_problem.text()
    assert "året" in tab.arende_problem.text()
    fill_decision(tab, case="SOCN/2023:999")
    assert not tab.register()
    assert tab.arende_problem.text() == "Ärendet SOCN/2023:999 finns inte i diariet. Kontrollera numret."
    fill_decision(tab, case="XYZ/2023:17")
    assert not tab.register() and "XYZ" in tab.arende_problem.text()
    assert store.delegationsbeslut(namnd_id) == [] and tab.beskrivning.text() != ""

    fill_decision(tab, case="socn2023:17")
    tab._check_arende(final=True)
    assert "SOCN/2023:17 – " in tab.arende_info.text() and tab.arende_problem.isHidden()
    register(qtbot, tab)
    (decision,) = store.delegationsbeslut(namnd_id)
    assert (decision["datum"], decision["delegationspunkt"], decision["beslutsfattare"], decision["diarienummer"],
            decision["sekretess"]) == ("2023-02-14", "3.2.1", "Matilda Johansson, utredare", "SOCN/2023:17", 0)
    assert tab.beskrivning.text() == "" and tab.beslutsfattare.text() == "Matilda Johansson, utredare"
    assert tab.model.rowCount() == 1 and tab.model.index(0, 6).data() == "Ej anmält"
    assert dialogs.messages("error") == []


def test_a_secret_delegationsbeslut_needs_its_lagrum_and_follows_a_secret_arende(qtbot, store):
    create_demo(store)
    namnd_id = store.the_namnd()["id"]
    dialogs = ScriptedDialogs()
    page = open_registry(qtbot, store, dialogs)
    tab = page.delegation
    fill_decision(tab, description="Placering i familjehem")
    tab.sekretess.setChecked(True)
    register(qtbot, tab)                                     # the operation refuses: shown, and nothing is lost
    (message,) = dialogs.messages("error")
    assert "sekretessgrunden" in message and store.delegationsbeslut(namnd_id) == []
    assert (tab.beskrivning.text(), tab.punkt.text(), tab.sekretess.isChecked()) == (
        "Placering i familjehem", "3.2.1", True)
    assert tab.register_button.isEnabled() and tab.done_label.text() == ""
    tab.lagrum.setText(OSL)
    register(qtbot, tab)
    assert store.delegationsbeslut(namnd_id)[0]["sekretess_lagrum"] == OSL

    number = store.arende(secret_case(store))["diarienummer"]
    fill_decision(tab, description="Tillfällig placering", case=number)
    tab._check_arende(final=True)
    assert tab.sekretess.isChecked() and tab.lagrum.text() == OSL and "SEKRETESS" in tab.arende_info.text()
    register(qtbot, tab)
    newest = store.delegationsbeslut(namnd_id)[-1]
    assert (newest["sekretess"], newest["sekretess_lagrum"], newest["arende_id"]) == (1, OSL, secret_case(store))
    assert not tab.sekretess.isChecked()                     # the next one starts public again

    fill_decision(tab, description="Beslut om 20150101-1234")
    assert not tab.register() and "personnummer" in tab.problems.text()


def test_missing_fields_are_said_under_the_form_and_nothing_runs(qtbot, store):
    create_demo(store)
    tab = open_registry(qtbot, store).delegation
    fill_decision(tab)
    tab.punkt.setText("")
    tab.beslutsfattare.setText("  ")
    assert not tab.register() and tasks.idle()
    assert "Ange punkten i delegationsordningen." in tab.problems.text()
    assert "Ange vem som fattade beslutet." in tab.problems.text()
    assert tab.beskrivning.text() == "Beviljat bistånd i form av hemtjänst"


def test_the_list_shows_where_each_was_reported_and_filters(qtbot, store):
    meeting_id = create_demo(store)
    namnd_id = store.the_namnd()["id"]
    first = store.register_delegationsbeslut(namnd_id, {"datum": "2023-02-01", "beslutsfattare": "Anna Ek",
                                                        "delegationspunkt": "1.1", "beskrivning": "Avskrivning"})
    store.register_delegationsbeslut(namnd_id, {"datum": "2023-02-10", "beslutsfattare": "Bo Ek",
                                                "delegationspunkt": "2.1", "beskrivning": "Ledighet"})
    store.report_delegationsbeslut(meeting_id, [first])
    meeting = store.meeting(meeting_id)
    page = open_registry(qtbot, store)
    tab = page.delegation
    assert tab.filter.currentText() == "Ej anmälda"
    assert [tab.model.index(r, 3).data() for r in range(tab.model.rowCount())] == ["Ledighet"]
    assert "2 delegationsbeslut i registret, 1 ej anmälda" in tab.list_summary.text()
    tab.filter.setCurrentIndex(tab.filter.findText("Alla"))
    assert [tab.model.index(r, 6).data() for r in range(tab.model.rowCount())] == [
        f"{meeting['organ']} {meeting['datum']}", "Ej anmält"]
    assert "Anna Ek" in tab.people_names.stringList() and "2.1" in tab.punkt_names.stringList()


# --- history and the read log --------------------------------------------------------------------


def test_history_shows_an_edit_with_old_and_new_value_and_the_user(qtbot, imported):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:16")
    editor = open_editor(qtbot, store, case)
    editor.arende_form.rubrik.setText("Socialnämndens budget 2023")
    editor.tabs.setCurrentIndex(HISTORY_TAB)                  # leaving the fields saves them first
    qtbot.waitUntil(tasks.idle)
    assert not editor.has_unsaved_changes()
    rows = tree_rows(editor.history.tree)
    change = next(i for i, r in enumerate(rows) if r[2] == "Ändrad" and r[3] == "Ärendet")
    assert rows[change][1] == current_user() and rows[change][4] == "Ärendemening"
    assert rows[change][0].startswith(TODAY)
    assert rows[change + 1][3:] == ["Ärendemening", "Socialnämndens plan med budget 2023 → Socialnämndens budget 2023"]
    assert change == 0                                         # newest first
    top = editor.history.tree.topLevelItem(0)
    assert "Före:\nSocialnämndens plan med budget 2023" in top.child(0).toolTip(4)
    assert editor.history.reads.isHidden()                     # a public ärende has no read log to show

    editor.tabs.setCurrentIndex(0)
    editor.ts_form.sammanfattning.setPlainText("Kort. " * 40)
    assert editor.save_now()
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    rows = tree_rows(editor.history.tree)
    assert rows[0][3] == "Tjänsteskrivelsen" and rows[0][4] == "Sammanfattning"
    assert rows[1][4].endswith("…") and len(rows[1][4]) < 90  # long text shortened …
    assert ("Kort. " * 40).strip() in editor.history.tree.topLevelItem(0).child(0).toolTip(4)  # … all of it here
    assert not any(r[3].startswith("Förslag") for r in rows[:6])  # the unchanged lists rewritten are not shown


def test_history_of_a_registered_handling_and_a_close(qtbot, imported):
    store, _ = imported
    case = arende_id(store, "SOCN/2023:17")
    editor = open_editor(qtbot, store, case, tab=HANDLINGAR_TAB)
    editor.handlingar.beskrivning.setText("Skrivelse från revisorerna")
    editor.handlingar.motpart.setText("Revisorerna")
    assert editor.handlingar.register()
    qtbot.waitUntil(tasks.idle)
    editor.handlingar.close_button.click()
    qtbot.waitUntil(tasks.idle)
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    rows = tree_rows(editor.history.tree)
    assert rows[0][2:4] == ["Ändrad", "Ärendet"]
    assert ["", "", "", "Status", "Beslutat → Avslutat"] in rows or any(
        r[3] == "Status" and r[4].endswith("→ Avslutat") for r in rows)
    assert any(r[3] == "Avslutad av" and r[4] == f"(tomt) → {current_user()}" for r in rows)
    handling = next(i for i, r in enumerate(rows) if r[2:4] == ["Ny", "Handling"])
    assert rows[handling][4] == "Skrivelse från revisorerna"
    assert ["", "", "", "Motpart", "Revisorerna"] in rows and ["", "", "", "Riktning", "Inkommen"] in rows


def test_the_read_log_shows_who_opened_a_secret_arende(qtbot, store):
    create_demo(store)
    case = secret_case(store)
    editor = open_editor(qtbot, store, case, tab=HISTORY_TAB)
    qtbot.waitUntil(tasks.idle)                               # the read is logged on the runner
    history = editor.history
    assert history.reads.isVisible() and history.reads_heading.text().startswith("SEKRETESS")
    (read,) = tree_rows(history.reads)
    assert read[0].startswith(TODAY) and read[1:] == [current_user(), "öppnat i programmet"]
    assert history.tree.editTriggers() == history.tree.EditTrigger.NoEditTriggers
    assert history.reads.editTriggers() == history.reads.EditTrigger.NoEditTriggers


REASON = "Sekretessen har upphört enligt nämndens beslut 2024-05-02 § 57"


def lift_secrecy(qtbot, editor: ArendeEditor, dialogs: ScriptedDialogs, reason: str = REASON) -> None:
    dialogs.text_answers = [reason]
    qtbot.mouseClick(editor.arende_form.sekretess, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle)
    assert not editor.arende_form.sekretess.isChecked()


def test_history_shows_the_decision_that_lifted_secrecy_with_reason_who_and_when(qtbot, store):
    create_demo(store)
    case = secret_case(store)
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, case, dialogs)
    lift_secrecy(qtbot, editor, dialogs)
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    history = editor.history
    assert history.unseals.isVisible() and history.unseals_heading.text() == "Beslut att häva sekretessen"
    (decision,) = tree_rows(history.unseals)
    assert decision[0].startswith(TODAY) and decision[1:] == [current_user(), OSL, REASON]
    tip = history.unseals.topLevelItem(0).toolTip(3)
    assert tip.startswith(f"Sekretessen hävdes {TODAY}") and f"av {current_user()} (sekretess enligt {OSL})" in tip
    assert tip.endswith(f"Skäl: {REASON}")

    # The change in the trail carries the reason beside it.
    rows = tree_rows(history.tree)
    change = next(i for i, r in enumerate(rows) if r[2:4] == ["Ändrad", "Ärendet"])
    children = rows[change + 1:change + 4]
    assert ["", "", "", "Sekretess", "Ja → Nej"] in children
    assert ["", "", "", "Skäl till att sekretessen hävdes", REASON] in children
    # Who read it while it was secret stays visible.
    assert history.reads.isVisible() and tree_rows(history.reads)

    # A second decision (secret again, lifted again) is listed too, newest first.
    editor.tabs.setCurrentIndex(0)
    qtbot.mouseClick(editor.arende_form.sekretess, Qt.MouseButton.LeftButton)
    assert editor.save_now() and store.arende(case)["sekretess"] == 1
    lift_secrecy(qtbot, editor, dialogs, "Uppgifterna är nu offentliga genom dom i förvaltningsrätten")
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    assert [r[3] for r in tree_rows(history.unseals)] == [
        "Uppgifterna är nu offentliga genom dom i förvaltningsrätten", REASON]


def test_a_public_arende_shows_no_unseal_decisions(qtbot, imported):
    store, _ = imported
    editor = open_editor(qtbot, store, arende_id(store, "SOCN/2023:16"), tab=HISTORY_TAB)
    assert editor.history.unseals.isHidden() and editor.history.unseals_heading.isHidden()
    assert editor.history.decisions == []


# --- screenshots ---------------------------------------------------------------------------------


def test_screenshots(qtbot, diary):
    store, namnd_id, secret = diary
    page = open_registry(qtbot, store)
    set_period(page, "2023-02-01", "2023-02-28")
    qtbot.waitUntil(lambda: page.diary.model.rowCount() > 0 and page.diary.internal_banner.isHidden())
    assert_readable(page, "register-diarieutdrag.png")
    page.diary.internal.setChecked(True)
    qtbot.waitUntil(page.diary.internal_banner.isVisible)
    assert_readable(page, "register-diarieutdrag-intern.png")

    for nr, (datum, punkt, who, what, case, secret_flag) in enumerate([
        ("2023-02-02", "3.1.4", "Matilda Johansson, utredare", "Beviljat bistånd i form av hemtjänst", None, 0),
        ("2023-02-06", "4.2.1", "Sara Gibro, verksamhetsstrateg", "Placering i familjehem", secret["id"], 1),
        ("2023-02-13", "1.5", "Marie Lundqvist, förvaltningschef", "Yttrande till Kommunstyrelsen om remiss",
         arende_id(store, "SOCN/2023:17"), 0),
    ]):
        store.register_delegationsbeslut(namnd_id, {
            "datum": datum, "delegationspunkt": punkt, "beslutsfattare": who, "beskrivning": what,
            "arende_id": case, "sekretess": secret_flag, "sekretess_lagrum": OSL if secret_flag else None})
    page.tabs.setCurrentIndex(DELEGATION)
    page.reload()
    fill_decision(page.delegation, description="Avslag på ansökan om ekonomiskt bistånd", case="SOCN/23:4")
    page.delegation._check_arende(final=True)
    qtbot.waitUntil(lambda: page.delegation.model.rowCount() == 3 and page.delegation.arende_problem.isVisible())
    assert_readable(page, "register-delegationsbeslut.png")

    editor = open_editor(qtbot, store, secret["id"], tab=HANDLINGAR_TAB)
    editor.handlingar.more_button.click()
    editor.handlingar.beskrivning.setText("Utredning enligt 11 kap. 1 § SoL")
    editor.handlingar.motpart.setText("")
    qtbot.waitUntil(editor.handlingar.more.isVisible)
    assert_readable(editor, "register-handlingar.png")

    editor.arende_form.klassificering.setText("2.3.1")
    assert editor.save_now()
    editor.handlingar.close_button.click()
    qtbot.waitUntil(tasks.idle)
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    qtbot.waitUntil(lambda: editor.history.tree.topLevelItemCount() > 0)
    assert_readable(editor, "historik.png")


def test_screenshot_history_with_an_unseal_decision(qtbot, store):
    create_demo(store)
    dialogs = ScriptedDialogs()
    editor = open_editor(qtbot, store, secret_case(store), dialogs)
    lift_secrecy(qtbot, editor, dialogs)
    editor.tabs.setCurrentIndex(HISTORY_TAB)
    qtbot.waitUntil(editor.history.unseals.isVisible)
    assert editor.size().width() == 1366 and editor.size().height() == 768
    assert_readable(editor, "historik-sekretess-havd.png")
