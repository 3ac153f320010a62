"""Operations the app's protokoll, people and registry views needed beyond the first set (issue 12): each on a real
store, and a refusal leaves the store exactly as it was."""

import pytest

from nämndtool.operations import meetings, people, protokoll
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def seat(store):
    namnd_id = meetings.save_namnd(store, "socn", "Socialnämnden").namnd_id
    organ_id = store.organs(namnd_id)[0]["id"]
    return store, people.add_seat(store, organ_id, None, {"namn": "Anna Berg"}, people.Seat("ledamot", "2024-01-01"))


def test_end_seat_refuses_a_last_day_before_the_first_and_names_it(seat):
    store, seat_id = seat
    unchanged(store, lambda: people.end_seat(store, seat_id, "2023-12-31"),
              match=r"Sista dagen kan inte vara före uppdragets första dag \(2024-01-01\)\.")
    people.end_seat(store, seat_id, "2024-01-01")
    assert store.seat(seat_id)["till"] == "2024-01-01"


def test_save_narvaro_refuses_a_list_with_mistakes_and_names_each(seat):
    store, _seat_id = seat
    meeting_id = meetings.create_meeting(store, store.organs(store.namnd_by_kod("SOCN")["id"])[0]["id"],
                                         "2024-05-02", {})
    protokoll.create_paragraphs(store, meeting_id)
    rows = [{"namn": "Anna Berg", "roll": "ledamot", "forhinder": 1, "tjanstgor": 1},
            {"namn": "Eva Lind", "roll": "ersattare", "tjanstgor": 1, "ersatter": "Kim Ek"},
            {"namn": "Anna Berg"}]
    unchanged(store, lambda: protokoll.save_narvaro(store, meeting_id, rows),
              match=r"(?s)Närvaron kan inte sparas ännu:\n• Anna Berg kan inte både ha förhinder och tjänstgöra\..*"
                    r"Eva Lind ersätter Kim Ek, men Kim Ek står inte.*Anna Berg står två gånger i listan")
    protokoll.save_narvaro(store, meeting_id, [{"namn": "Anna Berg", "roll": "ledamot", "tjanstgor": 1}])
    assert [r["namn"] for r in store.protokoll(meeting_id)["narvaro"]] == ["Anna Berg"]
