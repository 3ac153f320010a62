"""Issue 13, point 6: restore in the app (from Arkiv and from the start-up check), the handbook (F1) and Kom igång
on the first start. Each test takes the user's way: menu entries, clicks in the list, the buttons, F1 and Esc; the
restore works on a real store and a real backup of it."""

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from nämndtool.check import check_store
from nämndtool.operations import diary, maintenance
from nämndtool.store import Store
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.maintenance import hooks
from nämndtool.ui.maintenance.getting_started import GettingStarted, dismissed
from nämndtool.ui.maintenance.handbook import HandbookWindow
from nämndtool.ui.maintenance.restore import DAMAGED, WHOLE, RestoreDialog, RestoreProgress, backup_row
from keys import type_text
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton


def shown_window(qtbot, store, dialogs) -> MainWindow:
    """The main window with restore and help in its menus (installed here until the window does it itself)."""
    window = with_menus(MainWindow(store, dialogs))
    window.resize(1280, 760)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def with_menus(window: MainWindow) -> MainWindow:
    if window.findChild(QAction, "aterstall") is None:
        hooks.install(window)
    return window


def action(window, name: str) -> QAction:
    found = with_menus(window).findChild(QAction, name)
    assert found is not None, name
    return found


def close(window) -> None:
    """The window a restore or a switch opened, and its store (the app closes it when it quits)."""
    window.close()
    window.store.close()


def open_restore_dialog(qtbot, window) -> RestoreDialog:
    action(window, "aterstall").trigger()                 # Arkiv → Återställ från säkerhetskopia…
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=30_000)
    return dialog


def click_row(qtbot, view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())


def restore_chosen(qtbot, dialog):
    """Återställ… clicked; the restore runs; the window that opened afterwards."""
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, LEFT)
    restoring = dialog.restoring
    assert restoring is not None
    qtbot.waitUntil(lambda: restoring.ended, timeout=30_000)
    assert restoring.result is not None
    return restoring.result


def register(store, title: str) -> None:
    diary.register_arende(store, diary.NewArende(store.namnder()[0]["id"], title))


def dump(path: Path) -> list[str]:
    """Every table and row of the store, read beside the app's own connections."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def titles(store) -> set[str]:
    return {a["rubrik"] for a in store.list_arenden()}


# --- restore --------------------------------------------------------------------------------------------------


def test_restore_a_real_backup_from_arkiv(qtbot, imported, dialogs):
    store, _ = imported
    backup = maintenance.back_up(store)
    before, count = titles(store), store.arende_count()
    register(store, "Registrerat efter säkerhetskopian")
    path = Path(store.path)
    window = shown_window(qtbot, store, dialogs)

    dialog = open_restore_dialog(qtbot, window)
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in range(4)] == [
        backup_row(backup.path)["created"], str(count), str(backup.files), WHOLE]
    assert_readable(dialog, "issue13-aterstall-dialog.png")
    click_row(qtbot, dialog.table, 0)
    new_window = restore_chosen(qtbot, dialog)
    try:
        (question,) = dialogs.messages("confirm")
        assert f"Registret {path} ersätts med säkerhetskopian från {backup_row(backup.path)['created']}" in question
        assert f"Nu innehåller registret {count + 1} ärenden." in question
        assert "register.fore-aterstallning-<datum>.sqlite" in question
        # the window shows the restored store: what was registered after the backup is gone
        assert new_window.isVisible() and new_window is not window
        assert Path(new_window.store.path) == path
        assert titles(new_window.store) == before
        assert check_store(new_window.store) == []
        (info,) = dialogs.messages("info")
        created = backup_row(backup.path)["created"]
        assert info.startswith(f"Registret är återställt från säkerhetskopian från {created}.")
        # the replaced store is kept beside it, with the ärende registered after the backup
        (kept,) = path.parent.glob("register.fore-aterstallning-*.sqlite")
        assert str(kept) in info
        with Store.open(kept) as old:
            assert "Registrerat efter säkerhetskopian" in titles(old)
        # the new window works: a change goes through the runner into the restored store
        tasks.run(new_window, new_window.store, diary.register_arende,
                  diary.NewArende(new_window.store.namnder()[0]["id"], "Efter återställningen"),
                  failed=lambda error: dialogs.error(None, str(error)))
        qtbot.waitUntil(tasks.idle)
        assert "Efter återställningen" in titles(new_window.store)
    finally:
        close(new_window)


def test_restore_progress_is_readable(qtbot, imported):
    store, _ = imported
    progress = RestoreProgress(backup_row(maintenance.back_up(store).path))
    qtbot.addWidget(progress)
    progress.show()
    assert_readable(progress, "issue13-aterstall-pagar.png")
    qtbot.keyClick(progress, Qt.Key.Key_Escape)      # a restore is not stopped half-way
    assert progress.isVisible()


def test_a_damaged_backup_cannot_be_chosen(qtbot, imported, dialogs):
    store, _ = imported
    good = maintenance.back_up(store)
    damaged = maintenance.back_up(store)
    for file in (damaged.path / "filer").iterdir():
        file.write_bytes(b"inte den fil som sparades")
    window = shown_window(qtbot, store, dialogs)
    qtbot.addWidget(window)
    dialog = open_restore_dialog(qtbot, window)
    statuses = [dialog.model.index(r, 3).data() for r in range(2)]
    assert statuses == [DAMAGED, WHOLE]                    # newest first
    click_row(qtbot, dialog.table, 0)
    assert not dialog.restore_button.isEnabled()
    details = dialog.details.text()
    assert "Kopian kan inte återställas" in details and details.count("saknas eller är skadad") == 5
    assert details.endswith(f"… och {damaged.files - 5} fel till.")           # the dialog keeps to the screen
    assert_readable(dialog, "issue13-aterstall-skadad.png")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)        # Enter on a damaged copy does nothing either
    qtbot.mouseDClick(dialog.table.viewport(), LEFT, pos=dialog.table.visualRect(dialog.model.index(0, 0)).center())
    assert dialog.restoring is None and dialogs.messages("confirm") == []
    click_row(qtbot, dialog.table, 1)
    assert dialog.restore_button.isEnabled() and str(good.path) in dialog.details.text()
    qtbot.mouseClick(dialog.close_button, LEFT)
    assert not dialog.isVisible() and window.isVisible()


def test_a_refused_restore_leaves_the_store_as_it_was(qtbot, imported, dialogs):
    store, _ = imported
    backup = maintenance.back_up(store)
    register(store, "Registrerat efter säkerhetskopian")
    path = Path(store.path)
    before, database = titles(store), dump(path)
    window = shown_window(qtbot, store, dialogs)
    dialog = open_restore_dialog(qtbot, window)
    click_row(qtbot, dialog.table, 0)
    assert dialog.model.index(0, 3).data() == WHOLE
    # the copy is damaged after it was checked in the list (a removable disk, another program)
    next((backup.path / "filer").iterdir()).write_bytes(b"skadad efter kontrollen")
    new_window = restore_chosen(qtbot, dialog)
    try:
        (error,) = dialogs.messages("error")
        assert error.startswith("Registret återställdes inte.\n\nSäkerhetskopian återställs inte, eftersom den inte är "
                                "hel:")
        assert error.endswith("Registret är som det var före försöket och är öppnat igen.")
        assert titles(new_window.store) == before
        assert not list(path.parent.glob("register.fore-aterstallning-*"))
        assert check_store(new_window.store) == []
        assert dump(path) == database
    finally:
        close(new_window)


def test_the_start_up_check_offers_the_restore(qtbot, imported, dialogs):
    store, _ = imported
    backup = maintenance.back_up(store)
    lost = next(p for p in store.files_dir.rglob("*") if p.is_file())
    lost.unlink()
    window = shown_window(qtbot, store, dialogs)
    job = hooks.after_start(window)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    (question, *_) = dialogs.messages("confirm")
    assert question.startswith(f"Kontrollen av registret {store.path} hittade fel:")
    assert question.endswith("Vill du välja en säkerhetskopia nu?")
    qtbot.waitUntil(lambda: window.findChild(RestoreDialog) is not None)   # "Välj säkerhetskopia …" was chosen
    dialog = window.findChild(RestoreDialog)
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=30_000)
    assert dialog.model.row_at(0)["path"] == backup.path
    assert window.findChildren(GettingStarted) == []         # no Kom igång over a damaged store
    click_row(qtbot, dialog.table, 0)
    new_window = restore_chosen(qtbot, dialog)
    try:
        assert lost.exists() and check_store(new_window.store) == []
    finally:
        close(new_window)


def test_not_now_leaves_a_way_to_restore_later(qtbot, imported, dialogs):
    store, _ = imported
    next(p for p in store.files_dir.rglob("*") if p.is_file()).unlink()
    dialogs.confirm_answer = False
    window = shown_window(qtbot, store, dialogs)
    qtbot.addWidget(window)
    job = hooks.after_start(window)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert window.statusBar().currentMessage() == "Registret har fel. Återställ det med Arkiv → Återställ från " \
                                                  "säkerhetskopia…"
    assert window.findChild(RestoreDialog) is None


# --- the handbook ---------------------------------------------------------------------------------------------


def test_f1_opens_the_handbook(qtbot, demo, dialogs):
    window = shown_window(qtbot, demo, dialogs)
    qtbot.addWidget(window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    handbook = window.findChild(HandbookWindow)
    assert handbook is not None and handbook.isVisible()
    headings = [handbook.contents.item(r).text().strip() for r in range(handbook.contents.count())]
    for section in ("Registrera ett ärende", "Skriv tjänsteskrivelsen", "Planera sammanträdet och dagordningen",
                    "Kallelse och handlingar", "Sekretess", "Protokoll", "Justering", "Anslag",
                    "Utdrag och utskick", "Säkerhetskopior och återställning"):
        assert section in headings
    assert_readable(handbook, "issue13-handbok.png")
    row = headings.index("Sekretess")
    rect = handbook.contents.visualItemRect(handbook.contents.item(row))
    qtbot.mouseClick(handbook.contents.viewport(), LEFT, pos=rect.center())
    assert handbook.heading_at_top() == "Sekretess"
    qtbot.keyClick(handbook.contents, Qt.Key.Key_Down)     # the arrow keys walk the contents
    assert handbook.heading_at_top() == "Protokoll"
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)                  # once more: the same window, raised
    assert window.findChildren(HandbookWindow) == [handbook]
    qtbot.keyClick(handbook, Qt.Key.Key_Escape)
    assert not handbook.isVisible()


# --- Kom igång ------------------------------------------------------------------------------------------------


def test_the_first_start_shows_kom_igang_once(qtbot, demo, dialogs):
    window = shown_window(qtbot, demo, dialogs)
    qtbot.addWidget(window)
    job = hooks.after_start(window)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)   # after the check, which found the store whole
    (kom_igang,) = window.findChildren(GettingStarted)
    assert kom_igang.isVisible() and not dismissed()
    assert kom_igang.own_button.text() == "Fortsätt med ditt register"   # the demo store has its nämnd
    assert_readable(kom_igang, "issue13-kom-igang.png")
    qtbot.keyClick(kom_igang, Qt.Key.Key_Escape)
    assert not kom_igang.isVisible() and dismissed()
    qtbot.waitUntil(tasks.idle, timeout=30_000)
    second = with_menus(MainWindow(demo, dialogs))          # the next start
    qtbot.addWidget(second)
    job = hooks.after_start(second)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert second.findChildren(GettingStarted) == []
    action(second, "kom_igang").trigger()      # Hjälp → Kom igång … opens it at any time
    (again,) = second.findChildren(GettingStarted)
    assert again.isVisible()
    qtbot.mouseClick(again.close_button, LEFT)
    assert not again.isVisible()
    qtbot.waitUntil(tasks.idle, timeout=30_000)


def test_kom_igang_opens_the_demo_then_an_empty_register_of_ones_own(qtbot, store, dialogs):
    own = Path(store.path)
    window = shown_window(qtbot, store, dialogs)
    action(window, "kom_igang").trigger()
    (kom_igang,) = window.findChildren(GettingStarted)
    assert kom_igang.own_button.text() == "Börja med ett tomt register"
    qtbot.mouseClick(kom_igang.demo_button, LEFT)
    switch = kom_igang.switching
    qtbot.waitUntil(lambda: switch.ended, timeout=60_000)
    demo_window = switch.result
    assert Path(demo_window.store.path) == own.with_name("register-demo.sqlite")
    assert "Socialnämnden" in demo_window.windowTitle() and demo_window.store.arende_count() > 0
    assert "Demoregistret är öppet" in demo_window.statusBar().currentMessage()

    # back to one's own register, still empty: the nämnd is asked for
    action(demo_window, "kom_igang").trigger()
    (kom_igang,) = demo_window.findChildren(GettingStarted)
    assert not kom_igang.demo_button.isVisible()
    assert kom_igang.own_button.text() == "Tillbaka till ditt register"
    qtbot.mouseClick(kom_igang.own_button, LEFT)
    switch = kom_igang.switching
    qtbot.waitUntil(lambda: switch.ended, timeout=30_000)
    own_window = switch.result
    try:
        assert Path(own_window.store.path) == own and own_window.store.is_empty()
        (namnd_page,) = own_window.findChildren(GettingStarted)
        qtbot.waitUntil(namnd_page.namn.isVisible)
        assert not namnd_page.create_button.isEnabled()
        assert_readable(namnd_page, "issue13-kom-igang-namnd.png")
        type_text(namnd_page.namn, "Socialnämnden")
        qtbot.keyClick(namnd_page.namn, Qt.Key.Key_Tab)
        qtbot.keyClicks(namnd_page.kod, "1")                # not a code: the refusal is shown, the dialog stays
        qtbot.mouseClick(namnd_page.create_button, LEFT)
        qtbot.waitUntil(namnd_page.namnd_problem.isVisible)
        assert "är ingen nämndkod" in namnd_page.namnd_problem.text()
        namnd_page.kod.clear()
        qtbot.keyClicks(namnd_page.kod, "socn")
        qtbot.keyClick(namnd_page.kod, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not namnd_page.isVisible(), timeout=30_000)
        assert [(n["kod"], n["namn"]) for n in own_window.store.namnder()] == [("SOCN", "Socialnämnden")]
        assert "Socialnämnden" in own_window.windowTitle()
        assert "Nämnden Socialnämnden (SOCN) är upplagd." in own_window.statusBar().currentMessage()
    finally:
        close(own_window)
    for other in QApplication.topLevelWidgets():
        assert not (isinstance(other, MainWindow) and other.isVisible())
