"""The app on a shared server register (issue 16, points 1 and 6), against the throwaway PostgreSQL cluster.

What another user commits shows in an open window within a second (the diary, the agenda, an open ärende); a
conflicting edit gets the conflict bar and never overwrites theirs; the app's own changes go to the server (the
runner opens the location, not a local file); Arkiv → Öppna register … takes a file or a connection string, refuses
a password in it, remembers the choice and reopens the window on it; the listener survives its connection being
terminated on the server.
"""

import time

import psycopg
import pytest
from PySide6.QtCore import QSettings

from nämndtool.operations import diary, meetings
from nämndtool.store import Store
from nämndtool.store.server import shown
from nämndtool.ui.common import settings, tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from nämndtool.ui.editor import arende_editor
from nämndtool.ui.main_window import DIARY, MEETINGS, MainWindow
from nämndtool.ui.maintenance import hooks
from nämndtool.ui.maintenance.open_register import (
    PASSWORD_REFUSED, OpenRegisterDialog, location_problem, starting_register, switch_register,
)

import test_server_listen

location = test_server_listen.location
"""The fixture: a server register with the demo in it (this user's local folder for it in tmp_path)."""

SECOND_MS = 1000


@pytest.fixture
def window(qtbot, location, dialogs):
    """A main window on the server register, listening for others' changes."""
    store = Store.open(location)
    window = MainWindow(store, dialogs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.live is not None and window.live.listener.listening.wait(5)
    yield window
    window.close()
    tasks.shutdown()
    window.live.listener.stop()
    store.close()


@pytest.fixture
def fast_autosave(monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 200)
    monkeypatch.setattr(arende_editor, "PREVIEW_DELAY_MS", 100)


def register_elsewhere(location: str, rubrik: str) -> dict:
    """Another user registers an ärende: another connection, committed when this returns."""
    with Store.open(location) as other:
        namnd_id = other.namnder()[0]["id"]
        return diary.register_arende(other, diary.NewArende(namnd_id=namnd_id, rubrik=rubrik))


def ts_payload(ts: dict, **header) -> dict:
    from nämndtool.store.tjansteskrivelser import HEADER_COLUMNS
    return {"header": {**{c: ts.get(c) for c in HEADER_COLUMNS}, **header}, "forslag": ts["forslag"],
            "avsnitt": ts["avsnitt"], "handlingar": ts["handlingar"], "undertecknare": ts["undertecknare"],
            "mottagare_ids": [r["id"] for r in ts["beslutet_skickas_till"]]}


def editable_case(store) -> int:
    return store.value("SELECT t.arende_id FROM tjansteskrivelse t JOIN arende a ON a.id = t.arende_id "
                       "WHERE a.status <> 'avslutat' AND a.sekretess = 0 ORDER BY t.id LIMIT 1")


# --- others' changes show within a second -----------------------------------------------------------------------


def test_an_arende_registered_by_another_user_shows_in_the_diary_within_a_second(qtbot, window, location):
    window.show_view(DIARY)
    model = window.diary_page.model
    before = model.rowCount()
    arende = register_elsewhere(location, "Ny förskola i norra området")
    qtbot.waitUntil(lambda: model.row_of(arende["id"]) is not None, timeout=SECOND_MS)
    assert model.rowCount() == before + 1
    assert "diary" in window.live.announced


def test_nothing_shows_before_the_other_user_commits(qtbot, window, location):
    window.show_view(DIARY)
    model = window.diary_page.model
    with Store.open(location) as other:
        with other.write():
            arende = diary.register_arende(other, diary.NewArende(namnd_id=other.namnder()[0]["id"],
                                                                  rubrik="Ännu inte sparat"))
            # A notice committed after the ärende was written (a third connection): once the window has heard it,
            # a notice of the ärende would have come before it, had one been sent before the commit.
            with psycopg.connect(location, autocommit=True) as third:
                third.execute("SELECT pg_notify('namndtool', %s)", (
                    '{"topic": "people", "table": "person", "op": "update", "ids": {}, "role": "x", "pid": 1}',))
            qtbot.waitUntil(lambda: "people" in window.live.announced, timeout=SECOND_MS)
            assert model.row_of(arende["id"]) is None and window.live.announced == ["people"]
    qtbot.waitUntil(lambda: model.row_of(arende["id"]) is not None, timeout=SECOND_MS)


def test_an_agenda_changed_by_another_user_shows_within_a_second(qtbot, window, location):
    window.show_view(MEETINGS)
    page = window.meetings_page
    meeting = next(m for m in window.store.meetings()
                   if m["status"] != "justerat" and len(window.store.agenda(m["id"])) > 1)
    page.select_meeting(meeting["id"])
    qtbot.waitUntil(lambda: page.agenda_model.rowCount() > 1)
    with Store.open(location) as other:
        items = other.agenda(meeting["id"])
        other.replace_agenda(meeting["id"], [*items[1:], items[0]])
        first = items[1]["rubrik"]
    qtbot.waitUntil(lambda: page.agenda_model.items()[0]["rubrik"] == first, timeout=SECOND_MS)


def test_a_tjansteskrivelse_saved_by_another_user_shows_in_the_open_editor(qtbot, window, location):
    case = editable_case(window.store)
    window.open_arende(case)
    editor = window.editors.currentWidget()
    with Store.open(location) as other:
        ts = other.tjansteskrivelse(case)
        diary.save_arende(other, case, other.editor_versions(case), arende_changes={},
                          tjansteskrivelse=ts_payload(ts, sammanfattning="Skrivet av en kollega."))
    qtbot.waitUntil(lambda: editor.ts_form.sammanfattning.toPlainText() == "Skrivet av en kollega.",
                    timeout=SECOND_MS)
    assert not editor.has_unsaved_changes() and editor.conflict_bar.isHidden()


def test_a_conflicting_edit_gets_the_conflict_bar_and_overwrites_nothing(qtbot, window, location, dialogs):
    case = editable_case(window.store)
    window.open_arende(case)
    editor = window.editors.currentWidget()
    editor._save_timer.setInterval(60_000)   # the user is still typing: nothing saved yet
    editor.ts_form.sammanfattning.setPlainText("Min text, inte sparad.")
    with Store.open(location) as other:
        ts = other.tjansteskrivelse(case)
        diary.save_arende(other, case, other.editor_versions(case), arende_changes={},
                          tjansteskrivelse=ts_payload(ts, sammanfattning="Kollegans text."))
    qtbot.waitUntil(editor.conflict_bar.isVisible, timeout=SECOND_MS)   # told before saving
    assert editor.ts_form.sammanfattning.toPlainText() == "Min text, inte sparad."
    editor.save(report="always")
    qtbot.waitUntil(tasks.idle)
    assert editor.conflict_bar.isVisible() and editor.has_unsaved_changes()
    assert "har ändrats" in dialogs.messages("error")[-1]
    with Store.open(location) as other:
        assert other.tjansteskrivelse(case)["sammanfattning"] == "Kollegans text."
    dialogs.unsaved_answer = "discard"   # the window closes after the test: the user lets theirs stand


def test_the_app_s_own_changes_go_to_the_server(qtbot, window, location):
    """The runner's workers open the server register (a server store's path is only its local folder)."""
    kod = window.store.namnder()[0]["kod"]
    task = tasks.run(window, window.store, meetings.save_namnd, kod, kommun="Lilla Edets kommun",
                     failed=lambda error: pytest.fail(str(error)))
    assert tasks.wait_for(task)
    with Store.open(location) as other:
        assert other.namnder()[0]["kommun"] == "Lilla Edets kommun"
    assert not (window.store.path).exists()   # no SQLite file was made in the local folder


def test_the_window_keeps_listening_after_its_connection_is_terminated(qtbot, window, location):
    window.show_view(DIARY)
    listener = window.live.listener
    first = listener.backend_pid
    with psycopg.connect(location, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0]
    qtbot.waitUntil(lambda: listener.connections >= 2 and listener.listening.is_set(), timeout=10_000)
    arende = register_elsewhere(location, "Efter avbrottet")
    qtbot.waitUntil(lambda: window.diary_page.model.row_of(arende["id"]) is not None, timeout=SECOND_MS)


def test_restore_from_a_backup_file_is_not_offered_for_a_server_register(window, dialogs):
    assert hooks.offer_restore(window) is None
    assert "IT" in dialogs.messages("info")[-1] and "servern" in dialogs.messages("info")[-1]
    assert window.store_label.text() == f"Register: {shown(window.store.location)}"


# --- Öppna register … --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "postgresql://kansli:hemligt@diarie.kommun.se/namnd",
    "postgresql://diarie.kommun.se/namnd?user=kansli&password=hemligt",
])
def test_the_open_register_dialog_refuses_a_password(qtbot, typed):
    dialog = OpenRegisterDialog(ScriptedDialogs(), "")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.location.setText(typed)
    dialog.accept()
    assert dialog.result() != OpenRegisterDialog.DialogCode.Accepted and dialog.chosen is None
    assert dialog.problem.isVisible() and dialog.problem.text() == PASSWORD_REFUSED and ".pgpass" in PASSWORD_REFUSED
    assert settings.remembered_register() is None
    assert "hemligt" not in " ".join(str(QSettings().value(k)) for k in QSettings().allKeys())


def test_the_open_register_dialog_takes_a_file_from_the_file_dialog_or_a_connection(qtbot, tmp_path):
    chosen = tmp_path / "eget.sqlite"
    dialogs = ScriptedDialogs(open_answers=[[chosen]])
    dialog = OpenRegisterDialog(dialogs, "")
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialogs.calls[0][0] == "open_paths" and dialog.location.text() == str(chosen)
    dialog.accept()
    assert dialog.chosen == chosen
    assert location_problem("postgresql://diarie.kommun.se/namnd") is None
    assert "mapp" in location_problem(str(tmp_path))
    assert "postgresql://" in location_problem("mysql://server/db")


def test_opening_the_server_register_reopens_the_window_on_it_and_remembers_it(qtbot, tmp_path, location, dialogs):
    default = tmp_path / "namndtool.sqlite"
    store = Store.open(default)
    old = MainWindow(store, dialogs)
    qtbot.addWidget(old)
    old.show()
    new = switch_register(old, location)
    try:
        assert new is not None and new.store.location == location
        assert new.store_label.text() == f"Register: {shown(location)}" and new.live is not None
        assert settings.remembered_register() == location
        assert starting_register(default, default) == location          # the next start opens it
        assert starting_register(tmp_path / "annat.sqlite", default) == tmp_path / "annat.sqlite"   # unless named
        assert switch_register(new, location) is None and "redan öppet" in dialogs.messages("info")[-1]
    finally:
        if new is not None:
            new.close()
            tasks.shutdown()
            new.live.listener.stop()
            new.store.close()
            new.deleteLater()


def test_a_register_that_cannot_be_opened_leaves_the_window_as_it_was(qtbot, tmp_path, dialogs, pg_cluster):
    store = Store.open(tmp_path / "namndtool.sqlite")
    window = MainWindow(store, dialogs)
    qtbot.addWidget(window)
    started = time.monotonic()
    missing = pg_cluster.dsn("finns_inte")   # no such database on the server
    assert switch_register(window, missing) is None
    assert time.monotonic() - started < 15
    assert "kunde inte öppnas" in dialogs.messages("error")[-1] and str(store) in dialogs.messages("error")[-1]
    assert settings.remembered_register() is None and window.store is store
    store.close()
