"""Issue 15, point 1: the diary search ranks matches as spelled (å ä ö as typed) first, then those found only with
å ä ö folded, each group newest diary number first, also when ärenden were imported out of order; filters and
sorting still apply; what the user types never breaks the query."""

import datetime as dt

import pytest

from nämndtool.diarienummer import Diarienummer
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

DAY = dt.date(2023, 3, 1)


def _numbers(store, ids):
    return [store.arende(i)["diarienummer"] for i in ids]


def _diary_order(store):
    """The diary newest number first, as written in SQL here (ground truth, not the store's own method)."""
    return [r[0] for r in store.execute("SELECT id FROM arende ORDER BY ar DESC, lopnr DESC, id DESC")]


@pytest.fixture
def socn(store):
    return store, store.save_namnd("SOCN", "Socialnämnden")


def test_spelled_matches_come_first_then_the_rest_each_newest_first(socn):
    store, namnd_id = socn
    made = {}
    for title in ["Årsredovisning 2021", "Arsredovisning Ekbacken", "årsredovisning 2022", "Arsredovisning Lunden",
                  "Övrigt"]:
        made[title] = store.register_arende(namnd_id, title, today=DAY)["id"]
    with_ring = [made["årsredovisning 2022"], made["Årsredovisning 2021"],
                 made["Arsredovisning Lunden"], made["Arsredovisning Ekbacken"]]
    assert store.arende_ids(search="årsredovisning") == with_ring
    assert store.arende_ids(search="årsred") == with_ring
    assert store.arende_ids(search="arsredovisning") == [
        made["Arsredovisning Lunden"], made["Arsredovisning Ekbacken"],
        made["årsredovisning 2022"], made["Årsredovisning 2021"]]
    # the same ids, fetched as rows, in the same order
    assert [a["id"] for a in store.list_arenden(search="årsredovisning")] == with_ring


def test_newest_diary_number_first_although_imported_out_of_order(socn):
    store, namnd_id = socn
    first = [store.register_arende(namnd_id, f"Tillsyn enligt LSS {n}", today=DAY)["id"] for n in range(3)]
    assert store.arende_ids(search="tillsyn") == first[::-1]          # in id order, before any import
    # An older number and a newer number imported after them, and an ärende without a number.
    older = store.save_arende_by_number(namnd_id, Diarienummer("SOCN", 2022, 7), {"rubrik": "Tillsyn 2022"})
    unnumbered = store.save_unnumbered_arende(namnd_id, None, {"rubrik": "Tillsyn, meddelanden"})
    newer = store.save_arende_by_number(namnd_id, Diarienummer("SOCN", 2023, 9), {"rubrik": "Tillsyn 2023"})
    wrong = store.save_arende_by_number(namnd_id, Diarienummer("SOCN", 2023, 5), {"rubrik": "Årsbokslut"})
    found = store.arende_ids(search="tillsyn")
    assert found == [newer, first[2], first[1], first[0], older, unnumbered]
    assert found == [i for i in _diary_order(store) if i != wrong]
    assert _numbers(store, found)[:2] == ["SOCN/2023:9", "SOCN/2023:3"]
    assert store.arende_ids() == _diary_order(store)


def test_the_order_follows_a_change_made_through_another_connection(socn):
    store, namnd_id = socn
    ids = [store.register_arende(namnd_id, f"Yttrande {n}", today=DAY)["id"] for n in range(3)]
    assert store.arende_ids(search="yttrande") == ids[::-1]
    with Store.open(store.location) as other:
        late = other.save_arende_by_number(namnd_id, Diarienummer("SOCN", 2021, 4), {"rubrik": "Yttrande 2021"})
    assert store.arende_ids(search="yttrande") == [*ids[::-1], late]
    # and a renumbering here moves it (the same connection)
    with store.write():
        store.update("arende", {"id": late}, {"ar": 2023, "lopnr": 50, "registrerad": "2023-12-01"})
    assert store.arende_ids(search="yttrande") == [late, *ids[::-1]]


def test_two_namnder_come_in_diary_order(store):
    ks, socn = store.save_namnd("KS", "Kommunstyrelsen"), store.save_namnd("SOCN", "Socialnämnden")
    for n in range(3):
        store.register_arende(ks, f"Remiss {n}", today=DAY)
    for n in range(4):                      # SOCN/2023:1 … :4 have higher ids than KS/2023:1 … :3
        store.register_arende(socn, f"Remiss {n}", today=DAY)
    found = store.arende_ids(search="remiss")
    assert found == _diary_order(store)
    assert _numbers(store, found)[:4] == ["SOCN/2023:4", "SOCN/2023:3", "KS/2023:3", "SOCN/2023:2"]


def test_a_diary_number_typed_finds_that_arende_first(socn):
    store, namnd_id = socn
    ids = [store.register_arende(namnd_id, f"Ärende {n}", today=DAY)["id"] for n in range(1, 13)]
    for typed in ["SOCN/2023:1", "socn/2023:1"]:
        found = store.arende_ids(search=typed)
        assert found[0] == ids[0], typed
        assert set(found) == {ids[0], ids[9], ids[10], ids[11]}        # :10, :11, :12 match as prefixes
    assert store.arende_ids(search=" SOCN2023:1 ") == [ids[0]]         # not words of the index, but a number
    assert store.arende_ids(search="SOCN/2023:12")[0] == ids[11]
    # a filter that excludes it leaves it out, also when typed
    store.update_arende(ids[0], {"status": "beslutat"})
    assert ids[0] not in store.arende_ids(search="SOCN/2023:1", status="inkommet")


@pytest.mark.parametrize("typed", ["s", "so", "soc", "socn", "socialnämnden"])
def test_the_namnd_code_typed_letter_by_letter_matches_titles_not_every_diary_number(socn, typed):
    store, namnd_id = socn
    titles = {store.register_arende(namnd_id, title, today=DAY)["id"]: title for title in [
        "Placering av barn", "Yttrande till IVO", "Socialstyrelsens tillsyn", "Serveringstillstånd Krogen",
        "Socialnämndens sammanträdesplan", "Budget 2024"]}
    found = store.arende_ids(search=typed)
    assert len(found) < len(titles)
    assert set(found) == {i for i, title in titles.items()
                          if any(word.lower().startswith(typed) for word in title.split())}
    # with a digit, the diary-number column is searched too: "SOCN 2023" is the whole year
    with_year = set(store.arende_ids(search=f"{typed} 2023"))
    assert with_year == (set(titles) if "socn".startswith(typed) else set(found))


@pytest.fixture
def mixed(store):
    """Two nämnder, two years, statuses, handläggare and secrecy, every title holding 'bistånd' or 'bistand'."""
    socn, ks = store.save_namnd("SOCN", "Socialnämnden"), store.save_namnd("KS", "Kommunstyrelsen")
    anna = store.save_tjansteperson(None, {"namn": "Anna Berg", "epost": "anna.berg@example.se"})
    for n in range(24):
        fields = {"status": "beslutat" if n % 3 == 0 else "inkommet", "handlaggare_id": anna if n % 4 == 0 else None}
        if n % 5 == 0:
            fields.update(sekretess=1, sekretess_lagrum="26 kap. 1 § OSL", offentlig_rubrik="Sekretessärende")
        title = f"{'Bistånd' if n % 2 else 'Bistand'} enligt SoL {n}"
        store.register_arende(ks if n % 6 == 0 else socn, title, today=dt.date(2022 + n % 2, 1 + n % 12, 1), **fields)
    return store, {"socn": socn, "ks": ks, "anna": anna}


@pytest.mark.parametrize("filters, holds", [
    ({"year": 2022}, lambda a, k: a["ar"] == 2022),
    ({"namnd_id": "ks"}, lambda a, k: a["namnd_id"] == k["ks"]),
    ({"status": "beslutat"}, lambda a, k: a["status"] == "beslutat"),
    ({"handlaggare_id": "anna"}, lambda a, k: a["handlaggare_id"] == k["anna"]),
    ({"sekretess": True}, lambda a, k: a["sekretess"] == 1),
    ({"sekretess": False}, lambda a, k: a["sekretess"] == 0),
    ({"year": 2023, "status": "inkommet", "sekretess": False},
     lambda a, k: a["ar"] == 2023 and a["status"] == "inkommet" and not a["sekretess"]),
])
def test_filters_with_a_search_keep_the_ranking_of_the_search_alone(mixed, filters, holds):
    store, keys = mixed
    filters = {name: keys.get(value, value) if isinstance(value, str) else value for name, value in filters.items()}
    for typed in ["bistånd", "bistand", "bist"]:
        everything = store.arende_ids(search=typed)
        expected = [i for i in everything if holds(store.arende(i), keys)]
        assert expected, (typed, filters)
        assert store.arende_ids(search=typed, **filters) == expected


def test_the_secrecy_filter_still_applies_to_a_search(mixed):
    store, _ = mixed
    secret = store.arende_ids(search="bistånd", sekretess=True)
    public = store.arende_ids(search="bistånd", sekretess=False)
    assert secret and public
    assert all(store.arende(i)["sekretess"] == 1 for i in secret)
    assert all(store.arende(i)["sekretess"] == 0 for i in public)
    assert sorted(secret + public) == sorted(store.arende_ids(search="bistånd"))


def test_an_explicit_sort_orders_the_search_results(mixed):
    store, _ = mixed
    by_title = store.list_arenden(search="bist", sort="rubrik")
    titles = [a["rubrik"] for a in by_title]
    assert len(titles) == 24
    assert titles[:12] == sorted(titles[:12]) and all(t.startswith("Bistand") for t in titles[:12])
    assert all(t.startswith("Bistånd") for t in titles[12:])          # å after a, as Swedish readers expect
    assert store.arende_ids(search="bist", sort="rubrik", descending=True) == [a["id"] for a in by_title][::-1]
    numbers = store.list_arenden(search="bist", sort="diarienummer")
    assert [(a["ar"], a["lopnr"]) for a in numbers] == sorted((a["ar"], a["lopnr"]) for a in numbers)


@pytest.mark.parametrize("typed", ['"', '""', "*", "AND", "OR NOT", "NEAR(", "NEAR(a b)", "(", ")", "-", ":", "^",
                                   "rubrik:", "{rubrik}: x", '"a" OR', "_", "½", "²", "a*b", "'; DROP TABLE arende; --"])
def test_punctuation_and_fts_syntax_typed_do_not_break_the_search(mixed, typed):
    store, keys = mixed
    for filters in ({}, {"year": 2022}, {"sort": "rubrik"}, {"sekretess": True}):
        store.arende_ids(search=typed, **filters)
        store.list_arenden(search=typed, **filters)
    assert len(store.arende_ids()) == 24
