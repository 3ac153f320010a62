"""operations.people.save_handlaggare: a handläggare's namn, titel, e-post and telefon, added or changed in one
transaction with a row in the audit trail; a refusal leaves every table as it was."""

import json

from nämndtool.errors import NotFoundError
from nämndtool.operations import people
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def trail(store) -> list[dict]:
    return store.rows("SELECT handelse, fore, efter FROM andring WHERE tabell = 'person' ORDER BY id")


def test_a_handlaggare_is_added_and_changed_with_the_audit_trail(store):
    person_id = people.save_handlaggare(store, None, " Åsa Öberg ", "Socialsekreterare", "asa.oberg@katrineholm.se",
                                        "0150-570 99")
    added = store.person(person_id)
    assert (added["namn"], added["roll"], added["titel"], added["telefon"]) == (
        "Åsa Öberg", "tjansteperson", "Socialsekreterare", "0150-570 99")
    assert person_id in [p["id"] for p in store.tjanstepersoner()]
    assert people.save_handlaggare(store, person_id, "Åsa Öberg", "", "asa.oberg@katrineholm.se", "0150-570 42") \
        == person_id
    changed = store.person(person_id)
    assert changed["titel"] is None and changed["telefon"] == "0150-570 42"
    new, change = trail(store)
    assert new["handelse"] == "ny" and new["fore"] is None and json.loads(new["efter"])["namn"] == "Åsa Öberg"
    assert change["handelse"] == "ändrad"
    assert json.loads(change["fore"])["telefon"] == "0150-570 99" and json.loads(change["efter"])["telefon"] == \
        "0150-570 42"


def test_a_refused_handlaggare_leaves_the_store_unchanged(store):
    person_id = people.save_handlaggare(store, None, "Åsa Öberg")
    unchanged(store, lambda: people.save_handlaggare(store, None, "  "), match="namn")
    unchanged(store, lambda: people.save_handlaggare(store, person_id, "Åsa Öberg", None, "asa.oberg.se"),
              match="ingen e-postadress")
    unchanged(store, lambda: people.save_handlaggare(store, 9999, "Ingen"), error=NotFoundError)
