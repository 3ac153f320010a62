"""Issue 13 operations on a real store: several ärenden at once (with a warning naming the other meeting),
copying an agenda from another meeting, and the warning for a meeting outside every mandate period; every
refusal leaves the store as it was."""

import pytest

from nämndtool.operations import diary, meetings
from nämndtool.store.sammantraden import STANDARD_CLOSING, STANDARD_OPENING
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"


@pytest.fixture
def nämnd(store):
    """Socialnämnden with seats 2023–2026, an earlier meeting (7 May 2030) and a later one (11 June 2030), both still
    to come."""
    namnd_id = meetings.save_namnd(store, "SOCN", "Socialnämnden").namnd_id
    with store.write():
        organ_id = store.organs(namnd_id)[0]["id"]
        person = store.ensure_person("Anna Ledamot", roll="ledamot")
        store.add_seat(person, organ_id, "ordforande", "2023-01-01", "2026-12-31")
    earlier = meetings.create_meeting(store, organ_id, "2030-05-07", {})
    coming = meetings.create_meeting(store, organ_id, "2030-06-11", {})
    return store, namnd_id, organ_id, earlier, coming


def arende(store, namnd_id, rubrik, status=None, secret=False):
    found = diary.register_arende(store, diary.NewArende(namnd_id, rubrik, secret=secret,
                                                         lagrum=OSL if secret else None,
                                                         offentlig_rubrik="Sekretessärende" if secret else None))
    if status:
        with store.write():
            store.update("arende", {"id": found["id"]}, {"status": status})
    return store.arende(found["id"])


def standard(title, anteckning=None):
    return {"rubrik": title, "typ": "standard", "arende_id": None, "sekretess": 0, "sekretess_lagrum": None,
            "anteckning": anteckning}


def on_agenda(arende_row, anteckning=None):
    return {"rubrik": arende_row["rubrik"], "typ": "arende", "arende_id": arende_row["id"], "sekretess": 0,
            "sekretess_lagrum": None, "anteckning": anteckning}


def titles(store, meeting_id):
    return [item["rubrik"] for item in store.agenda(meeting_id)]


# --- several ärenden at once --------------------------------------------------------------------------------


def test_add_arenden_puts_each_before_the_closing_items_in_order_and_a_secret_one_as_secret(nämnd):
    store, namnd_id, _organ, _earlier, coming = nämnd
    meetings.replace_agenda(store, coming, [standard("Upprop"), standard("Meddelanden")])
    first, second = arende(store, namnd_id, "Budget 2027"), arende(store, namnd_id, "LVU", secret=True)

    change = meetings.add_arenden(store, coming, [first["id"], second["id"]])

    assert change == meetings.AgendaChange(2, ())
    assert titles(store, coming) == ["Upprop", "Budget 2027", "LVU", "Meddelanden"]
    agenda = store.agenda(coming)
    assert [item["sekretess"] for item in agenda] == [0, 0, 1, 0]
    assert agenda[2]["sekretess_lagrum"] == OSL


def test_add_arenden_warns_with_the_other_meeting_when_an_arende_is_on_another_open_agenda(nämnd):
    store, namnd_id, _organ, earlier, coming = nämnd
    budget = arende(store, namnd_id, "Budget 2027")
    meetings.add_arenden(store, earlier, [budget["id"]])

    change = meetings.add_arenden(store, coming, [budget["id"]])

    assert change.added == 1
    assert change.warnings == (f"Ärendet {budget['diarienummer']} står redan som punkt 1 på dagordningen för "
                               "Socialnämnden 2030-05-07. Ta bort det där om det inte ska behandlas två gånger.",)
    # A justerat or held meeting's agenda is history, not a second place the ärende is planned for.
    held = meetings.create_meeting(store, nämnd[2], "2021-03-03", {})
    meetings.add_arenden(store, held, [budget["id"]])
    with store.write():
        store.set_meeting_status(held, "genomfort")
        store.set_meeting_status(earlier, "justerat")
    other = meetings.create_meeting(store, nämnd[2], "2030-09-03", {})
    assert meetings.add_arenden(store, other, [budget["id"]]).warnings == (
        f"Ärendet {budget['diarienummer']} står redan som punkt 1 på dagordningen för Socialnämnden 2030-06-11. "
        "Ta bort det där om det inte ska behandlas två gånger.",)


def test_add_arenden_refuses_all_of_them_when_one_breaks_a_rule(nämnd):
    store, namnd_id, _organ, earlier, coming = nämnd
    budget, plan = arende(store, namnd_id, "Budget 2027"), arende(store, namnd_id, "Plan")
    meetings.add_arenden(store, coming, [budget["id"]])
    other_namnd = meetings.save_namnd(store, "KS", "Kommunstyrelsen").namnd_id
    foreign = arende(store, other_namnd, "Kommunens budget")

    unchanged(store, lambda: meetings.add_arenden(store, coming, [plan["id"], budget["id"]]),
              match="står redan som punkt 1")
    unchanged(store, lambda: meetings.add_arenden(store, coming, [plan["id"], foreign["id"]]),
              match="annan nämnd")
    unchanged(store, lambda: meetings.add_arenden(store, coming, [plan["id"], 9999]), match="finns inte")
    with store.write():
        store.set_meeting_status(earlier, "justerat")
    unchanged(store, lambda: meetings.add_arenden(store, earlier, [plan["id"]]), match="justerat")
    assert meetings.add_arenden(store, coming, []) == meetings.AgendaChange(0)


# --- copying an agenda -----------------------------------------------------------------------------------------


def test_copy_agenda_takes_standard_items_with_their_texts_and_the_arenden_still_open(nämnd):
    store, namnd_id, _organ, earlier, coming = nämnd
    decided = arende(store, namnd_id, "Beslutat ärende", status="beslutat")
    tabled = arende(store, namnd_id, "Bordlagt ärende", status="under_beredning")
    meetings.replace_agenda(store, earlier, [
        standard("Upprop"), standard("Val av justerare", "Förslag: Anna Ledamot"), standard("Fastställande av dagordning"),
        on_agenda(decided), on_agenda(tabled, "Föredragande: Sara Gibro"),
        {**standard("Studiebesök"), "typ": "tema"}, standard("Information från förvaltningschefen"),
        standard("Meddelanden", "Inkomna skrivelser")])
    meetings.replace_agenda(store, coming, [standard("Upprop")])

    change = meetings.copy_agenda(store, coming, earlier)

    assert titles(store, coming) == ["Upprop", "Val av justerare", "Fastställande av dagordning", "Bordlagt ärende",
                                     "Information från förvaltningschefen", "Meddelanden"]
    agenda = {item["rubrik"]: item for item in store.agenda(coming)}
    assert agenda["Val av justerare"]["anteckning"] == "Förslag: Anna Ledamot"
    assert agenda["Meddelanden"]["anteckning"] == "Inkomna skrivelser"
    assert agenda["Bordlagt ärende"]["arende_id"] == tabled["id"]
    assert agenda["Bordlagt ärende"]["anteckning"] == "Föredragande: Sara Gibro"
    assert change.added == 5
    assert change.warnings == (
        "1 ärende från Socialnämnden 2030-05-07 är beslutat eller avslutat och kopierades inte.",
        "1 punkt utan ärende i diariet (till exempel tema eller information) kopierades inte; lägg till den för hand "
        "om den ska med.",
        f"Ärendet {tabled['diarienummer']} står redan som punkt 5 på dagordningen för Socialnämnden 2030-05-07. "
        "Ta bort det där om det inte ska behandlas två gånger.")
    # Copying again doubles nothing.
    again = meetings.copy_agenda(store, coming, earlier)
    assert again.added == 0 and len(store.agenda(coming)) == 6


def test_copy_agenda_keeps_a_secret_standard_item_secret_and_puts_standard_items_in_their_places(nämnd):
    store, _namnd_id, _organ, earlier, coming = nämnd
    meetings.replace_agenda(store, earlier, [
        *map(standard, STANDARD_OPENING), {**standard("Anmälan av delegationsbeslut"), "sekretess": 1,
                                           "sekretess_lagrum": OSL}, *map(standard, STANDARD_CLOSING[2:])])
    meetings.replace_agenda(store, coming, [standard("Upprop"), standard("Meddelanden")])

    meetings.copy_agenda(store, coming, earlier)

    assert titles(store, coming) == [*STANDARD_OPENING, "Anmälan av delegationsbeslut", "Meddelanden"]
    secret = {item["rubrik"]: item["sekretess"] for item in store.agenda(coming)}
    assert secret["Anmälan av delegationsbeslut"] == 1


def test_copy_agenda_refusals_change_nothing(nämnd):
    store, _namnd_id, organ_id, earlier, coming = nämnd
    meetings.replace_agenda(store, earlier, [standard("Upprop")])
    unchanged(store, lambda: meetings.copy_agenda(store, coming, coming), match="annat sammanträde")
    other_namnd = meetings.save_namnd(store, "KS", "Kommunstyrelsen").namnd_id
    foreign = meetings.create_meeting(store, store.organs(other_namnd)[0]["id"], "2030-04-02", {})
    meetings.replace_agenda(store, foreign, [standard("Upprop")])
    unchanged(store, lambda: meetings.copy_agenda(store, coming, foreign), match="annan nämnd")
    unchanged(store, lambda: meetings.copy_agenda(store, coming, 9999), match="finns inte")
    with store.write():
        store.set_meeting_status(coming, "justerat")
    unchanged(store, lambda: meetings.copy_agenda(store, coming, earlier), match="justerat")


# --- warnings about a meeting ------------------------------------------------------------------------------------


def test_meeting_warnings_outside_every_mandate_period(nämnd):
    store, _namnd_id, organ_id, _earlier, _coming = nämnd
    assert meetings.meeting_warnings(store, organ_id, "2026-12-16") == []
    assert meetings.meeting_warnings(store, organ_id, "2027-01-13") == [
        "2027-01-13 ligger utanför mandatperioderna för Socialnämnden (2023-01-01–2026-12-31): ingen ledamot eller "
        "ersättare har uppdrag den dagen, så kallelsen har ingen att gå till. Kontrollera datumet, eller lägg in "
        "den nya mandatperiodens ledamöter och ersättare under Personer och mottagare."]
    # Adjoining and overlapping seats make one period; an open seat runs on.
    with store.write():
        person = store.ensure_person("Bo Ersättare", roll="ersattare")
        store.add_seat(person, organ_id, "ersattare", "2027-01-01", None)
        store.add_seat(person, organ_id, "ersattare", "2020-01-01", "2021-06-30")
    assert meetings.meeting_warnings(store, organ_id, "2027-01-13") == []
    assert "(2020-01-01–2021-06-30, 2023-01-01–tills vidare)" in meetings.meeting_warnings(
        store, organ_id, "2022-03-01")[0]


def test_meeting_warnings_for_an_organ_without_seats_say_nothing(nämnd):
    store, namnd_id, _organ, _earlier, _coming = nämnd
    with store.write():
        utskott = store.ensure_organ(namnd_id, "Individutskottet")
    assert meetings.meeting_warnings(store, utskott, "2027-01-13") == []
