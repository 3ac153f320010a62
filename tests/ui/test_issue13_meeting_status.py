"""Issue 13, a meeting that knows its status and lists that follow changes, in the main window by the user's way:
the status chosen with the Status button (a step back refused in Swedish), Kallat once the kallelse is saved and
Genomfört once the §§ are created, shown in the list at once; a handläggare added under Personer offered at once
in the diary's filter, an ärende registered in the diary offered at once in Lägg till ärenden."""

from PySide6.QtCore import Qt

from keys import type_text
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import DIARY, MEETINGS, PEOPLE, PROTOKOLL
from nämndtool.ui.meetings.dialogs import ArendePickerDialog
from nämndtool.ui.people.handlaggare import HandlaggareDialog
from test_issue13_meetings import choose, coming_nämnd_meeting, open_window
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
STATUS_COLUMN = 5


def click_meeting(qtbot, page, meeting_id: int) -> None:
    model, view = page.meetings_model, page.meetings_view
    index = model.index(model.row_of(meeting_id), 0)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    assert page.selected_meeting()["id"] == meeting_id


def shown_status(page, meeting_id: int) -> str:
    model = page.meetings_model
    return model.data(model.index(model.row_of(meeting_id), STATUS_COLUMN))


def test_the_status_is_chosen_by_hand_and_a_step_back_is_refused_in_swedish(qtbot, demo, dialogs):
    window = open_window(qtbot, demo, dialogs)
    window.show_view(MEETINGS)
    page = window.meetings_page
    coming = coming_nämnd_meeting(demo)["id"]
    click_meeting(qtbot, page, coming)
    assert page.status_button.text() == "Status: Planerat"
    choose(qtbot, page.status_button, "Kallat")
    qtbot.waitUntil(lambda: shown_status(page, coming) == "Kallat")
    assert demo.meeting(coming)["status"] == "kallat" and page.status_button.text() == "Status: Kallat"
    assert_readable(page, "issue13-sammantrade-status.png")

    # a meeting whose protokoll has its §§ has been held: back to Kallat is refused, with why
    window.show_view(PROTOKOLL)
    qtbot.mouseClick(window.protokoll_page.paragrafer.create_button, LEFT)
    qtbot.waitUntil(lambda: demo.meeting(coming)["status"] == "genomfort")
    window.show_view(MEETINGS)
    qtbot.waitUntil(lambda: shown_status(page, coming) == "Genomfört")   # the list follows the protokoll
    choose(qtbot, page.status_button, "Kallat")
    qtbot.waitUntil(lambda: bool(dialogs.messages("error")))
    assert "har redan närvaro eller paragrafer i protokollet" in dialogs.messages("error")[-1]
    assert "tillbaka till Kallat" in dialogs.messages("error")[-1]
    assert demo.meeting(coming)["status"] == "genomfort" and shown_status(page, coming) == "Genomfört"


def test_saving_the_kallelse_shows_the_meeting_kallat_at_once(qtbot, demo, dialogs, tmp_path):
    window = open_window(qtbot, demo, dialogs)
    window.show_view(MEETINGS)
    page = window.meetings_page
    coming = coming_nämnd_meeting(demo)["id"]
    click_meeting(qtbot, page, coming)
    assert shown_status(page, coming) == "Planerat"
    target = tmp_path / "kallelse.pdf"
    dialogs.save_answers = [target]
    choose(qtbot, page.kallelse_button, "Kallelse, offentlig (PDF) …")
    qtbot.waitUntil(lambda: target.exists() and tasks.idle())
    qtbot.waitUntil(lambda: shown_status(page, coming) == "Kallat")
    assert "Status: Kallat" in page.agenda_info.text()


def test_a_handlaggare_renamed_under_personer_is_renamed_in_the_diarys_filter_at_once(qtbot, demo, dialogs):
    handlaggare = demo.handlaggare_list()[0]
    window = open_window(qtbot, demo, dialogs)
    window.show_view(DIARY)
    combo = window.diary_page.handlaggare_filter
    assert combo.findText(handlaggare["namn"]) >= 0 and combo.findText("Åke Nyström") < 0
    window.show_view(PEOPLE)
    persons = window.people_page.persons
    window.people_page.tabs.setCurrentWidget(persons)
    model, view = persons.view.model(), persons.view
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == handlaggare["namn"])
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(model.index(row, 0)).center())
    qtbot.mouseClick(persons.edit_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(persons.dialog, HandlaggareDialog))
    dialog = persons.dialog
    qtbot.mouseClick(dialog.namn, LEFT)
    qtbot.keyClick(dialog.namn, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(dialog.namn, "Åke Nyström")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: combo.findText("Åke Nyström") >= 0)    # without a look at the diary in between
    window.show_view(DIARY)
    combo.setCurrentIndex(combo.findText("Åke Nyström"))           # chosen as the user picks it
    qtbot.waitUntil(lambda: window.diary_page.model.rowCount() > 0)


def test_an_arende_registered_in_the_diary_is_offered_in_lagg_till_arenden(qtbot, demo, dialogs):
    window = open_window(qtbot, demo, dialogs)
    window.show_view(DIARY)
    diary = window.diary_page
    dialog = diary.open_register_dialog()
    qtbot.mouseClick(dialog.rubrik, LEFT)
    type_text(dialog.rubrik, "Överenskommelse om äldreboende")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: any(a["rubrik"] == "Överenskommelse om äldreboende" for a in demo.list_arenden()))

    window.show_view(MEETINGS)
    page = window.meetings_page
    click_meeting(qtbot, page, coming_nämnd_meeting(demo)["id"])
    qtbot.mouseClick(page.agenda_toolbar.widgetForAction(page.add_arende_action), LEFT)   # Lägg till ärenden…
    qtbot.waitUntil(lambda: isinstance(page.dialog, ArendePickerDialog))
    picker = page.dialog
    assert isinstance(picker, ArendePickerDialog)
    rubriker = [picker.model.row_at(r)["rubrik"] for r in range(picker.model.rowCount())]
    assert "Överenskommelse om äldreboende" in rubriker
