"""Agenda operations one item at a time (nämndtool.operations.agenda) on a real store: each kind of item added
where it goes or where asked, moved, removed; an ärende once per agenda, with a warning naming the other open
meeting; numbers 1..n after every change; every refusal (also after justering) leaves the store as it was."""

import pytest

from nämndtool.errors import NotFoundError
from nämndtool.operations import agenda, diary, meetings, protokoll
from nämndtool.operations.agenda import NewItem
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"


@pytest.fixture
def nämnd(store):
    """Socialnämnden with two meetings (5 May and 9 June), the second with Upprop and Meddelanden on its agenda."""
    namnd_id = meetings.save_namnd(store, "SOCN", "Socialnämnden").namnd_id
    organ_id = store.organs(namnd_id)[0]["id"]
    earlier = meetings.create_meeting(store, organ_id, "2026-05-05", {})
    coming = meetings.create_meeting(store, organ_id, "2026-06-09", {})
    agenda.add_item(store, coming, NewItem("standard", "Upprop"))
    agenda.add_item(store, coming, NewItem("standard", "Meddelanden"))
    return store, namnd_id, earlier, coming


def arende(store, namnd_id, rubrik, secret=False):
    return diary.register_arende(store, diary.NewArende(namnd_id, rubrik, secret=secret,
                                                        lagrum=OSL if secret else None,
                                                        offentlig_rubrik="Sekretessärende" if secret else None))


def rows(store, meeting_id):
    return [(item["nr"], item["rubrik"], item["typ"]) for item in store.agenda(meeting_id)]


def titles(store, meeting_id):
    return [item["rubrik"] for item in store.agenda(meeting_id)]


# --- adding ---------------------------------------------------------------------------------------------------


def test_each_kind_goes_where_it_belongs_and_the_numbers_run_1_to_n(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")

    added = agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"]))
    assert added == agenda.ItemChange(2, "Budget 2027")
    assert agenda.add_item(store, coming, NewItem("tema", "Studiebesök på Solrosen")).nr == 3
    assert agenda.add_item(store, coming, NewItem("fristaende", "Information om lokaler",
                                                  anteckning="Handlingarna dukas")).nr == 4
    # a standard item in its standard place, spelt as the standard spells it
    assert agenda.add_item(store, coming, NewItem("standard", "val av  justerare")).nr == 2
    assert agenda.add_item(store, coming, NewItem("standard", "Verksamhetsinformation")).nr == 6

    assert rows(store, coming) == [
        (1, "Upprop", "standard"), (2, "Val av justerare", "standard"), (3, "Budget 2027", "arende"),
        (4, "Studiebesök på Solrosen", "tema"), (5, "Information om lokaler", "arende"),
        (6, "Verksamhetsinformation", "standard"), (7, "Meddelanden", "standard")]
    stored = store.agenda(coming)
    assert stored[2]["arende_id"] == budget["id"] and stored[4]["arende_id"] is None
    assert stored[4]["anteckning"] == "Handlingarna dukas"


def test_an_item_goes_to_the_position_asked(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    assert agenda.add_item(store, coming, NewItem("tema", "Först", position=1)).nr == 1
    added = agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"], position=4,
                                                   anteckning="Föredragande: Sara Gibro"))
    assert added.nr == 4
    assert titles(store, coming) == ["Först", "Upprop", "Meddelanden", "Budget 2027"]
    assert store.agenda(coming)[3]["anteckning"] == "Föredragande: Sara Gibro"


def test_a_stand_alone_item_may_be_secret_with_its_lagrum_and_a_secret_arende_is_a_secret_item(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    secret = arende(store, namnd_id, "LVU Anna", secret=True)
    agenda.add_item(store, coming, NewItem("fristaende", "Anmälan enligt lex Sarah 19121212-1212", secret=True,
                                           lagrum=OSL))
    agenda.add_item(store, coming, NewItem("arende", arende_id=secret["id"]))
    stored = {item["rubrik"]: item for item in store.agenda(coming)}
    assert stored["Anmälan enligt lex Sarah 19121212-1212"]["sekretess"] == 1
    assert stored["Anmälan enligt lex Sarah 19121212-1212"]["sekretess_lagrum"] == OSL
    assert stored["LVU Anna"]["sekretess"] == 1


def test_an_arende_on_another_open_agenda_is_added_with_a_warning_naming_that_meeting(nämnd):
    store, namnd_id, earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    agenda.add_item(store, earlier, NewItem("arende", arende_id=budget["id"]))

    added = agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"], position=1))

    assert added.nr == 1
    assert added.warnings == (f"Ärendet {budget['diarienummer']} står redan som punkt 1 på dagordningen för "
                              "Socialnämnden 2026-05-05. Ta bort det där om det inte ska behandlas två gånger.",)


def test_adding_refusals_change_nothing(nämnd):
    store, namnd_id, earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"]))
    foreign = arende(store, meetings.save_namnd(store, "KS", "Kommunstyrelsen").namnd_id, "Kommunens budget")
    secret = arende(store, namnd_id, "LVU", secret=True)

    def add(new, meeting_id=coming):
        return lambda: agenda.add_item(store, meeting_id, new)

    unchanged(store, add(NewItem("arende", arende_id=budget["id"])), match="står redan som punkt 2")
    unchanged(store, add(NewItem("arende", arende_id=foreign["id"])), match="annan nämnd")
    unchanged(store, add(NewItem("arende", arende_id=9999)), error=NotFoundError)
    unchanged(store, add(NewItem("arende", arende_id=secret["id"], secret=True, lagrum=OSL)),
              match="hör till ärendet")
    unchanged(store, add(NewItem("standard", "UPPROP")), match="redan punkten Upprop \\(punkt 1\\)")
    unchanged(store, add(NewItem("tema", "  ")), match="behöver en rubrik")
    unchanged(store, add(NewItem("fristaende", "Anmälan 19121212-1212")), match="personnummer")
    unchanged(store, add(NewItem("fristaende", "Anmälan", secret=True)), match="sekretessgrunden")
    unchanged(store, add(NewItem("tema", "Tema", position=5)), match="ingen plats 5: en ny punkt kan stå som "
                                                                     "punkt 1–4")
    unchanged(store, add(NewItem("tema", "Tema", position=0)), match="ingen plats 0")
    unchanged(store, add(NewItem("arende", arende_id=secret["id"], position=9)), match="ingen plats 9")
    unchanged(store, add(NewItem("tema", "Tema"), meeting_id=9999), error=NotFoundError)


def test_a_justerat_agenda_is_locked_for_every_item_operation(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    with store.write():
        store.set_meeting_status(coming, "justerat")
    for operation in (lambda: agenda.add_item(store, coming, NewItem("tema", "Tema")),
                      lambda: agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"])),
                      lambda: agenda.move_item(store, coming, 1, 2),
                      lambda: agenda.remove_item(store, coming, 1)):
        unchanged(store, operation, match="justerat")


# --- moving and removing --------------------------------------------------------------------------------------


def test_move_and_remove_keep_the_numbers_1_to_n(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"]))
    agenda.add_item(store, coming, NewItem("tema", "Studiebesök"))
    assert titles(store, coming) == ["Upprop", "Budget 2027", "Studiebesök", "Meddelanden"]

    assert agenda.move_item(store, coming, 3, 2) == agenda.ItemChange(2, "Studiebesök")
    assert titles(store, coming) == ["Upprop", "Studiebesök", "Budget 2027", "Meddelanden"]
    assert agenda.move_item(store, coming, 1, 4).nr == 4
    assert titles(store, coming) == ["Studiebesök", "Budget 2027", "Meddelanden", "Upprop"]
    assert agenda.move_item(store, coming, 2, 2) == agenda.ItemChange(2, "Budget 2027")

    removed = agenda.remove_item(store, coming, 2)
    assert removed["rubrik"] == "Budget 2027" and removed["diarienummer"] == budget["diarienummer"]
    assert rows(store, coming) == [(1, "Studiebesök", "tema"), (2, "Meddelanden", "standard"),
                                   (3, "Upprop", "standard")]
    assert store.arende(budget["id"])["rubrik"] == "Budget 2027"   # the ärende stays in the diary


def test_move_and_remove_refusals_change_nothing(nämnd):
    store, _namnd_id, _earlier, coming = nämnd
    unchanged(store, lambda: agenda.move_item(store, coming, 3, 1), match="ingen punkt 3; den har 2 punkter")
    unchanged(store, lambda: agenda.move_item(store, coming, 1, 3), match="ingen plats 3: punkten kan stå som "
                                                                        "punkt 1–2")
    unchanged(store, lambda: agenda.remove_item(store, coming, 0), match="ingen punkt 0")
    unchanged(store, lambda: agenda.remove_item(store, 9999, 1), error=NotFoundError)


def test_items_with_a_paragraf_keep_their_place_and_new_items_follow_them(nämnd):
    store, namnd_id, _earlier, coming = nämnd
    protokoll.create_paragraphs(store, coming)
    unchanged(store, lambda: agenda.remove_item(store, coming, 1), match="har redan en paragraf")
    unchanged(store, lambda: agenda.move_item(store, coming, 2, 1), match="har redan en paragraf")
    unchanged(store, lambda: agenda.add_item(store, coming, NewItem("tema", "Tema", position=1)),
              match="har redan en paragraf")
    assert agenda.add_item(store, coming, NewItem("tema", "Tema")).nr == 3
    budget = arende(store, namnd_id, "Budget 2027")
    assert agenda.add_item(store, coming, NewItem("arende", arende_id=budget["id"])).nr == 4
    # an opening item goes as near its place as it can: right after the items with a §
    assert agenda.add_item(store, coming, NewItem("standard", "Val av justerare")).nr == 3
    assert titles(store, coming) == ["Upprop", "Meddelanden", "Val av justerare", "Tema", "Budget 2027"]
