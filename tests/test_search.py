"""Diary search over the FTS5 index: å ä ö or plain ASCII, exact spelling first."""

import datetime as dt

import pytest

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def diary(store):
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    day = dt.date(2023, 2, 1)
    made = {}
    for title, extra in [
        ("Socialnämndens årsredovisning 2022", {}),
        ("Arsredovisning för Stiftelsen Ekbacken", {}),
        ("Yttrande över remiss av Platsvarumärket Katrineholm", {"extern_referens": "KS/2022:311 - 047"}),
        ("Rapportering av ej verkställda gynnande beslut", {"klassificering": "1.2.7 - Återkoppla till förtroendevalda"}),
        ("Placering av barn", {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL", "offentlig_rubrik": "Sekretessärende"}),
    ]:
        made[title] = store.register_arende(namnd_id, title, today=day, **extra)
    return store, made


def _titles(found):
    return [a["rubrik"] for a in found]


def test_swedish_and_ascii_spelling_find_the_same(diary):
    store, _ = diary
    with_ring = _titles(store.list_arenden(search="årsredovisning"))
    without = _titles(store.list_arenden(search="arsredovisning"))
    assert set(with_ring) == set(without) == {"Socialnämndens årsredovisning 2022",
                                               "Arsredovisning för Stiftelsen Ekbacken"}


def test_exact_spelling_is_ranked_first(diary):
    store, _ = diary
    assert _titles(store.list_arenden(search="årsredovisning"))[0] == "Socialnämndens årsredovisning 2022"
    assert _titles(store.list_arenden(search="arsredovisning"))[0] == "Arsredovisning för Stiftelsen Ekbacken"


def test_prefix_case_and_several_words(diary):
    store, _ = diary
    assert _titles(store.list_arenden(search="SOCIALNÄMND ÅRSRED")) == ["Socialnämndens årsredovisning 2022"]
    assert _titles(store.list_arenden(search="socialnamndens arsredovisning 2022")) == [
        "Socialnämndens årsredovisning 2022"]


def test_search_by_diary_number_classification_and_external_reference(diary):
    store, made = diary
    number = made["Placering av barn"]["diarienummer"]
    assert _titles(store.list_arenden(search=number)) == ["Placering av barn"]
    assert _titles(store.list_arenden(search="1.2.7")) == ["Rapportering av ej verkställda gynnande beslut"]
    assert _titles(store.list_arenden(search="KS/2022:311")) == ["Yttrande över remiss av Platsvarumärket Katrineholm"]


def test_search_text_cannot_break_the_query(diary):
    store, _ = diary
    for text in ['"', "AND OR NOT", "*", "(", "NEAR(a b)", "rubrik:x", "'; DROP TABLE arende; --", "ö\x00"]:
        store.list_arenden(search=text)
    assert len(store.list_arenden()) == 5


def test_filters_by_year_status_and_secrecy(diary):
    store, _ = diary
    assert len(store.list_arenden(year=2023)) == 5 and store.list_arenden(year=2022) == []
    assert _titles(store.list_arenden(sekretess=True)) == ["Placering av barn"]
    assert len(store.list_arenden(status="inkommet")) == 5


def test_renaming_an_arende_updates_the_index(diary):
    store, made = diary
    arende_id = made["Placering av barn"]["id"]
    with store.write():
        store.update("arende", {"id": arende_id}, {"rubrik": "Övervägande om vård"})
    assert _titles(store.list_arenden(search="overvagande")) == ["Övervägande om vård"]
    assert store.list_arenden(search="placering") == []


def test_a_prefix_of_the_code_does_not_match_every_diary_number(diary):
    store, made = diary
    assert store.list_arenden(search="soc") == [a for a in store.list_arenden(search="soc")
                                                if "soc" in a["rubrik"].lower()]
    assert _titles(store.list_arenden(search="socn")) == []
    assert len(store.list_arenden(search="SOCN 2023")) == 5
