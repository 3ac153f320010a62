"""Issue 13, settings a user can change: Arkiv → Inställningar … changes "Ditt namn" (asked once by the protokoll
and otherwise fixed), and Arkiv → Nämndens uppgifter … the nämnd's name, kommun and address that the kallelse and
protokoll print. Each by the user's way: the menu, typing, Spara; then what is printed."""

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from shiboken6 import isValid

from docs_helpers import flat, pdf_text
from keys import type_text
from nämndtool.ui.common import tasks
from nämndtool.ui.common.settings import USER_NAME, NamndDialog, SettingsDialog
from nämndtool.ui.maintenance.getting_started import GettingStarted
from nämndtool.ui.maintenance.handbook import HandbookWindow
from nämndtool.ui.main_window import MEETINGS, PROTOKOLL, REGISTRY
from test_issue13_meetings import choose, open_window
from test_issue13_protokoll import click_paragraph, held_meeting
from test_ui_protokoll import complete
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton


def menu_entry(window, name: str):
    """The Arkiv menu's entry with this object name (as the menu shows it)."""
    arkiv = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Arkiv")
    return next(a for a in arkiv.actions() if a.objectName() == name)


def open_dialog(qtbot, window, name: str, kind):
    entry = menu_entry(window, name)
    assert entry.isEnabled()
    entry.trigger()                                    # Arkiv → the entry, as a click on it does
    qtbot.waitUntil(lambda: isinstance(dialog_of(window, kind), kind))
    return dialog_of(window, kind)


def dialog_of(window, kind):
    return next((d for d in window.findChildren(kind) if d.isVisible()), None)


def retype(qtbot, field, text: str) -> None:
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    type_text(field, text)


def test_your_name_is_changed_under_settings_and_the_next_confirmation_and_forsattsblad_use_it(
        qtbot, demo, dialogs, tmp_path):
    QSettings().setValue(USER_NAME, "Sara Gibro")      # asked once by an earlier confirmation
    window = open_window(qtbot, demo, dialogs)

    dialog = open_dialog(qtbot, window, "installningar", SettingsDialog)
    assert dialog.name.text() == "Sara Gibro"
    retype(qtbot, dialog.name, "Åsa Öberg")
    assert_readable(dialog, "issue13-installningar.png")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)     # Enter saves
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())
    assert QSettings().value(USER_NAME) == "Åsa Öberg"

    window.open_protokoll(held_meeting(demo))
    assert window.stack.currentIndex() == PROTOKOLL
    page = window.protokoll_page
    complete(qtbot, page)
    family = demo.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    editor = click_paragraph(qtbot, page, 4)
    assert editor.add_mottagare(family)
    qtbot.mouseClick(editor.save_button, LEFT)
    qtbot.waitUntil(tasks.idle)
    box = editor.mottagare.contents()[0].confirmed
    page.paragrafer.scroll.ensureWidgetVisible(box)
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))                    # on the tick box itself
    qtbot.waitUntil(lambda: demo.paragraf_by_number(page.meeting["id"], 4)["mottagare"][0]["adress_bekraftad"])
    assert [c for c in dialogs.calls if c[0] == "ask_text"] == []      # the name is known, not asked again
    stored = demo.paragraf_by_number(page.meeting["id"], 4)["mottagare"][0]
    assert (stored["adress_bekraftad"], stored["bekraftad_av"]) == (1, "Åsa Öberg")

    page.tabs.setCurrentWidget(page.utskick)
    page.utskick.select(4, "Vårdnadshavare 1")
    dialogs.save_answers = [tmp_path / "utdrag.pdf"]
    written = page.utskick.create_utdrag()
    assert "Adressen bekräftad av Åsa Öberg" in flat(pdf_text(written[1].read_bytes()))


def test_the_kommun_is_changed_under_namndens_uppgifter_and_the_kallelse_prints_it(qtbot, demo, dialogs, tmp_path):
    window = open_window(qtbot, demo, dialogs)
    dialog = open_dialog(qtbot, window, "namnd", NamndDialog)
    assert (dialog.namn.text(), dialog.kommun.text()) == ("Socialnämnden", "Katrineholms kommun")
    retype(qtbot, dialog.kommun, "Vingåkers kommun")
    retype(qtbot, dialog.adress, "Box 12, 643 21 Vingåker")
    assert_readable(dialog, "issue13-namndens-uppgifter.png")
    qtbot.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())
    namnd = demo.namnder()[0]
    assert (namnd["namn"], namnd["kommun"], namnd["adress"]) == (
        "Socialnämnden", "Vingåkers kommun", "Box 12, 643 21 Vingåker")

    window.show_view(MEETINGS)
    page = window.meetings_page
    coming = next(m for m in demo.meetings() if m["organ"] == "Socialnämnden" and m["datum"] > "2024")
    page.select_meeting(coming["id"])
    target = tmp_path / "kallelse.pdf"
    dialogs.save_answers = [target]
    choose(qtbot, page.kallelse_button, "Kallelse, offentlig (PDF) …")
    qtbot.waitUntil(lambda: target.exists() and tasks.idle())
    text = flat(pdf_text(target.read_bytes()))
    assert "Vingåkers kommun" in text and "Katrineholms kommun" not in text


def test_the_diary_extract_is_saved_with_oppna_mappen_where_the_last_one_went(qtbot, demo, dialogs, tmp_path):
    window = open_window(qtbot, demo, dialogs)
    window.show_view(REGISTRY)
    extract = window.registry_page.diary
    folder = tmp_path / "Utdrag"
    folder.mkdir()
    dialogs.save_answers = [folder / "diarieutdrag.pdf"]
    dialogs.open_folder_answer = True                          # the user presses Öppna mappen
    qtbot.mouseClick(extract.pdf_button, LEFT)
    qtbot.waitUntil(lambda: ("saved", folder) in dialogs.calls)
    assert ("open", folder) in dialogs.calls
    assert "Diarieutdraget är sparat" in dialogs.messages("info")[-1]
    asked = [c for c in dialogs.calls if c[0] == "save_path"][-1]
    # only the name is suggested: the folder comes from the shared rule (the last one used, else Documents)
    assert asked[2] == Path(asked[2].name) and asked[2].name.startswith("Diarieutdrag SOCN")


def test_kom_igang_and_the_handbook_speak_of_personer(qtbot, demo, dialogs):
    window = open_window(qtbot, demo, dialogs)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Hjälp")
    next(a for a in help_menu.actions() if a.objectName() == "kom_igang").trigger()     # Hjälp → Kom igång …
    qtbot.waitUntil(lambda: dialog_of(window, GettingStarted) is not None)
    kom_igang = dialog_of(window, GettingStarted)
    steps = " ".join(label.text() for label in kom_igang.findChildren(QLabel))
    assert "Lägg in personerna" in steps and "Ny mandatperiod" in steps and "handläggarna" in steps
    assert_readable(kom_igang, "issue13-kom-igang-personer.png")
    qtbot.keyClick(kom_igang, Qt.Key.Key_Escape)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)                                               # Hjälp → Handbok
    handbook = window.findChild(HandbookWindow)
    assert handbook is not None and handbook.isVisible()
    headings = [handbook.contents.item(i).text().strip() for i in range(handbook.contents.count())]
    assert "Personer och mottagare" in headings
    text = handbook.text.toPlainText()
    for words in ("Ny handläggare…", "Ny mandatperiod…", "Adressbok", "Nämndens uppgifter…", "Inställningar…"):
        assert words in text, words
    handbook.close()
