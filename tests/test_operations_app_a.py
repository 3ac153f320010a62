"""Operations added for the app's diary, editor and meetings views (issue 12): each on a real store, and a refusal
leaves every table as it was."""

import dataclasses
import datetime as dt

import pytest

from nämndtool.errors import ConflictError
from nämndtool.operations import diary, meetings, secrecy

from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"


@pytest.fixture
def namnd(store):
    return store, meetings.save_namnd(store, "SOCN", "Socialnämnden").namnd_id


def test_register_arende_with_a_handlaggare_chosen_by_id_tells_namesakes_apart(namnd):
    store, namnd_id = namnd
    with store.write():
        first = store.insert("person", {"namn": "Anna Berg", "roll": "tjansteperson", "epost": "anna1@kommun.se"})
        second = store.insert("person", {"namn": "Anna Berg", "roll": "tjansteperson", "epost": "anna2@kommun.se"})
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan",
                                                                          handlaggare="Anna Berg")),
              match="2 handläggare som heter Anna Berg")
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan", handlaggare="Anna Berg",
                                                          handlaggare_id=second))
    assert store.arende(arende["id"])["handlaggare_id"] == second != first


def test_handling_problems_in_the_order_of_the_fields():
    assert diary.handling_problems(diary.NewHandling(1, "Yttrande från Polisen", motpart="Polisen")) == []
    assert diary.handling_problems(diary.NewHandling(1, "  ", secret=True)) == [
        "Skriv en kort beskrivning av handlingen, till exempel ”Yttrande från Polisen”.",
        "Ange sekretessgrunden (lagrum) för handlingen, till exempel ”26 kap. 1 § OSL”."]
    [problem] = diary.handling_problems(diary.NewHandling(1, "Brev", motpart="Förälder 20150101-1234"))
    assert problem.startswith("Motparten innehåller ett personnummer (20150101-1234).")
    # A secret handling may name the person: it is not shown in the public diary.
    assert diary.handling_problems(diary.NewHandling(1, "Brev om 20150101-1234", secret=True, lagrum=OSL)) == []


def test_add_handling_refuses_a_personnummer_in_a_public_handling(namnd):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan"))
    unchanged(store, lambda: diary.add_handling(store, diary.NewHandling(arende["id"], "Brev om 20150101-1234")),
              match="personnummer")
    handling_id = diary.add_handling(store, diary.NewHandling(arende["id"], "Brev om 20150101-1234", secret=True,
                                                              lagrum=OSL), by="test")
    assert store.handlingar(arende["id"])[0]["id"] == handling_id


def test_meeting_problems_and_the_meeting_operations_refuse_a_bad_address(namnd):
    store, namnd_id = namnd
    organ_id = store.organs(namnd_id)[0]["id"]
    assert meetings.meeting_problems({"forhinder_epost": ""}) == []
    assert meetings.meeting_problems({"forhinder_epost": "kansli@kommun.se"}) == []
    [problem] = meetings.meeting_problems({"forhinder_epost": "kansli.kommun.se"})
    assert "är ingen e-postadress" in problem
    unchanged(store, lambda: meetings.create_meeting(store, organ_id, "2030-01-09",
                                                     {"forhinder_epost": "kansli.kommun.se"}),
              match="e-postadress")
    meeting_id = meetings.create_meeting(store, organ_id, "2030-01-09", {"forhinder_epost": "kansli@kommun.se"})
    unchanged(store, lambda: meetings.update_meeting(store, meeting_id, organ_id, "2030-01-10",
                                                     {"forhinder_epost": "nej"}), match="e-postadress")
    meetings.update_meeting(store, meeting_id, organ_id, "2030-01-10", {"plats": "Solrosen"})
    assert store.meeting(meeting_id)["datum"] == "2030-01-10"


def test_unseal_arende_unchanged_refuses_after_a_change_elsewhere(namnd):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "LVU", offentlig_rubrik="Vård", secret=True,
                                                          lagrum=OSL))
    seen = store.editor_versions(arende["id"])["arende"]
    store.update_arende(arende["id"], {"rubrik": "LVU, ändrad i ett annat fönster"})
    reason = "Sekretessen har upphört enligt beslut"
    unchanged(store, lambda: secrecy.unseal_arende_unchanged(store, arende["id"], reason, version=seen),
              error=ConflictError, match="ändrats i ett annat fönster")
    now = store.editor_versions(arende["id"])["arende"]
    unchanged(store, lambda: secrecy.unseal_arende_unchanged(store, arende["id"], "ok", version=now),
              match="skälet")
    lifted = secrecy.unseal_arende_unchanged(store, arende["id"], reason, version=now)
    assert lifted["arende"]["sekretess"] == 0 and lifted["version"] == store.editor_versions(arende["id"])["arende"]
    assert [d["skal"] for d in store.unseal_decisions(arende_id=arende["id"])] == [reason]


def test_register_delegationsbeslut_refuses_another_nämnds_arende_and_a_personnummer_in_a_public_one(namnd):
    store, namnd_id = namnd
    other = meetings.save_namnd(store, "KS", "Kommunstyrelsen").namnd_id
    theirs = diary.register_arende(store, diary.NewArende(other, "Budget"))
    secret = diary.register_arende(store, diary.NewArende(namnd_id, "Placering", secret=True, lagrum=OSL,
                                                          offentlig_rubrik="Placering enligt SoL"))
    decision = diary.NewDelegationsbeslut(namnd_id, dt.date(2024, 3, 1), "Eva Ek", "3.1",
                                          "Bistånd till 19850101-0004")
    unchanged(store, lambda: diary.register_delegationsbeslut(store, decision),
              match=r"personnummer \(19850101-0004\).*offentlig")
    unchanged(store, lambda: diary.register_delegationsbeslut(
        store, dataclasses.replace(decision, beskrivning="Bistånd", arende_id=theirs["id"])),
              match=f"Ärendet {theirs['diarienummer']} hör till en annan nämnd")
    # secret, or about a secret ärende: the description is never published, so it may name the person
    assert diary.register_delegationsbeslut(store, dataclasses.replace(decision, secret=True, lagrum=OSL))
    assert diary.register_delegationsbeslut(store, dataclasses.replace(decision, arende_id=secret["id"]))
