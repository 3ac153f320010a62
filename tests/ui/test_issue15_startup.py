"""Issue 15, point 6: a cold start reads only the page on screen and imports nothing it does not need yet.

The main window's current page reads its data when the window is built; every other page reads its data the first
time it is shown, once; a change announced while a page is hidden is read when the page is shown again; the heavy
modules (the renderers, typst, pikepdf, pypdfium2, reportlab, QtPdf, the ärende editor) are imported only when
first used. Which page read what is told by the store's reads of each page (counted on the store the window
uses) and by each page's ``loading.loads``, never by time.
"""

import json
import os
import subprocess
import sys
from collections import Counter

from PySide6.QtCore import QSettings

from nämndtool.demo import create_demo
from nämndtool.operations import people
from nämndtool.store import Store
from nämndtool.ui import app as ui_app
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import DIARY, MEETINGS, PEOPLE, REGISTRY

PAGE_READS = {
    "Sammanträden": ("meetings",),
    "Diarium": ("arende_ids", "arende_count", "diary_years", "handlaggare_list"),
    "Personer och mottagare": ("all_organs", "all_persons", "address_book"),
    "Register": ("diary_entries", "delegationsbeslut"),
}
"""The store's reads by which each page fills itself (and no other page of the window makes)."""


def counting(store) -> Counter:
    """Count the calls of every read in PAGE_READS made through ``store`` (the UI thread's connection)."""
    calls: Counter = Counter()
    for names in PAGE_READS.values():
        for name in names:
            read = getattr(store, name)

            def counted(*args, _read=read, _name=name, **kwargs):
                calls[_name] += 1
                return _read(*args, **kwargs)
            setattr(store, name, counted)
    return calls


def pages_read(calls: Counter) -> set[str]:
    return {page for page, names in PAGE_READS.items() if any(calls[name] for name in names)}


def loads(window) -> dict[str, int]:
    return {"Sammanträden": window.meetings_page.loading.loads, "Diarium": window.diary_page.loading.loads,
            "Personer och mottagare": window.people_page.loading.loads,
            "Register": window.registry_page.loading.loads}


def new_window(qtbot, store, dialogs, show=True):
    window = ui_app.MainWindow(store, dialogs)
    qtbot.addWidget(window)
    if show:
        window.show()
        qtbot.waitExposed(window)
    return window


def test_only_the_page_on_screen_reads_its_data_when_the_window_is_built(qtbot, demo, dialogs):
    calls = counting(demo)
    window = new_window(qtbot, demo, dialogs, show=False)
    assert window.current_view() == "Sammanträden"
    assert pages_read(calls) == {"Sammanträden"}
    assert loads(window) == {"Sammanträden": 1, "Diarium": 0, "Personer och mottagare": 0, "Register": 0}
    # What the user sees at start is as before: the meetings with the first one's agenda, and its count.
    assert window.meetings_page.meetings_model.rowCount() == 3
    assert window.counts_label.text().startswith("3 sammanträden · dagordningen har ")
    assert window.windowTitle() == "Nämndtool – Socialnämnden"

    window.show()
    qtbot.waitExposed(window)
    assert pages_read(calls) == {"Sammanträden"} and calls["meetings"] == 1   # showing it reads nothing again
    assert window.diary_page.model.rowCount() == 0


def test_the_remembered_view_is_the_one_that_reads_at_start(qtbot, demo, dialogs):
    settings = QSettings()
    settings.setValue("main_window/view", DIARY)
    settings.sync()
    calls = counting(demo)
    window = new_window(qtbot, demo, dialogs)
    assert window.current_view() == "Diarium"
    assert pages_read(calls) == {"Diarium"}
    assert calls["arende_ids"] == 1
    assert window.diary_page.model.rowCount() == 15
    assert window.counts_label.text() == "15 ärenden"
    assert window.diary_page.result.text() == "15 ärenden i diariet."


def test_each_page_reads_its_data_once_when_first_shown(qtbot, demo, dialogs):
    calls = counting(demo)
    window = new_window(qtbot, demo, dialogs)
    expected = {"Sammanträden": 1, "Diarium": 0, "Personer och mottagare": 0, "Register": 0}
    for index, name, count in ((DIARY, "Diarium", "15 ärenden"),
                               (PEOPLE, "Personer och mottagare", None),
                               (REGISTRY, "Register", None)):
        window.show_view(index)
        expected[name] = 1
        assert loads(window) == expected
        assert name in pages_read(calls)
        if count:
            assert window.counts_label.text() == count
    assert window.people_page.address_book.model.rowCount() > 0
    reads = dict(calls)
    for index in (MEETINGS, DIARY, PEOPLE, REGISTRY, DIARY, MEETINGS):   # back and forth: nothing is read again
        window.show_view(index)
    assert dict(calls) == reads
    assert loads(window) == expected
    assert window.counts_label.text().startswith("3 sammanträden")


def test_a_change_while_a_page_is_hidden_shows_when_it_is_shown(qtbot, demo, dialogs):
    calls = counting(demo)
    window = new_window(qtbot, demo, dialogs)
    window.show_view(DIARY)
    first = window.diary_page.model.arende_at(0)
    window.show_view(PEOPLE)
    window.show_view(MEETINGS)
    searched, listed = calls["arende_ids"], calls["address_book"]

    # The ärende's rubrik changed in its editor (the diary hidden behind it), an address added (Personer hidden).
    window.open_arende(first["id"])
    editor = window.editors.currentWidget()
    editor.arende_form.rubrik.setText("Tillsyn av HVB-hemmet Tallbacken")
    assert editor.save_now()
    tasks.run(window, demo, people.save_recipient, None, "Länsstyrelsen Västra Götaland", "403 40 Göteborg",
              "vastragotaland@lansstyrelsen.se", failed=lambda error: dialogs.error(window, str(error)))
    assert tasks.wait_until_idle()
    assert not dialogs.messages("error")
    # Hidden: marked to read again, nothing read yet; the Register page was never shown and still reads nothing.
    assert window.diary_page.loading.stale and window.people_page.loading.stale
    assert (calls["arende_ids"], calls["address_book"]) == (searched, listed)
    assert loads(window)["Register"] == 0 and calls["diary_entries"] == 0

    window.show_view(DIARY)
    row = window.diary_page.model.row_of(first["id"])
    assert window.diary_page.model.arende_at(row)["rubrik"] == "Tillsyn av HVB-hemmet Tallbacken"
    assert window.counts_label.text() == "15 ärenden"
    assert not window.diary_page.loading.stale and calls["arende_ids"] == searched + 1

    window.show_view(PEOPLE)
    names = [row["namn"] for row in window.people_page.address_book.rows()]
    assert "Länsstyrelsen Västra Götaland" in names
    assert loads(window)["Personer och mottagare"] == 2


def test_refresh_reads_the_page_on_screen_now_and_the_others_when_shown(qtbot, demo, dialogs):
    calls = counting(demo)
    window = new_window(qtbot, demo, dialogs)
    window.show_view(DIARY)
    window.show_view(MEETINGS)
    before = dict(calls)
    window.refresh_action.trigger()   # Visa → Uppdatera (F5)
    assert calls["meetings"] == before["meetings"] + 1
    assert calls["arende_ids"] == before["arende_ids"]
    assert window.diary_page.loading.stale
    window.show_view(DIARY)
    assert calls["arende_ids"] == before["arende_ids"] + 1


def test_the_sammantrade_menu_acts_on_the_selected_meeting_when_the_window_opened_on_another_view(
        qtbot, demo, dialogs):
    settings = QSettings()
    settings.setValue("main_window/view", DIARY)
    settings.sync()
    window = new_window(qtbot, demo, dialogs)
    page = window.meetings_page
    assert page.loading.loads == 0
    assert page.kallelse_action.isEnabled() and page.protokoll_action.isEnabled()   # as when it had read them
    page.protokoll_action.trigger()   # Ctrl+Shift+P from the diary: the meetings are read, the first one's opens
    assert page.loading.loads == 1
    assert window.current_view() == "Protokoll"
    assert window.protokoll_page.meeting["id"] == page.selected_meeting()["id"]


HEAVY = ("typst", "pikepdf", "pypdfium2", "reportlab", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "docx",
         "nämndtool.documents.render_pdf", "nämndtool.documents.render_docx", "nämndtool.documents.pack",
         "nämndtool.ui.editor.arende_editor", "nämndtool.ui.generate", "nämndtool.ui.protokoll.page",
         "jinja2", "markdown_it")

PROBE = """
import json, sys
from pathlib import Path
from nämndtool import cli                       # the entry module of namndtool-gui
before = {name: name in sys.modules for name in HEAVY}
from nämndtool.store import Store
from nämndtool.ui import app                    # what cli's gui command imports
application = app.application()
store = Store.open(Path(sys.argv[1]))
window = app.create_main_window(store)
window.show()
application.processEvents()
after = [name for name in HEAVY if name in sys.modules]
window.open_arende(store.arende_ids()[0])   # the first ärende opened brings the editor and its preview
opened = [name for name in HEAVY if name in sys.modules]
print(json.dumps({"cli": [n for n, v in before.items() if v], "window": after, "opened": opened}))
window.close()
store.close()
"""


def test_the_heavy_modules_are_imported_when_first_needed_not_at_start(tmp_path):
    """In a process of its own, so what other tests imported does not count (the demo store made here)."""
    with Store.open(tmp_path / "register.sqlite") as store:
        create_demo(store)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", str(tmp_path / "register.sqlite")],
                          capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["cli"] == []
    assert found["window"] == []
    assert "nämndtool.ui.editor.arende_editor" in found["opened"]   # the probe itself can see an import
