"""Issue 13, the meeting's status and the agenda at the meeting (nämndtool.operations.meetings) on a real store:
kallat when the kallelse is saved, genomfört when the §§ are created or the attendance recorded, justerat by the
justering; the status set by hand with a Swedish refusal for a step back; an extra ärende added once the closing
items have their §§; a meeting without a time named in the problems."""

import pytest

from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.service import render_bytes
from nämndtool.errors import NamndtoolError
from nämndtool.operations import agenda, diary, documents, meetings, protokoll
from nämndtool.operations.agenda import NewItem
from support import run_cli
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def nämnd(store):
    """Socialnämnden with a meeting (3 March 2026) whose agenda has Upprop, an ärende and Meddelanden."""
    namnd_id = meetings.save_namnd(store, "SOCN", "Socialnämnden", kommun="Lilla Edet").namnd_id
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = meetings.create_meeting(store, organ_id, "2026-03-03", {"tid": "13:00"})
    budget = case(store, namnd_id, "Budget 2027")
    agenda.add_item(store, meeting_id, NewItem("standard", "Upprop"))
    agenda.add_item(store, meeting_id, NewItem("standard", "Meddelanden"))
    meetings.add_arenden(store, meeting_id, [budget["id"]])
    return store, namnd_id, meeting_id


def case(store, namnd_id, rubrik):
    return diary.register_arende(store, diary.NewArende(namnd_id, rubrik))


def status(store, meeting_id):
    return store.meeting(meeting_id)["status"]


def paragraphs(store, meeting_id):
    return [(p["nr"], p["dagordning_nr"], p["rubrik"]) for p in store.protokoll(meeting_id)["paragrafer"]]


# --- status, automatic ----------------------------------------------------------------------------------------------


def test_saving_the_kallelse_makes_the_meeting_kallat(nämnd, tmp_path):
    store, _namnd_id, meeting_id = nämnd
    assert status(store, meeting_id) == "planerat"
    document = kallelse_document(store, meeting_id, True)
    data = render_bytes(document, "pdf", load_branding())
    documents.save_document(store, documents.publication_of(document, data), data, tmp_path / "kallelse.pdf")
    assert status(store, meeting_id) == "kallat"


def test_creating_the_paragraphs_or_recording_attendance_makes_it_genomfort_and_never_moves_it_back(nämnd):
    store, namnd_id, meeting_id = nämnd
    protokoll.create_paragraphs(store, meeting_id)
    assert status(store, meeting_id) == "genomfort"

    organ_id = store.organs(namnd_id)[0]["id"]
    other = meetings.create_meeting(store, organ_id, "2026-04-07", {"tid": "13:00"})
    meetings.set_status(store, other, "kallat")
    protokoll.save_narvaro(store, other, [{**protokoll.NARVARO_DEFAULTS, "namn": "Anna Berg", "roll": "ledamot",
                                           "tjanstgor": 1}])
    assert status(store, other) == "genomfort"
    # saving the kallelse again after the meeting does not take it back to kallat
    assert not store.advance_meeting_status(other, "kallat")
    assert status(store, other) == "genomfort"


# --- status, by hand ------------------------------------------------------------------------------------------------


def test_the_status_set_by_hand_and_a_step_back_refused_in_swedish(nämnd):
    store, _namnd_id, meeting_id = nämnd
    assert meetings.set_status(store, meeting_id, "Kallat") == meetings.StatusChange("planerat", "kallat")
    assert meetings.set_status(store, meeting_id, "planerat").after == "planerat"   # a kallelse never sent
    assert meetings.set_status(store, meeting_id, "genomfört").after == "genomfort"
    assert meetings.set_status(store, meeting_id, "kallat").after == "kallat"        # no protokoll yet

    protokoll.create_paragraphs(store, meeting_id)
    unchanged(store, lambda: meetings.set_status(store, meeting_id, "kallat"),
              match="har redan närvaro eller paragrafer.*tillbaka till Kallat")
    unchanged(store, lambda: meetings.set_status(store, meeting_id, "justerat"),
              match="blir justerat när protokollet justeras")
    with pytest.raises(NamndtoolError, match="ingen status för ett sammanträde. Välj Planerat, Kallat, Genomfört"):
        meetings.set_status(store, meeting_id, "inställt")

    store.set_meeting_status(meeting_id, "justerat")
    unchanged(store, lambda: meetings.set_status(store, meeting_id, "genomfort"),
              match="är justerat: protokollet är låst")


# --- an extra ärende at the meeting ---------------------------------------------------------------------------------


def test_an_extra_arende_goes_before_the_closing_items_and_their_paragraphs_move_one_number_on(nämnd):
    store, namnd_id, meeting_id = nämnd
    protokoll.create_paragraphs(store, meeting_id)
    assert paragraphs(store, meeting_id) == [(1, 1, "Upprop"), (2, 2, "Budget 2027"), (3, 3, "Meddelanden")]
    meddelanden = store.protokoll(meeting_id)["paragrafer"][2]
    protokoll.save_paragraf(store, meddelanden["id"], {"fields": {"rubrik": "Meddelanden"},
                                                       "beslut": ["Meddelandena läggs till handlingarna."]})

    extra = case(store, namnd_id, "Extra ärende om lokaler")
    change = meetings.add_arenden(store, meeting_id, [extra["id"]])

    assert change.added == 1
    assert [i["rubrik"] for i in store.agenda(meeting_id)] == [
        "Upprop", "Budget 2027", "Extra ärende om lokaler", "Meddelanden"]
    # the extra ärende has its § at once; Meddelanden keeps its decision under the next number
    assert paragraphs(store, meeting_id) == [
        (1, 1, "Upprop"), (2, 2, "Budget 2027"), (3, 3, "Extra ärende om lokaler"), (4, 4, "Meddelanden")]
    assert store.protokoll(meeting_id)["paragrafer"][3]["beslut"] == ["Meddelandena läggs till handlingarna."]


def test_no_extra_arende_once_justerat_or_when_a_later_meeting_has_paragraphs(nämnd):
    store, namnd_id, meeting_id = nämnd
    protokoll.create_paragraphs(store, meeting_id)
    organ_id = store.organs(namnd_id)[0]["id"]
    later = meetings.create_meeting(store, organ_id, "2026-04-07", {"tid": "13:00"})
    agenda.add_item(store, later, NewItem("standard", "Upprop"))
    protokoll.create_paragraphs(store, later)
    extra = case(store, namnd_id, "Extra ärende")
    unchanged(store, lambda: meetings.add_arenden(store, meeting_id, [extra["id"]]),
              match="2026-04-07 har redan paragrafer")

    store.set_meeting_status(meeting_id, "justerat")
    unchanged(store, lambda: meetings.add_arenden(store, meeting_id, [extra["id"]]),
              match="är justerat")


# --- the time -------------------------------------------------------------------------------------------------------


def test_a_meeting_without_a_time_or_with_no_time_of_day_is_named_in_the_problems(nämnd):
    store, namnd_id, meeting_id = nämnd
    organ_id = store.organs(namnd_id)[0]["id"]
    assert meetings.meeting_problems({"tid": "13:00"}) == []
    assert meetings.meeting_problems({"tid": None}) == ["Sammanträdet saknar tid: ange när det börjar, till exempel "
                                                        "13:00."]
    assert "inget klockslag" in meetings.meeting_problems({"tid": "25:00"})[0]
    unchanged(store, lambda: meetings.create_meeting(store, organ_id, "2026-05-05", {"tid": ""}),
              match="saknar tid")
    unchanged(store, lambda: meetings.update_meeting(store, meeting_id, organ_id, "2026-03-03", {"tid": None}),
              match="saknar tid")



# --- the command line -----------------------------------------------------------------------------------------------


def test_meeting_status_on_the_command_line(tmp_path):
    db = tmp_path / "register.sqlite"
    assert run_cli("init", "--name", "Socialnämnden", "--code", "SOCN", db=db).returncode == 0
    # the first meeting has no earlier one to take its time from
    no_time = run_cli("meeting", "create", "--date", "2026-11-18", db=db)
    assert no_time.returncode == 1 and "Ange klockslaget med --time" in no_time.stderr, no_time.stderr
    made = run_cli("meeting", "create", "--date", "2026-11-18", "--time", "13:00", db=db)
    meeting_id = made.stdout.strip()
    assert run_cli("meeting", "status", "--meeting", meeting_id, db=db).stdout.strip() == "Planerat"

    changed = run_cli("meeting", "status", "--meeting", meeting_id, "--set", "kallat", db=db)
    assert changed.returncode == 0 and "status är Kallat (var Planerat)" in changed.stderr
    assert run_cli("meeting", "status", "--meeting", meeting_id, db=db).stdout.strip() == "Kallat"

    refused = run_cli("meeting", "status", "--meeting", meeting_id, "--set", "justerat", db=db)
    assert refused.returncode == 1 and "blir justerat när protokollet justeras" in refused.stderr
